/** Lambda entry point: the notification planner on the order table's stream. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { documentClient, sdkClientConfig } from '../adapters/aws-clients.js';
import { DynamoDbOrderRepository } from '../adapters/dynamodb-order-repository.js';
import { registryDirectory, SHOP_REGISTRY_SETTINGS } from '../adapters/dynamodb-shop-registry.js';
import { EventBridgeIntegrationPublisher } from '../adapters/eventbridge-outcome-publisher.js';
import { SqsJobQueue } from '../adapters/sqs-job-queue.js';
import { readConfig } from '../commons/config.js';
import { createLogger } from '../commons/logging.js';
import { makePlanHandler } from './plan.js';

const config = readConfig({
  ORDERS_TABLE_NAME: z.string().min(1),
  NOTIFICATION_QUEUE_URL: z.url(),
  EVENT_BUS_NAME: z.string().min(1),
  ...SHOP_REGISTRY_SETTINGS,
});

/** Timeouts and retries below the function's own timeout (functions/commons/function-timeouts.ts). */
const sdk = sdkClientConfig('plan-notifications');

const documents = documentClient(new DynamoDBClient(sdk));

export const handler = makePlanHandler({
  orders: new DynamoDbOrderRepository(documents, config.ORDERS_TABLE_NAME),
  shops: registryDirectory(documents, config.SHOP_REGISTRY_TABLE_NAME, config.SHOP_CACHE_SECONDS),
  jobs: new SqsJobQueue(new SQSClient(sdk), config.NOTIFICATION_QUEUE_URL),
  integration: new EventBridgeIntegrationPublisher(new EventBridgeClient(sdk), config.EVENT_BUS_NAME),
  logger: createLogger('planner'),
});
