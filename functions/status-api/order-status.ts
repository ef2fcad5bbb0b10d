/**
 * The two reads behind the status API: an order by its tracking token, and a tracking token by shop,
 * order number and the customer's contact. Both are shaped so that a miss cannot be told from a hit by
 * its cost: every path makes the same DynamoDB requests, whatever was wrong.
 */
import { contactMatches, contactOf } from '../domain/contact.js';
import type { NotificationLog, NotificationRecord } from '../domain/notification-log.js';
import { type OrderHistory, replay } from '../domain/order-lifecycle.js';
import type { OrderKey, OrderSnapshot } from '../domain/ports.js';
import type { ShopConfig, ShopDirectory } from '../domain/shop-config.js';
import { generateTrackingToken, isWellFormedTrackingToken } from '../domain/tracking-token.js';

/** The reads the status API needs from the order store (DynamoDbOrderRepository has them). */
export interface OrderFinder {
  load(key: OrderKey): Promise<OrderSnapshot | undefined>;
  findByTrackingToken(token: string): Promise<OrderKey | undefined>;
  findByOrderNumber(shopId: string, orderNumber: string): Promise<OrderKey | undefined>;
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
  const shop = deps.shops.get(key.shopId);
  if (!shop) return { kind: 'shop_not_configured', shopId: key.shopId };
  return { kind: 'found', shop, history, notifications };
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

export const trackingUrlFor = (shop: ShopConfig, token: string): string =>
  `${shop.statusPage.baseUrl.replace(/\/+$/, '')}/t/${token}`;

/**
 * The tracking link for a customer who has their order number and contact but not the message. Always
 * one index query and one order read; any mismatch (unknown shop or number, wrong contact, an order not
 * placed yet) is the same `not_found`.
 */
export const lookupTrackingUrl = async (
  deps: Pick<OrderStatusDeps, 'orders' | 'shops'>,
  request: LookupRequest,
): Promise<LookupResult> => {
  const key = await deps.orders.findByOrderNumber(request.shopId, request.orderNumber);
  const snapshot = await deps.orders.load(key ?? DUMMY_KEY);
  const shop = deps.shops.get(request.shopId);
  if (!key || !snapshot?.trackingToken || snapshot.events.length === 0 || !shop) return NOT_FOUND;
  const { state } = replay(snapshot.events.map((stored) => stored.event));
  if (state.status === 'awaiting_placement' || !state.customer) return NOT_FOUND;
  // The contact rule is contact.ts's, the one the erasure uses too: e-mail canonically, phone in E.164.
  const contact = contactOf(request.contact);
  const fields = { ...state.customer, country: state.delivery?.country };
  if (state.orderNumber !== request.orderNumber || !contactMatches(contact, fields)) {
    return NOT_FOUND;
  }
  return { kind: 'found', trackingUrl: trackingUrlFor(shop, snapshot.trackingToken) };
};
