/**
 * The chaos run's orders and how their events are delivered: every order follows one of the five
 * lifecycles of fixtures/order-events.ts with a customer of its own (unique e-mail, phone and push
 * device, so every provider message can be traced to its order), and its events arrive duplicated, out
 * of order and concurrently, as the run's options say. Deterministic for a seed.
 */

import {
  exampleDetails,
  LIFECYCLES,
  type LifecycleName,
  lifecycleEvents,
  orderRef,
  SHOP_ID,
  toEvent,
} from '../../fixtures/order-events.js';
import type { OrderEvent, OrderEventOf, OrderEventType } from '../../functions/domain/order-events.js';
import { parseOrderEvent } from '../../functions/domain/order-events.js';

export interface WorkloadOptions {
  readonly orders: number;
  readonly seed: number;
  /** Share of events delivered more than once. */
  readonly duplicateRate: number;
  /** Share of events held back and delivered after later events of their order. */
  readonly outOfOrderRate: number;
  /** Share of SMS customers whose number has opted out (STOP): skipped, with an e-mail fallback. */
  readonly optedOutRate: number;
  /** Share of push customers whose device is disabled: a permanent failure, with an e-mail fallback. */
  readonly disabledDeviceRate: number;
  /** Share of orders with one more event that contradicts them: it must end rejected or superseded. */
  readonly contradictionRate: number;
  /** Share of orders with one invalid event: it must end in the dead-letter queue, naming the field. */
  readonly invalidRate: number;
  /** Orders whose events are mixed into the batches at any one time. @default 40 */
  readonly window?: number;
  /** The number of the first order (orders are numbered on from it). @default 1 */
  readonly firstOrder?: number;
  /**
   * Shops the orders are spread over, round robin (multi-shop mode: see chaosShopIds). Order ids stay
   * unique across shops, so every provider message still traces back to one order. @default 1
   */
  readonly shops?: number;
}

/** The shop ids of a run: the example shop first, then chaos-shop-2, chaos-shop-3, … */
export const chaosShopIds = (count = 1): string[] =>
  Array.from({ length: Math.max(1, count) }, (_, index) =>
    index === 0 ? SHOP_ID : `chaos-shop-${index + 1}`,
  );

export interface ChaosOrder {
  readonly shopId: string;
  readonly orderId: string;
  readonly orderNumber: string;
  readonly lifecycle: LifecycleName;
  /** In lifecycle order (a contradicting event last). */
  readonly events: readonly OrderEvent[];
  /** An event the contract refuses, and the field its dead letter must name. */
  readonly invalid?: { readonly event: OrderEvent; readonly path: string } | undefined;
  readonly email: string;
  readonly phone?: string | undefined;
  /** E.164, as the sender normalises it. */
  readonly phoneE164?: string | undefined;
  readonly deviceToken?: string | undefined;
  readonly optedOut: boolean;
  readonly deviceDisabled: boolean;
}

export interface Delivery {
  /** The event as put on the bus (for an invalid one, a detail the contract refuses). */
  readonly event: OrderEvent;
  /** 1 for the first delivery of the event, 2+ for its duplicates. */
  readonly copy: number;
}

export interface Workload {
  readonly orders: readonly ChaosOrder[];
  /** PutEvents batches (1-10 entries), in the order the producers take them. */
  readonly batches: readonly (readonly Delivery[])[];
  readonly stats: {
    readonly events: number;
    readonly deliveries: number;
    readonly duplicates: number;
    /** First deliveries that arrived after a later event of their order. */
    readonly outOfOrder: number;
    /** Batches holding two or more deliveries of one order. */
    readonly batchesWithSameOrder: number;
    /** Duplicates delivered in the same batch as another copy of the event. */
    readonly duplicatesInSameBatch: number;
    /** Events that contradict their order (must end rejected or superseded). */
    readonly contradictions: number;
    /** Events the contract refuses (must end in the dead-letter queue). */
    readonly invalid: number;
  };
}

/** mulberry32: small, fast, good enough to make a run repeatable. */
export const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const LIFECYCLE_NAMES = Object.keys(LIFECYCLES) as LifecycleName[];

/** The lifecycle's events with this order's own customer on Order Placed. */
const orderOf = (
  n: number,
  random: () => number,
  options: WorkloadOptions,
  extras: { readonly contradiction: boolean; readonly invalid: boolean },
): ChaosOrder => {
  const ref = orderRef(n);
  const shopIds = chaosShopIds(options.shops);
  const shopId = shopIds[(n - 1) % shopIds.length] as string;
  const ofShop = <E extends OrderEvent>(event: E): E => ({ ...event, shopId });
  const lifecycle = LIFECYCLE_NAMES[(n - 1) % LIFECYCLE_NAMES.length] as LifecycleName;
  const sms = random() < 0.6;
  const push = random() < 0.4;
  const email = `klient.${n}@example.pl`;
  const phone = `+48 60${String(n).padStart(7, '0')}`;
  const deviceToken = `device-${String(n).padStart(6, '0')}-${Math.floor(random() * 1e9).toString(36)}`;
  const lifecycleOrder = lifecycleEvents(ref, lifecycle)
    .map(ofShop)
    .map((event) => {
      if (event.type !== 'Order Placed') return event;
      const { type, ...detail } = event as OrderEventOf<'Order Placed'>;
      const parsed = parseOrderEvent(type, {
        ...detail,
        customer: {
          ...detail.customer,
          email,
          phone,
          locale: random() < 0.2 ? 'en-GB' : 'pl-PL',
          pushTargets: push ? [{ platform: random() < 0.5 ? 'fcm' : 'apns', deviceToken }] : [],
          channels: { email: true, sms, push },
        },
      });
      if (!parsed.ok) throw new Error(`chaos order ${n} is invalid: ${JSON.stringify(parsed.problems)}`);
      return parsed.event;
    });
  const details = exampleDetails(ref);
  const after = new Date(Date.UTC(2026, 10, 20, 9, lifecycleOrder.length * 5 + 1)).toISOString();
  const late = <T extends OrderEventType>(type: T, suffix: string) =>
    ofShop(
      toEvent(type, { ...details[type], eventId: `${ref.orderId}-${suffix}`, occurredAt: after } as never),
    );
  // A producer's mistake the lifecycle must absorb: shipping a cancelled order, cancelling a delivered
  // one, accepting or holding an order that has moved on.
  const contradictions =
    lifecycle === 'cancelledAfterHold'
      ? [late('Order Shipped', 'late-shipped')]
      : [
          late('Order Cancelled', 'late-cancelled'),
          late('Order Accepted', 'late-accepted'),
          late('Order On Hold', 'late-hold'),
        ];
  const events = extras.contradiction
    ? [...lifecycleOrder, contradictions[Math.floor(random() * contradictions.length)] as OrderEvent]
    : lifecycleOrder;
  const invalid = extras.invalid
    ? {
        event: {
          ...details['Order Shipped'],
          shopId,
          type: 'Order Shipped',
          eventId: `${ref.orderId}-bad-shipped`,
          trackingUrl: 'http://inpost.pl/sledzenie',
        } as unknown as OrderEvent,
        path: 'detail.trackingUrl',
      }
    : undefined;
  return {
    shopId,
    orderId: ref.orderId,
    orderNumber: ref.orderNumber,
    lifecycle,
    events,
    invalid,
    email,
    phone,
    phoneE164: `+4860${String(n).padStart(7, '0')}`,
    deviceToken: push ? deviceToken : undefined,
    optedOut: sms && random() < options.optedOutRate,
    deviceDisabled: push && random() < options.disabledDeviceRate,
  };
};

/** One order's arrivals: some events held back behind later ones, some delivered again. */
const arrivalsOf = (order: ChaosOrder, random: () => number, options: WorkloadOptions): Delivery[] => {
  const rank = (event: OrderEvent) => order.events.indexOf(event);
  const arrivals: OrderEvent[] = [...order.events];
  /** Arrivals after an event that comes later in the lifecycle. */
  const held = () =>
    arrivals.filter((event, index) => arrivals.slice(0, index).some((other) => rank(other) > rank(event)));
  // Hold events back behind later ones until the order has its share (rounded at random, so the share
  // holds over all orders).
  const target = Math.floor(options.outOfOrderRate * order.events.length + random());
  for (let tries = 0; tries < 50 && held().length < target; tries++) {
    const from = Math.floor(random() * arrivals.length);
    const event = arrivals[from] as OrderEvent;
    if (held().includes(event)) continue;
    // Behind at least one later event of the lifecycle, anywhere up to the end.
    const later = arrivals.findIndex((other, index) => index > from && rank(other) > rank(event));
    if (later === -1) continue;
    arrivals.splice(from, 1);
    arrivals.splice(later + Math.floor(random() * (arrivals.length - later + 1)), 0, event);
  }
  const deliveries: Delivery[] = arrivals.map((event) => ({ event, copy: 1 }));
  if (order.invalid) {
    deliveries.splice(Math.floor(random() * (deliveries.length + 1)), 0, {
      event: order.invalid.event,
      copy: 1,
    });
  }
  for (const event of order.events) {
    if (random() >= options.duplicateRate) continue;
    const first = deliveries.findIndex((delivery) => delivery.event === event);
    // A third of the duplicates right behind the original (the same batch, processed concurrently), the
    // rest anywhere after it.
    const at = random() < 0.35 ? first + 1 : first + 1 + Math.floor(random() * (deliveries.length - first));
    deliveries.splice(at, 0, { event, copy: 2 });
  }
  return deliveries;
};

export const buildWorkload = (options: WorkloadOptions): Workload => {
  const random = seededRandom(options.seed);
  // Exactly the share of orders (at least one when the share is not zero), picked at random.
  const first = options.firstOrder ?? 1;
  const pick = (rate: number): Set<number> => {
    const count = rate > 0 ? Math.max(1, Math.round(rate * options.orders)) : 0;
    const numbers = Array.from({ length: options.orders }, (_, i) => first + i);
    for (let i = numbers.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [numbers[i], numbers[j]] = [numbers[j] as number, numbers[i] as number];
    }
    return new Set(numbers.slice(0, count));
  };
  const contradicted = pick(options.contradictionRate);
  const invalid = pick(options.invalidRate);
  const orders = Array.from({ length: options.orders }, (_, i) =>
    orderOf(first + i, random, options, {
      contradiction: contradicted.has(first + i),
      invalid: invalid.has(first + i),
    }),
  );
  const perOrder = orders.map((order) => arrivalsOf(order, random, options));

  let outOfOrder = 0;
  for (const [index, deliveries] of perOrder.entries()) {
    const rank = new Map(orders[index]?.events.map((event, position) => [event.eventId, position]));
    let latest = -1;
    for (const delivery of deliveries) {
      const position = rank.get(delivery.event.eventId);
      if (position === undefined) continue;
      if (delivery.copy === 1 && position < latest) outOfOrder += 1;
      latest = Math.max(latest, position);
    }
  }

  // Batches: orders enter a window; each step takes a chunk of 1-3 consecutive arrivals of a random order
  // in the window, so one batch often holds several events of one order, and an order's next chunk lands
  // in another batch that a parallel producer sends at the same time.
  const window = options.window ?? 40;
  const queues = perOrder.map((deliveries) => [...deliveries]);
  const active: number[] = [];
  let nextOrder = 0;
  const batches: Delivery[][] = [];
  let batch: Delivery[] = [];
  const flush = () => {
    if (batch.length > 0) batches.push(batch);
    batch = [];
  };
  for (;;) {
    while (active.length < window && nextOrder < queues.length) active.push(nextOrder++);
    if (active.length === 0) break;
    const slot = Math.floor(random() * active.length);
    const index = active[slot] as number;
    const queue = queues[index] as Delivery[];
    const chunk = queue.splice(0, 1 + Math.floor(random() * 3));
    if (batch.length + chunk.length > 10) flush();
    batch.push(...chunk);
    if (queue.length === 0) active.splice(slot, 1);
  }
  flush();

  let batchesWithSameOrder = 0;
  let duplicatesInSameBatch = 0;
  for (const entries of batches) {
    const orderIds = entries.map((delivery) => delivery.event.orderId);
    if (new Set(orderIds).size < orderIds.length) batchesWithSameOrder += 1;
    const eventIds = entries.map((delivery) => delivery.event.eventId);
    duplicatesInSameBatch += eventIds.length - new Set(eventIds).size;
  }
  const deliveries = perOrder.reduce((sum, list) => sum + list.length, 0);
  const events = orders.reduce((sum, order) => sum + order.events.length, 0);
  const contradictions = contradicted.size;
  return {
    orders,
    batches,
    stats: {
      events,
      deliveries,
      duplicates: deliveries - events - invalid.size,
      outOfOrder,
      batchesWithSameOrder,
      duplicatesInSameBatch,
      contradictions,
      invalid: invalid.size,
    },
  };
};
