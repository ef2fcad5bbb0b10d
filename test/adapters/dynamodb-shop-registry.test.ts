import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  cachedShopDirectory,
  DynamoDbShopRegistry,
  MAX_SHOP_CONFIG_BYTES,
} from '../../functions/adapters/dynamodb-shop-registry.js';
import { parseShopConfig } from '../../functions/domain/shop-config.js';
import { ShopVersionConflictError } from '../../functions/domain/shop-registry.js';
import { createShopRegistryTable, type TestTable } from '../support/dynamodb.js';

let table: TestTable;
let registry: DynamoDbShopRegistry;

beforeAll(async () => {
  table = await createShopRegistryTable();
  registry = new DynamoDbShopRegistry(table.documents, table.tableName);
});

afterAll(async () => {
  await table.drop();
});

const config = (shopId: string, name = 'Sklep') =>
  parseShopConfig({ shopId, name, statusPage: { baseUrl: `https://track.${shopId}.example.pl` } });

describe('Class: DynamoDbShopRegistry', () => {
  it('writes versions on top of each other and keeps every one, oldest first', async () => {
    // Act
    const first = await registry.put({
      config: config('sklep-h', 'Pierwsza'),
      state: 'active',
      updatedBy: 'ops-a',
      note: 'onboarding',
      expectedVersion: undefined,
    });
    const second = await registry.put({
      config: config('sklep-h', 'Druga'),
      state: 'active',
      updatedBy: 'ops-b',
      expectedVersion: first.version,
    });
    const suspended = await registry.put({
      config: second.config,
      state: 'suspended',
      updatedBy: 'ops-b',
      note: 'unpaid',
      expectedVersion: second.version,
    });

    // Assess
    expect([first.version, second.version, suspended.version]).toEqual([1, 2, 3]);
    expect(await registry.get('sklep-h')).toMatchObject({
      version: 3,
      state: 'suspended',
      note: 'unpaid',
      config: { name: 'Druga' },
    });
    const history = await registry.history('sklep-h');
    expect(history.map((entry) => [entry.version, entry.state, entry.config.name, entry.updatedBy])).toEqual([
      [1, 'active', 'Pierwsza', 'ops-a'],
      [2, 'active', 'Druga', 'ops-b'],
      [3, 'suspended', 'Druga', 'ops-b'],
    ]);
  });

  it('refuses a write on a version that is no longer current, and a second creation, writing nothing', async () => {
    // Prepare: two operators read version 1
    const created = await registry.put({
      config: config('sklep-race'),
      state: 'active',
      updatedBy: 'a',
      expectedVersion: undefined,
    });
    await registry.put({
      config: config('sklep-race', 'A'),
      state: 'active',
      updatedBy: 'a',
      expectedVersion: 1,
    });

    // Act
    const late = registry.put({
      config: config('sklep-race', 'B'),
      state: 'active',
      updatedBy: 'b',
      expectedVersion: 1,
    });
    const again = registry.put({
      config: config('sklep-race'),
      state: 'active',
      updatedBy: 'c',
      expectedVersion: undefined,
    });

    // Assess (both settled first: the second's rejection must not go unhandled while the first is checked)
    const [lateResult, againResult] = await Promise.allSettled([late, again]);
    expect(lateResult.status === 'rejected' && lateResult.reason).toBeInstanceOf(ShopVersionConflictError);
    await expect(late).rejects.toThrow('shop sklep-race changed since version 1: read it again and retry');
    expect(againResult.status === 'rejected' && String(againResult.reason)).toContain(
      'shop sklep-race already exists',
    );
    expect(created.version).toBe(1);
    expect((await registry.get('sklep-race'))?.config.name).toBe('A');
    expect((await registry.history('sklep-race')).map((entry) => entry.version)).toEqual([1, 2]);
  });

  it('lists current versions in id order, deleted shops only when asked', async () => {
    const local = await createShopRegistryTable();
    const own = new DynamoDbShopRegistry(local.documents, local.tableName);
    for (const shopId of ['zeta', 'alfa', 'constructor']) {
      await own.put({ config: config(shopId), state: 'active', updatedBy: 't', expectedVersion: undefined });
    }
    await own.put({ config: config('zeta'), state: 'deleted', updatedBy: 't', expectedVersion: 1 });

    expect((await own.list()).map((shop) => shop.config.shopId)).toEqual(['alfa', 'constructor']);
    expect((await own.list({ includeDeleted: true })).map((shop) => shop.config.shopId)).toEqual([
      'alfa',
      'constructor',
      'zeta',
    ]);
    await local.drop();
  });

  it('refuses a configuration too large for an item, naming the shop', async () => {
    const huge = { ...config('sklep-big'), name: 'x'.repeat(10) } as ReturnType<typeof config>;
    const padded = {
      ...huge,
      links: { returns: `https://x.example.pl/${'a'.repeat(MAX_SHOP_CONFIG_BYTES)}` },
    };

    await expect(
      registry.put({ config: padded, state: 'active', updatedBy: 't', expectedVersion: undefined }),
    ).rejects.toThrow(/shop sklep-big: the configuration takes more than 307200 bytes/);
    expect(await registry.get('sklep-big')).toBeUndefined();
  });

  it('reads an item written by hand that no longer passes the schema as an error naming the shop', async () => {
    await table.documents.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          shopId: 'sklep-hand',
          version: 0,
          current: 1,
          state: 'active',
          config: JSON.stringify({ shopId: 'sklep-hand', name: 'x', statusPage: { baseUrl: 'ftp://x' } }),
          updatedAt: 'now',
          updatedBy: 'console',
        },
      }),
    );
    await table.documents.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          shopId: 'sklep-other',
          version: 0,
          current: 1,
          state: 'active',
          config: JSON.stringify(config('sklep-a')),
          updatedAt: 'now',
          updatedBy: 'console',
        },
      }),
    );

    await expect(registry.get('sklep-hand')).rejects.toThrow(
      /the stored configuration of shop sklep-hand is invalid: .*shop\.statusPage\.baseUrl/,
    );
    await expect(registry.get('sklep-other')).rejects.toThrow(
      /item of shop sklep-other holds the configuration of sklep-a/,
    );
  });
});

describe('Function: cachedShopDirectory', () => {
  it('reads each shop once per cache age, unknown shops too, and sees a change after it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      // Prepare
      await registry.put({
        config: config('sklep-c', 'Przed'),
        state: 'active',
        updatedBy: 't',
        expectedVersion: undefined,
      });
      const directory = cachedShopDirectory(registry, { maxAgeSeconds: 60 });

      // Act: many lookups within the age, one change, then past the age
      for (let i = 0; i < 50; i += 1) {
        await directory.get('sklep-c');
        await directory.get('no-such-shop');
      }
      await registry.put({
        config: config('sklep-c', 'Po'),
        state: 'suspended',
        updatedBy: 't',
        expectedVersion: 1,
      });
      const stale = await directory.get('sklep-c');
      vi.setSystemTime(Date.now() + 61_000);
      const fresh = await directory.get('sklep-c');

      // Assess
      expect(directory.stats()).toEqual({ lookups: 102, reads: 3 });
      expect(stale?.config.name).toBe('Przed');
      expect(fresh).toMatchObject({ state: 'suspended', config: { name: 'Po' } });
      expect(await directory.get('no-such-shop')).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps nothing with an age of 0, and passes a registry failure on (the event is retried)', async () => {
    const reads = vi.fn().mockResolvedValue(undefined);
    const directory = cachedShopDirectory({ get: reads }, { maxAgeSeconds: 0 });
    await directory.get('a');
    await directory.get('a');
    expect(reads).toHaveBeenCalledTimes(2);

    const failing = cachedShopDirectory({ get: () => Promise.reject(new Error('throttled')) });
    await expect(failing.get('a')).rejects.toThrow('throttled');
  });
});
