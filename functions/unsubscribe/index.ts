/** Lambda entry point: the unsubscribe link (API Gateway HTTP API). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import { documentClient, sdkClientConfig } from '../adapters/aws-clients.js';
import { DynamoDbSuppressionList } from '../adapters/dynamodb-suppression-list.js';
import { readConfig } from '../commons/config.js';
import { createLogger } from '../commons/logging.js';
import { shopDirectoryFromJson } from '../domain/shop-config.js';
import { makeUnsubscribeHandler } from './unsubscribe.js';

const config = readConfig({
  ORDERS_TABLE_NAME: z.string().min(1),
  SHOPS_CONFIG: z.string().min(2),
  UNSUBSCRIBE_SECRET: z.string().min(32),
  /** Accept first-format (clear, never-expiring) links until this instant (ISO 8601); unset: refuse them. */
  UNSUBSCRIBE_LEGACY_TOKENS_UNTIL: z.iso.datetime({ offset: true }).optional(),
});

/** Timeouts and retries below the function's own timeout (functions/commons/function-timeouts.ts). */
const sdk = sdkClientConfig('unsubscribe');

export const handler = makeUnsubscribeHandler({
  secret: config.UNSUBSCRIBE_SECRET,
  suppressions: new DynamoDbSuppressionList(
    documentClient(new DynamoDBClient(sdk)),
    config.ORDERS_TABLE_NAME,
  ),
  shops: shopDirectoryFromJson(config.SHOPS_CONFIG),
  logger: createLogger('unsubscribe'),
  clock: { now: () => new Date() },
  acceptLegacyUntil: config.UNSUBSCRIBE_LEGACY_TOKENS_UNTIL
    ? new Date(config.UNSUBSCRIBE_LEGACY_TOKENS_UNTIL)
    : undefined,
});
