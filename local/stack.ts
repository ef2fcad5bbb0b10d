/**
 * The whole backend on one machine: DynamoDB Local, the local SES, and the project's own EventBridge, SQS
 * and SNS endpoints, with the production handlers (their `index.ts`, as Lambda loads them) wired the way
 * the CDK stack wires them: bus rule -> queue -> ingest; table stream -> planner -> job queue -> sender;
 * HTTP -> status API and unsubscribe. Only endpoints differ from AWS: the handlers read them from the
 * SDK's standard AWS_ENDPOINT_URL_* variables.
 *
 * The services (and the bus rule to the ingest queue) are local/stack-services.ts, shared with the chaos
 * run, which runs each function in a process of its own; here the handlers run in this process. They read
 * their configuration when first imported, so one stack runs per process.
 */

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyResultV2,
  Context,
  DynamoDBStreamEvent,
  SQSEvent,
} from 'aws-lambda';
import type { DynamoDbShopRegistry } from '../functions/adapters/dynamodb-shop-registry.js';
import type { ShopConfigInput } from '../functions/domain/shop-config.js';
import type { QueueRole } from '../lib/wiring.js';
import { assertPortFree, LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamodb-local.js';
import type { EventBridgeLocal } from './eventbridge-local.js';
import { type ApiHandler, startHttpGateway } from './http-gateway.js';
import { makeOutboxHandler } from './outbox.js';
import { startOutboxIndex } from './outbox-index.js';
import { applyQuietHours, type QuietHoursSwitch } from './quiet-hours.js';
import type { SecretsLocal } from './secrets-local.js';
import type { SesLocal } from './ses-local.js';
import type { SnsLocal } from './sns-local.js';
import type { SqsLocal } from './sqs-local.js';
import { startLocalServices } from './stack-services.js';
import { localEventSourceMappings, startEventSourceMappings } from './stack-workers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface LocalStackPorts {
  readonly api?: number;
  /** The outbox, on its own listener: it shows every message with its addresses and tokens. */
  readonly outbox?: number;
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
  /** `off`: every shop sends SMS and push at any hour (local/quiet-hours.ts). @default 'on' */
  readonly quietHours?: QuietHoursSwitch;
  /** @default 'orders' */
  readonly tableName?: string;
  /** Lambda's retry budget: the queues' maxReceiveCount. @default lib/wiring.ts's (5) */
  readonly maxReceiveCount?: number;
  /** How long a failed message stays hidden before its next delivery. @default 5 seconds */
  readonly visibilityTimeoutSeconds?: number;
  /** The producers' sources the bus rule takes. @default the default source and the seed shops' producers */
  readonly eventSources?: readonly string[];
  /** How long the functions keep a shop they read. @default LOCAL_SHOP_CACHE_SECONDS (5) */
  readonly shopCacheSeconds?: number;
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
    readonly secrets: string;
  };
  readonly eventBusName: string;
  readonly eventSource: string;
  readonly tableName: string;
  readonly shopRegistryTableName: string;
  /** The registry (consistent reads) for this process: tests, the outbox. */
  readonly shopRegistry: DynamoDbShopRegistry;
  /** The URL of each queue of lib/wiring.ts. */
  readonly queues: Readonly<Record<QueueRole, string>>;
  readonly ses: SesLocal;
  readonly sns: SnsLocal;
  readonly sqs: SqsLocal;
  readonly eventBridge: EventBridgeLocal;
  /** The functions' secrets (local/stack-services.ts SECRET_NAMES); PutSecretValue rotates one. */
  readonly secrets: SecretsLocal;
  stop(): Promise<void>;
}

/** A secret that stays the same across restarts when data is kept, so old unsubscribe links keep working. */
const secretFor = (dataDir: string | undefined, name: string): string => {
  if (!dataDir) return randomBytes(32).toString('base64url');
  const file = path.join(dataDir, `${name}.secret`);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
};

type Handler<E> = (event: E, context: Context) => Promise<unknown>;

/**
 * Imports a function's production entry point with its own environment, as Lambda would start it. Each
 * `environment` number is a module instance of its own (its module-scope state, such as the batch
 * processor, is not shared), like a separate execution environment; the modules it imports are shared.
 */
const loadHandler = async <E>(
  entry: string,
  environment: Record<string, string>,
  instance = 0,
): Promise<Handler<E>> => {
  Object.assign(process.env, environment);
  const url = pathToFileURL(path.join(ROOT, 'functions', entry, 'index.ts')).href;
  const module = (await import(instance === 0 ? url : `${url}?environment=${instance}`)) as {
    handler: Handler<E>;
  };
  return module.handler;
};

export const startLocalStack = async (options: LocalStackOptions = {}): Promise<LocalStack> => {
  const ports = options.ports ?? {};
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };

  try {
    if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
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
    const services = await startLocalServices({
      ports,
      dataDir: options.dataDir,
      dynamoDbEndpoint: options.dynamoDbEndpoint,
      tableName: options.tableName,
      maxReceiveCount: options.maxReceiveCount,
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
      eventSources: options.eventSources,
      shopCacheSeconds: options.shopCacheSeconds,
      shops: applyQuietHours(
        JSON.parse(readFileSync(shopsFile, 'utf8')) as ShopConfigInput[],
        options.quietHours ?? 'on',
      ),
      statusBaseUrl: gateway.url,
      unsubscribeSecret: secretFor(options.dataDir, 'unsubscribe'),
      rateLimitSalt: secretFor(options.dataDir, 'rate-limit-salt'),
    });
    stops.push(() => services.stop());
    const { queues } = services;

    // The production entry points, each with its own environment, as Lambda starts them.
    // lib/wiring.ts's mappings, as local/stack-workers.ts runs them in the chaos run; each SQS poller gets
    // an instance of its own of the handler, so that an instance runs one invocation at a time as an
    // execution environment does. With a data dir the stream mapping checkpoints there, so a restart
    // resumes after the last batch planned (nothing skipped, nothing planned twice).
    const wiring = localEventSourceMappings(services);
    const instances = async (name: 'ingest-order-events' | 'send-notifications') => {
      const mapping = wiring.find((candidate) => candidate.functionName === name);
      const count = mapping?.kind === 'sqs' ? mapping.concurrency : 1;
      const handlers: Handler<SQSEvent>[] = [];
      for (let instance = 0; instance < count; instance++) {
        handlers.push(await loadHandler<SQSEvent>(name, services.environmentOf(name), instance));
      }
      return handlers;
    };
    const ingest = await instances('ingest-order-events');
    const plan = await loadHandler<DynamoDBStreamEvent>(
      'plan-notifications',
      services.environmentOf('plan-notifications'),
    );
    const send = await instances('send-notifications');
    const statusApi = await loadHandler<APIGatewayProxyEventV2>(
      'status-api',
      services.environmentOf('status-api'),
    );
    const unsubscribe = await loadHandler<APIGatewayProxyEventV2>(
      'unsubscribe',
      services.environmentOf('unsubscribe'),
    );
    const webhooks = await loadHandler<APIGatewayProxyEventV2>(
      'connector-webhooks',
      services.environmentOf('connector-webhooks'),
    );

    const mappings = await startEventSourceMappings(
      services,
      wiring,
      {
        'ingest-order-events': ingest,
        'plan-notifications': plan,
        'send-notifications': send,
      },
      { checkpointDir: options.dataDir },
    );
    stops.push(() => mappings.stop());

    // The outbox holds every customer's messages, addresses and tokens: it gets a listener of its own
    // (on loopback, like every local port), so nothing on the API's port can reach it.
    if (ports.outbox !== undefined)
      await assertPortFree(ports.outbox, 'the outbox', 'ORDER_NOTIFICATIONS_PORT_OUTBOX');
    const streams = new DynamoDBStreamsClient({
      endpoint: services.urls.dynamodb,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    stops.push(async () => streams.destroy());
    const outboxIndex = await startOutboxIndex({
      ses: services.ses,
      sns: services.sns,
      dynamo: services.dynamo,
      streams,
      tableName: services.tableName,
      dataDir: options.dataDir,
    });
    stops.push(async () => outboxIndex.stop());
    const outboxServer = await startHttpGateway({
      port: ports.outbox,
      functionName: 'local-outbox',
      handler: makeOutboxHandler({
        index: outboxIndex,
        shops: services.shopRegistry,
        dynamo: services.dynamo,
        tableName: services.tableName,
      }),
    });
    stops.push(() => outboxServer.close());
    // The routes the HTTP API has, and nothing else (lib/status-api.ts, lib/platform-connectors.ts).
    api = async (event, context) => {
      if (event.rawPath === '/v1/unsubscribe')
        return (await unsubscribe(event, context)) as APIGatewayProxyResultV2;
      if (event.rawPath.startsWith('/v1/webhooks/'))
        return (await webhooks(event, context)) as APIGatewayProxyResultV2;
      return (await statusApi(event, context)) as APIGatewayProxyResultV2;
    };

    return {
      urls: { ...services.urls, api: gateway.url, outbox: `${outboxServer.url}/outbox` },
      eventBusName: services.eventBusName,
      eventSource: services.eventSource,
      shopRegistryTableName: services.shopRegistryTableName,
      shopRegistry: services.shopRegistry,
      tableName: services.tableName,
      queues,
      ses: services.ses,
      sns: services.sns,
      sqs: services.sqs,
      eventBridge: services.eventBridge,
      secrets: services.secrets,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
};
