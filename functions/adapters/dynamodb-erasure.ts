/**
 * The erasure's reads and writes on the order table (see functions/domain/erasure.ts):
 *
 * - the search: one Query per canonical form of the contact on the contact index,
 *   `pk = CONTACT#<shopId>#<contactKey>` (a SHA-256 of the shop, the kind and the canonical address),
 *   `sk = ORDER#<orderId>`, written by the ingest with every Order Placed in the same transaction. It
 *   reads the entries of that one contact, never the table (docs/dynamodb.md says why an item index
 *   rather than a GSI).
 * - the write: one transaction per order, the state item conditional on its version (as the ingest
 *   writes it), so an event recorded meanwhile makes the erasure read and fold again instead of
 *   overwriting the new state with an old fold; the version goes up by one, so an ingest that read before
 *   the erasure loses its race the same way and folds the anonymised events. The order's contact index
 *   entries are deleted in the same transaction: the index never outlives what it points to. The order
 *   number's claim (`ORDERNUMBER#…`) holds no personal data and stays: the number is the shop's record.
 * - the record: `pk = ERASURE#<shopId>`, `sk = <erasedAt>#<random>`, counts and order ids only.
 */
import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  PutCommand,
  paginateQuery,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { type ContactEntry, contactKey } from '../domain/contact.js';
import type {
  ErasableOrder,
  ErasureRecord,
  ErasureStore,
  ErasureWrite,
  OrderSearch,
} from '../domain/erasure.js';
import type { OrderKey } from '../domain/ports.js';
import { DynamoDbOrderRepository } from './dynamodb-order-repository.js';
import { contactPk, contactSk, erasurePk, eventSk, orderPk, STATE_SK } from './table-keys.js';

/** DynamoDB's limit on the items of one transaction. */
const MAX_TRANSACTION_ITEMS = 100;

export class DynamoDbErasureStore implements ErasureStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async findOrders(shopId: string, entries: readonly ContactEntry[]): Promise<OrderSearch> {
    const orderIds = new Set<string>();
    let readItems = 0;
    let readCapacityUnits = 0;
    for (const entry of entries) {
      const pages = paginateQuery(
        { client: this.client },
        {
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': contactPk(shopId, contactKey(shopId, entry)) },
          // Consistent: an order placed a moment ago is found too.
          ConsistentRead: true,
          ReturnConsumedCapacity: 'TOTAL',
        },
      );
      for await (const page of pages) {
        readItems += page.Count ?? 0;
        readCapacityUnits += page.ConsumedCapacity?.CapacityUnits ?? 0;
        for (const item of page.Items ?? []) {
          if (typeof item.orderId === 'string') orderIds.add(item.orderId);
        }
      }
    }
    const keys = [...orderIds].sort().map((orderId) => ({ shopId, orderId }));
    return { keys, readItems, readCapacityUnits };
  }

  async load(key: OrderKey): Promise<ErasableOrder | undefined> {
    const snapshot = await new DynamoDbOrderRepository(this.client, this.tableName).load(key);
    if (!snapshot) return undefined;
    return {
      version: snapshot.version,
      orderNumber: snapshot.orderNumber ?? snapshot.events[0]?.event.orderNumber ?? '',
      events: snapshot.events,
      erasedAt: snapshot.erasedAt,
    };
  }

  async write(request: ErasureWrite): Promise<'ok' | 'version_conflict'> {
    const pk = orderPk(request.key);
    const eventUpdates = request.events.map((event) => ({
      Update: {
        TableName: this.tableName,
        Key: { pk, sk: eventSk(event.eventId) },
        UpdateExpression: 'SET #event = :event, #erasedAt = :erasedAt',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#event': 'event', '#erasedAt': 'erasedAt' },
        ExpressionAttributeValues: { ':event': event, ':erasedAt': request.erasedAt },
      },
    }));
    const contactDeletes = [
      ...new Set(request.contactEntries.map((entry) => contactKey(request.key.shopId, entry))),
    ].map((key) => ({
      Delete: {
        TableName: this.tableName,
        Key: { pk: contactPk(request.key.shopId, key), sk: contactSk(request.key.orderId) },
      },
    }));
    const stateUpdate = {
      Update: {
        TableName: this.tableName,
        Key: { pk, sk: STATE_SK },
        // appliedEventIds stay as they are: the notification planner diffs them, so the erasure plans
        // no notification. Only an erased customer marks the state item (the status page's reduced view).
        UpdateExpression: request.erasesCustomer
          ? 'SET #state = :state, #erasedAt = :erasedAt, #version = :next'
          : 'SET #state = :state, #version = :next',
        ConditionExpression: '#version = :expected',
        ExpressionAttributeNames: {
          '#state': 'state',
          '#version': 'version',
          ...(request.erasesCustomer ? { '#erasedAt': 'erasedAt' } : {}),
        },
        ExpressionAttributeValues: {
          ':state': request.state,
          ':expected': request.expectedVersion,
          ':next': request.expectedVersion + 1,
          ...(request.erasesCustomer ? { ':erasedAt': request.erasedAt } : {}),
        },
      },
    };
    // An order has tens of events, so this is one transaction; past DynamoDB's limit the surplus events
    // go first, on their own (rewriting an event with its anonymised self is harmless to repeat), and
    // the last transaction holds the state item and its version check.
    const room = MAX_TRANSACTION_ITEMS - 1 - contactDeletes.length;
    const surplus = eventUpdates.slice(0, Math.max(0, eventUpdates.length - room));
    const last = eventUpdates.slice(surplus.length);
    for (let i = 0; i < surplus.length; i += MAX_TRANSACTION_ITEMS) {
      await this.client.send(
        new TransactWriteCommand({ TransactItems: surplus.slice(i, i + MAX_TRANSACTION_ITEMS) }),
      );
    }
    try {
      await this.client.send(
        new TransactWriteCommand({ TransactItems: [stateUpdate, ...last, ...contactDeletes] }),
      );
      return 'ok';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'version_conflict';
      if (reasons.some((reason) => reason.Code === 'TransactionConflict')) return 'version_conflict';
      throw error;
    }
  }

  async record(record: ErasureRecord): Promise<string> {
    const sk = `${record.erasedAt}#${randomUUID().slice(0, 8)}`;
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: erasurePk(record.shopId), sk, ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return sk;
  }
}
