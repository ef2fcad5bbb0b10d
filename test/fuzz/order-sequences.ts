/**
 * Producer scripts for the stateful fuzz (order-sequences.test.ts): what careless and hostile producers
 * send about one to three orders of a shop, as SQS message bodies in arrival order, cut into batches.
 *
 * A script is plain data (fast-check shrinks it); `buildSequence` turns it into messages for one run,
 * in a namespace of its own (its own shop, order numbers, customers), so runs never see each other.
 * What a script can hold, per order:
 * - the honest lifecycle, cut anywhere, with or without sequence numbers, some of them dropped;
 * - payments split into parts (short of, at and past the total, a zero, a foreign currency);
 * - a second producer placing the same order with its own customer, before or after the first, earlier
 *   or later in time, sequenced or not;
 * - returns, complaints and refunds opened and resolved in any order, with ids drawn from
 *   `Object.getOwnPropertyNames(Object.prototype)` (those with `_` are outside the contract);
 * - the order id itself a prototype name, an order number another order of the run holds;
 * - texts at their length limit and one past it, control characters and bidi overrides, a placement
 *   at its detail budget and one past it, floods to and past the per-order counts (order-limits.ts);
 * - misspelt detail-types, a shop that is not configured, a reused event id with other content;
 * - redeliveries of anything, in any order.
 */
import fc from 'fast-check';
import {
  exampleDetails,
  LIFECYCLES,
  type LifecycleName,
  type OrderRef,
} from '../../fixtures/order-events.js';
import type { OrderEventType } from '../../functions/domain/order-events.js';
import { ORDER_LIMITS } from '../../functions/domain/order-limits.js';
import { maximalPlaced, wide } from '../fixtures/maximal-events.js';

/** Every own property of Object.prototype: ids a lookup on a plain object would confuse. */
export const PROTOTYPE_NAMES: readonly string[] = Object.getOwnPropertyNames(Object.prototype);
const SIDE_IDS = [...PROTOTYPE_NAMES, 'REK-1', 'ZW-1'] as const;

const lifecycleNames = Object.keys(LIFECYCLES) as LifecycleName[];
const BASE = Date.UTC(2026, 10, 20, 9, 0);
const at = (minute: number) => new Date(BASE + minute * 60_000).toISOString();

export type SideStep =
  | { readonly kind: 'complaint opened' | 'return requested' | 'return received'; readonly id: string }
  | { readonly kind: 'complaint resolved'; readonly id: string; readonly accepted: boolean }
  | { readonly kind: 'refund'; readonly id: string; readonly returnId?: string; readonly amount: number };

export type Hostile =
  | 'misspelt type'
  | 'unknown shop'
  | 'control characters'
  | 'text at its limit'
  | 'text past its limit'
  | 'placement at its budget'
  | 'placement past its budget'
  | 'reused event id'
  | 'complaints flood'
  | 'payments flood'
  | 'events flood';

export interface OrderScript {
  /** undefined: a plain id; else a prototype name (`__proto__` makes every event of the order invalid). */
  readonly protoOrderId?: string | undefined;
  readonly sharesNumberWithFirst: boolean;
  readonly lifecycle: LifecycleName;
  /** How many of the lifecycle's events are sent (1 = the placement only). */
  readonly cut: number;
  readonly sequenced: boolean;
  /** Per event: drop its sequence number. */
  readonly dropSequence: readonly boolean[];
  /** Payment parts in per mille of the total; empty: the lifecycle's single full payment. */
  readonly payments: readonly number[];
  readonly foreignCurrencyPayment: boolean;
  /** The honest placement never arrives (lost by the producer): the rest waits, or the intruder owns it. */
  readonly withoutPlacement: boolean;
  readonly intruder?: { readonly minute: number; readonly sequence?: number | undefined } | undefined;
  readonly side: readonly (SideStep & { readonly minute: number })[];
  readonly hostile: readonly Hostile[];
}

export interface SequenceScript {
  readonly orders: readonly OrderScript[];
  /** Sort keys of the arrival order. */
  readonly arrival: readonly number[];
  /** How many of the messages are delivered again (the first `redeliveries` of the arrival order). */
  readonly redeliveries: number;
  readonly batchSizes: readonly number[];
  /** Per batch: plan and send what the order table's stream holds after it. */
  readonly settleAfter: readonly boolean[];
}

const sideStep = (): fc.Arbitrary<SideStep & { minute: number }> => {
  const id = fc.constantFrom(...SIDE_IDS);
  const minute = fc.integer({ min: -120, max: 600 });
  return fc.oneof(
    fc.record({
      kind: fc.constantFrom(
        'complaint opened' as const,
        'return requested' as const,
        'return received' as const,
      ),
      id,
      minute,
    }),
    fc.record({ kind: fc.constant('complaint resolved' as const), id, accepted: fc.boolean(), minute }),
    fc.record({
      kind: fc.constant('refund' as const),
      id,
      returnId: fc.option(id, { nil: undefined }),
      amount: fc.oneof(fc.constant(4999), fc.integer({ min: 1, max: 20_000 })),
      minute,
    }),
  );
};

const HOSTILE: readonly Hostile[] = [
  'misspelt type',
  'unknown shop',
  'control characters',
  'text at its limit',
  'text past its limit',
  'placement at its budget',
  'placement past its budget',
  'reused event id',
];
const FLOODS: readonly Hostile[] = ['complaints flood', 'payments flood', 'events flood'];

/**
 * `floods`: whether an order may also be flooded to and past a per-order count (events floods, 101
 * events, only with `eventsFlood`): long sequences, for `npm run fuzz` more than for `npm test`.
 */
export interface ScriptOptions {
  readonly floods?: boolean;
  readonly eventsFlood?: boolean;
}

export const orderScript = (options: ScriptOptions = {}): fc.Arbitrary<OrderScript> =>
  fc.record({
    // Mostly a plain id; often a prototype name; now and then one outside the contract (all refused).
    protoOrderId: fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 5 },
      { arbitrary: fc.constantFrom(...PROTOTYPE_NAMES.filter((name) => !name.startsWith('_'))), weight: 3 },
      { arbitrary: fc.constantFrom(...PROTOTYPE_NAMES.filter((name) => name.startsWith('_'))), weight: 1 },
    ),
    sharesNumberWithFirst: fc.boolean(),
    lifecycle: fc.constantFrom(...lifecycleNames),
    cut: fc.integer({ min: 1, max: 8 }),
    sequenced: fc.boolean(),
    dropSequence: fc.array(
      fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
      { minLength: 8, maxLength: 8 },
    ),
    payments: fc.oneof(
      fc.constant([] as number[]),
      fc.array(fc.oneof(fc.integer({ min: 0, max: 1200 }), fc.constant(1), fc.constant(500)), {
        minLength: 1,
        maxLength: 3,
      }),
    ),
    foreignCurrencyPayment: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
    withoutPlacement: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
    intruder: fc.option(
      fc.record({
        minute: fc.integer({ min: -60, max: 300 }),
        sequence: fc.option(fc.nat({ max: 10 }), { nil: undefined }),
      }),
      { nil: undefined },
    ),
    side: fc.array(sideStep(), { maxLength: 5 }),
    hostile: fc
      .tuple(
        fc.uniqueArray(fc.constantFrom(...HOSTILE), { maxLength: 2 }),
        options.floods
          ? fc.option(
              fc.constantFrom(...FLOODS.filter((flood) => options.eventsFlood || flood !== 'events flood')),
              { nil: undefined, freq: 4 },
            )
          : fc.constant(undefined),
      )
      .map(([hostile, flood]) => (flood ? [...hostile, flood] : hostile)),
  });

export const sequenceScript = (options: ScriptOptions = {}): fc.Arbitrary<SequenceScript> =>
  fc.record({
    orders: fc.array(orderScript(options), { minLength: 1, maxLength: 3 }),
    arrival: fc.array(fc.nat(), { minLength: 250, maxLength: 250 }),
    redeliveries: fc.nat({ max: 4 }),
    batchSizes: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 6 }),
    settleAfter: fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }),
  });

/* ------------------------------------------------------------------------------------------------ */
/* Building one run's messages                                                                      */
/* ------------------------------------------------------------------------------------------------ */

export interface Customer {
  readonly name: string;
  readonly email: string;
  /** As sent, E.164. */
  readonly phone: string;
}

export interface ProducerMessage {
  readonly body: string;
  /** What it is, for failure messages and the tally. */
  readonly label: string;
  readonly orderIndex: number;
  /** For a placement: its customer (whose data must be kept only if the placement is). */
  readonly customer?: Customer | undefined;
}

export interface BuiltOrder {
  readonly ref: OrderRef;
  readonly honest: Customer;
  readonly intruder: Customer;
}

export interface BuiltSequence {
  readonly shopId: string;
  readonly unknownShopId: string;
  readonly orders: readonly BuiltOrder[];
  readonly batches: readonly (readonly ProducerMessage[])[];
  readonly settleAfter: readonly boolean[];
  readonly messages: number;
}

type Detail = Record<string, unknown>;

export const envelope = (type: string, detail: Detail): string =>
  JSON.stringify({
    version: '0',
    id: `eb-${String(detail.eventId)}`,
    'detail-type': type,
    source: 'shop.orders',
    account: '123456789012',
    time: String(detail.occurredAt),
    region: 'eu-central-1',
    resources: [],
    detail,
  });

const customerOf = (run: number, index: number, role: 'honest' | 'intruder'): Customer => {
  const n = String(run * 4 + index).padStart(6, '0');
  return role === 'honest'
    ? { name: `Klientka Uczciwa${n}`, email: `klientka-${n}@example.pl`, phone: `+48601${n}` }
    : { name: `Ignacy Intruz${n}`, email: `intruz-${n}@attacker.example`, phone: `+48602${n}` };
};

export const buildSequence = (script: SequenceScript, run: number): BuiltSequence => {
  const shopId = `fuzz-${run}`;
  const unknownShopId = `fuzz-${run}-nieznany`;
  const firstNumber = `ZAM/${run}/0`;
  const usedIds = new Set<string>();
  const orders: BuiltOrder[] = script.orders.map((order, index) => {
    let orderId = order.protoOrderId ?? `ord-${run}-${index}`;
    if (usedIds.has(orderId)) orderId = `${orderId}-${index}`;
    usedIds.add(orderId);
    const orderNumber = index > 0 && order.sharesNumberWithFirst ? firstNumber : `ZAM/${run}/${index}`;
    return {
      ref: { orderId, orderNumber },
      honest: customerOf(run, index, 'honest'),
      intruder: customerOf(run, index, 'intruder'),
    };
  });

  const messages: ProducerMessage[] = script.orders.flatMap((order, index) =>
    orderMessages(order, orders[index] as BuiltOrder, index, shopId, unknownShopId),
  );
  const keyed = messages.map((message, index) => ({ message, key: script.arrival[index % 250] ?? index }));
  const arrivals = keyed.sort((a, b) => a.key - b.key).map(({ message }) => message);
  arrivals.push(
    ...arrivals.slice(0, script.redeliveries).map((m) => ({ ...m, label: `${m.label} (again)` })),
  );

  const batches: ProducerMessage[][] = [];
  const settleAfter: boolean[] = [];
  for (let start = 0, b = 0; start < arrivals.length; b++) {
    const size = script.batchSizes[b % script.batchSizes.length] ?? 1;
    batches.push(arrivals.slice(start, start + size));
    start += size;
    settleAfter.push(
      start >= arrivals.length || (script.settleAfter[b % script.settleAfter.length] ?? false),
    );
  }
  return { shopId, unknownShopId, orders, batches, settleAfter, messages: arrivals.length };
};

const orderMessages = (
  script: OrderScript,
  order: BuiltOrder,
  orderIndex: number,
  shopId: string,
  unknownShopId: string,
): ProducerMessage[] => {
  const details = exampleDetails(order.ref) as unknown as Record<OrderEventType, Detail>;
  const out: ProducerMessage[] = [];
  const push = (type: string, detail: Detail, label: string, customer?: Customer) =>
    out.push({ body: envelope(type, detail), label, orderIndex, customer });
  const own = (detail: Detail, fields: Detail = {}): Detail => ({ ...detail, shopId, ...fields });
  const withCustomer = (placed: Detail, customer: Customer): Detail => ({
    ...placed,
    customer: { ...(placed.customer as Detail), ...customer },
  });

  // The honest lifecycle, cut, payments split.
  const types = LIFECYCLES[script.lifecycle].slice(0, Math.max(1, script.cut));
  types.forEach((type, step) => {
    const sequence = script.sequenced && !script.dropSequence[step] ? { sequence: step + 1 } : {};
    const detail = own(details[type], { occurredAt: at(step * 5), ...sequence });
    if (type === 'Order Placed') {
      let placement = withCustomer(detail, order.honest);
      if (script.hostile.includes('placement at its budget')) placement = atBudget(placement, shopId);
      if (script.hostile.includes('text at its limit')) {
        const lines = placement.lines as Detail[];
        placement = {
          ...placement,
          lines: [{ ...lines[0], personalisation: 'ą'.repeat(500) }, ...lines.slice(1)],
        };
      }
      if (!script.withoutPlacement) push(type, placement, 'Order Placed', order.honest);
      return;
    }
    if (type === 'Payment Received' && script.payments.length > 0) {
      const total = ((details['Order Placed'].totals as Detail).total as number) ?? 0;
      script.payments.forEach((perMille, part) => {
        const foreign = script.foreignCurrencyPayment && part === 0;
        push(
          type,
          own(detail, {
            eventId: `${order.ref.orderId}-paid-${part}`,
            occurredAt: at(step * 5 + part),
            amount: { amount: Math.round((total * perMille) / 1000), currency: foreign ? 'EUR' : 'PLN' },
          }),
          `Payment Received ${perMille}‰${foreign ? ' EUR' : ''}`,
        );
      });
      return;
    }
    push(type, detail, type);
  });

  // A second producer places the same order with its own customer.
  if (script.intruder) {
    const placed = own(details['Order Placed'], {
      eventId: `${order.ref.orderId}-intruder-placed`,
      occurredAt: at(script.intruder.minute),
      delivery: { ...(details['Order Placed'].delivery as Detail), city: 'Intruzowo', postcode: '99-999' },
      ...(script.intruder.sequence === undefined ? {} : { sequence: script.intruder.sequence }),
    });
    push('Order Placed', withCustomer(placed, order.intruder), 'second Order Placed', order.intruder);
  }

  // Side tracks in any order, ids from Object.prototype.
  script.side.forEach((step, index) => {
    const base = { eventId: `${order.ref.orderId}-side-${index}`, occurredAt: at(step.minute) };
    switch (step.kind) {
      case 'complaint opened':
        push(
          'Complaint Opened',
          own(details['Complaint Opened'], { ...base, complaintId: step.id }),
          `${step.kind} ${step.id}`,
        );
        break;
      case 'complaint resolved':
        push(
          'Complaint Resolved',
          own(details['Complaint Resolved'], {
            ...base,
            complaintId: step.id,
            ...(step.accepted ? {} : { outcome: 'rejected', remedy: 'none' }),
          }),
          `${step.kind} ${step.id} ${step.accepted ? 'accepted' : 'rejected'}`,
        );
        break;
      case 'return requested':
        push(
          'Return Requested',
          own(details['Return Requested'], { ...base, returnId: step.id }),
          `${step.kind} ${step.id}`,
        );
        break;
      case 'return received':
        push(
          'Return Received',
          own(details['Return Received'], { ...base, returnId: step.id }),
          `${step.kind} ${step.id}`,
        );
        break;
      case 'refund': {
        const { returnId: _fixture, ...refund } = details['Refund Issued'];
        push(
          'Refund Issued',
          own(refund, {
            ...base,
            refundId: step.id,
            amount: { amount: step.amount, currency: 'PLN' },
            ...(step.returnId === undefined ? {} : { returnId: step.returnId }),
          }),
          `refund ${step.id}`,
        );
        break;
      }
    }
  });

  for (const hostile of script.hostile) {
    const extra = (suffix: string) => `${order.ref.orderId}-${suffix}`;
    switch (hostile) {
      case 'misspelt type':
        for (const type of ['Order Exploded', 'order placed', 'Order Placed ', 'Order  Shipped'])
          push(
            type,
            own(details['Order Shipped'], { eventId: extra(`typo-${type.length}`) }),
            `type "${type}"`,
          );
        break;
      case 'unknown shop':
        push(
          'Order Placed',
          withCustomer({ ...details['Order Placed'], shopId: unknownShopId }, order.intruder),
          'unknown shop',
          order.intruder,
        );
        push('Order Shipped', { ...details['Order Shipped'], shopId: unknownShopId }, 'unknown shop');
        break;
      case 'control characters':
        push(
          'Order Shipped',
          own(details['Order Shipped'], { eventId: extra('bell'), carrier: 'InPost\u0007' }),
          'bell in carrier',
        );
        push(
          'Complaint Opened',
          own(details['Complaint Opened'], { eventId: extra('bidi'), subject: 'Grawer \u202Eexe.kubek' }),
          'bidi override in subject',
        );
        push(
          'Order Placed',
          withCustomer(own(details['Order Placed'], { eventId: extra('crlf') }), {
            ...order.intruder,
            name: 'Ignacy\r\nBcc: x@attacker.example',
          }),
          'CR/LF in name',
          order.intruder,
        );
        break;
      case 'text at its limit':
        push(
          'Complaint Opened',
          own(details['Complaint Opened'], {
            eventId: extra('long-subject'),
            complaintId: 'REK-LONG',
            subject: wide(500),
          }),
          'subject at 500',
        );
        break;
      case 'text past its limit':
        push(
          'Complaint Opened',
          own(details['Complaint Opened'], {
            eventId: extra('too-long'),
            complaintId: 'REK-PAST',
            subject: wide(501),
          }),
          'subject at 501',
        );
        push(
          'Order Placed',
          withCustomer(own(details['Order Placed'], { eventId: extra('long-name') }), {
            ...order.intruder,
            name: 'x'.repeat(201),
          }),
          'name at 201',
          order.intruder,
        );
        break;
      case 'placement past its budget': {
        const big = atBudget(own(details['Order Placed'], { eventId: extra('huge') }), shopId);
        const lines = big.lines as Detail[];
        push(
          'Order Placed',
          withCustomer(
            { ...big, lines: [{ ...lines[0], personalisation: wide(500) }, ...lines.slice(1)] },
            order.intruder,
          ),
          'placement past its budget',
          order.intruder,
        );
        break;
      }
      case 'placement at its budget':
        break; // applied to the honest placement above
      case 'reused event id': {
        const shipped = own(details['Order Shipped'], { trackingNumber: 'PODMIENIONY-1' });
        push('Order Shipped', shipped, 'reused event id (other tracking number)');
        break;
      }
      case 'complaints flood':
        for (let i = 0; i <= ORDER_LIMITS.complaints; i++)
          push(
            'Complaint Opened',
            own(details['Complaint Opened'], {
              eventId: extra(`flood-c${i}`),
              complaintId: `REK-F${i}`,
              occurredAt: at(60 + i),
            }),
            `complaint ${i + 1}`,
          );
        break;
      case 'payments flood':
        for (let i = 0; i <= ORDER_LIMITS.payments; i++)
          push(
            'Payment Received',
            own(details['Payment Received'], {
              eventId: extra(`flood-p${i}`),
              amount: { amount: 1, currency: 'PLN' },
              occurredAt: at(2),
            }),
            `payment ${i + 1} of 1 grosz`,
          );
        break;
      case 'events flood':
        for (let i = 0; i <= ORDER_LIMITS.events; i++)
          push(
            'Order Resumed',
            own(details['Order Resumed'], { eventId: extra(`flood-r${i}`), occurredAt: at(100 + i) }),
            `resumed ${i + 1}`,
          );
        break;
    }
  }
  return out;
};

/** An Order Placed of 200 lines within a few bytes of its detail budget, for this order and shop. */
const atBudget = (placement: Detail, shopId: string): Detail => {
  // Sized with a stand-in id of the same length: the order's own may be outside the contract.
  const orderId = String(placement.orderId);
  const big = maximalPlaced({ shopId, orderId: 'x'.repeat(orderId.length) }) as unknown as Detail;
  return {
    ...big,
    orderId,
    eventId: placement.eventId,
    orderNumber: placement.orderNumber,
    occurredAt: placement.occurredAt,
    ...(placement.sequence === undefined ? {} : { sequence: placement.sequence }),
    customer: {
      ...(big.customer as Detail),
      ...(placement.customer as Detail),
      pushTargets: [],
      channels: { email: true, sms: true, push: false },
    },
  };
};
