/**
 * Finding an order the way an operator names it (its id or the number the customer sees) and reading
 * everything about it: events, state item marks, notification log.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbNotificationLog } from '../functions/adapters/dynamodb-notification-log.js';
import { DynamoDbOrderRepository } from '../functions/adapters/dynamodb-order-repository.js';
import { orderPk, STATE_SK } from '../functions/adapters/table-keys.js';
import { resolveLanguage } from '../functions/domain/i18n.js';
import type { NotificationRecord } from '../functions/domain/notification-log.js';
import { type OrderHistory, replay } from '../functions/domain/order-lifecycle.js';
import type { OrderKey, OrderSnapshot } from '../functions/domain/ports.js';
import type { ShopConfig } from '../functions/domain/shop-config.js';
import { trackingPageUrl } from '../functions/domain/web/links.js';
import { type CommandContext, checkShopId } from './context.js';
import { notFoundError } from './io.js';

export interface LoadedOrder {
  readonly key: OrderKey;
  readonly snapshot: OrderSnapshot;
  readonly history: OrderHistory;
  readonly notifications: readonly NotificationRecord[];
  /** From the state item: set when the customer's data was erased. */
  readonly erasedAt?: string | undefined;
}

/** Tries the reference as an order id, then as an order number (byOrderNumber index). */
export const loadOrder = async (
  context: CommandContext,
  shopId: string,
  reference: string,
): Promise<LoadedOrder> => {
  checkShopId(shopId);
  const table = context.tableName();
  const documents = context.dynamo();
  const orders = new DynamoDbOrderRepository(documents, table);
  let key: OrderKey = { shopId, orderId: reference };
  let snapshot = await orders.load(key);
  if (!snapshot) {
    const byNumber = await orders.findByOrderNumber(shopId, reference);
    if (byNumber) {
      key = byNumber;
      snapshot = await orders.load(byNumber);
    }
  }
  if (!snapshot || snapshot.events.length === 0) {
    throw notFoundError(
      `no order ${JSON.stringify(reference)} of shop ${shopId} in table ${table} (looked up as an order id and as an order number)`,
    );
  }
  const [notifications, state] = await Promise.all([
    new DynamoDbNotificationLog(documents, table).list(key),
    documents.send(
      new GetCommand({
        TableName: table,
        Key: { pk: orderPk(key), sk: STATE_SK },
        ProjectionExpression: 'erasedAt',
        ConsistentRead: true,
      }),
    ),
  ]);
  const erasedAt = typeof state.Item?.erasedAt === 'string' ? state.Item.erasedAt : undefined;
  return {
    key,
    snapshot,
    history: replay(snapshot.events.map((stored) => stored.event)),
    notifications,
    erasedAt,
  };
};

/**
 * The tracking page link for an order: in the order's language (`?lang=`), on the shop's status page, or
 * on the local stack's API when the CLI runs against one (locally, the links the customer got open there).
 */
export const trackingLinkOf = (
  shop: ShopConfig | undefined,
  token: string | undefined,
  locale: string | undefined,
  localApi?: string,
): string | undefined =>
  shop && token
    ? trackingPageUrl(
        localApi ?? shop.statusPage.baseUrl,
        token,
        resolveLanguage(locale, shop.defaultLanguage),
      )
    : undefined;
