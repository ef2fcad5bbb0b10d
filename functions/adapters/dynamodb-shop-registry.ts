/**
 * The shop registry on its own DynamoDB table (docs/shop-registry.md): one item per shop version, the
 * current one at version 0. Functions read it through `cachedShopDirectory` (Powertools Parameters'
 * cache); the CLI and the local stack write it through `DynamoDbShopRegistry`.
 *
 *   shopId = <shopId>   version = 0     the current version: `current` names it, the rest is a copy
 *   shopId = <shopId>   version = <n>   version n as written (n ≥ 1), kept for history and rollback
 */
import { BaseProvider } from '@aws-lambda-powertools/parameters/base';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  paginateScan,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { parseShopConfig, type ShopConfig } from '../domain/shop-config.js';
import {
  type RegisteredShop,
  SHOP_STATES,
  type ShopDirectory,
  type ShopRegistryStore,
  type ShopState,
  ShopVersionConflictError,
  type ShopWrite,
} from '../domain/shop-registry.js';
import { SHOP_CURRENT_VERSION } from './table-keys.js';

/** How long a function keeps a shop it read before it reads it again, unless configured. */
export const DEFAULT_SHOP_CACHE_SECONDS = 60;

/** The environment of every function that reads the registry (functions/commons/config.ts readConfig). */
export const SHOP_REGISTRY_SETTINGS = {
  SHOP_REGISTRY_TABLE_NAME: z.string().min(1),
  /** How long a function keeps a shop it read: a registry change is live everywhere within it. */
  SHOP_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(DEFAULT_SHOP_CACHE_SECONDS),
};

/** A stored configuration of this size or more is refused: DynamoDB's item limit is 400 KB. */
export const MAX_SHOP_CONFIG_BYTES = 300 * 1024;

interface ShopItem {
  readonly shopId: string;
  readonly version: number;
  readonly current?: number;
  readonly state: string;
  readonly config: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly note?: string;
}

/** A registry item as the domain sees it; an item that no longer passes the shop schema is an error. */
const fromItem = (item: ShopItem): RegisteredShop => {
  if (!SHOP_STATES.includes(item.state as ShopState)) {
    throw new Error(`shop registry: shop ${item.shopId} has an unknown state ${JSON.stringify(item.state)}`);
  }
  let config: ShopConfig;
  try {
    config = parseShopConfig(JSON.parse(item.config), 'shop');
  } catch (error) {
    throw new Error(
      `shop registry: the stored configuration of shop ${item.shopId} is invalid: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (config.shopId !== item.shopId) {
    throw new Error(
      `shop registry: the item of shop ${item.shopId} holds the configuration of ${config.shopId}`,
    );
  }
  return {
    config,
    state: item.state as ShopState,
    version: item.current ?? item.version,
    updatedAt: item.updatedAt,
    updatedBy: item.updatedBy,
    ...(item.note ? { note: item.note } : {}),
  };
};

export class DynamoDbShopRegistry implements ShopRegistryStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Functions read eventually consistently (half the cost; the cache is older anyway), the CLI not. */
    private readonly options: { readonly consistentReads?: boolean } = {},
  ) {}

  async get(shopId: string): Promise<RegisteredShop | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { shopId, version: SHOP_CURRENT_VERSION },
        ConsistentRead: this.options.consistentReads ?? true,
      }),
    );
    return Item ? fromItem(Item as ShopItem) : undefined;
  }

  async put(write: ShopWrite): Promise<RegisteredShop> {
    const { config } = write;
    const version = (write.expectedVersion ?? 0) + 1;
    const stored = JSON.stringify(config);
    if (Buffer.byteLength(stored, 'utf8') > MAX_SHOP_CONFIG_BYTES) {
      throw new Error(
        `shop ${config.shopId}: the configuration takes more than ${MAX_SHOP_CONFIG_BYTES} bytes; shorten the template overrides`,
      );
    }
    const entry: RegisteredShop = {
      config,
      state: write.state,
      version,
      updatedAt: new Date().toISOString(),
      updatedBy: write.updatedBy,
      ...(write.note ? { note: write.note } : {}),
    };
    const attributes = {
      shopId: config.shopId,
      state: entry.state,
      config: stored,
      updatedAt: entry.updatedAt,
      updatedBy: entry.updatedBy,
      note: entry.note,
    };
    try {
      await this.documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...attributes, version: SHOP_CURRENT_VERSION, current: version },
                ...(write.expectedVersion === undefined
                  ? { ConditionExpression: 'attribute_not_exists(shopId)' }
                  : {
                      ConditionExpression: '#current = :expected',
                      ExpressionAttributeNames: { '#current': 'current' },
                      ExpressionAttributeValues: { ':expected': write.expectedVersion },
                    }),
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { ...attributes, version },
                ConditionExpression: 'attribute_not_exists(shopId)',
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof Error && error.name === 'TransactionCanceledException') {
        throw new ShopVersionConflictError(config.shopId, write.expectedVersion);
      }
      throw error;
    }
    return entry;
  }

  async history(shopId: string): Promise<RegisteredShop[]> {
    const versions: RegisteredShop[] = [];
    const pages = paginateQuery(
      { client: this.documents },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'shopId = :shopId AND version > :current',
        ExpressionAttributeValues: { ':shopId': shopId, ':current': SHOP_CURRENT_VERSION },
        ConsistentRead: true,
      },
    );
    for await (const page of pages)
      versions.push(...(page.Items ?? []).map((item) => fromItem(item as ShopItem)));
    return versions;
  }

  async list(options: { readonly includeDeleted?: boolean } = {}): Promise<RegisteredShop[]> {
    const shops: RegisteredShop[] = [];
    const pages = paginateScan(
      { client: this.documents },
      {
        TableName: this.tableName,
        FilterExpression: 'version = :current',
        ExpressionAttributeValues: { ':current': SHOP_CURRENT_VERSION },
        ConsistentRead: true,
      },
    );
    for await (const page of pages)
      shops.push(...(page.Items ?? []).map((item) => fromItem(item as ShopItem)));
    return shops
      .filter((shop) => options.includeDeleted || shop.state !== 'deleted')
      .sort((a, b) => (a.config.shopId < b.config.shopId ? -1 : a.config.shopId > b.config.shopId ? 1 : 0));
  }
}

/** What the cache holds for a shop the registry does not know, so a stream of them reads it once. */
const ABSENT = Object.freeze({ absent: true as const });

/**
 * Powertools Parameters' provider cache over the registry: each shop is read at most once per `maxAge`
 * seconds per execution environment (unknown shops too, so a flood of made-up shop ids costs one read
 * each per cache age); a change is live everywhere within `maxAge`.
 */
class ShopRegistryProvider extends BaseProvider {
  constructor(private readonly registry: ShopDirectory) {
    super({});
  }

  protected async _get(shopId: string): Promise<RegisteredShop | typeof ABSENT> {
    return (await this.registry.get(shopId)) ?? ABSENT;
  }

  protected async _getMultiple(): Promise<Record<string, unknown>> {
    throw new Error('the shop registry is read one shop at a time');
  }
}

export interface ShopCacheStats {
  /** Reads of the registry (cache misses and expiries). */
  readonly reads: number;
  readonly lookups: number;
}

/** The directory functions read: the registry through a cache of `maxAgeSeconds`. */
export const cachedShopDirectory = (
  registry: ShopDirectory,
  options: { readonly maxAgeSeconds?: number } = {},
): ShopDirectory & { stats(): ShopCacheStats } => {
  let reads = 0;
  let lookups = 0;
  const counted: ShopDirectory = {
    get: (shopId) => {
      reads += 1;
      return registry.get(shopId);
    },
  };
  const provider = new ShopRegistryProvider(counted);
  const maxAge = options.maxAgeSeconds ?? DEFAULT_SHOP_CACHE_SECONDS;
  return {
    get: async (shopId) => {
      lookups += 1;
      const value = (await provider.get(shopId, { maxAge })) as RegisteredShop | typeof ABSENT | undefined;
      return value === undefined || 'absent' in value ? undefined : value;
    },
    stats: () => ({ reads, lookups }),
  };
};

/** A function's directory: the registry table, read eventually consistently, behind the cache. */
export const registryDirectory = (
  documents: DynamoDBDocumentClient,
  tableName: string,
  maxAgeSeconds: number,
): ShopDirectory & { stats(): ShopCacheStats } =>
  cachedShopDirectory(new DynamoDbShopRegistry(documents, tableName, { consistentReads: false }), {
    maxAgeSeconds,
  });
