/**
 * Ids a producer chooses (returnId, complaintId, refundId, sku, eventId, orderId) that name members of
 * Object.prototype. The lifecycle must treat them as any other string: the same history as with neutral
 * ids, nothing resolved that was never opened, and an order that always renders (JSON view, HTML page,
 * messages). `__proto__` and the other `__…__` names fail the contract's identifier rule today; the
 * domain is tested with them anyway, so no later contract change can reopen the hole.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exampleDetails, orderRef, toEvent } from '../../fixtures/order-events.js';
import { shopConfig } from '../../fixtures/status-api.js';
import type { Language } from '../../functions/domain/i18n.js';
import { renderEmail, renderSms } from '../../functions/domain/messages/index.js';
import type {
  OrderEvent,
  OrderEventDetailInput,
  OrderEventType,
} from '../../functions/domain/order-events.js';
import { type OrderHistory, recordEvent, replay } from '../../functions/domain/order-lifecycle.js';
import { buildOrderView } from '../../functions/domain/order-view.js';
import { renderTrackingPage } from '../../functions/status-api/render-page.js';

const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype);
const NAMES = [...PROTOTYPE_NAMES, 'ZW-0042-1', 'REK-7', 'x'];
const ID_KEYS = new Set(['returnId', 'complaintId', 'refundId', 'sku', 'eventId', 'orderId']);
const SHOP = shopConfig();
const NOW = new Date('2026-11-21T12:00:00Z');
const ref = orderRef(21);
const details = exampleDetails(ref);

type Step =
  | { readonly op: 'Return Requested'; readonly ret: number; readonly sku: number; readonly quantity: number }
  | { readonly op: 'Return Received'; readonly ret: number }
  | { readonly op: 'Refund Issued'; readonly ret: number | undefined; readonly refund: number }
  | { readonly op: 'Complaint Opened'; readonly complaint: number; readonly sku: number }
  | { readonly op: 'Complaint Resolved'; readonly complaint: number };

const slot = fc.nat({ max: 2 });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    op: fc.constant('Return Requested' as const),
    ret: slot,
    sku: fc.nat({ max: 1 }),
    quantity: fc.integer({ min: 1, max: 2 }),
  }),
  fc.record({ op: fc.constant('Return Received' as const), ret: slot }),
  fc.record({
    op: fc.constant('Refund Issued' as const),
    ret: fc.option(slot, { nil: undefined }),
    refund: slot,
  }),
  fc.record({ op: fc.constant('Complaint Opened' as const), complaint: slot, sku: fc.nat({ max: 1 }) }),
  fc.record({ op: fc.constant('Complaint Resolved' as const), complaint: slot }),
);

/** Neutral ids, distinctive enough to be replaced wherever they appear (reasons name them too). */
const neutral = {
  ret: (i: number) => `neutral-return-${i}`,
  complaint: (i: number) => `neutral-complaint-${i}`,
  refund: (i: number) => `neutral-refund-${i}`,
  sku: (i: number) => `neutral-sku-${i}`,
  event: (i: number) => `neutral-event-${String(i).padStart(2, '0')}`,
  order: 'neutral-order',
};

const at = (index: number) => new Date(Date.UTC(2026, 10, 20, 9, index * 3)).toISOString();

/** A delivered order, then the steps: built and validated with neutral ids. */
const neutralEvents = (steps: readonly Step[]): OrderEvent[] => {
  const base = { orderId: neutral.order };
  const make = <T extends OrderEventType>(type: T, index: number, fields: Record<string, unknown>) =>
    toEvent(type, {
      ...details[type],
      ...base,
      ...fields,
      eventId: neutral.event(index),
      occurredAt: at(index),
    } as OrderEventDetailInput<T>);
  const placed = details['Order Placed'];
  const head = [
    make('Order Placed', 0, {
      lines: placed.lines.map((line, i) => ({ ...line, sku: neutral.sku(i) })),
      payment: { ...placed.payment, method: 'card', status: 'paid' },
    }),
    make('Order Shipped', 1, {}),
    make('Order Delivered', 2, {}),
  ];
  const tail = steps.map((step, i) => {
    const index = i + head.length;
    switch (step.op) {
      case 'Return Requested':
        return make(step.op, index, {
          returnId: neutral.ret(step.ret),
          lines: [{ sku: neutral.sku(step.sku), quantity: step.quantity }],
        });
      case 'Return Received':
        return make(step.op, index, { returnId: neutral.ret(step.ret) });
      case 'Refund Issued':
        return make(step.op, index, {
          refundId: neutral.refund(step.refund),
          returnId: step.ret === undefined ? undefined : neutral.ret(step.ret),
          amount: { amount: 100, currency: 'PLN' },
        });
      case 'Complaint Opened':
        return make(step.op, index, {
          complaintId: neutral.complaint(step.complaint),
          sku: neutral.sku(step.sku),
        });
      case 'Complaint Resolved':
        return make(step.op, index, { complaintId: neutral.complaint(step.complaint) });
      default:
        throw new Error('unreachable: every step is handled');
    }
  });
  return [...head, ...tail];
};

/** Replaces ids: the values of id fields, and their mentions in reasons. */
const renameIds = <T>(value: T, names: ReadonlyMap<string, string>): T => {
  const mentions = [...names.keys()].sort((a, b) => b.length - a.length);
  const walk = (node: unknown, key: string | undefined): unknown => {
    if (Array.isArray(node)) return node.map((item) => walk(item, undefined));
    if (node && typeof node === 'object')
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, k)]));
    if (typeof node !== 'string' || key === undefined) return node;
    if (ID_KEYS.has(key)) return names.get(node) ?? node;
    if (key === 'reason')
      return mentions.reduce((text, id) => text.replaceAll(id, names.get(id) ?? id), node);
    return node;
  };
  return walk(value, undefined) as T;
};

const deliver = (arrivals: readonly OrderEvent[]): OrderHistory => {
  const known: OrderEvent[] = [];
  let history: OrderHistory | undefined;
  for (const event of arrivals) {
    const decision = recordEvent(known, event);
    if (decision.kind !== 'recorded') throw new Error(`${event.type} was ${decision.kind}`);
    known.push(event);
    history = decision.history;
  }
  if (!history) throw new Error('nothing recorded');
  return history;
};

/** Every public rendering of the order: the JSON view, the HTML page, and each applied event's messages. */
const renderEverything = (history: OrderHistory) => {
  for (const language of ['pl', 'en'] as Language[]) {
    const view = buildOrderView({ history, notifications: [], shop: SHOP, language, now: NOW });
    renderTrackingPage(view);
    for (const entry of history.timeline.filter((candidate) => candidate.outcome.kind === 'applied')) {
      const input = {
        shop: SHOP,
        language,
        timeZone: 'Europe/Warsaw',
        state: history.state,
        event: entry.event,
        trackingUrl: 'https://status.podebem.example.pl/t/x',
        unsubscribeUrl: 'https://status.podebem.example.pl/u/x',
      };
      renderEmail(input);
      renderSms(input);
    }
  }
};

const unique = (size: number) =>
  fc.uniqueArray(fc.constantFrom(...NAMES), { minLength: size, maxLength: size });

describe('Property: ids that name Object.prototype members', () => {
  it('give the same history as neutral ids, and the order always renders', () => {
    fc.assert(
      fc.property(
        fc.array(stepArb, { maxLength: 10 }),
        fc.record({
          ret: unique(3),
          complaint: unique(3),
          refund: unique(3),
          sku: unique(2),
          order: fc.constantFrom(...NAMES),
        }),
        fc.infiniteStream(fc.nat()),
        (steps, hostile, order) => {
          // Prepare: the same events with neutral and with hostile ids, arriving in the same order
          const plain = neutralEvents(steps);
          const eventNames = [...NAMES, ...plain.map((_, i) => `e-${i}`)].slice(0, plain.length);
          const names = new Map<string, string>([
            [neutral.order, hostile.order],
            ...hostile.ret.map((name, i) => [neutral.ret(i), name] as const),
            ...hostile.complaint.map((name, i) => [neutral.complaint(i), name] as const),
            ...hostile.refund.map((name, i) => [neutral.refund(i), name] as const),
            ...hostile.sku.map((name, i) => [neutral.sku(i), name] as const),
            ...plain.map((_, i) => [neutral.event(i), eventNames[i] as string] as const),
          ]);
          const arrival = plain
            .map((_, i) => ({ i, key: order.next().value as number }))
            .sort((a, b) => a.key - b.key)
            .map(({ i }) => i);
          const hostileEvents = renameIds(plain, names);

          // Act
          const expected = deliver(arrival.map((i) => plain[i] as OrderEvent));
          const actual = deliver(arrival.map((i) => hostileEvents[i] as OrderEvent));

          // Assess: id-renaming invariance, JSON-storable, and every rendering works
          expect(actual).toEqual(renameIds(expected, names));
          expect(JSON.parse(JSON.stringify(actual.state))).toEqual(actual.state);
          expect(() => renderEverything(actual)).not.toThrow();
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('Function: replay with an id naming an Object.prototype member', () => {
  const delivered = () => [
    toEvent('Order Placed', { ...details['Order Placed'], payment: { method: 'card', status: 'paid' } }),
    toEvent('Order Delivered', details['Order Delivered']),
  ];
  const withId = (type: OrderEventType, fields: Record<string, unknown>): OrderEvent =>
    ({ ...toEvent(type, details[type] as OrderEventDetailInput<typeof type>), ...fields }) as OrderEvent;

  it.each(PROTOTYPE_NAMES)('rejects resolving, receiving or refunding %s that was never opened', (name) => {
    // Act
    const { state, timeline } = replay([
      ...delivered(),
      withId('Complaint Resolved', { complaintId: name }),
      withId('Return Received', { returnId: name }),
      withId('Refund Issued', { returnId: name }),
    ]);

    // Assess
    const outcomes = new Map(timeline.map((entry) => [entry.event.type, entry.outcome]));
    expect(outcomes.get('Complaint Resolved')).toEqual({
      kind: 'rejected',
      reason: `no complaint ${name} was opened for this order`,
    });
    for (const type of ['Return Received', 'Refund Issued'] as const) {
      expect(outcomes.get(type)).toEqual({
        kind: 'rejected',
        reason: `no return ${name} was requested for this order`,
      });
    }
    expect(state.complaints).toEqual([]);
    expect(state.returns).toEqual([]);
    expect(state.payment.refunded).toBe(0);
    expect(() =>
      renderEverything(replay([...delivered(), withId('Complaint Resolved', { complaintId: name })])),
    ).not.toThrow();
  });

  it.each(PROTOTYPE_NAMES)(
    'opens a complaint and a return named %s, then resolves and receives them',
    (name) => {
      // Act
      const history = replay([
        ...delivered(),
        withId('Complaint Opened', { complaintId: name }),
        withId('Return Requested', { returnId: name }),
        withId('Complaint Resolved', { complaintId: name }),
        withId('Return Received', { returnId: name }),
      ]);

      // Assess
      expect(history.timeline.map((entry) => entry.outcome.kind)).toEqual(Array(6).fill('applied'));
      expect(history.state.complaints).toEqual([
        expect.objectContaining({ complaintId: name, status: 'resolved', kind: 'complaint' }),
      ]);
      expect(history.state.returns).toEqual([
        expect.objectContaining({ returnId: name, status: 'received' }),
      ]);
      const view = buildOrderView({ history, notifications: [], shop: SHOP, language: 'en', now: NOW });
      expect(view.complaints?.map((complaint) => complaint.id)).toEqual([name]);
      expect(view.returns?.map((entry) => entry.id)).toEqual([name]);
    },
  );
});
