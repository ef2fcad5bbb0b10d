import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  exampleDetails,
  LIFECYCLES,
  type LifecycleName,
  lifecycleEvents,
  orderRef,
  SHOP_ID,
  toEvent,
} from '../../fixtures/order-events.js';
import { type ContactEntry, contactEntriesOf, contactKey } from '../../functions/domain/contact.js';
import {
  addressesOf,
  anonymiseEvent,
  anonymiseOrder,
  ERASED_ADDRESS,
  ERASED_TEXT,
  ERASURE_REASON,
  type ErasableOrder,
  type ErasureRecord,
  type ErasureStore,
  type ErasureWrite,
  eraseCustomer,
  isErasedCustomer,
  maskNotification,
  placementContacts,
} from '../../functions/domain/erasure.js';
import type {
  Channel,
  NotificationLog,
  NotificationRecord,
} from '../../functions/domain/notification-log.js';
import type { SuppressionList } from '../../functions/domain/notification-ports.js';
import {
  ORDER_EVENT_TYPES,
  type OrderEvent,
  type OrderEventType,
  parseOrderEvent,
} from '../../functions/domain/order-events.js';
import { canonicalJson, recordEvent, replay } from '../../functions/domain/order-lifecycle.js';
import type { OrderKey } from '../../functions/domain/ports.js';

const ref = orderRef(42);
const details = exampleDetails(ref);
const eventOf = (type: OrderEventType): OrderEvent => toEvent(type, details[type] as never);

/** Everything personal the fixtures hold: none of it may survive an erasure. */
const PERSONAL = [
  'Zofia',
  'Wąsowska',
  'zofia.wasowska@example.pl',
  '+48 601 234 567',
  '601 234 567',
  'Kraków',
  '30-001',
  'Dla Babci',
  'Zamówienie ZAM',
  'PRZELEW-2026',
  'graweru',
  'potwierdzona telefonicznie',
  'zły rozmiar',
  'pęknięty',
  'nieczytelny',
  'Wyślemy nowy kubek',
  'device-token-0001',
];

const personalIn = (value: unknown): string[] => {
  const text = JSON.stringify(value);
  return PERSONAL.filter((needle) => text.includes(needle));
};

const placedWithPush = (): OrderEvent =>
  toEvent('Order Placed', {
    ...details['Order Placed'],
    customer: {
      ...details['Order Placed'].customer,
      pushTargets: [{ platform: 'fcm', deviceToken: 'device-token-0001' }],
      channels: { email: true, sms: true, push: true },
    },
    delivery: { ...details['Order Placed'].delivery, pickupPointId: 'KRA01M' },
    payment: { ...details['Order Placed'].payment, paymentUrl: 'https://pay.example.pl/p/zofia-42' },
  });

describe('Function: anonymiseEvent', () => {
  it('removes the contact, the address beyond the country and the free texts from every event type', () => {
    // Prepare
    const events = [
      placedWithPush(),
      ...ORDER_EVENT_TYPES.filter((type) => type !== 'Order Placed').map(eventOf),
    ];

    // Act
    const anonymised = events.map(anonymiseEvent);

    // Assess
    expect(personalIn(events).length).toBeGreaterThan(10);
    expect(personalIn(anonymised)).toEqual([]);
    const placed = anonymised[0];
    if (placed?.type !== 'Order Placed') throw new Error('expected Order Placed first');
    expect(placed.customer).toEqual({
      name: ERASED_TEXT,
      pushTargets: [],
      locale: 'pl-PL',
      timeZone: 'Europe/Warsaw',
      channels: { email: false, sms: false, push: false },
    });
    expect(placed.delivery).toEqual({
      method: 'parcel_locker',
      carrier: 'InPost',
      city: ERASED_TEXT,
      postcode: ERASED_TEXT,
      country: 'PL',
    });
    expect(placed.payment.paymentUrl).toBeUndefined();
    expect(JSON.stringify(placed)).not.toContain('pay.example.pl');
    expect(JSON.stringify(placed)).not.toContain('KRA01M');
  });

  it('keeps what the timeline and the shop need: ids, times, amounts, lines, the carrier tracking number', () => {
    // Prepare
    const events = ORDER_EVENT_TYPES.map(eventOf);

    // Act
    const anonymised = events.map(anonymiseEvent);

    // Assess
    anonymised.forEach((event, index) => {
      const original = events[index] as OrderEvent;
      expect(event.type).toBe(original.type);
      expect(event.eventId).toBe(original.eventId);
      expect(event.orderNumber).toBe(original.orderNumber);
      expect(event.occurredAt).toBe(original.occurredAt);
    });
    const placed = anonymised[0];
    if (placed?.type !== 'Order Placed') throw new Error('expected Order Placed first');
    expect(placed.totals).toEqual({
      currency: 'PLN',
      subtotal: 11198,
      shipping: 1399,
      discount: 1000,
      total: 11597,
    });
    expect(placed.lines.map((line) => [line.sku, line.quantity, line.personalisation])).toEqual([
      ['KUB-GRAW-01', 2, ERASED_TEXT],
      ['PUD-PREZ-S', 1, undefined],
    ]);
    expect(placed.payment.bankAccount).toBe('PL61109010140000071219812874');
    const shipped = anonymised.find((event) => event.type === 'Order Shipped');
    expect(shipped).toEqual(eventOf('Order Shipped'));
  });

  it('is idempotent', () => {
    // Prepare
    const events = [placedWithPush(), ...ORDER_EVENT_TYPES.map(eventOf)];

    // Act
    const once = events.map(anonymiseEvent);
    const twice = once.map(anonymiseEvent);

    // Assess
    expect(twice.map(canonicalJson)).toEqual(once.map(canonicalJson));
  });

  it('leaves every field valid for the contract; only the contact rule of Order Placed fails', () => {
    // Prepare
    const events = [placedWithPush(), ...ORDER_EVENT_TYPES.map(eventOf)];

    // Act
    const problems = events.map(anonymiseEvent).map(({ type, ...detail }) => {
      const parsed = parseOrderEvent(type, detail);
      return parsed.ok ? [] : parsed.problems.map((problem) => `${type}: ${problem.path}`);
    });

    // Assess
    expect(problems.flat()).toEqual(['Order Placed: detail.customer', 'Order Placed: detail.customer']);
  });
});

describe('Function: anonymiseOrder', () => {
  const lifecycleNames = Object.keys(LIFECYCLES) as LifecycleName[];

  it.each(lifecycleNames)('folds the anonymised %s lifecycle to the same outcomes and status', (name) => {
    // Prepare
    const events = lifecycleEvents(ref, name);
    const before = replay(events);

    // Act
    const { history, changedEventIds } = anonymiseOrder(events);

    // Assess
    expect(history.timeline.map((entry) => [entry.event.eventId, entry.outcome])).toEqual(
      before.timeline.map((entry) => [entry.event.eventId, entry.outcome]),
    );
    expect(history.state.status).toBe(before.state.status);
    const { instructions: _after, ...payment } = history.state.payment;
    const { instructions: _before, ...paymentBefore } = before.state.payment;
    expect(payment).toEqual(paymentBefore);
    expect(history.state.totals).toEqual(before.state.totals);
    expect(changedEventIds).toContain(`${ref.orderId}-placed`);
    expect(personalIn(history)).toEqual([]);
    expect(isErasedCustomer(history.state.customer)).toBe(true);
    expect(isErasedCustomer(before.state.customer)).toBe(false);
  });

  it('lets later events apply to an anonymised order, as the ingest folds them', () => {
    // Prepare
    const [placed, paid, accepted, preparing, shipped, out, delivered] = lifecycleEvents(ref, 'happyPath');
    if (!placed || !paid || !accepted || !preparing || !shipped || !out || !delivered)
      throw new Error('fixture');
    const { events } = anonymiseOrder([placed, paid, accepted, preparing, shipped]);

    // Act
    const afterOut = recordEvent(events, out);
    const afterDelivered = recordEvent([...events, out], delivered);

    // Assess
    expect(afterOut).toMatchObject({ kind: 'recorded', outcome: { kind: 'applied' } });
    expect(afterDelivered).toMatchObject({ kind: 'recorded', outcome: { kind: 'applied' } });
    if (afterDelivered.kind !== 'recorded') throw new Error('not recorded');
    expect(afterDelivered.history.state.status).toBe('delivered');
    expect(afterDelivered.history.state.shipment?.deliveredAt).toBe(delivered.occurredAt);
    expect(personalIn(afterDelivered.history)).toEqual([]);
  });

  it('treats a redelivery of the original Order Placed as a reused event id, so the data is not stored again', () => {
    // Prepare
    const [placed, ...rest] = lifecycleEvents(ref, 'happyPath');
    if (!placed) throw new Error('fixture');
    const { events } = anonymiseOrder([placed, ...rest]);

    // Act
    const decision = recordEvent(events, placed);

    // Assess
    expect(decision.kind).toBe('conflict');
  });

  it('never changes an outcome, whatever subset of events arrived', () => {
    fc.assert(
      fc.property(fc.constantFrom(...lifecycleNames), fc.integer({ min: 0, max: 2 ** 16 }), (name, seed) => {
        const events = lifecycleEvents(orderRef(7), name).filter((_, index) => ((seed >> index) & 1) === 0);
        if (events.length === 0) return;
        const before = replay(events);
        const after = anonymiseOrder(events).history;
        expect(after.timeline.map((entry) => entry.outcome)).toEqual(
          before.timeline.map((entry) => entry.outcome),
        );
        expect(after.state.status).toBe(before.state.status);
      }),
    );
  });
});

describe('Function: maskNotification', () => {
  const record = (changes: Partial<NotificationRecord>): NotificationRecord => ({
    shopId: SHOP_ID,
    orderId: ref.orderId,
    eventId: `${ref.orderId}-placed`,
    eventType: 'Order Placed',
    channel: 'email',
    template: 'order-placed',
    language: 'pl',
    outcome: 'sent',
    attempts: 1,
    createdAt: '2026-11-20T09:00:01Z',
    updatedAt: '2026-11-20T09:00:02Z',
    ...changes,
  });
  const addresses = addressesOf([eventOf('Order Placed')]);

  it('replaces the masked address and scrubs the addresses from provider messages', () => {
    // Act
    const changes = maskNotification(
      record({
        address: 'z***@example.pl',
        outcome: 'failed',
        reason:
          'SES refused the e-mail: MessageRejected: Zofia.Wasowska@example.pl is on the list; +48601234567',
      }),
      addresses,
    );

    // Assess
    expect(changes).toEqual({
      address: ERASED_ADDRESS,
      reason: `SES refused the e-mail: MessageRejected: ${ERASED_ADDRESS} is on the list; ${ERASED_ADDRESS}`,
    });
  });

  it('changes nothing on a record that holds no address', () => {
    // Act & Assess
    expect(maskNotification(record({ address: ERASED_ADDRESS }), addresses)).toBeUndefined();
    expect(
      maskNotification(record({ outcome: 'skipped', reason: 'the customer did not choose sms' }), addresses),
    ).toBe(undefined);
  });
});

/* In-memory adapters: the use case's contract without DynamoDB. -------------------------------- */

const keyOf = (key: OrderKey) => `${key.shopId}/${key.orderId}`;

class MemoryStore implements ErasureStore {
  readonly orders = new Map<string, { key: OrderKey; order: ErasableOrder; state: unknown }>();
  readonly records: ErasureRecord[] = [];
  writes = 0;
  /** Runs before the next write: lets a test record an event "concurrently". */
  beforeWrite?: () => void;

  add(events: readonly OrderEvent[]): OrderKey {
    const first = events[0];
    if (!first) throw new Error('no events');
    const key = { shopId: first.shopId, orderId: first.orderId };
    this.orders.set(keyOf(key), {
      key,
      order: {
        version: events.length,
        orderNumber: first.orderNumber,
        events: events.map((event) => ({ event, receivedAt: event.occurredAt })),
      },
      state: replay(events).state,
    });
    for (const contact of placementContacts(events)) {
      for (const entry of contactEntriesOf(contact)) {
        const indexKey = contactKey(key.shopId, entry);
        this.index.set(indexKey, new Set([...(this.index.get(indexKey) ?? []), keyOf(key)]));
      }
    }
    return key;
  }

  /** The contact index: contactKey -> order keys, as the ingest writes it with each placement. */
  readonly index = new Map<string, Set<string>>();

  async findOrders(shopId: string, entries: readonly ContactEntry[]) {
    const found = new Set(entries.flatMap((entry) => [...(this.index.get(contactKey(shopId, entry)) ?? [])]));
    const keys = [...found].sort().flatMap((id) => {
      const stored = this.orders.get(id);
      return stored ? [stored.key] : [];
    });
    return { keys, readItems: keys.length, readCapacityUnits: 0.5 };
  }

  async load(key: OrderKey) {
    return this.orders.get(keyOf(key))?.order;
  }

  async write(request: ErasureWrite): Promise<'ok' | 'version_conflict'> {
    const hook = this.beforeWrite;
    this.beforeWrite = undefined;
    hook?.();
    const stored = this.orders.get(keyOf(request.key));
    if (!stored || stored.order.version !== request.expectedVersion) return 'version_conflict';
    const byId = new Map(request.events.map((event) => [event.eventId, event]));
    stored.order = {
      ...stored.order,
      version: stored.order.version + 1,
      erasedAt: request.erasedAt,
      events: stored.order.events.map((entry) => ({
        ...entry,
        event: byId.get(entry.event.eventId) ?? entry.event,
      })),
    };
    stored.state = request.state;
    for (const entry of request.contactEntries)
      this.index.get(contactKey(request.key.shopId, entry))?.delete(keyOf(request.key));
    this.writes++;
    return 'ok';
  }

  async record(record: ErasureRecord) {
    this.records.push(record);
    return `${record.erasedAt}#${this.records.length}`;
  }
}

class MemorySuppressions implements SuppressionList {
  readonly entries = new Map<string, string>();
  async check(shopId: string, channel: Channel, address: string) {
    return this.entries.get(`${shopId}|${channel}|${address.toLowerCase()}`);
  }
  async suppress(shopId: string, channel: Channel, address: string, reason: string) {
    this.entries.set(`${shopId}|${channel}|${address.toLowerCase()}`, reason);
  }
  async disabledPushTokens() {
    return new Set<string>();
  }
}

class MemoryLog implements Pick<NotificationLog, 'list' | 'update'> {
  constructor(public records: NotificationRecord[]) {}
  async list(key: OrderKey) {
    return this.records.filter((record) => record.shopId === key.shopId && record.orderId === key.orderId);
  }
  async update(
    key: Pick<NotificationRecord, 'shopId' | 'orderId' | 'eventId' | 'channel'>,
    from: readonly NotificationRecord['outcome'][],
    changes: Partial<NotificationRecord>,
  ) {
    const index = this.records.findIndex(
      (record) =>
        record.orderId === key.orderId && record.eventId === key.eventId && record.channel === key.channel,
    );
    const current = this.records[index];
    if (!current || !from.includes(current.outcome)) return false;
    this.records[index] = { ...current, ...changes };
    return true;
  }
}

describe('Function: eraseCustomer', () => {
  const setup = () => {
    const store = new MemoryStore();
    const mine = store.add(lifecycleEvents(orderRef(1), 'happyPath'));
    const other = store.add(
      lifecycleEvents(orderRef(2), 'happyPath').map((event) =>
        event.type === 'Order Placed'
          ? { ...event, customer: { ...event.customer, email: 'jan@example.pl', phone: '+48 700 800 900' } }
          : event,
      ),
    );
    const log = new MemoryLog([
      {
        shopId: SHOP_ID,
        orderId: mine.orderId,
        eventId: `${mine.orderId}-placed`,
        eventType: 'Order Placed',
        channel: 'email',
        template: 'order-placed',
        language: 'pl',
        outcome: 'sent',
        address: 'z***@example.pl',
        attempts: 1,
        createdAt: '2026-11-20T09:00:01Z',
        updatedAt: '2026-11-20T09:00:02Z',
      },
    ]);
    const suppressions = new MemorySuppressions();
    const deps = {
      store,
      notifications: log,
      suppressions,
      clock: { now: () => new Date('2026-12-01T10:00:00Z') },
    };
    return { store, mine, other, log, suppressions, deps };
  };

  it('erases the orders holding the contact, masks the log, suppresses the addresses and records it', async () => {
    // Prepare
    const { store, mine, other, log, suppressions, deps } = setup();

    // Act
    const report = await eraseCustomer(deps, {
      shopId: SHOP_ID,
      contact: { kind: 'email', email: 'ZOFIA.wasowska@example.pl' },
      dryRun: false,
    });

    // Assess
    expect(report.orders).toEqual([
      expect.objectContaining({
        orderId: mine.orderId,
        result: 'erased',
        notificationRecords: 1,
        suppressions: 2,
      }),
    ]);
    expect(report.alreadyErased).toBe(false);
    expect(personalIn(store.orders.get(keyOf(mine)))).toEqual([]);
    expect(store.orders.get(keyOf(mine))?.state).toMatchObject({ erased: true, status: 'delivered' });
    expect(store.orders.get(keyOf(other))?.order.erasedAt).toBeUndefined();
    expect(log.records[0]?.address).toBe(ERASED_ADDRESS);
    expect(await suppressions.check(SHOP_ID, 'email', 'zofia.wasowska@example.pl')).toBe(ERASURE_REASON);
    expect(await suppressions.check(SHOP_ID, 'sms', '+48601234567')).toBe(ERASURE_REASON);
    expect(store.records).toEqual([
      {
        shopId: SHOP_ID,
        erasedAt: '2026-12-01T10:00:00.000Z',
        matchedBy: 'email',
        orderIds: [mine.orderId],
        counts: { orders: 1, events: 2, notificationRecords: 1, suppressions: 2 },
      },
    ]);
    expect(JSON.stringify(store.records)).not.toContain('zofia');
  });

  it('reports "already erased" on a second run and changes nothing more', async () => {
    // Prepare
    const { store, deps } = setup();
    const request = {
      shopId: SHOP_ID,
      contact: { kind: 'phone', phone: '601 234 567' } as const,
      dryRun: false,
    };
    await eraseCustomer(deps, request);

    // Act
    const second = await eraseCustomer(deps, request);

    // Assess
    expect(second).toMatchObject({ alreadyErased: true, orders: [], recordId: undefined });
    expect(store.writes).toBe(1);
    expect(store.records).toHaveLength(1);
  });

  it('reads the order again when an event was recorded meanwhile, so the new event is kept and anonymised', async () => {
    // Prepare
    const { store, mine, deps } = setup();
    const stored = store.orders.get(keyOf(mine));
    if (!stored) throw new Error('fixture');
    const complaint = toEvent('Complaint Opened', {
      ...exampleDetails(orderRef(1))['Complaint Opened'],
    } as never);
    store.beforeWrite = () => {
      const events = [...stored.order.events.map((entry) => entry.event), complaint];
      stored.order = {
        ...stored.order,
        version: stored.order.version + 1,
        events: events.map((event) => ({ event, receivedAt: event.occurredAt })),
      };
      stored.state = replay(events).state;
    };

    // Act
    const report = await eraseCustomer(deps, {
      shopId: SHOP_ID,
      contact: { kind: 'email', email: 'zofia.wasowska@example.pl' },
      dryRun: false,
    });

    // Assess
    expect(report.orders[0]).toMatchObject({ result: 'erased', events: 3 });
    expect(stored.order.version).toBe(9);
    expect(stored.state).toMatchObject({
      complaints: [{ complaintId: 'REK-0042-1', subject: ERASED_TEXT, status: 'open' }],
    });
    expect(personalIn(stored)).toEqual([]);
  });

  it('changes nothing in a dry run', async () => {
    // Prepare
    const { store, log, suppressions, deps } = setup();
    const before = JSON.stringify([...store.orders.values()]);

    // Act
    const report = await eraseCustomer(deps, {
      shopId: SHOP_ID,
      contact: { kind: 'email', email: 'zofia.wasowska@example.pl' },
      dryRun: true,
    });

    // Assess
    expect(report.orders).toEqual([
      expect.objectContaining({ result: 'would_erase', events: 2, suppressions: 2 }),
    ]);
    expect(JSON.stringify([...store.orders.values()])).toBe(before);
    expect(log.records[0]?.address).toBe('z***@example.pl');
    expect(suppressions.entries.size).toBe(0);
    expect(store.records).toEqual([]);
  });
});
