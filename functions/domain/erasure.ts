/**
 * Erasure of a customer's personal data on request (the right to erasure, GDPR art. 17).
 *
 * The order stays: its number, lines, amounts, statuses and timeline (event types, times and outcomes) are
 * the shop's business records. What goes is everything that identifies or reaches the customer: the name,
 * e-mail, phone and push devices, the delivery address beyond the country, and the free texts that can
 * quote the customer (engravings, notes, return reasons, complaint subjects, the hold's instructions).
 *
 * The event items are the truth and the ingest folds them again on every new event, so the anonymised
 * events must still fold: placeholders keep every required field valid (a name of "—", channels all off,
 * no devices). The one contract rule they break on purpose is "at least one contact channel": stored
 * events are never validated again (the store returns them as written), only folded, and the fold does
 * not need a contact. Anonymising never changes what an event did (`anonymiseOrder` checks it).
 *
 * Pure apart from the use case at the end, which works through ports like `recordOrderEvent`.
 */
import {
  type ContactEntry,
  type ContactFields,
  type CustomerContact,
  canonicalAddress,
  canonicalEmail,
  canonicalPhone,
  contactEntriesOf,
  contactMatches,
  lookupEntriesOf,
  placementContact,
} from './contact.js';
import { ERASED_TEXT, isErasedCustomer } from './erased-customer.js';
import type { Channel, NotificationLog, NotificationRecord } from './notification-log.js';
import type { SuppressionList } from './notification-ports.js';
import type { OrderEvent, OrderEventOf } from './order-events.js';
import { canonicalJson, type OrderHistory, type OrderState, replay } from './order-lifecycle.js';
import type { Clock, OrderKey, StoredEvent } from './ports.js';

/** What an erased free text or name becomes: valid for every text field of the contract. */

/** What an erased (already masked) address in the notification log becomes. */
export const ERASED_ADDRESS = '[erased]';
/** The suppression reason of an erased customer's addresses; also how a second run knows. */
export const ERASURE_REASON = 'erased on request';

/* ------------------------------------------------------------------------------------------------ */
/* Anonymising events                                                                                */
/* ------------------------------------------------------------------------------------------------ */

type Placed = OrderEventOf<'Order Placed'>;

/** A free text that can quote the customer: kept as "there was one", its content gone. */
const erasedText = <T extends string | undefined>(value: T): T =>
  (value === undefined ? undefined : ERASED_TEXT) as T;

/** Drops keys whose value is undefined, so an anonymised event compares and stores like a parsed one. */
const compact = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, nested]) => nested !== undefined)) as T;

/**
 * Built field by field (not copied and patched), so a field added to the contract later is dropped
 * rather than kept by accident.
 */
const anonymiseCustomer = (customer: Placed['customer']): Placed['customer'] => ({
  name: ERASED_TEXT,
  pushTargets: [],
  locale: customer.locale,
  timeZone: customer.timeZone,
  channels: { email: false, sms: false, push: false },
});

const anonymiseDelivery = (delivery: Placed['delivery']): Placed['delivery'] =>
  compact({
    method: delivery.method,
    carrier: delivery.carrier,
    city: ERASED_TEXT,
    postcode: ERASED_TEXT,
    country: delivery.country,
  });

const anonymisePayment = (payment: Placed['payment']): Placed['payment'] =>
  compact({
    method: payment.method,
    status: payment.status,
    dueBy: payment.dueBy,
    // The shop's own account; the transfer title and a payment link can name or identify the customer.
    bankAccount: payment.bankAccount,
    transferTitle: erasedText(payment.transferTitle),
  });

/** The event without the customer's personal data; the same event when it holds none. Idempotent. */
export const anonymiseEvent = (event: OrderEvent): OrderEvent => {
  switch (event.type) {
    case 'Order Placed':
      return {
        ...event,
        customer: anonymiseCustomer(event.customer),
        delivery: anonymiseDelivery(event.delivery),
        payment: anonymisePayment(event.payment),
        lines: event.lines.map((line) =>
          compact({ ...line, personalisation: erasedText(line.personalisation) }),
        ),
      };
    case 'Payment Received':
      // A bank reference can carry the payer's name.
      return compact({ ...event, reference: erasedText(event.reference) });
    case 'Order On Hold':
      // Written by the shop, but about this order: it quotes the engraving or the size to confirm.
      return { ...event, toConfirm: ERASED_TEXT };
    case 'Order Resumed':
    case 'Order Cancelled':
    case 'Complaint Resolved':
      return compact({ ...event, note: erasedText(event.note) });
    case 'Return Requested':
      return compact({ ...event, reason: erasedText(event.reason) });
    case 'Complaint Opened':
      return { ...event, subject: ERASED_TEXT };
    case 'Order Accepted':
    case 'Order Preparing':
    case 'Order Shipped':
    case 'Order Out For Delivery':
    case 'Order Delivered':
    case 'Return Received':
    case 'Refund Issued':
      return event;
  }
};

export interface AnonymisedOrder {
  /** Every event of the order, anonymised. */
  readonly events: readonly OrderEvent[];
  /** The ids of the events that changed (those to write back). */
  readonly changedEventIds: readonly string[];
  /** The fold of the anonymised events: the state to store, with the same outcomes as before. */
  readonly history: OrderHistory;
}

export class AnonymisationChangedOutcomeError extends Error {
  constructor(eventId: string) {
    super(`anonymising the order changed what event ${eventId} did; nothing was erased`);
    this.name = 'AnonymisationChangedOutcomeError';
  }
}

const outcomeKey = (history: OrderHistory): Map<string, string> =>
  new Map(history.timeline.map((entry) => [entry.event.eventId, canonicalJson(entry.outcome)]));

/**
 * Anonymises every event of an order (or those in `only`) and folds them again. Throws if that changed any event's outcome:
 * the timeline is the shop's record and must stay what it was.
 */
export const anonymiseOrder = (
  events: readonly OrderEvent[],
  only?: ReadonlySet<string>,
): AnonymisedOrder => {
  const anonymised = events.map((event) =>
    only && !only.has(event.eventId) ? event : anonymiseEvent(event),
  );
  const changedEventIds = anonymised
    .filter((event, index) => canonicalJson(event) !== canonicalJson(events[index]))
    .map((event) => event.eventId);
  const history = replay(anonymised);
  const before = outcomeKey(replay(events));
  for (const [eventId, outcome] of outcomeKey(history)) {
    if (before.get(eventId) !== outcome) throw new AnonymisationChangedOutcomeError(eventId);
  }
  return { events: anonymised, changedEventIds, history };
};

/** The state item's projection after erasure: the fold of the anonymised events, flagged. */
export type ErasedOrderState = OrderState & { readonly erased: true };

export const erasedState = (state: OrderState): ErasedOrderState => ({ ...state, erased: true });

/* ------------------------------------------------------------------------------------------------ */
/* Finding the customer and their addresses                                                          */
/* ------------------------------------------------------------------------------------------------ */

/** The contact of each placement of an order (each stored Order Placed holds its own customer). */
export const placementContacts = (events: readonly OrderEvent[]): ContactFields[] =>
  events.flatMap((event) => placementContact(event) ?? []);

/** Whether a placement holds the contact (contact.ts's rule, the status lookup's too). */
const holds = (contact: CustomerContact, event: OrderEvent): boolean => {
  const fields = placementContact(event);
  return fields !== undefined && contactMatches(contact, fields);
};

/**
 * What of an order is the person's: all of it when they are its customer (the placement that applied);
 * else only the placements that hold their contact and did not apply (a second placement for the same
 * order, as stored before such placements were refused), which must go without touching the customer's.
 */
export const erasureScope = (
  contact: CustomerContact,
  events: readonly OrderEvent[],
):
  | { readonly kind: 'customer' }
  | { readonly kind: 'placements'; readonly eventIds: ReadonlySet<string> }
  | undefined => {
  const { state } = replay(events);
  const customer = state.customer && { ...state.customer, country: state.delivery?.country };
  if (customer && contactMatches(contact, customer)) return { kind: 'customer' };
  const eventIds = new Set(events.filter((event) => holds(contact, event)).map((event) => event.eventId));
  return eventIds.size > 0 ? { kind: 'placements', eventIds } : undefined;
};

/** The addresses an order holds, per channel, in the form the sender checks suppressions with. */
export interface OrderAddresses {
  readonly email: readonly string[];
  /** E.164 where the number normalises, else as written. */
  readonly sms: readonly string[];
  /** Device tokens. */
  readonly push: readonly string[];
  /** Every form an address was written in, to scrub from texts (provider error messages). */
  readonly raw: readonly string[];
}

export const addressesOf = (events: readonly OrderEvent[]): OrderAddresses => {
  const email = new Set<string>();
  const sms = new Set<string>();
  const push = new Set<string>();
  const raw = new Set<string>();
  for (const event of events) {
    if (event.type !== 'Order Placed') continue;
    const { customer, delivery } = event;
    if (customer.email) {
      email.add(canonicalEmail(customer.email));
      raw.add(customer.email);
    }
    if (customer.phone) {
      const normalised = canonicalPhone(customer.phone, delivery.country);
      sms.add(normalised ?? customer.phone);
      raw.add(customer.phone);
      if (normalised) raw.add(normalised);
    }
    for (const target of customer.pushTargets) push.add(target.deviceToken);
  }
  return { email: [...email], sms: [...sms], push: [...push], raw: [...raw] };
};

const escapeRegExp = (value: string): string => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A text with every written form of the addresses replaced by ERASED_ADDRESS. */
export const scrubText = (text: string, addresses: OrderAddresses): string =>
  [...addresses.raw, ...addresses.email, ...addresses.sms, ...addresses.push]
    .filter((address) => address.length > 0)
    .sort((a, b) => b.length - a.length)
    .reduce(
      (scrubbed, address) => scrubbed.replace(new RegExp(escapeRegExp(address), 'gi'), ERASED_ADDRESS),
      text,
    );

/** What to change on a notification record so that it holds no address; undefined when it holds none. */
export const maskNotification = (
  record: NotificationRecord,
  addresses: OrderAddresses,
): { address?: string; reason?: string } | undefined => {
  const changes: { address?: string; reason?: string } = {};
  if (record.address !== undefined && record.address !== ERASED_ADDRESS) changes.address = ERASED_ADDRESS;
  if (record.reason !== undefined) {
    const scrubbed = scrubText(record.reason, addresses);
    if (scrubbed !== record.reason) changes.reason = scrubbed;
  }
  return Object.keys(changes).length > 0 ? changes : undefined;
};

/* ------------------------------------------------------------------------------------------------ */
/* The use case                                                                                      */
/* ------------------------------------------------------------------------------------------------ */

/** An order as the erasure reads it: its events and the state item's version and erasure mark. */
export interface ErasableOrder {
  readonly version: number;
  readonly orderNumber: string;
  readonly events: readonly StoredEvent[];
  readonly erasedAt?: string | undefined;
}

export interface ErasureWrite {
  readonly key: OrderKey;
  /** The state item's version as read: the write fails if an event was recorded since. */
  readonly expectedVersion: number;
  /** The anonymised events that changed. */
  readonly events: readonly OrderEvent[];
  /** The fold of the anonymised events: flagged as erased when the order's customer was. */
  readonly state: OrderState | ErasedOrderState;
  /** Whether the order's customer was erased (the state item is marked), or only other placements. */
  readonly erasesCustomer: boolean;
  readonly erasedAt: string;
  /** The contact index entries of the order's placements, to delete with the data they point to. */
  readonly contactEntries: readonly ContactEntry[];
}

/** What an erasure touched, kept as the shop's proof: counts and order ids, never the data. */
export interface ErasureRecord {
  readonly shopId: string;
  readonly erasedAt: string;
  readonly matchedBy: CustomerContact['kind'];
  readonly orderIds: readonly string[];
  readonly counts: {
    readonly orders: number;
    readonly events: number;
    readonly notificationRecords: number;
    readonly suppressions: number;
  };
}

export interface OrderSearch {
  readonly keys: readonly OrderKey[];
  /** Index entries the search read, and the read capacity it consumed: what it cost. */
  readonly readItems: number;
  readonly readCapacityUnits: number;
}

export interface ErasureStore {
  /**
   * The shop's orders with a placement holding the contact, from the contact index (one Query per
   * entry: the contact's canonical forms), never a scan of the table.
   */
  findOrders(shopId: string, entries: readonly ContactEntry[]): Promise<OrderSearch>;
  load(key: OrderKey): Promise<ErasableOrder | undefined>;
  /** Writes the anonymised events and the erased state; `version_conflict` if the order changed first. */
  write(request: ErasureWrite): Promise<'ok' | 'version_conflict'>;
  /** Stores the record; returns its id. */
  record(record: ErasureRecord): Promise<string>;
}

export interface EraseCustomerDeps {
  readonly store: ErasureStore;
  readonly notifications: Pick<NotificationLog, 'list' | 'update'>;
  readonly suppressions: SuppressionList;
  readonly clock: Clock;
  /** @default 8 */
  readonly maxAttempts?: number;
  readonly onOrderDone?: (done: number, total: number) => void;
}

export interface EraseCustomerRequest {
  readonly shopId: string;
  readonly contact: CustomerContact;
  /** Find and count only; write nothing. */
  readonly dryRun: boolean;
}

export interface ErasedOrderReport {
  readonly orderId: string;
  readonly orderNumber: string;
  /** `would_erase` in a dry run; `already_erased` when there was nothing left to change. */
  readonly result: 'erased' | 'would_erase' | 'already_erased';
  readonly events: number;
  readonly notificationRecords: number;
  readonly suppressions: number;
}

export interface ErasureReport {
  readonly shopId: string;
  readonly matchedBy: CustomerContact['kind'];
  readonly dryRun: boolean;
  readonly search: Omit<OrderSearch, 'keys'>;
  readonly orders: readonly ErasedOrderReport[];
  /** No order holds the contact any more and it is suppressed as erased: an earlier run did it all. */
  readonly alreadyErased: boolean;
  /** The id of the erasure record written, when anything was erased. */
  readonly recordId?: string | undefined;
}

/** Lost the race against ingest writes of the same order too many times; nothing more was written. */
export class ErasureConflictError extends Error {
  constructor(key: OrderKey, attempts: number) {
    super(`order ${key.shopId}/${key.orderId} kept changing under ${attempts} attempts to erase it`);
    this.name = 'ErasureConflictError';
  }
}

/** The contact as the suppression list keys it (the sender checks the E.164 form of a phone). */
const suppressionKeyOf = (contact: CustomerContact): { channel: Channel; address: string } =>
  contact.kind === 'email'
    ? { channel: 'email', address: canonicalAddress('email', contact.email) }
    : { channel: 'sms', address: canonicalAddress('sms', canonicalPhone(contact.phone) ?? contact.phone) };

/** Suppresses the addresses not yet suppressed as erased; returns how many it did (or would). */
const suppressAll = async (
  deps: EraseCustomerDeps,
  shopId: string,
  addresses: OrderAddresses,
  dryRun: boolean,
): Promise<number> => {
  let count = 0;
  const entries: Array<[Channel, string]> = [
    ...addresses.email.map((address): [Channel, string] => ['email', address]),
    ...addresses.sms.map((address): [Channel, string] => ['sms', address]),
    ...addresses.push.map((address): [Channel, string] => ['push', address]),
  ];
  for (const [channel, address] of entries) {
    if ((await deps.suppressions.check(shopId, channel, address)) === ERASURE_REASON) continue;
    count++;
    if (!dryRun) await deps.suppressions.suppress(shopId, channel, address, ERASURE_REASON);
  }
  return count;
};

/** Masks the order's notification records; a record the sender moves meanwhile is read again. */
const maskAll = async (
  deps: EraseCustomerDeps,
  key: OrderKey,
  addresses: OrderAddresses,
  dryRun: boolean,
): Promise<number> => {
  let count = 0;
  for (const record of await deps.notifications.list(key)) {
    let current: NotificationRecord | undefined = record;
    for (let attempt = 0; current && attempt < 5; attempt++) {
      const changes = maskNotification(current, addresses);
      if (!changes) break;
      if (dryRun) {
        count++;
        break;
      }
      if (await deps.notifications.update(current, [current.outcome], changes)) {
        count++;
        break;
      }
      current = (await deps.notifications.list(key)).find(
        (candidate) => candidate.eventId === record.eventId && candidate.channel === record.channel,
      );
    }
  }
  return count;
};

const entryId = (entry: ContactEntry): string => `${entry.kind}:${entry.canonical}`;

const eraseOrder = async (
  deps: EraseCustomerDeps,
  key: OrderKey,
  contact: CustomerContact,
  dryRun: boolean,
): Promise<ErasedOrderReport | undefined> => {
  const maxAttempts = deps.maxAttempts ?? 8;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const order = await deps.store.load(key);
    if (!order || order.events.length === 0) return undefined;
    const events = order.events.map((stored) => stored.event);
    // The index names candidates; the order itself must hold the contact (the one matching rule).
    const scope = erasureScope(contact, events);
    if (!scope) return undefined;
    const only = scope.kind === 'placements' ? scope.eventIds : undefined;
    const anonymised = anonymiseOrder(events, only);
    const erased = only ? events.filter((event) => only.has(event.eventId)) : events;
    const kept = only ? events.filter((event) => !only.has(event.eventId)) : [];
    const addresses = addressesOf(erased);
    // Addresses first: once the order is anonymised nothing can find it again, so a run that stops
    // half-way must have done the rest already; a rerun finds the order and finishes.
    const suppressions = await suppressAll(deps, key.shopId, addresses, dryRun);
    // The log holds the addresses of the order's customer only: nothing was ever sent to a placement
    // that did not apply.
    const notificationRecords = only ? 0 : await maskAll(deps, key, addresses, dryRun);
    const base = { orderId: key.orderId, orderNumber: order.orderNumber, notificationRecords, suppressions };
    if (anonymised.changedEventIds.length === 0 && (only || order.erasedAt !== undefined)) {
      return { ...base, result: 'already_erased', events: 0 };
    }
    // The index entries of what is erased, but not one another placement of the order still holds.
    const keptEntries = new Set(placementContacts(kept).flatMap(contactEntriesOf).map(entryId));
    const contactEntries = placementContacts(erased)
      .flatMap(contactEntriesOf)
      .filter((entry) => !keptEntries.has(entryId(entry)));
    const changed = new Set(anonymised.changedEventIds);
    const report = { ...base, events: changed.size };
    if (dryRun) return { ...report, result: 'would_erase' };
    const written = await deps.store.write({
      key,
      expectedVersion: order.version,
      events: anonymised.events.filter((event) => changed.has(event.eventId)),
      state: only ? anonymised.history.state : erasedState(anonymised.history.state),
      erasesCustomer: !only,
      erasedAt: deps.clock.now().toISOString(),
      contactEntries,
    });
    if (written === 'ok') return { ...report, result: 'erased' };
    // An event was recorded meanwhile: read again, so that it is anonymised too and the state is its fold.
  }
  throw new ErasureConflictError(key, maxAttempts);
};

/**
 * Erases a customer's personal data from every order of a shop that holds their e-mail or phone: the
 * orders' events and state, the addresses in the notification log; suppresses the addresses as erased;
 * records what was touched. Idempotent: a second run finds nothing and reports `alreadyErased`.
 */
export const eraseCustomer = async (
  deps: EraseCustomerDeps,
  request: EraseCustomerRequest,
): Promise<ErasureReport> => {
  const { shopId, contact, dryRun } = request;
  const search = await deps.store.findOrders(shopId, lookupEntriesOf(contact));
  const orders: ErasedOrderReport[] = [];
  for (const [index, key] of search.keys.entries()) {
    const report = await eraseOrder(deps, key, contact, dryRun);
    if (report) orders.push(report);
    deps.onOrderDone?.(index + 1, search.keys.length);
  }
  const { channel, address } = suppressionKeyOf(contact);
  const alreadyErased =
    orders.every((order) => order.result === 'already_erased') &&
    (await deps.suppressions.check(shopId, channel, address)) === ERASURE_REASON;
  const touched = orders.filter((order) => order.result === 'erased');
  let recordId: string | undefined;
  if (!dryRun && touched.length > 0) {
    recordId = await deps.store.record({
      shopId,
      erasedAt: deps.clock.now().toISOString(),
      matchedBy: contact.kind,
      orderIds: touched.map((order) => order.orderId),
      counts: {
        orders: touched.length,
        events: touched.reduce((sum, order) => sum + order.events, 0),
        notificationRecords: orders.reduce((sum, order) => sum + order.notificationRecords, 0),
        suppressions: orders.reduce((sum, order) => sum + order.suppressions, 0),
      },
    });
  }
  return {
    shopId,
    matchedBy: contact.kind,
    dryRun,
    search: { readItems: search.readItems, readCapacityUnits: search.readCapacityUnits },
    orders,
    alreadyErased,
    recordId,
  };
};

export type { CustomerContact };
export { ERASED_TEXT, isErasedCustomer };
