/**
 * Brings a table written before the order-number claims and the contact index existed up to date: one
 * Scan of the order partitions (a one-off per table, run by the operator after the upgrade; never part
 * of an erasure), writing for every stored Order Placed its contact index entries and for every placed
 * order the claim of its number. Idempotent and resumable: entries are plain Puts of the same item, a
 * claim is conditional on being absent or the same order's. Two orders holding one number (what the
 * claims now prevent) are reported, not resolved: the operator decides which keeps it.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, paginateScan } from '@aws-sdk/lib-dynamodb';
import { contactKeysOf } from '../domain/contact.js';
import type { OrderEvent } from '../domain/order-events.js';
import {
  CLAIM_SK,
  contactPk,
  contactSk,
  EVENT_SK_PREFIX,
  ORDER_PK_PREFIX,
  orderNumberPk,
  parseOrderPk,
  STATE_SK,
} from './table-keys.js';

export interface ReindexReport {
  readonly scannedItems: number;
  readonly readCapacityUnits: number;
  /** Contact index entries written (again, for those that were there). */
  readonly contactEntries: number;
  /** Order-number claims written or found already held by their own order. */
  readonly claims: number;
  /** Numbers another order of the shop holds: the second order is not reachable by the lookup. */
  readonly conflicts: ReadonlyArray<{
    readonly shopId: string;
    readonly orderId: string;
    readonly heldBy: string | undefined;
  }>;
}

interface ScannedItem {
  readonly pk: string;
  readonly sk: string;
  readonly status?: string;
  readonly orderNumber?: string;
  readonly event?: OrderEvent;
}

export const reindexOrderTable = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  onProgress?: (scannedItems: number) => void,
): Promise<ReindexReport> => {
  let scannedItems = 0;
  let readCapacityUnits = 0;
  let contactEntries = 0;
  let claims = 0;
  const conflicts: Array<ReindexReport['conflicts'][number]> = [];
  const pages = paginateScan(
    { client },
    {
      TableName: tableName,
      FilterExpression: 'begins_with(pk, :order) AND (sk = :state OR begins_with(sk, :event))',
      ExpressionAttributeValues: { ':order': ORDER_PK_PREFIX, ':state': STATE_SK, ':event': EVENT_SK_PREFIX },
      ProjectionExpression: 'pk, sk, #status, orderNumber, #event',
      ExpressionAttributeNames: { '#status': 'status', '#event': 'event' },
      ReturnConsumedCapacity: 'TOTAL',
    },
  );
  for await (const page of pages) {
    scannedItems += page.ScannedCount ?? 0;
    readCapacityUnits += page.ConsumedCapacity?.CapacityUnits ?? 0;
    for (const item of (page.Items ?? []) as ScannedItem[]) {
      const key = parseOrderPk(item.pk);
      if (!key) continue;
      if (item.sk === STATE_SK) {
        if (!item.orderNumber || item.status === undefined || item.status === 'awaiting_placement') continue;
        try {
          await client.send(
            new PutCommand({
              TableName: tableName,
              Item: {
                pk: orderNumberPk(key.shopId, item.orderNumber),
                sk: CLAIM_SK,
                ...key,
                orderNumber: item.orderNumber,
              },
              ConditionExpression: 'attribute_not_exists(pk) OR orderId = :orderId',
              ExpressionAttributeValues: { ':orderId': key.orderId },
            }),
          );
          claims++;
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
          const held = await client.send(
            new GetCommand({
              TableName: tableName,
              Key: { pk: orderNumberPk(key.shopId, item.orderNumber), sk: CLAIM_SK },
            }),
          );
          conflicts.push({ ...key, heldBy: held.Item?.orderId as string | undefined });
        }
      } else if (item.event?.type === 'Order Placed') {
        for (const contactKey of contactKeysOf(key.shopId, [item.event])) {
          await client.send(
            new PutCommand({
              TableName: tableName,
              Item: {
                pk: contactPk(key.shopId, contactKey),
                sk: contactSk(key.orderId),
                ...key,
              },
            }),
          );
          contactEntries++;
        }
      }
    }
    onProgress?.(scannedItems);
  }
  return { scannedItems, readCapacityUnits, contactEntries, claims, conflicts };
};
