/**
 * The notification log on the order table, in a partition of its own per order so that recording events
 * never reads it:
 *
 *   pk = NOTIFICATIONS#<shopId>#<orderId>   sk = <eventId>#<channel>
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { NotificationLog, NotificationOutcome, NotificationRecord } from '../domain/notification-log.js';
import type { OrderKey } from '../domain/ports.js';
import { notificationSk, notificationsPk } from './table-keys.js';

type RecordKey = Pick<NotificationRecord, 'shopId' | 'orderId' | 'eventId' | 'channel'>;

const itemKey = (record: RecordKey) => ({
  pk: notificationsPk(record),
  sk: notificationSk(record.eventId, record.channel),
});

const toRecord = (item: Record<string, unknown>): NotificationRecord => {
  const { pk: _pk, sk: _sk, ...record } = item;
  return record as unknown as NotificationRecord;
};

export class DynamoDbNotificationLog implements NotificationLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async list(key: OrderKey): Promise<NotificationRecord[]> {
    const records: NotificationRecord[] = [];
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': notificationsPk(key) },
      },
    );
    for await (const page of pages) for (const item of page.Items ?? []) records.push(toRecord(item));
    return records.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  }

  async get(record: RecordKey): Promise<NotificationRecord | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: itemKey(record), ConsistentRead: true }),
    );
    return result.Item ? toRecord(result.Item) : undefined;
  }

  async create(record: NotificationRecord): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...itemKey(record), ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async update(
    record: RecordKey,
    from: readonly NotificationOutcome[],
    changes: Partial<Omit<NotificationRecord, 'shopId' | 'orderId' | 'eventId' | 'channel'>>,
    expectedLease?: string,
  ): Promise<boolean> {
    const names: Record<string, string> = { '#outcome': 'outcome' };
    const values: Record<string, unknown> = {};
    const assignments: string[] = [];
    const removals: string[] = [];
    Object.entries(changes).forEach(([name, value], i) => {
      names[`#a${i}`] = name;
      if (value === undefined) removals.push(`#a${i}`);
      else {
        values[`:v${i}`] = value;
        assignments.push(`#a${i} = :v${i}`);
      }
    });
    from.forEach((outcome, i) => {
      values[`:from${i}`] = outcome;
    });
    if (expectedLease !== undefined) {
      names['#lease'] = 'leaseUntil';
      values[':lease'] = expectedLease;
    }
    const expression = [
      assignments.length > 0 ? `SET ${assignments.join(', ')}` : '',
      removals.length > 0 ? `REMOVE ${removals.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKey(record),
          UpdateExpression: expression,
          ConditionExpression: `attribute_exists(pk) AND #outcome IN (${from.map((_, i) => `:from${i}`).join(', ')})${
            expectedLease === undefined ? '' : ' AND #lease = :lease'
          }`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
