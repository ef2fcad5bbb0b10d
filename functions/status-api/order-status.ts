/**
 * The two reads behind the status API: an order by its tracking token, and a tracking token by shop,
 * order number and the customer's contact. Both are shaped so that a miss cannot be told from a hit by
 * its cost: every path makes the same DynamoDB requests, whatever was wrong. A lookup reads only a small
 * projection of the order's state item (never its events), the same projection of a decoy key when the
 * order number is unknown, so an unknown number and a wrong contact on a large order cost the same.
 */
import { contactMatches, contactOf } from '../domain/contact.js';
import type { NotificationLog, NotificationRecord } from '../domain/notification-log.js';
import { type OrderHistory, replay } from '../domain/order-lifecycle.js';
import type { LookupFields, OrderKey, OrderSnapshot } from '../domain/ports.js';
import type { ShopConfig } from '../domain/shop-config.js';
import type { ShopDirectory } from '../domain/shop-registry.js';
import { generateTrackingToken, isWellFormedTrackingToken } from '../domain/tracking-token.js';
import { trackingPageUrl } from '../domain/web/links.js';

/** The reads the status API needs from the order store (DynamoDbOrderRepository has them). */
export interface OrderFinder {
  load(key: OrderKey): Promise<OrderSnapshot | undefined>;
  findByTrackingToken(token: string): Promise<OrderKey | undefined>;
  findByOrderNumber(shopId: string, orderNumber: string): Promise<OrderKey | undefined>;
  /** The lookup's few attributes of the order's state item; undefined when there is none. */
  loadLookupFields(key: OrderKey): Promise<LookupFields | undefined>;
}

export interface OrderStatusDeps {
  readonly orders: OrderFinder;
  readonly notifications: Pick<NotificationLog, 'list'>;
  readonly shops: ShopDirectory;
}

export type TrackedOrder =
  | {
      readonly kind: 'found';
      readonly shop: ShopConfig;
      readonly history: OrderHistory;
      readonly notifications: readonly NotificationRecord[];
      /** When the order last changed in the store: what the public view's reduction counts from. */
      readonly updatedAt: string | undefined;
    }
  | { readonly kind: 'not_found' }
  /** The order exists but its shop is not configured here: a deployment problem, shown as not found. */
  | { readonly kind: 'shop_not_configured'; readonly shopId: string };

const NOT_FOUND = { kind: 'not_found' } as const;

/**
 * The order behind a tracking token. A malformed token still costs one index query (with a random
 * well-formed token), so it answers in the same time as an unknown one.
 */
export const findTrackedOrder = async (deps: OrderStatusDeps, token: string): Promise<TrackedOrder> => {
  const wellFormed = isWellFormedTrackingToken(token);
  const key = await deps.orders.findByTrackingToken(wellFormed ? token : generateTrackingToken());
  if (!wellFormed || !key) return NOT_FOUND;
  const [snapshot, notifications] = await Promise.all([deps.orders.load(key), deps.notifications.list(key)]);
  // The index is eventually consistent: the order may have been erased since, or the token changed.
  if (!snapshot || snapshot.trackingToken !== token || snapshot.events.length === 0) return NOT_FOUND;
  const history = replay(snapshot.events.map((stored) => stored.event));
  if (history.state.status === 'awaiting_placement') return NOT_FOUND;
  // A suspended or deleted shop's orders stay visible to their customers until erased or expired.
  const shop = (await deps.shops.get(key.shopId))?.config;
  if (!shop) return { kind: 'shop_not_configured', shopId: key.shopId };
  return { kind: 'found', shop, history, notifications, updatedAt: snapshot.updatedAt };
};

export interface LookupRequest {
  readonly shopId: string;
  readonly orderNumber: string;
  /** The e-mail address or phone number the customer gave with the order. */
  readonly contact: string;
}

export type LookupResult =
  | { readonly kind: 'found'; readonly trackingUrl: string }
  | { readonly kind: 'not_found' };

/** Read when the order number is unknown, so a miss reads an order partition like a hit does. */
const DUMMY_KEY: OrderKey = { shopId: 'lookup-miss', orderId: 'lookup-miss' };

/** The lookup's link carries no language: the page opens in the order's own locale. */
export const trackingUrlFor = (shop: ShopConfig, token: string): string =>
  trackingPageUrl(shop.statusPage.baseUrl, token);

/**
 * The tracking link for a customer who has their order number and contact but not the message. Always
 * one index query and one GetItem of the same small projection (of a decoy key when the number is
 * unknown); any mismatch (unknown shop or number, wrong contact, an order not placed yet) is the same
 * `not_found`, decided in the same steps.
 */
export const lookupTrackingUrl = async (
  deps: Pick<OrderStatusDeps, 'orders' | 'shops'>,
  request: LookupRequest,
): Promise<LookupResult> => {
  const key = await deps.orders.findByOrderNumber(request.shopId, request.orderNumber);
  const fields = await deps.orders.loadLookupFields(key ?? DUMMY_KEY);
  const shop = (await deps.shops.get(request.shopId))?.config;
  // Every check runs, whatever failed first, so the answer's time does not say which one did. The contact
  // rule is contact.ts's, the one the erasure uses too: e-mail canonically, phone in E.164.
  const matched = contactMatches(contactOf(request.contact), {
    ...fields?.customer,
    country: fields?.country,
  });
  const placed = fields?.status !== undefined && fields.status !== 'awaiting_placement';
  const sameNumber = fields?.orderNumber === request.orderNumber;
  if (!key || !fields?.trackingToken || !shop || !placed || !sameNumber || !matched) return NOT_FOUND;
  return { kind: 'found', trackingUrl: trackingUrlFor(shop, fields.trackingToken) };
};
