/** Lambda entry point: the unsubscribe link (API Gateway HTTP API). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import { documentClient } from '../adapters/aws-clients.js';
import { DynamoDbSuppressionList } from '../adapters/dynamodb-suppression-list.js';
import { readConfig } from '../commons/config.js';
import { createLogger } from '../commons/logging.js';
import { shopDirectoryFromJson } from '../domain/shop-config.js';
import { makeUnsubscribeHandler } from './unsubscribe.js';

const config = readConfig({
  ORDERS_TABLE_NAME: z.string().min(1),
  SHOPS_CONFIG: z.string().min(2),
  UNSUBSCRIBE_SECRET: z.string().min(32),
});

export const handler = makeUnsubscribeHandler({
  secret: config.UNSUBSCRIBE_SECRET,
  suppressions: new DynamoDbSuppressionList(documentClient(new DynamoDBClient({})), config.ORDERS_TABLE_NAME),
  shops: shopDirectoryFromJson(config.SHOPS_CONFIG),
  logger: createLogger('unsubscribe'),
});
