/** Lambda entry point: the notification sender. Clients once per execution environment. */
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { documentClient, sdkClientConfig } from '../adapters/aws-clients.js';
import { DynamoDbNotificationLog } from '../adapters/dynamodb-notification-log.js';
import { DynamoDbOrderRepository } from '../adapters/dynamodb-order-repository.js';
import { registryDirectory, SHOP_REGISTRY_SETTINGS } from '../adapters/dynamodb-shop-registry.js';
import { DynamoDbSuppressionList } from '../adapters/dynamodb-suppression-list.js';
import { EventBridgeOutcomePublisher } from '../adapters/eventbridge-outcome-publisher.js';
import {
  DELIVERY_METRICS_NAMESPACE,
  PowertoolsDeliveryMetrics,
} from '../adapters/powertools-delivery-metrics.js';
import { loadFunctionSecret, refreshSecrets, SECRET_SETTINGS } from '../adapters/secrets-manager-secrets.js';
import { SesEmailSender } from '../adapters/ses-email-sender.js';
import { SnsPushSender } from '../adapters/sns-push-sender.js';
import { SnsSmsSender } from '../adapters/sns-sms-sender.js';
import { SqsDeadLetterSink } from '../adapters/sqs-dead-letters.js';
import { SqsJobQueue } from '../adapters/sqs-job-queue.js';
import { readConfig } from '../commons/config.js';
import { createLogger } from '../commons/logging.js';
import { SERVICE_NAMES } from '../commons/service-names.js';
import {
  DEFAULT_UNSUBSCRIBE_TTL_DAYS,
  MAX_UNSUBSCRIBE_TTL_DAYS,
  signedLinks,
} from '../domain/signed-links.js';
import { makeSendHandler } from './send.js';

const config = readConfig({
  ORDERS_TABLE_NAME: z.string().min(1),
  NOTIFICATION_QUEUE_URL: z.url(),
  DEAD_LETTER_QUEUE_URL: z.url(),
  MAX_RECEIVE_COUNT: z.coerce.number().int().min(1).max(1000),
  EVENT_BUS_NAME: z.string().min(1),
  ...SHOP_REGISTRY_SETTINGS,
  ...SECRET_SETTINGS,
  /** How long an unsubscribe link works after it was sent. */
  UNSUBSCRIBE_LINK_TTL_DAYS: z.coerce
    .number()
    .int()
    .min(30)
    .max(MAX_UNSUBSCRIBE_TTL_DAYS)
    .default(DEFAULT_UNSUBSCRIBE_TTL_DAYS),
  SES_CONFIGURATION_SET: z.string().min(1).optional(),
  /** How long a worker owns a notification it claimed; must exceed the function's timeout. */
  NOTIFICATION_LEASE_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
  PUSH_PLATFORM_APPLICATIONS: z
    .string()
    .default('{}')
    .transform((json) =>
      z
        .object({ apns: z.string(), apns_sandbox: z.string(), fcm: z.string() })
        .partial()
        .parse(JSON.parse(json)),
    ),
});

/** Timeouts and retries below the function's own timeout (functions/commons/function-timeouts.ts). */
const sdk = sdkClientConfig('send-notifications');

const documents = documentClient(new DynamoDBClient(sdk));
const clock = { now: () => new Date() };
const sns = new SNSClient(sdk);
const sqs = new SQSClient(sdk);
const logger = createLogger('sender');

/** Keys the unsubscribe links: read from Secrets Manager at cold start, refreshed at run time. */
const unsubscribeSecret = await loadFunctionSecret('UNSUBSCRIBE_SECRET', {
  sdk,
  cacheSeconds: config.SECRET_CACHE_SECONDS,
  logger,
});

export const handler = makeSendHandler({
  send: {
    orders: new DynamoDbOrderRepository(documents, config.ORDERS_TABLE_NAME),
    notifications: new DynamoDbNotificationLog(documents, config.ORDERS_TABLE_NAME),
    shops: registryDirectory(documents, config.SHOP_REGISTRY_TABLE_NAME, config.SHOP_CACHE_SECONDS),
    email: new SesEmailSender(new SESv2Client(sdk), config.SES_CONFIGURATION_SET),
    sms: new SnsSmsSender(sns),
    push: new SnsPushSender(sns, config.PUSH_PLATFORM_APPLICATIONS),
    suppressions: new DynamoDbSuppressionList(documents, config.ORDERS_TABLE_NAME),
    jobs: new SqsJobQueue(sqs, config.NOTIFICATION_QUEUE_URL),
    outcomes: new EventBridgeOutcomePublisher(new EventBridgeClient(sdk), config.EVENT_BUS_NAME),
    metrics: new PowertoolsDeliveryMetrics(
      new Metrics({
        namespace: DELIVERY_METRICS_NAMESPACE,
        serviceName: SERVICE_NAMES.sender,
        // Keeps two deployments in one account apart, as the log metric filters do (lib/monitoring.ts).
        defaultDimensions: { FunctionName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'send-notifications' },
      }),
    ),
    links: signedLinks(unsubscribeSecret.keys, { clock, ttlDays: config.UNSUBSCRIBE_LINK_TTL_DAYS }),
    clock,
    leaseMs: config.NOTIFICATION_LEASE_SECONDS * 1000,
  },
  deadLetters: new SqsDeadLetterSink(sqs, config.DEAD_LETTER_QUEUE_URL),
  logger,
  maxReceiveCount: config.MAX_RECEIVE_COUNT,
}).use(refreshSecrets(unsubscribeSecret));
