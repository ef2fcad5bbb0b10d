/** Lambda entry point: the unsubscribe link (API Gateway HTTP API). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import { documentClient, sdkClientConfig } from '../adapters/aws-clients.js';
import { registryDirectory, SHOP_REGISTRY_SETTINGS } from '../adapters/dynamodb-shop-registry.js';
import { DynamoDbSuppressionList } from '../adapters/dynamodb-suppression-list.js';
import { loadFunctionSecret, refreshSecrets, SECRET_SETTINGS } from '../adapters/secrets-manager-secrets.js';
import { readConfig } from '../commons/config.js';
import { createLogger } from '../commons/logging.js';
import { makeUnsubscribeHandler } from './unsubscribe.js';

const config = readConfig({
  ORDERS_TABLE_NAME: z.string().min(1),
  ...SHOP_REGISTRY_SETTINGS,
  ...SECRET_SETTINGS,
  /** Accept first-format (clear, never-expiring) links until this instant (ISO 8601); unset: refuse them. */
  UNSUBSCRIBE_LEGACY_TOKENS_UNTIL: z.iso.datetime({ offset: true }).optional(),
});

/** Timeouts and retries below the function's own timeout (functions/commons/function-timeouts.ts). */
const sdk = sdkClientConfig('unsubscribe');

const documents = documentClient(new DynamoDBClient(sdk));
const logger = createLogger('unsubscribe');

/** Opens the unsubscribe links: the current key and the previous ones (UNSUBSCRIBE_SECRET_ARN names it). */
const unsubscribeSecret = await loadFunctionSecret('UNSUBSCRIBE_SECRET', {
  sdk,
  cacheSeconds: config.SECRET_CACHE_SECONDS,
  logger,
});

export const handler = makeUnsubscribeHandler({
  secret: unsubscribeSecret.keys,
  suppressions: new DynamoDbSuppressionList(documents, config.ORDERS_TABLE_NAME),
  shops: registryDirectory(documents, config.SHOP_REGISTRY_TABLE_NAME, config.SHOP_CACHE_SECONDS),
  logger,
  clock: { now: () => new Date() },
  acceptLegacyUntil: config.UNSUBSCRIBE_LEGACY_TOKENS_UNTIL
    ? new Date(config.UNSUBSCRIBE_LEGACY_TOKENS_UNTIL)
    : undefined,
}).use(refreshSecrets(unsubscribeSecret));
