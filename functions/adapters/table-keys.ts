/**
 * The one home of the order table's key formats (single table; design in docs/dynamodb.md). Every
 * adapter, the planner, lib/ (IAM conditions, the stream filter), the CLI, the local stack and the
 * benches build and read keys here, so a prefix cannot be spelt two ways.
 *
 *   pk = ORDER#<shopId>#<orderId>               sk = STATE             the order's current state
 *   pk = ORDER#<shopId>#<orderId>               sk = EVENT#<eventId>   one item per distinct event
 *   pk = ORDERNUMBER#<shopId>#<orderNumber>     sk = CLAIM             the order holding that number
 *   pk = CONTACT#<shopId>#<contactKey>          sk = ORDER#<orderId>   an order holding that contact
 *   pk = NOTIFICATIONS#<shopId>#<orderId>       sk = <eventId>#<channel>  a notification record
 *   pk = SUPPRESSION#<shopId>                   sk = <channel>#<address hash>
 *   pk = RATE#<bucket>#<client hash>            sk = WINDOW#<window start, epoch seconds>
 *   pk = ERASURE#<shopId>                       sk = <erasedAt>#<random>   an erasure record
 *
 *   GSI byOrderNumber: shopOrderNumber = <shopId>#<orderNumber>
 *
 * Shop ids never hold `#` (shop-config.ts allows lower-case letters, digits and `-`), so the first `#`
 * after the shop id ends it and an order id may hold `#` itself. The builders refuse an empty part and
 * a shop id with `#`: such a key would read as another shop's.
 */
import type { OrderKey } from '../domain/ports.js';

/**
 * The shop registry's table (its own; dynamodb-shop-registry.ts) is keyed by shopId (partition) and
 * version (number, sort): the current version of a shop sits at this version, its history at 1, 2, ….
 */
export const SHOP_CURRENT_VERSION = 0;

export const ORDER_PK_PREFIX = 'ORDER#';
export const STATE_SK = 'STATE';
export const EVENT_SK_PREFIX = 'EVENT#';
export const ORDER_NUMBER_PK_PREFIX = 'ORDERNUMBER#';
export const CLAIM_SK = 'CLAIM';
export const CONTACT_PK_PREFIX = 'CONTACT#';
/** The sort key of a contact entry names the order (within the shop of its partition). */
export const CONTACT_SK_PREFIX = 'ORDER#';
export const NOTIFICATIONS_PK_PREFIX = 'NOTIFICATIONS#';
export const SUPPRESSION_PK_PREFIX = 'SUPPRESSION#';
export const RATE_PK_PREFIX = 'RATE#';
export const RATE_WINDOW_SK_PREFIX = 'WINDOW#';
export const ERASURE_PK_PREFIX = 'ERASURE#';

/** A key part that would make an ambiguous or foreign key. */
export class TableKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TableKeyError';
  }
}

const shop = (shopId: string): string => {
  if (typeof shopId !== 'string' || shopId.length === 0 || shopId.includes('#')) {
    throw new TableKeyError(`a shop id must be non-empty and hold no "#", got ${JSON.stringify(shopId)}`);
  }
  return shopId;
};
const part = (what: string, value: string): string => {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TableKeyError(`${what} must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value;
};

/** `<shopId>#<rest>` after `prefix`, or undefined when `key` is not one. */
const parseShopScoped = (prefix: string, key: unknown): { shopId: string; rest: string } | undefined => {
  if (typeof key !== 'string' || !key.startsWith(prefix)) return undefined;
  const body = key.slice(prefix.length);
  const separator = body.indexOf('#');
  if (separator <= 0 || separator === body.length - 1) return undefined;
  return { shopId: body.slice(0, separator), rest: body.slice(separator + 1) };
};

/* Orders -------------------------------------------------------------------------------------------- */

export const orderPk = (key: OrderKey): string =>
  `${ORDER_PK_PREFIX}${shop(key.shopId)}#${part('an order id', key.orderId)}`;

/** The order an order partition key names, or undefined for any other key. */
export const parseOrderPk = (pk: unknown): OrderKey | undefined => {
  const parsed = parseShopScoped(ORDER_PK_PREFIX, pk);
  return parsed && { shopId: parsed.shopId, orderId: parsed.rest };
};

export const orderStateKey = (key: OrderKey) => ({ pk: orderPk(key), sk: STATE_SK });

export const eventSk = (eventId: string): string => `${EVENT_SK_PREFIX}${part('an event id', eventId)}`;

/** The event id of an event item's sort key, or undefined for any other sort key. */
export const parseEventSk = (sk: unknown): string | undefined =>
  typeof sk === 'string' && sk.startsWith(EVENT_SK_PREFIX) && sk.length > EVENT_SK_PREFIX.length
    ? sk.slice(EVENT_SK_PREFIX.length)
    : undefined;

/** The order of an order state item's keys, or undefined when the item is anything else. */
export const orderOfStateItem = (item: {
  readonly pk?: unknown;
  readonly sk?: unknown;
}): OrderKey | undefined => (item.sk === STATE_SK ? parseOrderPk(item.pk) : undefined);

/** A stream image's string attribute, as the stream writes it (`{ S: value }`). */
const stringAttribute = (image: Readonly<Record<string, unknown>>, name: string): string | undefined => {
  if (!Object.hasOwn(image, name)) return undefined;
  const value = image[name];
  if (typeof value !== 'object' || value === null || !Object.hasOwn(value, 'S')) return undefined;
  const text = (value as { S?: unknown }).S;
  return typeof text === 'string' ? text : undefined;
};

/**
 * Decodes a stream record's image (DynamoDB JSON): is it an order state item, and of which order. The
 * order comes from the partition key, the one thing a writer cannot get out of step with the item's place.
 */
export const orderOfStreamImage = (
  image: Readonly<Record<string, unknown>> | undefined,
): OrderKey | undefined =>
  image === undefined
    ? undefined
    : orderOfStateItem({ pk: stringAttribute(image, 'pk'), sk: stringAttribute(image, 'sk') });

/* Order numbers and contacts ---------------------------------------------------------------------- */

/** The byOrderNumber index's attribute: the number within its shop. */
export const shopOrderNumber = (shopId: string, orderNumber: string): string =>
  `${shop(shopId)}#${part('an order number', orderNumber)}`;

export const orderNumberPk = (shopId: string, orderNumber: string): string =>
  `${ORDER_NUMBER_PK_PREFIX}${shopOrderNumber(shopId, orderNumber)}`;

export const contactPk = (shopId: string, contactKey: string): string =>
  `${CONTACT_PK_PREFIX}${shop(shopId)}#${part('a contact key', contactKey)}`;

export const contactSk = (orderId: string): string => `${CONTACT_SK_PREFIX}${part('an order id', orderId)}`;

/** The order id a contact entry's sort key names, or undefined for any other sort key. */
export const parseContactSk = (sk: unknown): string | undefined =>
  typeof sk === 'string' && sk.startsWith(CONTACT_SK_PREFIX) && sk.length > CONTACT_SK_PREFIX.length
    ? sk.slice(CONTACT_SK_PREFIX.length)
    : undefined;

/* Notifications, suppressions, rate limits, erasures ----------------------------------------------- */

export const notificationsPk = (key: OrderKey): string =>
  `${NOTIFICATIONS_PK_PREFIX}${shop(key.shopId)}#${part('an order id', key.orderId)}`;

/** The order a notification log partition key names, or undefined for any other key. */
export const parseNotificationsPk = (pk: unknown): OrderKey | undefined => {
  const parsed = parseShopScoped(NOTIFICATIONS_PK_PREFIX, pk);
  return parsed && { shopId: parsed.shopId, orderId: parsed.rest };
};

export const notificationSk = (eventId: string, channel: string): string =>
  `${part('an event id', eventId)}#${part('a channel', channel)}`;

export const suppressionPk = (shopId: string): string => `${SUPPRESSION_PK_PREFIX}${shop(shopId)}`;

export const suppressionSk = (channel: string, addressHash: string): string =>
  `${part('a channel', channel)}#${part('an address hash', addressHash)}`;

export const ratePk = (bucket: string, clientKey: string): string =>
  `${RATE_PK_PREFIX}${part('a rate-limit bucket', bucket)}#${part('a client key', clientKey)}`;

export const rateWindowSk = (windowStartSeconds: number): string => {
  if (!Number.isSafeInteger(windowStartSeconds) || windowStartSeconds < 0) {
    throw new TableKeyError(`a rate-limit window start must be epoch seconds, got ${windowStartSeconds}`);
  }
  return `${RATE_WINDOW_SK_PREFIX}${windowStartSeconds}`;
};

export const erasurePk = (shopId: string): string => `${ERASURE_PK_PREFIX}${shop(shopId)}`;
