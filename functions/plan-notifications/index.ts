/** Lambda entry point: the notification planner on the order table's stream. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { documentClient } from '../adapters/aws-clients.js';
import { DynamoDbOrderRepository } from '../adapters/dynamodb-order-repository.js';
import { SqsJobQueue } from '../adapters/sqs-job-queue.js';
import { readConfig } from '../commons/config.js';
import { createLogger } from '../commons/logging.js';
import { shopDirectoryFromJson } from '../domain/shop-config.js';
import { makePlanHandler } from './plan.js';

const config = readConfig({
  ORDERS_TABLE_NAME: z.string().min(1),
  NOTIFICATION_QUEUE_URL: z.url(),
  SHOPS_CONFIG: z.string().min(2),
});

export const handler = makePlanHandler({
  orders: new DynamoDbOrderRepository(documentClient(new DynamoDBClient({})), config.ORDERS_TABLE_NAME),
  shops: shopDirectoryFromJson(config.SHOPS_CONFIG),
  jobs: new SqsJobQueue(new SQSClient({}), config.NOTIFICATION_QUEUE_URL),
  logger: createLogger('planner'),
});
