/**
 * The erasure's reads and writes on the order table (see functions/domain/erasure.ts):
 *
 * - the search: a Scan of the table for the shop's order state items (`pk` begins with
 *   `ORDER#<shopId>#`, `sk = STATE`), matching the contact in code. There is no index by e-mail or phone,
 *   on purpose: an index would be a second copy of every customer's contact, kept forever. A Scan reads
 *   every item of the table (the filter only trims what comes back), so its cost is the table's size:
 *   about 0.5 read units per 4 KB with eventually consistent reads; docs/operations.md has the numbers.
 *   Parallel segments shorten the time, not the cost.
 * - the write: one transaction per order, the state item conditional on its version (as the ingest
 *   writes it), so an event recorded meanwhile makes the erasure read and fold again instead of
 *   overwriting the new state with an old fold; the version goes up by one, so an ingest that read before
 *   the erasure loses its race the same way and folds the anonymised events.
 * - the record: `pk = ERASURE#<shopId>`, `sk = <erasedAt>#<random>`, counts and order ids only.
 */
import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  PutCommand,
  paginateScan,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  ContactFields,
  ErasableOrder,
  ErasureRecord,
  ErasureStore,
  ErasureWrite,
  OrderSearch,
} from '../domain/erasure.js';
import type { OrderKey } from '../domain/ports.js';
import { DynamoDbOrderRepository, EVENT_SK_PREFIX, orderPk, STATE_SK } from './dynamodb-order-repository.js';

export const ERASURE_PK_PREFIX = 'ERASURE#';

/** DynamoDB's limit on the items of one transaction. */
const MAX_TRANSACTION_ITEMS = 100;

interface ScannedState {
  readonly pk: string;
  readonly state?: {
    readonly customer?: { readonly email?: string; readonly phone?: string };
    readonly delivery?: { readonly country?: string };
  };
}

export interface DynamoDbErasureStoreOptions {
  /**
   * Parallel Scan segments: more finish a large table sooner for the same cost.
   * @default 4
   */
  readonly segments?: number;
}

export class DynamoDbErasureStore implements ErasureStore {
  private readonly segments: number;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoDbErasureStoreOptions = {},
  ) {
    this.segments = options.segments ?? 4;
    if (!Number.isInteger(this.segments) || this.segments < 1 || this.segments > 1000) {
      throw new RangeError(`segments must be an integer from 1 to 1000, got ${this.segments}`);
    }
  }

  async findOrders(
    shopId: string,
    matches: (fields: ContactFields) => boolean,
    onProgress?: (scannedItems: number) => void,
  ): Promise<OrderSearch> {
    const prefix = `ORDER#${shopId}#`;
    const keys: OrderKey[] = [];
    let scannedItems = 0;
    let readCapacityUnits = 0;
    const scanSegment = async (segment: number) => {
      const pages = paginateScan(
        { client: this.client },
        {
          TableName: this.tableName,
          Segment: segment,
          TotalSegments: this.segments,
          FilterExpression: '#sk = :state AND begins_with(#pk, :prefix)',
          // Only what the match needs comes back (the read cost is the same either way).
          ProjectionExpression:
            '#pk, #state.#customer.#email, #state.#customer.#phone, #state.#delivery.#country',
          ExpressionAttributeNames: {
            '#pk': 'pk',
            '#sk': 'sk',
            '#state': 'state',
            '#customer': 'customer',
            '#email': 'email',
            '#phone': 'phone',
            '#delivery': 'delivery',
            '#country': 'country',
          },
          ExpressionAttributeValues: { ':state': STATE_SK, ':prefix': prefix },
          ReturnConsumedCapacity: 'TOTAL',
        },
      );
      for await (const page of pages) {
        scannedItems += page.ScannedCount ?? 0;
        readCapacityUnits += page.ConsumedCapacity?.CapacityUnits ?? 0;
        for (const item of (page.Items ?? []) as ScannedState[]) {
          const customer = item.state?.customer;
          if (!customer) continue;
          const fields = {
            email: customer.email,
            phone: customer.phone,
            country: item.state?.delivery?.country,
          };
          if (matches(fields)) keys.push({ shopId, orderId: item.pk.slice(prefix.length) });
        }
        onProgress?.(scannedItems);
      }
    };
    await Promise.all(Array.from({ length: this.segments }, (_, segment) => scanSegment(segment)));
    keys.sort((a, b) => (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0));
    return { keys, scannedItems, readCapacityUnits };
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
        Key: { pk, sk: `${EVENT_SK_PREFIX}${event.eventId}` },
        UpdateExpression: 'SET #event = :event, #erasedAt = :erasedAt',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#event': 'event', '#erasedAt': 'erasedAt' },
        ExpressionAttributeValues: { ':event': event, ':erasedAt': request.erasedAt },
      },
    }));
    const stateUpdate = {
      Update: {
        TableName: this.tableName,
        Key: { pk, sk: STATE_SK },
        // appliedEventIds stay as they are: the notification planner diffs them, so the erasure plans
        // no notification.
        UpdateExpression: 'SET #state = :state, #erasedAt = :erasedAt, #version = :next',
        ConditionExpression: '#version = :expected',
        ExpressionAttributeNames: { '#state': 'state', '#erasedAt': 'erasedAt', '#version': 'version' },
        ExpressionAttributeValues: {
          ':state': request.state,
          ':erasedAt': request.erasedAt,
          ':expected': request.expectedVersion,
          ':next': request.expectedVersion + 1,
        },
      },
    };
    // An order has tens of events, so this is one transaction; past DynamoDB's limit the surplus events
    // go first, on their own (rewriting an event with its anonymised self is harmless to repeat), and
    // the last transaction holds the state item and its version check.
    const room = MAX_TRANSACTION_ITEMS - 1;
    const surplus = eventUpdates.slice(0, Math.max(0, eventUpdates.length - room));
    const last = eventUpdates.slice(surplus.length);
    for (let i = 0; i < surplus.length; i += MAX_TRANSACTION_ITEMS) {
      await this.client.send(
        new TransactWriteCommand({ TransactItems: surplus.slice(i, i + MAX_TRANSACTION_ITEMS) }),
      );
    }
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: [stateUpdate, ...last] }));
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
        Item: { pk: `${ERASURE_PK_PREFIX}${record.shopId}`, sk, ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return sk;
  }
}
