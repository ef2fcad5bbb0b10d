/**
 * Lambda entry point: production wiring of the ingest handler. Clients are created once per execution
 * environment; endpoints come from the SDK's standard settings (AWS_ENDPOINT_URL_DYNAMODB,
 * AWS_ENDPOINT_URL_SQS), which is how the local stack points the same code at local services.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { documentClient, sdkClientConfig } from '../adapters/aws-clients.js';
import { DynamoDbOrderRepository } from '../adapters/dynamodb-order-repository.js';
import { registryDirectory, SHOP_REGISTRY_SETTINGS } from '../adapters/dynamodb-shop-registry.js';
import { SqsDeadLetterSink } from '../adapters/sqs-dead-letters.js';
import { readConfig } from '../commons/config.js';
import { createLogger } from '../commons/logging.js';
import { generateTrackingToken } from '../domain/tracking-token.js';
import { makeIngestHandler } from './ingest.js';

const config = readConfig({
  ORDERS_TABLE_NAME: z.string().min(1),
  DEAD_LETTER_QUEUE_URL: z.url(),
  MAX_RECEIVE_COUNT: z.coerce.number().int().min(1).max(1000),
  ...SHOP_REGISTRY_SETTINGS,
});

/** Timeouts and retries below the function's own timeout (functions/commons/function-timeouts.ts). */
const sdk = sdkClientConfig('ingest-order-events');

const logger = createLogger('ingest');

const documents = documentClient(new DynamoDBClient(sdk));

export const handler = makeIngestHandler({
  record: {
    orders: new DynamoDbOrderRepository(documents, config.ORDERS_TABLE_NAME),
    clock: { now: () => new Date() },
    newTrackingToken: generateTrackingToken,
  },
  shops: registryDirectory(documents, config.SHOP_REGISTRY_TABLE_NAME, config.SHOP_CACHE_SECONDS),
  deadLetters: new SqsDeadLetterSink(new SQSClient(sdk), config.DEAD_LETTER_QUEUE_URL),
  logger,
  maxReceiveCount: config.MAX_RECEIVE_COUNT,
});
