/**
 * The order lifecycle: what an event does to an order.
 *
 * EventBridge delivers at least once and in no particular order, so the state of an order is defined as a
 * fold over the set of its distinct events in lifecycle order (see `compareEvents`). Whatever order the
 * events arrive in, the same set gives the same state and the same timeline; a duplicate adds nothing to
 * the set; a late event takes its place in the timeline and, where the order has moved on, is recorded as
 * superseded instead of moving the order backwards.
 *
 * Pure: no I/O, no clock, no AWS.
 */
import type { Money, OrderEvent, OrderEventOf, OrderEventType } from './order-events.js';
import { orderCapacityProblem } from './order-limits.js';

export const FULFILMENT_STATUSES = [
  'placed',
  'accepted',
  'on_hold',
  'preparing',
  'shipped',
  'out_for_delivery',
  'delivered',
  'cancelled',
] as const;
export type FulfilmentStatus = (typeof FULFILMENT_STATUSES)[number];
/** `awaiting_placement`: events arrived for an order whose Order Placed has not arrived yet. */
export type OrderStatus = 'awaiting_placement' | FulfilmentStatus;

/**
 * - `awaiting`: nothing received yet; `partially_paid`: payments so far add up to less than the total;
 * - `paid`: at or above the total (paid at checkout, or payments that add up to it);
 * - `partially_refunded` / `refunded`: refunds were issued, less than / as much as was received.
 */
export const PAYMENT_STATUSES = [
  'awaiting',
  'partially_paid',
  'paid',
  'partially_refunded',
  'refunded',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** One Payment Received that counted towards the total. */
export interface ReceivedPayment {
  readonly eventId: string;
  readonly amount: number;
  readonly at: string;
}

/** One Refund Issued that counted. */
export interface IssuedRefund {
  readonly refundId: string;
  readonly eventId: string;
  readonly amount: number;
}

type Placed = OrderEventOf<'Order Placed'>;

export interface OrderState {
  readonly shopId: string;
  readonly orderId: string;
  readonly orderNumber: string;
  readonly status: OrderStatus;
  /** occurredAt of the event that set the current status. */
  readonly statusSince?: string | undefined;
  readonly placedAt?: string | undefined;
  readonly customer?: Placed['customer'] | undefined;
  readonly lines?: Placed['lines'] | undefined;
  readonly totals?: Placed['totals'] | undefined;
  readonly delivery?: Placed['delivery'] | undefined;
  readonly payment: {
    readonly status: PaymentStatus;
    readonly method?: Placed['payment']['method'] | undefined;
    readonly instructions?: Placed['payment'] | undefined;
    /** Everything received so far (the total when paid at checkout), in the order's currency. */
    readonly paid?: Money | undefined;
    /** When the last payment that counted was received. */
    readonly paidAt?: string | undefined;
    /** The Payment Received events that counted, in lifecycle order (none when paid at checkout). */
    readonly received: readonly ReceivedPayment[];
    /** Sum of refunds, in the order's currency. */
    readonly refunded: number;
    /** The Refund Issued events that counted, in lifecycle order. */
    readonly refunds: readonly IssuedRefund[];
  };
  readonly acceptance?: { readonly at: string; readonly expectedShipBy?: string | undefined } | undefined;
  readonly hold?:
    | {
        readonly since: string;
        readonly reason: OrderEventOf<'Order On Hold'>['reason'];
        readonly toConfirm: string;
        readonly contactBy: string;
        readonly contact?: OrderEventOf<'Order On Hold'>['contact'] | undefined;
        /** Where the order goes back to when it is resumed. */
        readonly resumeTo: FulfilmentStatus;
      }
    | undefined;
  readonly shipment?:
    | {
        readonly at: string;
        readonly method: OrderEventOf<'Order Shipped'>['method'];
        readonly carrier: string;
        readonly trackingNumber: string;
        readonly trackingUrl: string;
        readonly expectedDeliveryDate?: string | undefined;
        readonly outForDeliveryAt?: string | undefined;
        readonly deliveredAt?: string | undefined;
      }
    | undefined;
  readonly cancellation?:
    | {
        readonly at: string;
        readonly cancelledBy: 'customer' | 'shop';
        readonly reason: OrderEventOf<'Order Cancelled'>['reason'];
        readonly fault: 'shop' | 'customer' | 'none';
        readonly note?: string | undefined;
        /** The status the order was in when cancelled: the timing that decides the costs. */
        readonly stage: FulfilmentStatus;
        readonly refund?: OrderEventOf<'Order Cancelled'>['refund'];
        readonly costsRetained?: Money | undefined;
      }
    | undefined;
  /**
   * Lists in the order they were opened, not records keyed by id: a producer's id may be any string,
   * `constructor` or `__proto__` included, and neither an object lookup nor DynamoDB marshalling of a
   * map keyed by it is safe. Look one up with `findReturn` / `findComplaint`.
   */
  readonly returns: readonly ReturnState[];
  readonly complaints: readonly ComplaintState[];
}

export interface ReturnState {
  readonly returnId: string;
  readonly status: 'requested' | 'received' | 'refunded';
  readonly requestedAt: string;
  readonly lines: ReadonlyArray<{ readonly sku: string; readonly quantity: number }>;
  readonly reason?: string | undefined;
  readonly receivedAt?: string | undefined;
  readonly refundedAt?: string | undefined;
}

export interface ComplaintState {
  readonly complaintId: string;
  readonly kind: 'complaint' | 'warranty';
  readonly status: 'open' | 'resolved';
  readonly subject: string;
  readonly openedAt: string;
  readonly resolvedAt?: string | undefined;
  readonly outcome?: 'accepted' | 'rejected' | undefined;
  readonly remedy?: OrderEventOf<'Complaint Resolved'>['remedy'] | undefined;
}

/**
 * What an event did:
 * - `applied`: the order changed;
 * - `superseded`: the event is true but old news (the order has already moved past it); nothing changes;
 * - `rejected`: the event contradicts the order (e.g. shipping a cancelled order); nothing changes;
 * - `awaiting_placement`: kept until the order's Order Placed arrives.
 */
export type Outcome =
  | { readonly kind: 'applied' }
  | { readonly kind: 'superseded'; readonly reason: string }
  | { readonly kind: 'rejected'; readonly reason: string }
  | { readonly kind: 'awaiting_placement' };

export interface TimelineEntry {
  readonly event: OrderEvent;
  readonly outcome: Outcome;
}

export interface OrderHistory {
  readonly state: OrderState;
  /** Every distinct event of the order, in lifecycle order, with what it did. */
  readonly timeline: readonly TimelineEntry[];
}

/* ------------------------------------------------------------------------------------------------ */
/* Ordering                                                                                          */
/* ------------------------------------------------------------------------------------------------ */

/** Tie-breaker for events that happened at the same instant: the natural lifecycle order. */
const LIFECYCLE_RANK: Record<OrderEventType, number> = {
  'Order Placed': 0,
  'Payment Received': 1,
  'Order Accepted': 2,
  'Order On Hold': 3,
  'Order Resumed': 4,
  'Order Preparing': 5,
  'Order Shipped': 6,
  'Order Out For Delivery': 7,
  'Order Delivered': 8,
  'Order Cancelled': 9,
  'Return Requested': 10,
  'Return Received': 11,
  'Refund Issued': 12,
  'Complaint Opened': 13,
  'Complaint Resolved': 14,
};

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Instants compared as instants; a value that is none (only data older than the contract) sorts last. */
const compareInstants = (a: number, b: number): number => {
  const aNone = Number.isNaN(a);
  const bNone = Number.isNaN(b);
  return aNone || bNone ? Number(aNone) - Number(bNone) : a - b;
};

/**
 * The order's placement: its Order Placed. An order has exactly one (`recordEvent` refuses a second);
 * a partition recorded before that rule may hold several, and then the earliest by occurredAt (as an
 * instant), ties by event id, is the placement and the others are rejected. A rule on the set of events
 * only, so a legacy partition replays the same way every time.
 */
export const placementOf = (events: readonly OrderEvent[]): Placed | undefined => {
  let placement: Placed | undefined;
  for (const event of events) {
    if (event.type !== 'Order Placed') continue;
    if (!placement) {
      placement = event;
      continue;
    }
    const byTime = compareInstants(Date.parse(event.occurredAt), Date.parse(placement.occurredAt));
    if (byTime < 0 || (byTime === 0 && compareIds(event.eventId, placement.eventId) < 0)) placement = event;
  }
  return placement;
};

/**
 * How an order's events are ordered, decided by its placement alone, so that no other single event can
 * switch it: `sequence` when the Order Placed carries a sequence number (an event without one is then
 * rejected, as it has no place in the producer's order), `occurredAt` otherwise (sequence numbers are
 * then ignored). Before the placement arrives nothing is judged, and events wait in occurredAt order.
 */
export type OrderingMode = 'sequence' | 'occurredAt';

export const orderingModeOf = (placement: OrderEvent | undefined): OrderingMode =>
  placement?.sequence !== undefined ? 'sequence' : 'occurredAt';

/** Why an event without a sequence is rejected on a sequenced order. */
export const UNSEQUENCED_REASON =
  'the order is sequenced (its Order Placed carries a sequence number) and this event has none';

/**
 * Lifecycle order of an order's events:
 * 1. the placement first (without it nothing else can be judged), then any other Order Placed (legacy);
 * 2. on a sequenced order, by sequence, with the events that lack one after all others; otherwise by
 *    occurredAt (as an instant, whatever its offset);
 * 3. ties: lifecycle rank, then event id.
 * A total order that depends only on the set of events, never on arrival.
 */
export const sortEvents = (events: readonly OrderEvent[]): OrderEvent[] => {
  const placement = placementOf(events);
  const bySequence = orderingModeOf(placement) === 'sequence';
  const instant = new Map(events.map((event) => [event.eventId, Date.parse(event.occurredAt)]));
  const group = (event: OrderEvent): number => {
    if (event === placement) return 0;
    if (event.type === 'Order Placed') return 1;
    return bySequence && event.sequence === undefined ? 3 : 2;
  };
  return [...events].sort((a, b) => {
    const groups = group(a) - group(b);
    if (groups !== 0) return groups;
    const primary =
      bySequence && group(a) === 2
        ? (a.sequence ?? 0) - (b.sequence ?? 0)
        : compareInstants(instant.get(a.eventId) ?? Number.NaN, instant.get(b.eventId) ?? Number.NaN);
    if (primary !== 0) return primary;
    const rank = LIFECYCLE_RANK[a.type] - LIFECYCLE_RANK[b.type];
    if (rank !== 0) return rank;
    return compareIds(a.eventId, b.eventId);
  });
};

/* ------------------------------------------------------------------------------------------------ */
/* Transition table                                                                                 */
/* ------------------------------------------------------------------------------------------------ */

type FulfilmentEventType =
  | 'Order Accepted'
  | 'Order On Hold'
  | 'Order Resumed'
  | 'Order Preparing'
  | 'Order Shipped'
  | 'Order Out For Delivery'
  | 'Order Delivered'
  | 'Order Cancelled';

/**
 * `to`: the status after the event; `resume`: back to where the hold began.
 * `asBeforeHold`: judged as in the status the hold began in. Events are facts: if the shop accepted,
 * prepared, shipped or delivered a held order, the hold is over, even without an Order Resumed (which may
 * also simply arrive later). This keeps a late Order On Hold from pulling a shipped order back.
 */
type Verdict =
  | { readonly to: FulfilmentStatus | 'resume' }
  | { readonly superseded: string }
  | { readonly rejected: string }
  | { readonly asBeforeHold: true };

const to = (status: FulfilmentStatus | 'resume'): Verdict => ({ to: status });
const superseded = (reason: string): Verdict => ({ superseded: reason });
const rejected = (reason: string): Verdict => ({ rejected: reason });

const CANCELLED = rejected('the order is cancelled');
const AS_BEFORE_HOLD: Verdict = { asBeforeHold: true };
const PAST = (step: string) => superseded(`the order has already moved past ${step}`);

/**
 * For each fulfilment event and each current status: the verdict. Every cell is spelled out so that a
 * reviewer can read the whole lifecycle here, and a test checks that no cell is missing.
 */
export const TRANSITIONS: Readonly<Record<FulfilmentEventType, Readonly<Record<FulfilmentStatus, Verdict>>>> =
  {
    'Order Accepted': {
      placed: to('accepted'),
      accepted: superseded('the order is already accepted'),
      on_hold: AS_BEFORE_HOLD,
      preparing: PAST('acceptance'),
      shipped: PAST('acceptance'),
      out_for_delivery: PAST('acceptance'),
      delivered: PAST('acceptance'),
      cancelled: CANCELLED,
    },
    'Order On Hold': {
      placed: to('on_hold'),
      accepted: to('on_hold'),
      // A second hold replaces the instructions (e.g. a new deadline); the order stays on hold.
      on_hold: to('on_hold'),
      preparing: to('on_hold'),
      shipped: rejected('the order has already been shipped'),
      out_for_delivery: rejected('the order has already been shipped'),
      delivered: rejected('the order has already been delivered'),
      cancelled: CANCELLED,
    },
    'Order Resumed': {
      placed: superseded('the order is not on hold'),
      accepted: superseded('the order is not on hold'),
      on_hold: to('resume'),
      preparing: superseded('the order is not on hold'),
      shipped: superseded('the order is not on hold'),
      out_for_delivery: superseded('the order is not on hold'),
      delivered: superseded('the order is not on hold'),
      cancelled: CANCELLED,
    },
    'Order Preparing': {
      placed: to('preparing'),
      accepted: to('preparing'),
      on_hold: AS_BEFORE_HOLD,
      preparing: superseded('the order is already being prepared'),
      shipped: PAST('preparation'),
      out_for_delivery: PAST('preparation'),
      delivered: PAST('preparation'),
      cancelled: CANCELLED,
    },
    'Order Shipped': {
      placed: to('shipped'),
      accepted: to('shipped'),
      on_hold: AS_BEFORE_HOLD,
      preparing: to('shipped'),
      // A second Shipped corrects the shipment (new carrier or tracking number): the customer needs it.
      shipped: to('shipped'),
      out_for_delivery: PAST('shipping'),
      delivered: PAST('shipping'),
      cancelled: CANCELLED,
    },
    'Order Out For Delivery': {
      placed: to('out_for_delivery'),
      accepted: to('out_for_delivery'),
      on_hold: AS_BEFORE_HOLD,
      preparing: to('out_for_delivery'),
      shipped: to('out_for_delivery'),
      out_for_delivery: superseded('the order is already out for delivery'),
      delivered: PAST('delivery'),
      cancelled: CANCELLED,
    },
    'Order Delivered': {
      placed: to('delivered'),
      accepted: to('delivered'),
      on_hold: AS_BEFORE_HOLD,
      preparing: to('delivered'),
      shipped: to('delivered'),
      out_for_delivery: to('delivered'),
      delivered: superseded('the order is already delivered'),
      cancelled: CANCELLED,
    },
    'Order Cancelled': {
      placed: to('cancelled'),
      accepted: to('cancelled'),
      on_hold: to('cancelled'),
      preparing: to('cancelled'),
      shipped: to('cancelled'),
      out_for_delivery: to('cancelled'),
      delivered: rejected('the order has been delivered; use Return Requested instead of cancelling'),
      cancelled: superseded('the order is already cancelled'),
    },
  };

/* ------------------------------------------------------------------------------------------------ */
/* Applying one event                                                                                */
/* ------------------------------------------------------------------------------------------------ */

type Step = { outcome: Outcome; state: OrderState };

const applied = (state: OrderState): Step => ({ outcome: { kind: 'applied' }, state });
const unchanged = (state: OrderState, outcome: Outcome): Step => ({ outcome, state });
const reject = (state: OrderState, reason: string): Step => unchanged(state, { kind: 'rejected', reason });
const supersede = (state: OrderState, reason: string): Step =>
  unchanged(state, { kind: 'superseded', reason });

export const emptyOrder = (shopId: string, orderId: string, orderNumber: string): OrderState => ({
  shopId,
  orderId,
  orderNumber,
  status: 'awaiting_placement',
  payment: { status: 'awaiting', received: [], refunded: 0, refunds: [] },
  returns: [],
  complaints: [],
});

/** The return with this id, by value comparison (never a property lookup). */
export const findReturn = (state: OrderState, returnId: string): ReturnState | undefined =>
  state.returns.find((entry) => entry.returnId === returnId);

/** The complaint with this id, by value comparison (never a property lookup). */
export const findComplaint = (state: OrderState, complaintId: string): ComplaintState | undefined =>
  state.complaints.find((entry) => entry.complaintId === complaintId);

/** The list with `entry` in place of the one with the same id, or appended when there is none. */
const upsert = <T, K extends keyof T>(list: readonly T[], key: K, entry: T): readonly T[] =>
  list.some((item) => item[key] === entry[key])
    ? list.map((item) => (item[key] === entry[key] ? entry : item))
    : [...list, entry];

const isFulfilmentEvent = (event: OrderEvent): event is Extract<OrderEvent, { type: FulfilmentEventType }> =>
  Object.hasOwn(TRANSITIONS, event.type);

const checkCurrency = (state: OrderState, money: Money): string | undefined =>
  state.totals && state.totals.currency !== money.currency
    ? `the amount is in ${money.currency} but the order is in ${state.totals.currency}`
    : undefined;

/**
 * The transition function: the state after one event, or why the event changes nothing. Exposed for
 * tests and tools; the ingest path uses `recordEvent`, which also places the event in the timeline.
 */
export const applyEvent = (state: OrderState, event: OrderEvent): Step => {
  if (event.type === 'Order Placed') return place(state, event);
  if (state.status === 'awaiting_placement') return unchanged(state, { kind: 'awaiting_placement' });
  if (event.orderNumber !== state.orderNumber) {
    return reject(
      state,
      `order number ${event.orderNumber} does not match the placed order ${state.orderNumber}`,
    );
  }
  if (isFulfilmentEvent(event)) return fulfil(state, event);
  switch (event.type) {
    case 'Payment Received':
      return receivePayment(state, event);
    case 'Refund Issued':
      return issueRefund(state, event);
    case 'Return Requested':
      return requestReturn(state, event);
    case 'Return Received':
      return receiveReturn(state, event);
    case 'Complaint Opened':
      return openComplaint(state, event);
    case 'Complaint Resolved':
      return resolveComplaint(state, event);
  }
};

const place = (state: OrderState, event: Placed): Step => {
  if (state.status !== 'awaiting_placement') return reject(state, 'the order has already been placed');
  const paidAtCheckout = event.payment.status === 'paid';
  return applied({
    ...state,
    orderNumber: event.orderNumber,
    status: 'placed',
    statusSince: event.occurredAt,
    placedAt: event.occurredAt,
    customer: event.customer,
    lines: event.lines,
    totals: event.totals,
    delivery: event.delivery,
    payment: {
      status: paidAtCheckout ? 'paid' : 'awaiting',
      method: event.payment.method,
      instructions: event.payment,
      paid: paidAtCheckout ? { amount: event.totals.total, currency: event.totals.currency } : undefined,
      paidAt: paidAtCheckout ? event.occurredAt : undefined,
      received: [],
      refunded: 0,
      refunds: [],
    },
  });
};

const fulfil = (state: OrderState, event: Extract<OrderEvent, { type: FulfilmentEventType }>): Step => {
  const current = state.status as FulfilmentStatus;
  let verdict = TRANSITIONS[event.type][current];
  if ('asBeforeHold' in verdict) verdict = TRANSITIONS[event.type][state.hold?.resumeTo ?? 'placed'];
  if ('asBeforeHold' in verdict) throw new Error(`unreachable: ${event.type} from the origin of a hold`);
  if ('rejected' in verdict) return reject(state, verdict.rejected);
  if ('superseded' in verdict) return supersede(state, verdict.superseded);
  const next: FulfilmentStatus = verdict.to === 'resume' ? (state.hold?.resumeTo ?? 'placed') : verdict.to;
  const moved: OrderState = {
    ...state,
    status: next,
    statusSince: event.occurredAt,
    hold: next === 'on_hold' ? state.hold : undefined,
  };
  switch (event.type) {
    case 'Order Accepted':
      return applied({
        ...moved,
        acceptance: { at: event.occurredAt, expectedShipBy: event.expectedShipBy },
      });
    case 'Order On Hold':
      return applied({
        ...moved,
        hold: {
          since: event.occurredAt,
          reason: event.reason,
          toConfirm: event.toConfirm,
          contactBy: event.contactBy,
          contact: event.contact,
          resumeTo: state.hold?.resumeTo ?? current,
        },
      });
    case 'Order Shipped':
      return applied({
        ...moved,
        shipment: {
          at: event.occurredAt,
          method: event.method,
          carrier: event.carrier,
          trackingNumber: event.trackingNumber,
          trackingUrl: event.trackingUrl,
          expectedDeliveryDate: event.expectedDeliveryDate,
        },
      });
    case 'Order Out For Delivery':
      return applied({
        ...moved,
        shipment: state.shipment && { ...state.shipment, outForDeliveryAt: event.occurredAt },
      });
    case 'Order Delivered':
      return applied({
        ...moved,
        shipment: state.shipment && { ...state.shipment, deliveredAt: event.occurredAt },
      });
    case 'Order Cancelled': {
      const problem = event.refund && checkCurrency(state, event.refund.amount);
      if (problem) return reject(state, problem);
      return applied({
        ...moved,
        cancellation: {
          at: event.occurredAt,
          cancelledBy: event.cancelledBy,
          reason: event.reason,
          fault: event.fault,
          note: event.note,
          stage: current,
          refund: event.refund,
          costsRetained: event.costsRetained,
        },
      });
    }
    case 'Order Resumed':
    case 'Order Preparing':
      return applied(moved);
  }
};

/**
 * Payments add up: each distinct Payment Received (by event id) counts towards the total while the order
 * is awaiting payment or partly paid. Below the total the order is `partially_paid`, at or above it
 * `paid` (an overpayment is kept as received: `paid.amount` above the total, for the shop to refund).
 * A payment after the order is fully paid, or once refunds were issued, is old news: superseded.
 */
const receivePayment = (state: OrderState, event: OrderEventOf<'Payment Received'>): Step => {
  const { payment } = state;
  if (payment.status !== 'awaiting' && payment.status !== 'partially_paid') {
    return supersede(
      state,
      payment.status === 'paid'
        ? 'the order is already fully paid'
        : 'refunds were already issued for this order; a later payment is not counted',
    );
  }
  const problem = checkCurrency(state, event.amount);
  if (problem) return reject(state, problem);
  const total = state.totals?.total ?? 0;
  if (event.amount.amount === 0 && total > 0) return reject(state, 'a payment of 0 changes nothing');
  const paidAfter = (payment.paid?.amount ?? 0) + event.amount.amount;
  return applied({
    ...state,
    payment: {
      ...payment,
      status: paidAfter >= total ? 'paid' : 'partially_paid',
      paid: { amount: paidAfter, currency: event.amount.currency },
      paidAt: event.occurredAt,
      received: [
        ...payment.received,
        { eventId: event.eventId, amount: event.amount.amount, at: event.occurredAt },
      ],
    },
  });
};

/** Where the order's payments stand: received so far, still due, paid above the total. */
export interface PaymentStanding {
  readonly received: number;
  readonly due: number;
  readonly overpaid: number;
  readonly currency: string;
  /** How many Payment Received events counted (0 when paid at checkout). */
  readonly payments: number;
}

export const paymentStanding = (state: OrderState): PaymentStanding => {
  const { payment, totals } = state;
  const received = payment.paid?.amount ?? 0;
  const total = totals?.total ?? received;
  return {
    received,
    due: Math.max(0, total - received),
    overpaid: Math.max(0, received - total),
    currency: totals?.currency ?? payment.paid?.currency ?? 'PLN',
    payments: payment.received.length,
  };
};

const issueRefund = (state: OrderState, event: OrderEventOf<'Refund Issued'>): Step => {
  const paid = state.payment.paid;
  if (!paid) return reject(state, 'no payment is recorded for this order, so nothing can be refunded');
  const problem = checkCurrency(state, event.amount);
  if (problem) return reject(state, problem);
  // A refund id names one refund: sent again under a new event id, it is the same money, counted once.
  if (state.payment.refunds.some((refund) => refund.refundId === event.refundId)) {
    return supersede(state, `refund ${event.refundId} is already recorded`);
  }
  const refunded = state.payment.refunded + event.amount.amount;
  if (refunded > paid.amount) {
    return reject(state, `refunds would total ${refunded}, more than the ${paid.amount} paid`);
  }
  let returns = state.returns;
  if (event.returnId !== undefined) {
    const existing = findReturn(state, event.returnId);
    if (!existing) return reject(state, `no return ${event.returnId} was requested for this order`);
    returns = upsert(returns, 'returnId', { ...existing, status: 'refunded', refundedAt: event.occurredAt });
  }
  return applied({
    ...state,
    returns,
    payment: {
      ...state.payment,
      refunded,
      refunds: [
        ...state.payment.refunds,
        { refundId: event.refundId, eventId: event.eventId, amount: event.amount.amount },
      ],
      status: refunded === paid.amount ? 'refunded' : 'partially_refunded',
    },
  });
};

const requestReturn = (state: OrderState, event: OrderEventOf<'Return Requested'>): Step => {
  if (state.status !== 'delivered') return reject(state, 'only a delivered order can be returned');
  if (findReturn(state, event.returnId))
    return supersede(state, `return ${event.returnId} is already requested`);
  const ordered = new Map((state.lines ?? []).map((line) => [line.sku, line.quantity]));
  const unknown = event.lines.find((line) => (ordered.get(line.sku) ?? 0) < line.quantity);
  if (unknown)
    return reject(state, `the order has fewer than ${unknown.quantity} of ${unknown.sku} to return`);
  return applied({
    ...state,
    returns: upsert(state.returns, 'returnId', {
      returnId: event.returnId,
      status: 'requested',
      requestedAt: event.occurredAt,
      lines: event.lines,
      reason: event.reason,
    }),
  });
};

const receiveReturn = (state: OrderState, event: OrderEventOf<'Return Received'>): Step => {
  const existing = findReturn(state, event.returnId);
  if (!existing) return reject(state, `no return ${event.returnId} was requested for this order`);
  if (existing.status !== 'requested')
    return supersede(state, `return ${event.returnId} is already received`);
  return applied({
    ...state,
    returns: upsert(state.returns, 'returnId', {
      ...existing,
      status: 'received',
      receivedAt: event.occurredAt,
    }),
  });
};

const openComplaint = (state: OrderState, event: OrderEventOf<'Complaint Opened'>): Step => {
  if (findComplaint(state, event.complaintId)) {
    return supersede(state, `complaint ${event.complaintId} is already open`);
  }
  return applied({
    ...state,
    complaints: upsert(state.complaints, 'complaintId', {
      complaintId: event.complaintId,
      kind: event.kind,
      status: 'open',
      subject: event.subject,
      openedAt: event.occurredAt,
    }),
  });
};

const resolveComplaint = (state: OrderState, event: OrderEventOf<'Complaint Resolved'>): Step => {
  const existing = findComplaint(state, event.complaintId);
  if (!existing) return reject(state, `no complaint ${event.complaintId} was opened for this order`);
  if (existing.status === 'resolved')
    return supersede(state, `complaint ${event.complaintId} is already resolved`);
  return applied({
    ...state,
    complaints: upsert(state.complaints, 'complaintId', {
      ...existing,
      status: 'resolved',
      resolvedAt: event.occurredAt,
      outcome: event.outcome,
      remedy: event.remedy,
    }),
  });
};

/* ------------------------------------------------------------------------------------------------ */
/* Histories                                                                                         */
/* ------------------------------------------------------------------------------------------------ */

/** The state and timeline of an order, from its distinct events in any order. */
export const replay = (events: readonly OrderEvent[]): OrderHistory => {
  const first = events[0];
  if (!first) throw new RangeError('an order history needs at least one event');
  const sorted = sortEvents(events);
  const sequenced = orderingModeOf(placementOf(sorted)) === 'sequence';
  let state = emptyOrder(first.shopId, first.orderId, sorted[0]?.orderNumber ?? first.orderNumber);
  const timeline: TimelineEntry[] = [];
  for (const event of sorted) {
    if (sequenced && event.sequence === undefined) {
      timeline.push({ event, outcome: { kind: 'rejected', reason: UNSEQUENCED_REASON } });
      continue;
    }
    const step = applyEvent(state, event);
    state = step.state;
    timeline.push({ event, outcome: step.outcome });
  }
  return { state, timeline };
};

/**
 * What receiving `event` does to an order that has `known` events so far:
 * - `duplicate`: the same event id with the same content was already recorded: nothing changes;
 * - `conflict`: the event id was already used for a different event: a producer bug, nothing changes;
 * - `refused`: the event may not join the order at all (a second Order Placed: an order has exactly one
 *   placement, whatever the times, sequences or arrival order; or the order is full, see
 *   order-limits.ts): nothing of it is stored, and the ingest dead-letters it with the reason;
 * - `recorded`: the event joins the order's events; `history` is the new state and timeline, and
 *   `outcome` what this event did within it.
 *
 * `sameContent` compares two events with the same id (the store compares content hashes).
 */
export type Decision =
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'conflict'; readonly reason: string }
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'recorded'; readonly history: OrderHistory; readonly outcome: Outcome };

export const recordEvent = (known: readonly OrderEvent[], event: OrderEvent): Decision => {
  const previous = known.find((candidate) => candidate.eventId === event.eventId);
  if (previous) {
    return sameEvent(previous, event)
      ? { kind: 'duplicate' }
      : { kind: 'conflict', reason: `event id ${event.eventId} was already used for a different event` };
  }
  const mismatch = known.find(
    (candidate) => candidate.shopId !== event.shopId || candidate.orderId !== event.orderId,
  );
  if (mismatch) throw new RangeError('recordEvent was given events of different orders');
  if (event.type === 'Order Placed') {
    const placement = placementOf(known);
    if (placement) {
      return {
        kind: 'refused',
        reason:
          `order ${event.orderId} already has a placement (event ${placement.eventId}); ` +
          'a second Order Placed is refused',
      };
    }
  }
  const full = orderCapacityProblem(known, event);
  if (full) return { kind: 'refused', reason: full };
  const history = replay([...known, event]);
  const entry = history.timeline.find((candidate) => candidate.event.eventId === event.eventId);
  if (!entry) throw new Error('unreachable: the recorded event is missing from its own timeline');
  return { kind: 'recorded', history, outcome: entry.outcome };
};

/** Deep equality on the JSON form of two events: key order does not matter. */
export const sameEvent = (a: OrderEvent, b: OrderEvent): boolean => canonicalJson(a) === canonicalJson(b);

export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, nested: unknown) =>
    nested && typeof nested === 'object' && !Array.isArray(nested)
      ? Object.fromEntries(Object.entries(nested).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : nested,
  );
