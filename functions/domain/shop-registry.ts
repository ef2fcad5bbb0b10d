/**
 * The shop registry as the domain sees it: which shops a deployment serves, in which state, with which
 * configuration and from which producers. The registry lives in its own DynamoDB table (one versioned
 * item per shop, every earlier version kept); functions read it through a cached directory, operators
 * change it with the CLI. Design: docs/shop-registry.md.
 */
import { WOOCOMMERCE_SOURCE } from './connectors/woocommerce.js';
import { EventRefusedError } from './errors.js';
import { DEFAULT_EVENT_SOURCE } from './order-events.js';
import type { ShopConfig } from './shop-config.js';

/**
 * - active: events are taken, customers are told.
 * - suspended: events are dead-lettered with the reason, nothing is sent; the tracking page still works.
 * - deleted: as suspended, and the shop leaves `shops list`; its orders stay until erased or expired.
 */
export const SHOP_STATES = ['active', 'suspended', 'deleted'] as const;
export type ShopState = (typeof SHOP_STATES)[number];

/** One version of a shop in the registry. */
export interface RegisteredShop {
  readonly config: ShopConfig;
  readonly state: ShopState;
  /** 1 for the first write; every write (a change, a rollback, a suspension) adds one. */
  readonly version: number;
  readonly updatedAt: string;
  /** Who wrote this version (the operator's name or ARN, as the CLI found it). */
  readonly updatedBy: string;
  /** Why: the operator's note, the suspension's reason, `rollback to version 3`. */
  readonly note?: string;
}

/** The shops as functions read them: cached, so a change is live within the cache's age. */
export interface ShopDirectory {
  /** The shop's current version in any state, or undefined for a shop the registry does not hold. */
  get(shopId: string): Promise<RegisteredShop | undefined>;
}

/** What a write is checked against: the version the writer read (optimistic locking). */
export interface ShopWrite {
  readonly config: ShopConfig;
  readonly state: ShopState;
  readonly updatedBy: string;
  readonly note?: string;
  /** The version the writer started from; undefined to create a shop that does not exist yet. */
  readonly expectedVersion: number | undefined;
}

/** Someone else changed the shop since the writer read it: nothing was written. */
export class ShopVersionConflictError extends Error {
  constructor(
    readonly shopId: string,
    readonly expectedVersion: number | undefined,
  ) {
    super(
      expectedVersion === undefined
        ? `shop ${shopId} already exists: read it and write on top of its current version`
        : `shop ${shopId} changed since version ${expectedVersion}: read it again and retry`,
    );
    this.name = 'ShopVersionConflictError';
  }
}

/** The registry as operators change it (the CLI, the local stack's seeding). */
export interface ShopRegistryStore extends ShopDirectory {
  /** Writes the next version; refuses with ShopVersionConflictError when the current one is not expected. */
  put(write: ShopWrite): Promise<RegisteredShop>;
  /** Every version of the shop, oldest first. */
  history(shopId: string): Promise<RegisteredShop[]>;
  /** The current version of every shop, in shop id order; deleted shops only when asked. */
  list(options?: { readonly includeDeleted?: boolean }): Promise<RegisteredShop[]>;
}

/**
 * The sources a shop's events may come from: its own, else the deployment's default producer source, and
 * the connector of each platform the shop has set up (which puts the translated events on the bus).
 */
export const producerSourcesOf = (shop: ShopConfig): readonly string[] => [
  ...(shop.producers ?? [DEFAULT_EVENT_SOURCE]),
  ...(shop.connectors?.woocommerce && !shop.producers?.includes(WOOCOMMERCE_SOURCE)
    ? [WOOCOMMERCE_SOURCE]
    : []),
];

/**
 * Why this deployment does not take events of the shop from this source now, or undefined when it does.
 * One wording for the ingest's dead letters, the sender's records and the CLI.
 */
export const shopRefusal = (
  shopId: string,
  entry: RegisteredShop | undefined,
  source?: string,
): string | undefined => {
  if (!entry) return `shop ${shopId} is not configured in this deployment`;
  if (entry.state === 'deleted') return `shop ${shopId} was deleted from this deployment`;
  if (entry.state === 'suspended')
    return `shop ${shopId} is suspended${entry.note ? ` (${entry.note})` : ''}`;
  if (source !== undefined && !producerSourcesOf(entry.config).includes(source)) {
    return `source ${JSON.stringify(source)} may not write orders of shop ${shopId} (its producers: ${producerSourcesOf(entry.config).join(', ')})`;
  }
  return undefined;
};

/**
 * The shop of an event, or a refusal: an event for a shop this deployment does not serve, a suspended or
 * deleted one, or from a producer the shop is not bound to is dead-lettered with the reason, and nothing
 * of it (the customer's personal data least of all) is stored.
 */
export const requireActiveShop = async (
  shops: ShopDirectory,
  shopId: string,
  source: string,
): Promise<ShopConfig> => {
  const entry = await shops.get(shopId);
  const refusal = shopRefusal(shopId, entry, source);
  if (refusal || !entry) throw new EventRefusedError(`${refusal}; nothing was stored`);
  return entry.config;
};

/** The configuration to tell customers with, or undefined (with the reason) when the shop may not send. */
export const sendingShop = async (
  shops: ShopDirectory,
  shopId: string,
): Promise<
  | { readonly shop: ShopConfig; readonly refusal?: undefined }
  | { readonly shop?: undefined; readonly refusal: string }
> => {
  const entry = await shops.get(shopId);
  const refusal = shopRefusal(shopId, entry);
  return refusal || !entry
    ? { refusal: refusal ?? `shop ${shopId} is not configured` }
    : { shop: entry.config };
};

/** A directory over shops held in memory, all active at version 1: tests, benches, previews. */
export const staticShopDirectory = (
  shops: readonly ShopConfig[],
  state: ShopState = 'active',
): ShopDirectory => {
  const byId = new Map(
    shops.map((config): [string, RegisteredShop] => [
      config.shopId,
      { config, state, version: 1, updatedAt: '1970-01-01T00:00:00.000Z', updatedBy: 'static' },
    ]),
  );
  return { get: async (shopId) => byId.get(shopId) };
};

/** A shop as listings show it (the CLI, the outbox): who and what it is, not its whole configuration. */
export const shopSummary = (shop: RegisteredShop) => ({
  shopId: shop.config.shopId,
  name: shop.config.name,
  state: shop.state,
  version: shop.version,
  producers: producerSourcesOf(shop.config),
  updatedAt: shop.updatedAt,
  updatedBy: shop.updatedBy,
  ...(shop.note ? { note: shop.note } : {}),
});

/** One change between two versions of a configuration: the path and both values (JSON). */
export interface ConfigChange {
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every leaf that differs between two configurations, by path (`statusPage.baseUrl`), in path order. */
export const diffShopConfigs = (before: unknown, after: unknown, path = ''): ConfigChange[] => {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) =>
      diffShopConfigs(
        Object.hasOwn(before, key) ? before[key] : undefined,
        Object.hasOwn(after, key) ? after[key] : undefined,
        path ? `${path}.${key}` : key,
      ),
    );
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [
    {
      path: path || '(whole)',
      ...(before === undefined ? {} : { before }),
      ...(after === undefined ? {} : { after }),
    },
  ];
};
