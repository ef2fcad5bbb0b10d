/**
 * The one wiring of the backend: which queues feed which function with what settings, where a failure
 * goes, and which environment variables each function gets. Plain data with no CDK import, read by
 * both sides:
 *
 * - lib/ builds the CDK queues, event source mappings and function environments from it
 *   (lib/event-sources.ts turns the settings into `SqsEventSource` / `DynamoEventSource`);
 * - local/ builds the local queues, its own event source mappings (local/lambda-runner.ts) and the
 *   functions' local environments from it (local/stack-services.ts, local/stack-workers.ts).
 *
 * A setting written here cannot drift between `npm start` and the deployed stack;
 * test/infrastructure/local-wiring.test.ts compares the synthesized template with what local/ builds.
 */
import {
  FUNCTION_TIMEOUT_SECONDS,
  FUNCTION_TIMEOUT_VARIABLE,
} from '../functions/commons/function-timeouts.js';
import { SERVICE_NAMES } from '../functions/commons/service-names.js';
import { WOOCOMMERCE_SOURCE } from '../functions/domain/connectors/woocommerce.js';
import { ORDER_STATE_STREAM_FILTER } from './event-patterns.js';

/** Every function of the backend, by the directory of its entry point (functions/<name>/index.ts). */
export const WIRED_FUNCTIONS = [
  'ingest-order-events',
  'plan-notifications',
  'send-notifications',
  'email-feedback',
  'status-api',
  'unsubscribe',
  'connector-webhooks',
] as const;
export type WiredFunction = (typeof WIRED_FUNCTIONS)[number];

/** The Powertools service name of each function (POWERTOOLS_SERVICE_NAME, the `service` of its logs). */
export const FUNCTION_SERVICE_NAMES: Readonly<Record<WiredFunction, string>> = {
  'ingest-order-events': SERVICE_NAMES.ingest,
  'plan-notifications': SERVICE_NAMES.planner,
  'send-notifications': SERVICE_NAMES.sender,
  'email-feedback': SERVICE_NAMES.feedback,
  'status-api': SERVICE_NAMES.statusApi,
  unsubscribe: SERVICE_NAMES.unsubscribe,
  'connector-webhooks': SERVICE_NAMES.connectors,
};

/**
 * The sources the platform connectors put translated events on the bus under: the ingest's rule takes
 * them on top of the producers' (lib/order-notifications.ts, local/stack-services.ts).
 */
export const CONNECTOR_SOURCES: readonly string[] = [WOOCOMMERCE_SOURCE];

/* ------------------------------------------------------------------------------------------------ */
/* Queues                                                                                            */
/* ------------------------------------------------------------------------------------------------ */

/** The maximum: nothing expires unprocessed during an outage; the dead-letter queues take over. */
export const MESSAGE_RETENTION_SECONDS = 14 * 24 * 60 * 60;

/**
 * AWS's advice for a queue that feeds Lambda: a visibility timeout of six times the function's timeout,
 * so a message stays hidden while a batch holding it may still run or be retried.
 */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/** Deliveries of a message before the queue redrives it to its dead-letter queue. */
export const DEFAULT_MAX_RECEIVE_COUNT = 5;

/** The queues of the backend, by role. */
export type QueueRole =
  | 'orderEvents'
  | 'orderEventsDeadLetters'
  | 'jobs'
  | 'jobsDeadLetters'
  | 'plannerFailures'
  | 'connectorDeadLetters';

export interface QueueWiring {
  /** The function whose event source the queue is: its timeout sets the visibility timeout. */
  readonly consumer?: WiredFunction;
  /** Where the queue redrives a message after `maxReceiveCount` deliveries. */
  readonly deadLetters?: QueueRole;
  /** @default DEFAULT_MAX_RECEIVE_COUNT, when the queue has dead letters */
  readonly maxReceiveCount?: number;
}

/** Every queue the local stack creates, and what the CDK creates them as (OrderIngest, NotificationPipeline). */
export const QUEUES: Readonly<Record<QueueRole, QueueWiring>> = {
  orderEvents: {
    consumer: 'ingest-order-events',
    deadLetters: 'orderEventsDeadLetters',
    maxReceiveCount: DEFAULT_MAX_RECEIVE_COUNT,
  },
  orderEventsDeadLetters: {},
  jobs: {
    consumer: 'send-notifications',
    deadLetters: 'jobsDeadLetters',
    maxReceiveCount: DEFAULT_MAX_RECEIVE_COUNT,
  },
  jobsDeadLetters: {},
  /** The on-failure destination of the planner's stream mapping. */
  plannerFailures: {},
  /** Webhook deliveries the connectors could not translate (PlatformConnectors). */
  connectorDeadLetters: {},
};

/** The visibility timeout of a queue that feeds a function: six times that function's timeout. */
export const visibilityTimeoutSeconds = (role: QueueRole): number | undefined => {
  const consumer = QUEUES[role].consumer;
  return consumer === undefined ? undefined : FUNCTION_TIMEOUT_SECONDS[consumer] * VISIBILITY_TIMEOUT_FACTOR;
};

/* ------------------------------------------------------------------------------------------------ */
/* Event source mappings                                                                              */
/* ------------------------------------------------------------------------------------------------ */

export interface QueueEventSource {
  readonly kind: 'sqs';
  readonly queue: QueueRole;
  /** Records per invocation (1-10 without a batching window). */
  readonly batchSize: number;
  /** How long the mapping gathers records for a fuller batch. @default 0 */
  readonly maxBatchingWindowSeconds?: number;
  /** The handler answers with `batchItemFailures`; the others of the batch count as done. */
  readonly reportBatchItemFailures: boolean;
  /** Most invocations at once (Lambda's ScalingConfig.MaximumConcurrency, 2-1000). */
  readonly maxConcurrency: number;
}

export interface StreamEventSource {
  readonly kind: 'dynamodb-stream';
  /** Where a new mapping starts reading. */
  readonly startingPosition: 'TRIM_HORIZON' | 'LATEST';
  readonly batchSize: number;
  /** Lambda event filters (EventBridge pattern syntax): a record reaches the function when one matches. */
  readonly filters: readonly object[];
  readonly reportBatchItemFailures: boolean;
  /** On a failed invocation, split the batch in two before retrying. */
  readonly bisectBatchOnError: boolean;
  /** Retries of a failing batch before its records go to `onFailure`. */
  readonly retryAttempts: number;
  /** Records older than this are not retried but go to `onFailure`. */
  readonly maxRecordAgeSeconds: number;
  /** The queue that gets the coordinates of the records given up on. */
  readonly onFailure: QueueRole;
}

export type EventSource = QueueEventSource | StreamEventSource;

/** The functions that have an event source mapping, and its settings. */
export const EVENT_SOURCES = {
  'ingest-order-events': {
    kind: 'sqs',
    queue: 'orderEvents',
    batchSize: 10,
    // A burst of events is recorded in fewer, fuller invocations.
    maxBatchingWindowSeconds: 1,
    reportBatchItemFailures: true,
    // Caps what one burst of events can draw from the account's concurrency and DynamoDB capacity.
    maxConcurrency: 10,
  },
  'plan-notifications': {
    kind: 'dynamodb-stream',
    // TRIM_HORIZON, not LATEST: a mapping that is created or replaced while orders change starts from
    // the oldest record still in the stream instead of silently skipping the gap. Records seen twice are
    // harmless: the sender's notification log lets each (event, channel) out only once.
    startingPosition: 'TRIM_HORIZON',
    batchSize: 25,
    // Only order state items: event items, notification records, suppressions and the status API's
    // rate-limit counters are written to the same table and would otherwise each cost an invocation.
    filters: [ORDER_STATE_STREAM_FILTER],
    reportBatchItemFailures: true,
    // A poison record is isolated by halving the batch instead of holding up its shard.
    bisectBatchOnError: true,
    retryAttempts: 10,
    // Below the stream's 24-hour retention, so that a record the planner cannot get through ends up in
    // the failure queue (and its alarm) rather than expiring from the stream unnoticed.
    maxRecordAgeSeconds: 12 * 60 * 60,
    onFailure: 'plannerFailures',
  },
  'send-notifications': {
    kind: 'sqs',
    queue: 'jobs',
    // One job per invocation: maxConcurrency is then the number of sends in flight.
    batchSize: 1,
    reportBatchItemFailures: true,
    // See NotificationPipelineProps.senderMaxConcurrency: near SES's starting quota of 14 e-mails a second.
    maxConcurrency: 5,
  },
} as const satisfies Partial<Record<WiredFunction, EventSource>>;
export type MappedFunction = keyof typeof EVENT_SOURCES;

/* ------------------------------------------------------------------------------------------------ */
/* Environments                                                                                      */
/* ------------------------------------------------------------------------------------------------ */

/**
 * The variables every function gets from lib/service-function.ts, whatever it does. Locally the same,
 * except NODE_OPTIONS (`--enable-source-maps` for the minified bundle; tsx maps the sources itself).
 */
export const SERVICE_FUNCTION_VARIABLES = [
  'NODE_OPTIONS',
  'POWERTOOLS_SERVICE_NAME',
  'POWERTOOLS_LOG_LEVEL',
  // Powertools Metrics' switch: the EMF lines are the metrics on AWS; locally they would only flood the
  // terminal, so the local stack turns them off unless asked (POWERTOOLS_METRICS_DISABLED=false npm start).
  'POWERTOOLS_METRICS_DISABLED',
  FUNCTION_TIMEOUT_VARIABLE,
] as const;
export const DEPLOYED_ONLY_VARIABLES: readonly string[] = ['NODE_OPTIONS'];

/**
 * What Lambda's runtime gives every function on AWS, and local/ sets itself: the region, the
 * credentials, and the AWS_ENDPOINT_URL_* variables pointing the SDK at the local endpoints.
 */
export const isRuntimeVariable = (name: string): boolean =>
  name === 'AWS_REGION' ||
  name === 'AWS_ACCESS_KEY_ID' ||
  name === 'AWS_SECRET_ACCESS_KEY' ||
  name.startsWith('AWS_ENDPOINT_URL_');

/** The shop registry's table and the age of each function's cache of it (dynamodb-shop-registry.ts). */
const SHOP_REGISTRY_VARIABLES = ['SHOP_REGISTRY_TABLE_NAME', 'SHOP_CACHE_SECONDS'] as const;

/** The variables of each function's own configuration (what its `readConfig` reads and needs). */
export const FUNCTION_ENVIRONMENT = {
  'ingest-order-events': [
    'ORDERS_TABLE_NAME',
    'DEAD_LETTER_QUEUE_URL',
    'MAX_RECEIVE_COUNT',
    ...SHOP_REGISTRY_VARIABLES,
  ],
  'plan-notifications': [
    'ORDERS_TABLE_NAME',
    'NOTIFICATION_QUEUE_URL',
    'EVENT_BUS_NAME',
    ...SHOP_REGISTRY_VARIABLES,
  ],
  'send-notifications': [
    'ORDERS_TABLE_NAME',
    'NOTIFICATION_QUEUE_URL',
    'DEAD_LETTER_QUEUE_URL',
    'MAX_RECEIVE_COUNT',
    'EVENT_BUS_NAME',
    ...SHOP_REGISTRY_VARIABLES,
    'UNSUBSCRIBE_SECRET_ARN',
    'SES_CONFIGURATION_SET',
    'PUSH_PLATFORM_APPLICATIONS',
  ],
  'email-feedback': ['ORDERS_TABLE_NAME', 'EVENT_BUS_NAME'],
  'status-api': ['ORDERS_TABLE_NAME', ...SHOP_REGISTRY_VARIABLES, 'RATE_LIMIT_SALT_ARN'],
  unsubscribe: ['ORDERS_TABLE_NAME', ...SHOP_REGISTRY_VARIABLES, 'UNSUBSCRIBE_SECRET_ARN'],
  'connector-webhooks': [
    'ORDERS_TABLE_NAME',
    'EVENT_BUS_NAME',
    'CONNECTOR_DEAD_LETTER_QUEUE_URL',
    'CONNECTOR_SECRETS_PREFIX',
    ...SHOP_REGISTRY_VARIABLES,
  ],
} as const satisfies Record<WiredFunction, readonly string[]>;

/**
 * Variables a function reads with a default, that the local stack sets to fit its shorter time scale
 * (a visibility timeout of seconds rather than minutes); the deployed stack leaves them to the default.
 */
export const LOCAL_TUNING_VARIABLES: Readonly<Partial<Record<WiredFunction, readonly string[]>>> = {
  // The lease on a notification record must end within the local queue's retry budget; a secret
  // rotated locally is live within seconds, not minutes.
  'send-notifications': ['NOTIFICATION_LEASE_SECONDS', 'SECRET_CACHE_SECONDS'],
  'status-api': ['SECRET_CACHE_SECONDS'],
  unsubscribe: ['SECRET_CACHE_SECONDS'],
  'connector-webhooks': ['SECRET_CACHE_SECONDS'],
};

/** A function's own configuration: exactly the names of FUNCTION_ENVIRONMENT, each with a value. */
export type FunctionEnvironment<F extends WiredFunction> = {
  readonly [K in (typeof FUNCTION_ENVIRONMENT)[F][number]]: string;
};

/**
 * Checks a side's values against the function's variable names and returns them as a plain record.
 * Throws naming the function and every missing, empty or unexpected variable, so that lib/ or local/
 * cannot give a function a variable the other side does not (TypeScript catches most of it first).
 */
export const functionEnvironment = <F extends WiredFunction>(
  name: F,
  values: FunctionEnvironment<F>,
): Record<string, string> => {
  const expected: readonly string[] = FUNCTION_ENVIRONMENT[name];
  const given = values as Readonly<Record<string, unknown>>;
  const problems = [
    ...expected
      .filter((variable) => typeof given[variable] !== 'string' || given[variable] === '')
      .map((variable) => `${variable} is missing or empty`),
    ...Object.keys(given)
      .filter((variable) => !expected.includes(variable))
      .map((variable) => `${variable} is not one of its variables (lib/wiring.ts FUNCTION_ENVIRONMENT)`),
  ];
  if (problems.length > 0) throw new Error(`environment of ${name}: ${problems.join('; ')}`);
  return Object.fromEntries(expected.map((variable) => [variable, given[variable] as string]));
};
