/**
 * Fixed-window rate limits on the order table: one atomic counter per client, bucket and window.
 *
 *   pk = RATE#<bucket>#<client hash>   sk = WINDOW#<window start, epoch seconds>   count, expiresAt
 *
 * The client (an IP address) is stored only as a salted HMAC, so the table holds no address and the
 * counters cannot be joined across deployments. `expiresAt` (epoch seconds, the table's TTL attribute)
 * lets DynamoDB delete the counter after its window; the key contains the window, so an expired counter
 * that TTL has not deleted yet is never read again.
 */

import { createHmac } from 'node:crypto';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type KeySource, keyRingOf } from '../domain/key-ring.js';
import type { Clock } from '../domain/ports.js';
import { ratePk, rateWindowSk } from './table-keys.js';

export interface RateLimit {
  /** Requests allowed per window. */
  readonly limit: number;
  readonly windowSeconds: number;
}

export type RateLimitDecision =
  | { readonly allowed: true; readonly remaining: number }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

export interface RateLimiter {
  /**
   * Counts `cost` (default 1) for `client` in `bucket` and says whether the client was within `limit`
   * before this request: allowed while fewer than `limit` were counted in the window. A cost of 0
   * checks the budget with the very same request, so checking costs what counting costs.
   */
  hit(bucket: string, client: string, limit: RateLimit, cost?: 0 | 1): Promise<RateLimitDecision>;
}

const BUCKET_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;

export class DynamoDbRateLimiter implements RateLimiter {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    salt: KeySource,
    private readonly clock: Clock,
  ) {
    this.salt = () => keyRingOf(salt).current;
    if (this.salt().length < 16) {
      throw new RangeError('the rate-limit salt must be at least 16 characters long');
    }
  }

  /** The salt in force: a rotation (a new current key) starts every client's counters afresh. */
  private readonly salt: () => string;

  /** The stored form of a client id: a salted HMAC, 128 bits, URL-safe. */
  clientKey(client: string): string {
    return createHmac('sha256', this.salt()).update(client).digest('base64url').slice(0, 22);
  }

  async hit(
    bucket: string,
    client: string,
    { limit, windowSeconds }: RateLimit,
    cost: 0 | 1 = 1,
  ): Promise<RateLimitDecision> {
    if (!BUCKET_PATTERN.test(bucket)) throw new RangeError(`invalid rate-limit bucket name: ${bucket}`);
    if (!Number.isInteger(windowSeconds) || windowSeconds < 1) {
      throw new RangeError('windowSeconds must be a positive integer');
    }
    const nowSeconds = Math.floor(this.clock.now().getTime() / 1000);
    const windowStart = nowSeconds - (nowSeconds % windowSeconds);
    const windowEnd = windowStart + windowSeconds;
    const result = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: ratePk(bucket, this.clientKey(client)), sk: rateWindowSk(windowStart) },
        UpdateExpression: 'ADD #count :cost SET #expiresAt = if_not_exists(#expiresAt, :expiresAt)',
        ExpressionAttributeNames: { '#count': 'count', '#expiresAt': 'expiresAt' },
        ExpressionAttributeValues: { ':cost': cost, ':expiresAt': windowEnd },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const count = Number(result.Attributes?.count);
    if (!Number.isFinite(count)) throw new Error('the rate-limit counter update returned no count');
    if (count - cost >= limit) {
      return { allowed: false, retryAfterSeconds: Math.max(1, windowEnd - nowSeconds) };
    }
    return { allowed: true, remaining: Math.max(0, limit - count) };
  }
}
