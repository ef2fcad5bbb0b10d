/**
 * Addresses not to write to, per shop and channel, on the order table:
 *
 *   pk = SUPPRESSION#<shopId>   sk = <channel>#<sha256 of the address>
 *
 * Only a hash of the address is stored: the list answers "is this address suppressed?" without being a
 * list of customers' addresses itself. The address is canonicalised first (`canonicalAddress`), so the
 * planner, the SES feedback, the unsubscribe and the erasure all hit the same key for one address.
 */
import { createHash } from 'node:crypto';
import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { canonicalAddress } from '../domain/contact.js';
import type { Channel } from '../domain/notification-log.js';
import type { SuppressionList } from '../domain/notification-ports.js';
import { suppressionPk, suppressionSk } from './table-keys.js';

/** Every caller's address is canonicalised here, by the one rule (contact.ts), before it is hashed. */
const hash = (channel: Channel, address: string): string =>
  createHash('sha256').update(canonicalAddress(channel, address)).digest('base64url');
const key = (shopId: string, channel: Channel, address: string) => ({
  pk: suppressionPk(shopId),
  sk: suppressionSk(channel, hash(channel, address)),
});

export class DynamoDbSuppressionList implements SuppressionList {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async check(shopId: string, channel: Channel, address: string): Promise<string | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: key(shopId, channel, address) }),
    );
    return typeof result.Item?.reason === 'string' ? result.Item.reason : undefined;
  }

  async suppress(shopId: string, channel: Channel, address: string, reason: string): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...key(shopId, channel, address), reason, suppressedAt: this.clock().toISOString() },
      }),
    );
  }

  async disabledPushTokens(shopId: string, tokens: readonly string[]): Promise<Set<string>> {
    const disabled = new Set<string>();
    const byHash = new Map(tokens.map((token) => [key(shopId, 'push', token).sk, token]));
    const keys = [...byHash.keys()].map((sk) => ({ pk: suppressionPk(shopId), sk }));
    for (let i = 0; i < keys.length; i += 100) {
      let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
        [this.tableName]: { Keys: keys.slice(i, i + 100) },
      };
      while (request && Object.keys(request).length > 0) {
        const result = await this.client.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of result.Responses?.[this.tableName] ?? []) {
          const token = byHash.get(String(item.sk));
          if (token) disabled.add(token);
        }
        request = result.UnprocessedKeys as typeof request;
      }
    }
    return disabled;
  }
}
