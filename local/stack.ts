/**
 * The whole backend on one machine: DynamoDB Local, the local SES, and the project's own EventBridge, SQS
 * and SNS endpoints, with the production handlers (their `index.ts`, as Lambda loads them) wired the way
 * the CDK stack wires them: bus rule -> queue -> ingest; table stream -> planner -> job queue -> sender;
 * HTTP -> status API and unsubscribe. Only endpoints differ from AWS: the handlers read them from the
 * SDK's standard AWS_ENDPOINT_URL_* variables.
 *
 * The handlers read their configuration when first imported, so one stack runs per process.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { orderTableDefinition } from '../functions/adapters/order-table.js';
import { DEFAULT_EVENT_SOURCE } from '../functions/domain/order-events.js';
import { parseShopConfigs, type ShopConfigInput } from '../functions/domain/shop-config.js';
import { orderEventPattern } from '../lib/event-patterns.js';
import { assertPortFree, LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal } from './dynamodb-local.js';
import { openStream } from './dynamodb-stream.js';
import { type EventBridgeLocal, startEventBridgeLocal } from './eventbridge-local.js';
import { type ApiHandler, startHttpGateway } from './http-gateway.js';
import { type Mapping, pollQueue, pollStream } from './lambda-runner.js';
import { makeOutboxHandler } from './outbox.js';
import { type SesLocal, startSesLocal } from './ses-local.js';
import { type SnsLocal, startSnsLocal } from './sns-local.js';
import { type SqsLocal, startSqsLocal } from './sqs-local.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface LocalStackPorts {
  readonly api?: number;
  readonly dynamodb?: number;
  readonly ses?: number;
  readonly sqs?: number;
  readonly sns?: number;
  readonly eventBridge?: number;
}

export interface LocalStackOptions {
  /** Fixed ports; each left out is a free one. */
  readonly ports?: LocalStackPorts;
  /** Where DynamoDB Local keeps its files so orders survive a restart. @default in memory */
  readonly dataDir?: string;
  /** Use an already running DynamoDB (tests share one) instead of starting DynamoDB Local. */
  readonly dynamoDbEndpoint?: string;
  /** @default config/shops.example.json */
  readonly shopsFile?: string;
  /** @default 'orders' */
  readonly tableName?: string;
  /** Lambda's retry budget: the queues' maxReceiveCount. @default 5 */
  readonly maxReceiveCount?: number;
  /** How long a failed message stays hidden before its next delivery. @default 5 seconds */
  readonly visibilityTimeoutSeconds?: number;
}

export interface LocalStack {
  readonly urls: {
    readonly api: string;
    readonly outbox: string;
    readonly eventBridge: string;
    readonly dynamodb: string;
    readonly ses: string;
    readonly sqs: string;
    readonly sns: string;
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
  readonly ses: SesLocal;
  readonly sns: SnsLocal;
  readonly sqs: SqsLocal;
  readonly eventBridge: EventBridgeLocal;
  stop(): Promise<void>;
}

const PUSH_APPLICATIONS = {
  apns: `arn:aws:sns:${LOCAL_REGION}:000000000000:app/APNS/local-shop-app`,
  apns_sandbox: `arn:aws:sns:${LOCAL_REGION}:000000000000:app/APNS_SANDBOX/local-shop-app`,
  fcm: `arn:aws:sns:${LOCAL_REGION}:000000000000:app/GCM/local-shop-app`,
};

/** A secret that stays the same across restarts when data is kept, so old unsubscribe links keep working. */
const secretFor = (dataDir: string | undefined, name: string): string => {
  if (!dataDir) return randomBytes(32).toString('base64url');
  const file = path.join(dataDir, `${name}.secret`);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
};

/** Points a shop's links at the local tracking page instead of its public domain. */
const localShops = (file: string, apiUrl: string): ShopConfigInput[] => {
  const shops = JSON.parse(readFileSync(file, 'utf8')) as ShopConfigInput[];
  parseShopConfigs(shops);
  return shops.map((shop) => ({ ...shop, statusPage: { ...shop.statusPage, baseUrl: apiUrl } }));
};

type Handler<E> = (event: E, context: Context) => Promise<unknown>;

/** Imports a function's production entry point with its own environment, as Lambda would start it. */
const loadHandler = async <E>(entry: string, environment: Record<string, string>): Promise<Handler<E>> => {
  Object.assign(process.env, environment);
  const module = (await import(path.join(ROOT, 'functions', entry, 'index.ts'))) as { handler: Handler<E> };
  return module.handler;
};

export const startLocalStack = async (options: LocalStackOptions = {}): Promise<LocalStack> => {
  const ports = options.ports ?? {};
  const tableName = options.tableName ?? 'orders';
  const maxReceiveCount = options.maxReceiveCount ?? 5;
  const visibility = String(options.visibilityTimeoutSeconds ?? 5);
  const eventBusName = 'orders';
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };

  try {
    if (options.dataDir) mkdirSync(path.join(options.dataDir, 'dynamodb'), { recursive: true });
    let dynamodbEndpoint = options.dynamoDbEndpoint;
    if (!dynamodbEndpoint) {
      const dynamo = await startDynamoDbLocal({
        port: ports.dynamodb,
        dataDir: options.dataDir && path.join(options.dataDir, 'dynamodb'),
      });
      stops.push(() => dynamo.stop());
      dynamodbEndpoint = dynamo.endpoint;
    }
    if (ports.ses !== undefined)
      await assertPortFree(ports.ses, 'the local SES', 'ORDER_NOTIFICATIONS_PORT_SES');
    const ses = await startSesLocal({ port: ports.ses });
    stops.push(() => ses.stop());
    const sqs = await startSqsLocal({ port: ports.sqs, region: LOCAL_REGION });
    stops.push(() => sqs.stop());
    const sns = await startSnsLocal({ port: ports.sns, region: LOCAL_REGION });
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
      orderEventsDeadLetters: queue('order-events-dead-letters'),
      orderEvents: queue('order-events', 'order-events-dead-letters'),
      jobsDeadLetters: queue('notification-jobs-dead-letters'),
      jobs: queue('notification-jobs', 'notification-jobs-dead-letters'),
    };

    // The HTTP gateway first: the shops' links must point at it.
    let api: ApiHandler = async () => ({ statusCode: 503, body: 'starting' });
    if (ports.api !== undefined)
      await assertPortFree(ports.api, 'the status API', 'ORDER_NOTIFICATIONS_PORT_API');
    const gateway = await startHttpGateway({
      port: ports.api,
      handler: (event, context) => api(event, context),
    });
    stops.push(() => gateway.close());
    const shopsFile = options.shopsFile ?? path.join(ROOT, 'config', 'shops.example.json');
    const shops = JSON.stringify(localShops(shopsFile, gateway.url));

    Object.assign(process.env, {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint,
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: dynamodbEndpoint,
      AWS_ENDPOINT_URL_SQS: sqs.endpoint,
      AWS_ENDPOINT_URL_SNS: sns.endpoint,
      AWS_ENDPOINT_URL_SESV2: ses.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridge.endpoint,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      ORDERS_TABLE_NAME: tableName,
      SHOPS_CONFIG: shops,
    });
    const unsubscribeSecret = secretFor(options.dataDir, 'unsubscribe');
    const ingest = await loadHandler('ingest-order-events', {
      DEAD_LETTER_QUEUE_URL: queues.orderEventsDeadLetters,
      MAX_RECEIVE_COUNT: String(maxReceiveCount),
    });
    const plan = await loadHandler('plan-notifications', { NOTIFICATION_QUEUE_URL: queues.jobs });
    const send = await loadHandler('send-notifications', {
      NOTIFICATION_QUEUE_URL: queues.jobs,
      DEAD_LETTER_QUEUE_URL: queues.jobsDeadLetters,
      MAX_RECEIVE_COUNT: String(maxReceiveCount),
      EVENT_BUS_NAME: eventBusName,
      UNSUBSCRIBE_SECRET: unsubscribeSecret,
      PUSH_PLATFORM_APPLICATIONS: JSON.stringify(PUSH_APPLICATIONS),
    });
    const statusApi = await loadHandler<APIGatewayProxyEventV2>('status-api', {
      RATE_LIMIT_SALT: secretFor(options.dataDir, 'rate-limit-salt'),
    });
    const unsubscribe = await loadHandler<APIGatewayProxyEventV2>('unsubscribe', {
      UNSUBSCRIBE_SECRET: unsubscribeSecret,
    });

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

    const mappings: Mapping[] = [];
    stops.push(async () => {
      await Promise.all(mappings.map((mapping) => mapping.stop()));
    });
    mappings.push(
      await pollQueue({
        functionName: 'ingest-order-events',
        endpoint: sqs.endpoint,
        queueUrl: queues.orderEvents,
        handler: ingest,
        batchSize: 10,
        maxBatchingWindowMs: 100,
      }),
      await pollQueue({
        functionName: 'send-notifications',
        endpoint: sqs.endpoint,
        queueUrl: queues.jobs,
        handler: send,
        batchSize: 10,
        maxBatchingWindowMs: 100,
      }),
    );
    const streams = new DynamoDBStreamsClient({
      endpoint: dynamodbEndpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    stops.push(async () => streams.destroy());
    mappings.push(
      pollStream({
        functionName: 'plan-notifications',
        reader: await openStream(dynamo, streams, tableName, { from: 'LATEST' }),
        handler: plan,
        intervalMs: 200,
      }),
    );

    const outbox = makeOutboxHandler({ ses, sns, dynamo, tableName, apiUrl: gateway.url });
    api = async (event, context) => {
      if (event.rawPath === '/v1/unsubscribe')
        return (await unsubscribe(event, context)) as APIGatewayProxyResultV2;
      if (event.rawPath === '/' || event.rawPath.startsWith('/outbox')) return outbox(event);
      return (await statusApi(event, context)) as APIGatewayProxyResultV2;
    };

    return {
      urls: {
        api: gateway.url,
        outbox: `${gateway.url}/outbox`,
        eventBridge: eventBridge.endpoint,
        dynamodb: dynamodbEndpoint,
        ses: ses.endpoint,
        sqs: sqs.endpoint,
        sns: sns.endpoint,
      },
      eventBusName,
      eventSource: DEFAULT_EVENT_SOURCE,
      tableName,
      queues,
      ses,
      sns,
      sqs,
      eventBridge,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
};
