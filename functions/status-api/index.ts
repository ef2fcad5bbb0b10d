/**
 * Lambda entry point: production wiring of the status API. Clients are created once per execution
 * environment; the shops come from the shop registry through its cache. The DynamoDB endpoint comes from the SDK's standard settings
 * (AWS_ENDPOINT_URL_DYNAMODB), which is how the local stack points this same code at DynamoDB Local.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import { documentClient, sdkClientConfig } from '../adapters/aws-clients.js';
import { DynamoDbNotificationLog } from '../adapters/dynamodb-notification-log.js';
import { DynamoDbOrderRepository } from '../adapters/dynamodb-order-repository.js';
import { DynamoDbRateLimiter } from '../adapters/dynamodb-rate-limiter.js';
import { registryDirectory, SHOP_REGISTRY_SETTINGS } from '../adapters/dynamodb-shop-registry.js';
import { loadFunctionSecret, refreshSecrets, SECRET_SETTINGS } from '../adapters/secrets-manager-secrets.js';
import { readConfig } from '../commons/config.js';
import { createLogger } from '../commons/logging.js';
import { DEFAULT_LOOKUP_MIN_RESPONSE_MS, DEFAULT_RATE_LIMITS, makeStatusApiHandler } from './status-api.js';

const count = (fallback: number) => z.coerce.number().int().min(1).max(1_000_000).default(fallback);

const config = readConfig({
  ORDERS_TABLE_NAME: z.string().min(1),
  ...SHOP_REGISTRY_SETTINGS,
  ...SECRET_SETTINGS,
  LOOKUP_RATE_LIMIT: count(DEFAULT_RATE_LIMITS.lookup.limit),
  LOOKUP_RATE_WINDOW_SECONDS: count(DEFAULT_RATE_LIMITS.lookup.windowSeconds),
  /** Failed lookups per shop and order number per window, whoever asks (then 429 for everyone). */
  LOOKUP_ORDER_RATE_LIMIT: count(DEFAULT_RATE_LIMITS.lookupPerOrder.limit),
  LOOKUP_ORDER_RATE_WINDOW_SECONDS: count(DEFAULT_RATE_LIMITS.lookupPerOrder.windowSeconds),
  /** The least time a lookup takes to answer, so its time cannot tell a wrong contact from a miss. */
  LOOKUP_MIN_RESPONSE_MS: z.coerce.number().int().min(0).max(5000).default(DEFAULT_LOOKUP_MIN_RESPONSE_MS),
  TOKEN_RATE_LIMIT: count(DEFAULT_RATE_LIMITS.token.limit),
  TOKEN_RATE_WINDOW_SECONDS: count(DEFAULT_RATE_LIMITS.token.windowSeconds),
});

/** Timeouts and retries below the function's own timeout (functions/commons/function-timeouts.ts). */
const sdk = sdkClientConfig('status-api');

const documents = documentClient(new DynamoDBClient(sdk));
const shops = registryDirectory(documents, config.SHOP_REGISTRY_TABLE_NAME, config.SHOP_CACHE_SECONDS);
const clock = { now: () => new Date() };
const logger = createLogger('statusApi');

/** Keys the HMAC of client addresses in the rate-limit counters (RATE_LIMIT_SALT_ARN names it). */
const rateLimitSalt = await loadFunctionSecret('RATE_LIMIT_SALT', {
  sdk,
  cacheSeconds: config.SECRET_CACHE_SECONDS,
  logger,
});

export const handler = makeStatusApiHandler({
  orders: new DynamoDbOrderRepository(documents, config.ORDERS_TABLE_NAME),
  notifications: new DynamoDbNotificationLog(documents, config.ORDERS_TABLE_NAME),
  shops,
  clock,
  rateLimiter: new DynamoDbRateLimiter(documents, config.ORDERS_TABLE_NAME, rateLimitSalt.keys, clock),
  rateLimits: {
    lookup: { limit: config.LOOKUP_RATE_LIMIT, windowSeconds: config.LOOKUP_RATE_WINDOW_SECONDS },
    lookupPerOrder: {
      limit: config.LOOKUP_ORDER_RATE_LIMIT,
      windowSeconds: config.LOOKUP_ORDER_RATE_WINDOW_SECONDS,
    },
    token: { limit: config.TOKEN_RATE_LIMIT, windowSeconds: config.TOKEN_RATE_WINDOW_SECONDS },
  },
  lookupMinResponseMs: config.LOOKUP_MIN_RESPONSE_MS,
  logger,
}).use(refreshSecrets(rateLimitSalt));
