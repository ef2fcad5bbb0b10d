/**
 * The stateful half of the local stack: DynamoDB Local, the local SES, and the project's EventBridge, SQS
 * and SNS endpoints, with the order table, the four queues and the bus rule (order events -> queue) made
 * as local/stack.ts makes them. No function code runs here: the functions' environments are returned, so
 * the handlers can run in another process (local/stack-workers.ts) that may die and start again while the
 * services, and everything in flight in them, carry on — as AWS's services do when a Lambda dies.
 */

import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { orderTableDefinition } from '../functions/adapters/order-table.js';
import {
  FUNCTION_TIMEOUT_SECONDS,
  FUNCTION_TIMEOUT_VARIABLE,
} from '../functions/commons/function-timeouts.js';
import { DEFAULT_EVENT_SOURCE } from '../functions/domain/order-events.js';
import { parseShopConfigs, type ShopConfigInput } from '../functions/domain/shop-config.js';
import { orderEventPattern } from '../lib/event-patterns.js';
import { assertPortFree, LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal } from './dynamodb-local.js';
import { type EventBridgeLocal, startEventBridgeLocal } from './eventbridge-local.js';
import { type SesLocal, startSesLocal } from './ses-local.js';
import { type SnsLocal, startSnsLocal } from './sns-local.js';
import { type SqsLocal, startSqsLocal } from './sqs-local.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The functions whose entry points (functions/<name>/index.ts) the local stack runs. */
export const FUNCTION_NAMES = [
  'ingest-order-events',
  'plan-notifications',
  'send-notifications',
  'status-api',
  'unsubscribe',
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** The queue names, as local/stack.ts creates them. */
export const QUEUE_NAMES = {
  orderEvents: 'order-events',
  orderEventsDeadLetters: 'order-events-dead-letters',
  jobs: 'notification-jobs',
  jobsDeadLetters: 'notification-jobs-dead-letters',
} as const;

export const PUSH_APPLICATIONS = {
  apns: `arn:aws:sns:${LOCAL_REGION}:000000000000:app/APNS/local-shop-app`,
  apns_sandbox: `arn:aws:sns:${LOCAL_REGION}:000000000000:app/APNS_SANDBOX/local-shop-app`,
  fcm: `arn:aws:sns:${LOCAL_REGION}:000000000000:app/GCM/local-shop-app`,
} as const;

export interface LocalServicesPorts {
  readonly dynamodb?: number;
  readonly ses?: number;
  readonly sqs?: number;
  readonly sns?: number;
  readonly eventBridge?: number;
}

export interface LocalServicesOptions {
  /** Fixed ports; each left out is a free one. */
  readonly ports?: LocalServicesPorts;
  /** Where DynamoDB Local keeps its files so orders survive a restart. @default in memory */
  readonly dataDir?: string;
  /** Use an already running DynamoDB (tests share one) instead of starting DynamoDB Local. */
  readonly dynamoDbEndpoint?: string;
  /** @default 'orders' */
  readonly tableName?: string;
  /** The shops, as in the shops file. @default config/shops.example.json */
  readonly shops?: readonly ShopConfigInput[];
  /** Where the shops' links point (their statusPage.baseUrl). @default as configured */
  readonly statusBaseUrl?: string;
  /** Lambda's retry budget: the queues' maxReceiveCount. @default 5 */
  readonly maxReceiveCount?: number;
  /** How long a received message stays hidden before its next delivery. @default 5 seconds */
  readonly visibilityTimeoutSeconds?: number;
  /** SMS and pushes the local SNS keeps in memory. @default 10000 */
  readonly snsLogSize?: number;
  /** Secrets the functions get. @default fixed local values */
  readonly unsubscribeSecret?: string;
  readonly rateLimitSalt?: string;
}

export interface LocalServices {
  readonly urls: {
    readonly dynamodb: string;
    readonly ses: string;
    readonly sqs: string;
    readonly sns: string;
    readonly eventBridge: string;
  };
  readonly eventBusName: string;
  readonly eventSource: string;
  readonly tableName: string;
  readonly queues: {
    readonly orderEvents: string;
    readonly orderEventsDeadLetters: string;
    readonly jobs: string;
    readonly jobsDeadLetters: string;
  };
  readonly shops: readonly ShopConfigInput[];
  readonly ses: SesLocal;
  readonly sns: SnsLocal;
  readonly sqs: SqsLocal;
  readonly eventBridge: EventBridgeLocal;
  /** A client on the table's DynamoDB, for readers in this process (the stream poller, audits). */
  readonly dynamo: DynamoDBClient;
  /**
   * What each function's process needs in its environment: region, credentials, the AWS_ENDPOINT_URL_*
   * variables pointing at these services, and the function's own configuration, as local/stack.ts sets
   * it. Override an endpoint (e.g. AWS_ENDPOINT_URL_SESV2, to put a fault proxy in between) by spreading.
   */
  environmentOf(name: FunctionName): Record<string, string>;
  stop(): Promise<void>;
}

export const startLocalServices = async (options: LocalServicesOptions = {}): Promise<LocalServices> => {
  const tableName = options.tableName ?? 'orders';
  const maxReceiveCount = options.maxReceiveCount ?? 5;
  const visibility = String(options.visibilityTimeoutSeconds ?? 5);
  const eventBusName = 'orders';
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };

  try {
    const ports = options.ports ?? {};
    let dynamodbEndpoint = options.dynamoDbEndpoint;
    if (!dynamodbEndpoint) {
      const dataDir = options.dataDir && path.join(options.dataDir, 'dynamodb');
      if (dataDir) mkdirSync(dataDir, { recursive: true });
      const local = await startDynamoDbLocal({ port: ports.dynamodb, dataDir });
      stops.push(() => local.stop());
      dynamodbEndpoint = local.endpoint;
    }
    if (ports.ses !== undefined)
      await assertPortFree(ports.ses, 'the local SES', 'ORDER_NOTIFICATIONS_PORT_SES');
    const ses = await startSesLocal({ port: ports.ses });
    stops.push(() => ses.stop());
    const sqs = await startSqsLocal({ port: ports.sqs, region: LOCAL_REGION });
    stops.push(() => sqs.stop());
    const sns = await startSnsLocal({
      port: ports.sns,
      region: LOCAL_REGION,
      logSize: options.snsLogSize,
      dataDir: options.dataDir,
    });
    stops.push(() => sns.stop());
    const eventBridge = await startEventBridgeLocal({ port: ports.eventBridge, region: LOCAL_REGION });
    stops.push(() => eventBridge.stop());

    const dynamo = new DynamoDBClient({
      endpoint: dynamodbEndpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    stops.push(async () => dynamo.destroy());
    try {
      await dynamo.send(new CreateTableCommand(orderTableDefinition(tableName)));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }

    const queue = (name: string, deadLetters?: string) =>
      sqs.createQueue(name, {
        VisibilityTimeout: visibility,
        MessageRetentionPeriod: '1209600',
        ...(deadLetters
          ? {
              RedrivePolicy: JSON.stringify({
                deadLetterTargetArn: sqs.queueArn(deadLetters),
                maxReceiveCount,
              }),
            }
          : {}),
      }).url;
    const queues = {
      orderEventsDeadLetters: queue(QUEUE_NAMES.orderEventsDeadLetters),
      orderEvents: queue(QUEUE_NAMES.orderEvents, QUEUE_NAMES.orderEventsDeadLetters),
      jobsDeadLetters: queue(QUEUE_NAMES.jobsDeadLetters),
      jobs: queue(QUEUE_NAMES.jobs, QUEUE_NAMES.jobsDeadLetters),
    };

    // EventBridge rule -> SQS target, with the pattern the CDK rule uses.
    const sqsClient = new SQSClient({
      endpoint: sqs.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    stops.push(async () => sqsClient.destroy());
    eventBridge.addRule({
      name: 'order-events-to-queue',
      eventBusName,
      pattern: orderEventPattern(DEFAULT_EVENT_SOURCE),
      target: async (event) => {
        await sqsClient.send(
          new SendMessageCommand({ QueueUrl: queues.orderEvents, MessageBody: JSON.stringify(event) }),
        );
      },
    });

    const configured =
      options.shops ??
      (JSON.parse(
        readFileSync(path.join(ROOT, 'config', 'shops.example.json'), 'utf8'),
      ) as ShopConfigInput[]);
    parseShopConfigs(configured);
    const baseUrl = options.statusBaseUrl;
    const shops = baseUrl
      ? configured.map((shop) => ({ ...shop, statusPage: { ...shop.statusPage, baseUrl } }))
      : configured;
    const shopsJson = JSON.stringify(shops);
    const unsubscribeSecret = options.unsubscribeSecret ?? 'local-unsubscribe-secret-0123456789abcdef';
    const rateLimitSalt = options.rateLimitSalt ?? 'local-rate-limit-salt-0123456789';

    const shared: Record<string, string> = {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint,
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: dynamodbEndpoint,
      AWS_ENDPOINT_URL_SQS: sqs.endpoint,
      AWS_ENDPOINT_URL_SNS: sns.endpoint,
      AWS_ENDPOINT_URL_SESV2: ses.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridge.endpoint,
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      ORDERS_TABLE_NAME: tableName,
      SHOPS_CONFIG: shopsJson,
    };
    const own: Record<FunctionName, Record<string, string>> = {
      'ingest-order-events': {
        DEAD_LETTER_QUEUE_URL: queues.orderEventsDeadLetters,
        MAX_RECEIVE_COUNT: String(maxReceiveCount),
      },
      'plan-notifications': { NOTIFICATION_QUEUE_URL: queues.jobs },
      'send-notifications': {
        NOTIFICATION_QUEUE_URL: queues.jobs,
        DEAD_LETTER_QUEUE_URL: queues.jobsDeadLetters,
        MAX_RECEIVE_COUNT: String(maxReceiveCount),
        EVENT_BUS_NAME: eventBusName,
        UNSUBSCRIBE_SECRET: unsubscribeSecret,
        PUSH_PLATFORM_APPLICATIONS: JSON.stringify(PUSH_APPLICATIONS),
        // Lambda's lease must outlast the function's timeout; here it must end within the queue's retry
        // budget (maxReceiveCount × visibility) so a job whose worker was killed can take its record over.
        NOTIFICATION_LEASE_SECONDS: String(Math.max(10, Number(visibility) * 2)),
      },
      'status-api': { RATE_LIMIT_SALT: rateLimitSalt },
      unsubscribe: { UNSUBSCRIBE_SECRET: unsubscribeSecret },
    };

    return {
      urls: {
        dynamodb: dynamodbEndpoint,
        ses: ses.endpoint,
        sqs: sqs.endpoint,
        sns: sns.endpoint,
        eventBridge: eventBridge.endpoint,
      },
      eventBusName,
      eventSource: DEFAULT_EVENT_SOURCE,
      tableName,
      queues,
      shops,
      ses,
      sns,
      sqs,
      eventBridge,
      dynamo,
      environmentOf: (name) => ({
        ...shared,
        // What lib/service-function.ts gives every function: its timeout, which its SDK clients derive theirs from.
        [FUNCTION_TIMEOUT_VARIABLE]: String(FUNCTION_TIMEOUT_SECONDS[name]),
        ...own[name],
      }),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
};
