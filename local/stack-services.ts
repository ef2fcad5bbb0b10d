/**
 * The stateful half of the local stack: DynamoDB Local, the local SES, and the project's EventBridge, SQS
 * and SNS endpoints, with the order table, the queues of lib/wiring.ts and the bus rule (order events -> queue) made
 * as local/stack.ts makes them. No function code runs here: the functions' environments are returned, so
 * the handlers can run in another process (local/stack-workers.ts) that may die and start again while the
 * services, and everything in flight in them, carry on — as AWS's services do when a Lambda dies.
 */

import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { documentClient } from '../functions/adapters/aws-clients.js';
import { connectorSecretName } from '../functions/adapters/connector-adapters.js';
import { DynamoDbShopRegistry } from '../functions/adapters/dynamodb-shop-registry.js';
import { orderTableDefinition, shopRegistryTableDefinition } from '../functions/adapters/order-table.js';
import {
  FUNCTION_TIMEOUT_SECONDS,
  FUNCTION_TIMEOUT_VARIABLE,
} from '../functions/commons/function-timeouts.js';
import { DEFAULT_EVENT_SOURCE } from '../functions/domain/order-events.js';
import { parseShopConfigs, type ShopConfig, type ShopConfigInput } from '../functions/domain/shop-config.js';
import { diffShopConfigs } from '../functions/domain/shop-registry.js';
import { orderEventPattern } from '../lib/event-patterns.js';
import {
  CONNECTOR_SOURCES,
  DEFAULT_MAX_RECEIVE_COUNT,
  FUNCTION_SERVICE_NAMES,
  functionEnvironment,
  MESSAGE_RETENTION_SECONDS,
  QUEUES,
  type QueueRole,
  type WiredFunction,
} from '../lib/wiring.js';
import { assertPortFree, LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal } from './dynamodb-local.js';
import { type EventBridgeLocal, startEventBridgeLocal } from './eventbridge-local.js';
import { type SecretsLocal, startSecretsLocal } from './secrets-local.js';
import { type SesLocal, startSesLocal } from './ses-local.js';
import { type SnsLocal, startSnsLocal } from './sns-local.js';
import { type SqsLocal, startSqsLocal } from './sqs-local.js';
import { localShopRegistryTableName } from './stack-discovery.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The functions whose entry points (functions/<name>/index.ts) the local stack runs: all of lib/wiring.ts's
 * but email-feedback, whose input (SES's bounce, complaint and delivery events on the default bus) the
 * local SES does not produce.
 */
export const FUNCTION_NAMES = [
  'ingest-order-events',
  'plan-notifications',
  'send-notifications',
  'status-api',
  'unsubscribe',
  'connector-webhooks',
] as const satisfies readonly WiredFunction[];
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** The local name of each queue of lib/wiring.ts. */
export const QUEUE_NAMES = {
  orderEvents: 'order-events',
  orderEventsDeadLetters: 'order-events-dead-letters',
  jobs: 'notification-jobs',
  jobsDeadLetters: 'notification-jobs-dead-letters',
  plannerFailures: 'planner-failures',
  connectorDeadLetters: 'connector-dead-letters',
} as const satisfies Record<QueueRole, string>;

/** The SES configuration set the sender names locally (the local SES accepts any). */
export const LOCAL_CONFIGURATION_SET = 'order-notifications-local';

/**
 * The local queues' visibility timeout: seconds, not lib/wiring.ts's six function timeouts (3 minutes),
 * so that a failed message comes back while someone watches. The only setting of a queue local/ changes.
 */
export const LOCAL_VISIBILITY_TIMEOUT_SECONDS = 5;

/** The attributes of a local queue, from lib/wiring.ts's QUEUES (`queueArn` names its dead-letter queue). */
export const localQueueAttributes = (
  role: QueueRole,
  queueArn: (name: string) => string,
  options: { readonly maxReceiveCount?: number; readonly visibilityTimeoutSeconds?: number } = {},
): Record<string, string> => {
  const wiring = QUEUES[role];
  return {
    VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? LOCAL_VISIBILITY_TIMEOUT_SECONDS),
    MessageRetentionPeriod: String(MESSAGE_RETENTION_SECONDS),
    ...(wiring.deadLetters
      ? {
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: queueArn(QUEUE_NAMES[wiring.deadLetters]),
            maxReceiveCount: options.maxReceiveCount ?? wiring.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT,
          }),
        }
      : {}),
  };
};

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
  readonly secrets?: number;
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
  /**
   * The shops seeded into the registry at start (a shop whose configuration differs from the
   * registry's gets a new version; shops only in the registry stay). @default config/shops.example.json
   */
  readonly shops?: readonly ShopConfigInput[];
  /** The producers' sources the bus rule takes. @default the default source and the seed shops' producers */
  readonly eventSources?: readonly string[];
  /** How long the functions keep a shop they read. @default LOCAL_SHOP_CACHE_SECONDS */
  readonly shopCacheSeconds?: number;
  /** Where the shops' links point (their statusPage.baseUrl). @default as configured */
  readonly statusBaseUrl?: string;
  /** Lambda's retry budget: the queues' maxReceiveCount. @default lib/wiring.ts's (5) */
  readonly maxReceiveCount?: number;
  /** How long a received message stays hidden before its next delivery. @default LOCAL_VISIBILITY_TIMEOUT_SECONDS */
  readonly visibilityTimeoutSeconds?: number;
  /** SMS and pushes the local SNS keeps in memory. @default 10000 */
  readonly snsLogSize?: number;
  /**
   * The first values of the secrets the functions read from the local Secrets Manager (a secret kept in
   * the data dir keeps its value, rotations included). @default fixed local values
   */
  readonly unsubscribeSecret?: string;
  readonly rateLimitSalt?: string;
  /** How long the functions keep a secret they read. @default LOCAL_SECRET_CACHE_SECONDS */
  readonly secretCacheSeconds?: number;
}

export interface LocalServices {
  readonly urls: {
    readonly dynamodb: string;
    readonly ses: string;
    readonly sqs: string;
    readonly sns: string;
    readonly eventBridge: string;
    readonly secrets: string;
  };
  readonly eventBusName: string;
  /** The first of the sources the rule takes: the demo's and the CLI's. */
  readonly eventSource: string;
  readonly eventSources: readonly string[];
  readonly tableName: string;
  /** The shop registry's table, `<tableName>-shops`. */
  readonly shopRegistryTableName: string;
  /** The registry itself (consistent reads), for this process: the outbox, tests, the seeding. */
  readonly shopRegistry: DynamoDbShopRegistry;
  /** The URL of each queue of lib/wiring.ts. */
  readonly queues: Readonly<Record<QueueRole, string>>;
  readonly shops: readonly ShopConfigInput[];
  readonly ses: SesLocal;
  readonly sns: SnsLocal;
  readonly sqs: SqsLocal;
  readonly eventBridge: EventBridgeLocal;
  /** The functions' secrets, by their configuration name (SECRET_NAMES); rotate them with PutSecretValue. */
  readonly secrets: SecretsLocal;
  readonly secretArns: Readonly<Record<keyof typeof SECRET_NAMES, string>>;
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

/** What the local functions' environments are made of: the services' endpoints and the local values. */
export interface LocalEnvironmentInput {
  readonly urls: LocalServices['urls'];
  readonly tableName: string;
  readonly queues: Readonly<Record<QueueRole, string>>;
  readonly eventBusName: string;
  readonly shopRegistryTableName: string;
  readonly shopCacheSeconds: number;
  readonly secretArns: Readonly<Record<keyof typeof SECRET_NAMES, string>>;
  readonly secretCacheSeconds: number;
  /** @default lib/wiring.ts's per queue */
  readonly maxReceiveCount?: number | undefined;
  readonly visibilityTimeoutSeconds: number;
}

/**
 * Each local function's environment: Lambda's runtime variables (region, credentials) and the
 * AWS_ENDPOINT_URL_* variables of the local services, what lib/service-function.ts gives every function,
 * and the function's own variables by lib/wiring.ts's names (functionEnvironment refuses any other).
 */
export const localEnvironments = (
  input: LocalEnvironmentInput,
): ((name: FunctionName) => Record<string, string>) => {
  const { urls, tableName, queues, eventBusName, secretArns } = input;
  const secretCache = { SECRET_CACHE_SECONDS: String(input.secretCacheSeconds) };
  const registry = {
    SHOP_REGISTRY_TABLE_NAME: input.shopRegistryTableName,
    SHOP_CACHE_SECONDS: String(input.shopCacheSeconds),
  };
  const visibility = input.visibilityTimeoutSeconds;
  const receiveCountOf = (role: 'orderEvents' | 'jobs'): string =>
    String(input.maxReceiveCount ?? QUEUES[role].maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT);
  const shared: Record<string, string> = {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: urls.dynamodb,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: urls.dynamodb,
    AWS_ENDPOINT_URL_SQS: urls.sqs,
    AWS_ENDPOINT_URL_SNS: urls.sns,
    AWS_ENDPOINT_URL_SESV2: urls.ses,
    AWS_ENDPOINT_URL_EVENTBRIDGE: urls.eventBridge,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: urls.secrets,
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
  };
  // Each function's own variables, by the names of lib/wiring.ts (functionEnvironment refuses others).
  const own: Record<FunctionName, Record<string, string>> = {
    'ingest-order-events': functionEnvironment('ingest-order-events', {
      ORDERS_TABLE_NAME: tableName,
      DEAD_LETTER_QUEUE_URL: queues.orderEventsDeadLetters,
      MAX_RECEIVE_COUNT: receiveCountOf('orderEvents'),
      ...registry,
    }),
    'plan-notifications': functionEnvironment('plan-notifications', {
      ORDERS_TABLE_NAME: tableName,
      NOTIFICATION_QUEUE_URL: queues.jobs,
      EVENT_BUS_NAME: eventBusName,
      ...registry,
    }),
    'send-notifications': {
      ...functionEnvironment('send-notifications', {
        ORDERS_TABLE_NAME: tableName,
        NOTIFICATION_QUEUE_URL: queues.jobs,
        DEAD_LETTER_QUEUE_URL: queues.jobsDeadLetters,
        MAX_RECEIVE_COUNT: receiveCountOf('jobs'),
        EVENT_BUS_NAME: eventBusName,
        ...registry,
        UNSUBSCRIBE_SECRET_ARN: secretArns.UNSUBSCRIBE_SECRET,
        SES_CONFIGURATION_SET: LOCAL_CONFIGURATION_SET,
        PUSH_PLATFORM_APPLICATIONS: JSON.stringify(PUSH_APPLICATIONS),
      }),
      // A LOCAL_TUNING_VARIABLES one. Lambda's lease must outlast the function's timeout; here it must
      // end within the queue's retry budget (maxReceiveCount × visibility) so a job whose worker was
      // killed can take its record over.
      NOTIFICATION_LEASE_SECONDS: String(Math.max(10, visibility * 2)),
      ...secretCache,
    },
    'status-api': {
      ...functionEnvironment('status-api', {
        ORDERS_TABLE_NAME: tableName,
        ...registry,
        RATE_LIMIT_SALT_ARN: secretArns.RATE_LIMIT_SALT,
      }),
      ...secretCache,
    },
    unsubscribe: {
      ...functionEnvironment('unsubscribe', {
        ORDERS_TABLE_NAME: tableName,
        ...registry,
        UNSUBSCRIBE_SECRET_ARN: secretArns.UNSUBSCRIBE_SECRET,
      }),
      ...secretCache,
    },
    'connector-webhooks': {
      ...functionEnvironment('connector-webhooks', {
        ORDERS_TABLE_NAME: tableName,
        EVENT_BUS_NAME: eventBusName,
        CONNECTOR_DEAD_LETTER_QUEUE_URL: queues.connectorDeadLetters,
        CONNECTOR_SECRETS_PREFIX: LOCAL_CONNECTOR_SECRETS_PREFIX,
        ...registry,
      }),
      ...secretCache,
    },
  };

  return (name) => ({
    ...shared,
    // What lib/service-function.ts gives every function: its service name, and its timeout, which its
    // SDK clients derive theirs from.
    POWERTOOLS_SERVICE_NAME: FUNCTION_SERVICE_NAMES[name],
    [FUNCTION_TIMEOUT_VARIABLE]: String(FUNCTION_TIMEOUT_SECONDS[name]),
    ...own[name],
  });
};

/**
 * How long the local functions keep a shop they read: short, so a `shops put` shows on the next order a
 * developer sends; the deployed default is DEFAULT_SHOP_CACHE_SECONDS.
 */
export const LOCAL_SHOP_CACHE_SECONDS = 5;

/** How long the local functions keep a secret they read: a rotation shows within seconds. */
export const LOCAL_SECRET_CACHE_SECONDS = 5;

/** Where the local shops' webhook secrets are (the deployed stack's is `<stack name>/connectors/`). */
export const LOCAL_CONNECTOR_SECRETS_PREFIX = 'order-notifications/connectors/';

/** The webhook secret a local seed shop's WooCommerce is given: known, so the demo and tests can sign. */
export const localWebhookSecret = (shopId: string): string => `local-woocommerce-secret-${shopId}`;

/** The local Secrets Manager's name of each secret the functions read (the stack generates its own). */
export const SECRET_NAMES = {
  UNSUBSCRIBE_SECRET: 'order-notifications/unsubscribe-secret',
  RATE_LIMIT_SALT: 'order-notifications/rate-limit-salt',
} as const;

/**
 * Puts each shop of a seed file into the registry: a shop it does not hold yet is created, one whose
 * configuration differs gets a new version (its history keeps the old one; its state stays), an equal one
 * is left alone.
 * Returns what was written, by shop id.
 */
export const seedShops = async (
  registry: DynamoDbShopRegistry,
  shops: readonly ShopConfig[],
  updatedBy: string,
): Promise<Record<string, 'created' | 'updated' | 'unchanged'>> => {
  const result: Record<string, 'created' | 'updated' | 'unchanged'> = {};
  for (const config of shops) {
    const current = await registry.get(config.shopId);
    if (current && diffShopConfigs(current.config, config).length === 0) {
      result[config.shopId] = 'unchanged';
      continue;
    }
    await registry.put({
      config,
      // A shop an operator suspended or deleted stays so: the seed file says what, not whether.
      state: current?.state ?? 'active',
      updatedBy,
      note: current ? 'seed file changed' : 'seeded',
      expectedVersion: current?.version,
    });
    result[config.shopId] = current ? 'updated' : 'created';
  }
  return result;
};

export const startLocalServices = async (options: LocalServicesOptions = {}): Promise<LocalServices> => {
  const tableName = options.tableName ?? 'orders';
  const maxReceiveCount = options.maxReceiveCount;
  const visibility = options.visibilityTimeoutSeconds ?? LOCAL_VISIBILITY_TIMEOUT_SECONDS;
  const eventBusName = 'orders';
  // The default source and every producer a seed shop is bound to, as a deployment lists its platforms.
  // The connectors' sources after them, as the deployed rule has them (lib/order-notifications.ts).
  const eventSources = [
    ...new Set([
      ...(options.eventSources ?? [
        DEFAULT_EVENT_SOURCE,
        ...(options.shops ?? []).flatMap((shop) => shop.producers ?? []),
      ]),
      ...CONNECTOR_SOURCES,
    ]),
  ];
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
    // With a data dir the queues and the bus keep their state in journals there: a crash of the stack
    // (kill -9 included) loses no message SQS acknowledged and no event PutEvents accepted.
    const journal = (name: string) => options.dataDir && path.join(options.dataDir, name);
    const sqs = await startSqsLocal({
      port: ports.sqs,
      region: LOCAL_REGION,
      journalFile: journal('sqs.jsonl'),
    });
    stops.push(() => sqs.stop());
    const sns = await startSnsLocal({
      port: ports.sns,
      region: LOCAL_REGION,
      logSize: options.snsLogSize,
      dataDir: options.dataDir,
    });
    stops.push(() => sns.stop());
    // Closed until its rule exists: PutEvents answers a retryable 503 rather than accept an event no rule routes.
    const eventBridge = await startEventBridgeLocal({
      port: ports.eventBridge,
      region: LOCAL_REGION,
      open: false,
      journalFile: journal('eventbridge.jsonl'),
    });
    stops.push(() => eventBridge.stop());
    if (ports.secrets !== undefined) {
      await assertPortFree(ports.secrets, 'the local Secrets Manager', 'ORDER_NOTIFICATIONS_PORT_SECRETS');
    }
    const secrets = await startSecretsLocal({
      port: ports.secrets,
      region: LOCAL_REGION,
      dataFile: journal('secrets.json'),
    });
    stops.push(() => secrets.stop());

    const dynamo = new DynamoDBClient({
      endpoint: dynamodbEndpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    stops.push(async () => dynamo.destroy());
    const shopRegistryTableName = localShopRegistryTableName(tableName);
    for (const definition of [
      orderTableDefinition(tableName),
      shopRegistryTableDefinition(shopRegistryTableName),
    ]) {
      try {
        await dynamo.send(new CreateTableCommand(definition));
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error;
      }
    }

    // Dead-letter queues first: a redrive policy names an existing queue.
    const roles = (Object.keys(QUEUES) as QueueRole[]).sort(
      (a, b) => Number(QUEUES[a].deadLetters !== undefined) - Number(QUEUES[b].deadLetters !== undefined),
    );
    const queues = Object.fromEntries(
      roles.map((role) => [
        role,
        sqs.createQueue(
          QUEUE_NAMES[role],
          localQueueAttributes(role, (name) => sqs.queueArn(name), {
            maxReceiveCount,
            visibilityTimeoutSeconds: visibility,
          }),
        ).url,
      ]),
    ) as Record<QueueRole, string>;

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
      pattern: orderEventPattern(eventSources),
      target: async (event) => {
        await sqsClient.send(
          new SendMessageCommand({ QueueUrl: queues.orderEvents, MessageBody: JSON.stringify(event) }),
        );
      },
    });
    // The rule exists: accept events, and deliver what a crashed run accepted but had not delivered.
    eventBridge.open();

    const configured =
      options.shops ??
      (JSON.parse(
        readFileSync(path.join(ROOT, 'config', 'shops.example.json'), 'utf8'),
      ) as ShopConfigInput[]);
    const baseUrl = options.statusBaseUrl;
    const shops = baseUrl
      ? configured.map((shop) => ({ ...shop, statusPage: { ...shop.statusPage, baseUrl } }))
      : configured;
    const shopRegistry = new DynamoDbShopRegistry(documentClient(dynamo), shopRegistryTableName);
    const seeded = parseShopConfigs(shops);
    await seedShops(shopRegistry, seeded, 'npm start (seed file)');
    const secretArns = {
      UNSUBSCRIBE_SECRET: secrets.createSecret(
        SECRET_NAMES.UNSUBSCRIBE_SECRET,
        options.unsubscribeSecret ?? 'local-unsubscribe-secret-0123456789abcdef',
      ),
      RATE_LIMIT_SALT: secrets.createSecret(
        SECRET_NAMES.RATE_LIMIT_SALT,
        options.rateLimitSalt ?? 'local-rate-limit-salt-0123456789',
      ),
    };
    // Each seed shop with a WooCommerce connector gets its webhook secret, as an operator creates it
    // (docs/connectors.md); the value is the local one WooCommerce would be given (docs/local-stack.md).
    for (const shop of seeded) {
      if (shop.connectors?.woocommerce) {
        secrets.createSecret(
          connectorSecretName(LOCAL_CONNECTOR_SECRETS_PREFIX, shop.shopId, 'woocommerce'),
          localWebhookSecret(shop.shopId),
        );
      }
    }
    const urls = {
      dynamodb: dynamodbEndpoint,
      ses: ses.endpoint,
      sqs: sqs.endpoint,
      sns: sns.endpoint,
      eventBridge: eventBridge.endpoint,
      secrets: secrets.endpoint,
    };

    const environmentOf = localEnvironments({
      urls,
      tableName,
      queues,
      eventBusName,
      shopRegistryTableName,
      shopCacheSeconds: options.shopCacheSeconds ?? LOCAL_SHOP_CACHE_SECONDS,
      secretArns,
      secretCacheSeconds: options.secretCacheSeconds ?? LOCAL_SECRET_CACHE_SECONDS,
      maxReceiveCount,
      visibilityTimeoutSeconds: visibility,
    });

    return {
      urls,
      eventBusName,
      eventSource: eventSources[0] ?? DEFAULT_EVENT_SOURCE,
      eventSources,
      tableName,
      shopRegistryTableName,
      shopRegistry,
      queues,
      shops,
      ses,
      sns,
      sqs,
      eventBridge,
      secrets,
      secretArns,
      dynamo,
      environmentOf,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
};
