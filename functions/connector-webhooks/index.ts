/**
 * Lambda entry point: production wiring of the platform connectors' webhook route. Clients are created
 * once per execution environment; endpoints come from the SDK's standard settings
 * (AWS_ENDPOINT_URL_DYNAMODB, _EVENTBRIDGE, _SQS, _SECRETS_MANAGER), which is how the local stack points
 * this same code at local services.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { documentClient, sdkClientConfig } from '../adapters/aws-clients.js';
import { EventBridgeConnectorBus, SecretsManagerConnectorSecrets } from '../adapters/connector-adapters.js';
import { DynamoDbOrderRepository } from '../adapters/dynamodb-order-repository.js';
import { registryDirectory, SHOP_REGISTRY_SETTINGS } from '../adapters/dynamodb-shop-registry.js';
import { SECRET_SETTINGS, secretsProvider } from '../adapters/secrets-manager-secrets.js';
import { SqsDeadLetterSink } from '../adapters/sqs-dead-letters.js';
import { readConfig } from '../commons/config.js';
import { createLogger } from '../commons/logging.js';
import { makeWebhookHandler } from './webhooks.js';

const config = readConfig({
  ORDERS_TABLE_NAME: z.string().min(1),
  EVENT_BUS_NAME: z.string().min(1),
  CONNECTOR_DEAD_LETTER_QUEUE_URL: z.url(),
  /** Where the shops' webhook secrets are: `<prefix><shopId>/<platform>` (connector-adapters.ts). */
  CONNECTOR_SECRETS_PREFIX: z
    .string()
    .min(1)
    .max(400)
    .regex(/^[A-Za-z0-9/_+=.@-]+\/$/, 'expected a secret name prefix ending in /'),
  ...SHOP_REGISTRY_SETTINGS,
  ...SECRET_SETTINGS,
});

/** Timeouts and retries below the function's own timeout (functions/commons/function-timeouts.ts). */
const sdk = sdkClientConfig('connector-webhooks');
const documents = documentClient(new DynamoDBClient(sdk));
const logger = createLogger('connectors');

export const handler = makeWebhookHandler({
  shops: registryDirectory(documents, config.SHOP_REGISTRY_TABLE_NAME, config.SHOP_CACHE_SECONDS),
  secrets: new SecretsManagerConnectorSecrets(secretsProvider(sdk), {
    prefix: config.CONNECTOR_SECRETS_PREFIX,
    cacheSeconds: config.SECRET_CACHE_SECONDS,
    logger,
  }),
  orders: new DynamoDbOrderRepository(documents, config.ORDERS_TABLE_NAME),
  bus: new EventBridgeConnectorBus(new EventBridgeClient(sdk), config.EVENT_BUS_NAME),
  deadLetters: new SqsDeadLetterSink(new SQSClient(sdk), config.CONNECTOR_DEAD_LETTER_QUEUE_URL),
  logger,
});
