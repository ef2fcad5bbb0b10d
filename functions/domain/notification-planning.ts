/**
 * Which notifications an order change calls for, and whether one may be sent now. Pure.
 */
import { canonicalAddress, canonicalPhone } from './contact.js';
import {
  type Channel,
  maskEmail,
  maskPhone,
  type NotificationOutcome,
  type NotificationRecord,
} from './notification-log.js';
import type { OrderEvent } from './order-events.js';
import { findComplaint, findReturn, type OrderState, type TimelineEntry } from './order-lifecycle.js';
import { channelsFor, type ShopConfig } from './shop-config.js';

/** The events whose outcome became `applied` between two versions of an order. */
export const newlyApplied = (before: readonly string[] | undefined, after: readonly string[]): string[] => {
  const known = new Set(before ?? []);
  return after.filter((eventId) => !known.has(eventId));
};

/** A job for the sender: one event of one order on one channel. */
export interface NotificationJob {
  readonly shopId: string;
  readonly orderId: string;
  readonly eventId: string;
  readonly channel: Channel;
  /** Set when this job stands in for another channel that could not be used. */
  readonly fallbackFor?: Channel | undefined;
}

export const planJobs = (
  shop: ShopConfig | undefined,
  events: ReadonlyArray<Pick<OrderEvent, 'shopId' | 'orderId' | 'eventId' | 'type'>>,
): NotificationJob[] =>
  events.flatMap((event) =>
    // An unconfigured shop still gets e-mail jobs, so the sender records why nothing was sent.
    (shop ? channelsFor(shop, event.type) : (['email'] as const)).map((channel) => ({
      shopId: event.shopId,
      orderId: event.orderId,
      eventId: event.eventId,
      channel,
    })),
  );

/**
 * Whether a message about `event` is old news for an order that is now in `state`. Status messages are
 * superseded once the order has left that status (no "accepted" after "shipped", no "please call us"
 * after the hold ended); so are messages about a step its side track has left:
 * - a payment, once any refund was issued (the refund message tells where the money is; "payment
 *   received, we will get your order ready" after it would read as a new payment). A payment message
 *   tells the standing when it is sent, so "partly paid, Y still due" is never sent once the order is
 *   paid in full: it goes out as "payment received" instead. (Superseding it by a later payment would
 *   not be final: a payment that arrives late but happened earlier can push a later one out of the
 *   count, and the message about the payment that completed the order would already be gone.);
 * - a return request, once that return was received or refunded; a received return, once refunded;
 * - a complaint opened, once that complaint was resolved.
 * The confirmation, the cancellation, refunds and decisions stay worth telling.
 */
export const supersededBy = (event: OrderEvent, state: OrderState): string | undefined => {
  const left = (status: string) =>
    state.status === status ? undefined : `the order has moved on to ${state.status.replaceAll('_', ' ')}`;
  switch (event.type) {
    case 'Order Placed':
      return state.status === 'cancelled' ? 'the order has been cancelled' : undefined;
    case 'Order Accepted':
      return left('accepted');
    case 'Order On Hold':
      return left('on_hold');
    case 'Order Preparing':
      return left('preparing');
    case 'Order Shipped':
      return left('shipped');
    case 'Order Out For Delivery':
      return left('out_for_delivery');
    case 'Order Resumed':
      return ['accepted', 'placed', 'preparing'].includes(state.status) ? undefined : left('resumed');
    case 'Payment Received':
      return state.payment.refunded > 0 ? 'a refund has been issued since' : undefined;
    case 'Return Requested': {
      const status = findReturn(state, event.returnId)?.status;
      return status && status !== 'requested'
        ? `return ${event.returnId} has been ${status} since`
        : undefined;
    }
    case 'Return Received':
      return findReturn(state, event.returnId)?.status === 'refunded'
        ? `return ${event.returnId} has been refunded since`
        : undefined;
    case 'Complaint Opened':
      return findComplaint(state, event.complaintId)?.status === 'resolved'
        ? `complaint ${event.complaintId} has been resolved since`
        : undefined;
    case 'Order Delivered':
    case 'Order Cancelled':
    case 'Refund Issued':
    case 'Complaint Resolved':
      return undefined;
  }
};

/* Lifecycle order of one order's messages ---------------------------------------------------- */

/** Outcomes of a message that has not reached the provider yet (or has no record yet at all). */
const ON_ITS_WAY: ReadonlySet<NotificationOutcome> = new Set(['sending', 'retrying', 'deferred']);

/** How long a message waits for an earlier one of its order and channel, at most, and how often it looks. */
export const ORDER_WAIT = { limitMs: 60_000, stepSeconds: 5 } as const;

/**
 * The earlier messages of the same order on the same channel that should reach the customer before the
 * one about `eventId`: events before it in the timeline that applied, that the shop's matrix sends on
 * this channel and that are not old news. Pure; the sender then asks the log whether they are done.
 */
export const messagesToGoFirst = (
  shop: ShopConfig,
  timeline: readonly TimelineEntry[],
  state: OrderState,
  eventId: string,
  channel: Channel,
): OrderEvent[] => {
  const index = timeline.findIndex((entry) => entry.event.eventId === eventId);
  return timeline
    .slice(0, Math.max(0, index))
    .filter(
      (entry) =>
        entry.outcome.kind === 'applied' &&
        channelsFor(shop, entry.event.type).includes(channel) &&
        supersededBy(entry.event, state) === undefined,
    )
    .map((entry) => entry.event);
};

/** The first of `earlier` whose message on `channel` is still on its way (no record, or not finished). */
export const stillOnItsWay = (
  earlier: readonly OrderEvent[],
  records: readonly NotificationRecord[],
  channel: Channel,
): OrderEvent | undefined =>
  earlier.find((event) => {
    const record = records.find(
      (candidate) => candidate.eventId === event.eventId && candidate.channel === channel,
    );
    return !record || ON_ITS_WAY.has(record.outcome);
  });

/* Quiet hours ------------------------------------------------------------------------------------ */

const minutesOf = (clock: string): number => {
  const [hours = 0, minutes = 0] = clock.split(':').map(Number);
  return hours * 60 + minutes;
};

const localMinutes = (instant: Date, timeZone: string): number => {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const value = (type: 'hour' | 'minute') => Number(parts.find((part) => part.type === type)?.value);
  return value('hour') * 60 + value('minute');
};

/**
 * When the customer's quiet hours end, if `now` falls inside them; undefined when sending now is fine.
 * Windows may span midnight (21:00-08:00). Daylight-saving shifts are corrected by reading the local
 * time of the result back.
 */
export const quietHoursEnd = (
  now: Date,
  timeZone: string,
  window: { readonly start: string; readonly end: string } | null,
): Date | undefined => {
  if (!window) return undefined;
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  if (start === end) return undefined;
  const current = localMinutes(now, timeZone);
  const inside = start < end ? current >= start && current < end : current >= start || current < end;
  if (!inside) return undefined;
  const wholeMinute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  let candidate = new Date(
    wholeMinute.getTime() + (((end - current + 1440) % 1440) * 60_000 || 1440 * 60_000),
  );
  const drift = end - localMinutes(candidate, timeZone);
  if (drift !== 0 && Math.abs(drift) <= 120) candidate = new Date(candidate.getTime() + drift * 60_000);
  return candidate;
};

/* Addresses -------------------------------------------------------------------------------------- */

export type Address =
  | { readonly channel: 'email'; readonly email: string; readonly masked: string }
  | { readonly channel: 'sms'; readonly phoneNumber: string; readonly masked: string }
  | {
      readonly channel: 'push';
      readonly targets: ReadonlyArray<{
        readonly platform: 'apns' | 'apns_sandbox' | 'fcm';
        readonly deviceToken: string;
      }>;
      readonly masked: string;
    };

/** The customer's address on a channel, or why there is none. */
export const addressFor = (
  channel: Channel,
  state: OrderState,
  options: { readonly disabledPushTokens?: ReadonlySet<string> } = {},
): Address | { readonly missing: string; readonly notChosen?: true } => {
  const customer = state.customer;
  if (!customer) return { missing: 'the order has no customer contact yet' };
  if (!customer.channels[channel])
    return { missing: `the customer did not choose ${channel}`, notChosen: true };
  switch (channel) {
    case 'email':
      return customer.email
        ? { channel, email: customer.email, masked: maskEmail(customer.email) }
        : { missing: 'the order has no e-mail address' };
    case 'sms': {
      if (!customer.phone) return { missing: 'the order has no phone number' };
      const phoneNumber = canonicalPhone(customer.phone, state.delivery?.country);
      return phoneNumber
        ? { channel, phoneNumber, masked: maskPhone(phoneNumber) }
        : { missing: 'the phone number is not a valid number' };
    }
    case 'push': {
      const targets = customer.pushTargets.filter(
        (target) => !options.disabledPushTokens?.has(target.deviceToken),
      );
      if (customer.pushTargets.length === 0) return { missing: 'the order has no push device' };
      if (targets.length === 0) return { missing: 'every push device of the order is disabled' };
      return {
        channel,
        targets,
        masked: targets.map((target) => `${target.platform} …${target.deviceToken.slice(-4)}`).join(', '),
      };
    }
  }
};

/** The channels to try instead of `channel` when it cannot be used. */
export const fallbacksFor = (shop: ShopConfig, channel: Channel): readonly Channel[] =>
  (shop.fallbacks[channel] ?? []).filter((other) => other !== channel);

/* The delivery decision ------------------------------------------------------------------------- */

export const SMS_OPTED_OUT = 'the number opted out of SMS (STOP)';

/** The key an address is suppressed under (contact.ts's `canonicalAddress`: one rule for every caller). */
export const addressKey = (address: Address): string =>
  address.channel === 'email'
    ? canonicalAddress('email', address.email)
    : address.channel === 'sms'
      ? canonicalAddress('sms', address.phoneNumber)
      : '';

/**
 * - `send` to the address; `defer` it until the customer's quiet hours end;
 * - `skip` with the reason (`fallback`: whether the shop's fallback channels should be tried);
 * - `supersede`: the order has moved on, or the event no longer applies.
 */
export type DeliveryDecision =
  | { readonly kind: 'send'; readonly address: Address }
  | { readonly kind: 'skip'; readonly reason: string; readonly fallback: boolean; readonly masked?: string }
  | { readonly kind: 'supersede'; readonly reason: string }
  | { readonly kind: 'defer'; readonly until: Date; readonly address: Address };

export interface DeliveryChecks {
  disabledPushTokens(tokens: readonly string[]): Promise<Set<string>>;
  /** The reason the address is suppressed for the shop and channel, or undefined. */
  suppressed(channel: Channel, address: string): Promise<string | undefined>;
  /** SNS's STOP list; left out by previews, which then do not check it. */
  smsOptedOut?(phoneNumber: string): Promise<boolean>;
  /** The time quiet hours are judged at; left out by previews, which then do not check them. */
  readonly now?: Date;
}

/**
 * Whether one event may be told on one channel now, and where: the one decision the sender acts on and
 * the operator's replay preview shows.
 */
export const decideDelivery = async (
  request: {
    readonly shop: ShopConfig | undefined;
    /** Why the shop may not send, when `shop` is undefined (shop-registry.ts's wording). */
    readonly shopRefusal?: string | undefined;
    readonly shopId: string;
    readonly event: OrderEvent;
    readonly state: OrderState;
    readonly channel: Channel;
    readonly applied: { readonly ok: true } | { readonly ok: false; readonly reason: string };
  },
  checks: DeliveryChecks,
): Promise<DeliveryDecision> => {
  const { shop, state, channel } = request;
  if (!shop)
    return {
      kind: 'skip',
      reason: request.shopRefusal ?? `shop ${request.shopId} is not configured`,
      fallback: false,
    };
  if (!request.applied.ok) {
    return { kind: 'supersede', reason: `the event no longer applies: ${request.applied.reason}` };
  }
  const stale = supersededBy(request.event, state);
  if (stale) return { kind: 'supersede', reason: stale };
  if (channel === 'email' && !shop.email) {
    return { kind: 'skip', reason: 'the shop has no e-mail sender configured', fallback: true };
  }
  const tokens = state.customer?.pushTargets.map((target) => target.deviceToken) ?? [];
  const disabledPushTokens =
    channel === 'push' && tokens.length > 0 ? await checks.disabledPushTokens(tokens) : undefined;
  const address = addressFor(channel, state, { disabledPushTokens });
  // A channel the customer did not choose is a choice, not a failure: no fallback for it.
  if ('missing' in address) return { kind: 'skip', reason: address.missing, fallback: !address.notChosen };
  if (address.channel !== 'push') {
    const suppressed = await checks.suppressed(address.channel, addressKey(address));
    if (suppressed) return { kind: 'skip', reason: suppressed, fallback: true, masked: address.masked };
  }
  if (address.channel === 'sms' && checks.smsOptedOut && (await checks.smsOptedOut(address.phoneNumber))) {
    return { kind: 'skip', reason: SMS_OPTED_OUT, fallback: true, masked: address.masked };
  }
  if (channel !== 'email' && checks.now) {
    const until = quietHoursEnd(checks.now, state.customer?.timeZone ?? 'Europe/Warsaw', shop.quietHours);
    if (until) return { kind: 'defer', until, address };
  }
  return { kind: 'send', address };
};
