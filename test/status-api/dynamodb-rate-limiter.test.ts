import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbRateLimiter } from '../../functions/adapters/dynamodb-rate-limiter.js';
import { RATE_PK_PREFIX } from '../../functions/adapters/table-keys.js';
import { createOrderTable, type TestTable } from '../support/dynamodb.js';

const SALT = 'rate-limit-salt-0001';
let table: TestTable;
let now = new Date('2026-11-21T12:00:20Z');
const clock = { now: () => now };

beforeAll(async () => {
  table = await createOrderTable();
});

afterAll(async () => {
  await table.drop();
});

const limiter = (salt = SALT) => new DynamoDbRateLimiter(table.documents, table.tableName, salt, clock);

describe('Class: DynamoDbRateLimiter', () => {
  it('allows a client its limit per window, then says how long to wait', async () => {
    // Prepare
    const limit = { limit: 3, windowSeconds: 60 };

    // Act
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await limiter().hit('lookup', '203.0.113.7', limit));

    // Assess: 20 s into the minute, 40 s are left
    expect(decisions).toEqual([
      { allowed: true, remaining: 2 },
      { allowed: true, remaining: 1 },
      { allowed: true, remaining: 0 },
      { allowed: false, retryAfterSeconds: 40 },
    ]);
  });

  it('checks without counting at a cost of 0, with the same request a counted hit makes', async () => {
    // Prepare
    const limit = { limit: 2, windowSeconds: 60 };
    const hit = (cost: 0 | 1) => limiter().hit('lookup-order', 'sklep#ZAM/1', limit, cost);

    // Act: checks never use the budget; counted hits do, and a check after them is refused too
    const decisions = [await hit(0), await hit(0), await hit(1), await hit(0), await hit(1), await hit(0)];

    // Assess
    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, true, true, false]);
    expect(await hit(1)).toEqual({ allowed: false, retryAfterSeconds: 40 });
  });

  it('starts afresh in the next window and keeps buckets and clients apart', async () => {
    // Prepare
    const limit = { limit: 1, windowSeconds: 60 };
    now = new Date('2026-11-21T13:00:59Z');
    await limiter().hit('lookup', '203.0.113.8', limit);

    // Act
    const sameWindow = await limiter().hit('lookup', '203.0.113.8', limit);
    const otherBucket = await limiter().hit('token', '203.0.113.8', limit);
    const otherClient = await limiter().hit('lookup', '203.0.113.9', limit);
    now = new Date('2026-11-21T13:01:00Z');
    const nextWindow = await limiter().hit('lookup', '203.0.113.8', limit);

    // Assess
    expect(sameWindow).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect([otherBucket.allowed, otherClient.allowed, nextWindow.allowed]).toEqual([true, true, true]);
  });

  it('counts atomically under concurrent requests', async () => {
    // Prepare
    now = new Date('2026-11-21T14:00:00Z');

    // Act
    const decisions = await Promise.all(
      Array.from({ length: 25 }, () =>
        limiter().hit('lookup', '203.0.113.10', { limit: 10, windowSeconds: 300 }),
      ),
    );

    // Assess
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(10);
  });

  it('stores a salted hash of the client with the end of its window as the TTL, never the address', async () => {
    // Prepare
    now = new Date('2026-11-21T15:02:30Z');
    const address = '2001:db8::42';

    // Act
    await limiter().hit('lookup', address, { limit: 5, windowSeconds: 300 });
    await limiter('another-salt-000001').hit('lookup', address, { limit: 5, windowSeconds: 300 });

    // Assess
    const { Items = [] } = await table.documents.send(new ScanCommand({ TableName: table.tableName }));
    const windowStart = Date.parse('2026-11-21T15:00:00Z') / 1000;
    const counters = Items.filter((item) => item.sk === `WINDOW#${windowStart}`);
    expect(counters).toHaveLength(2);
    for (const item of counters) {
      expect(item).toMatchObject({ count: 1, expiresAt: windowStart + 300 });
      expect(item.pk).toMatch(new RegExp(`^${RATE_PK_PREFIX}lookup#[A-Za-z0-9_-]{22}$`));
    }
    expect(counters[0]?.pk).not.toBe(counters[1]?.pk);
    expect(JSON.stringify(Items)).not.toContain('2001:db8');
  });

  it('refuses a short salt and a malformed bucket name', async () => {
    expect(() => limiter('short')).toThrow('the rate-limit salt must be at least 16 characters long');
    await expect(limiter().hit('RATE#x', 'a', { limit: 1, windowSeconds: 1 })).rejects.toThrow(
      'invalid rate-limit bucket name',
    );
  });
});
