/**
 * The compute half of the local stack: each function in an execution environment of its own (a child
 * process, local/function-worker.ts), and Lambda's event source mappings (local/lambda-runner.ts) in this
 * process, as they are AWS's on AWS: the SQS pollers and the stream poller with its checkpoint.
 *
 * So an environment can be killed at any moment (`kill`): the invocations it was running fail, which the
 * mappings treat as Lambda does — the SQS messages stay in flight until their visibility timeout and come
 * back (counting a receive), the stream batch is retried from its checkpoint — and the next invocation
 * starts a fresh environment (a cold start). The services (local/stack-services.ts) keep running.
 *
 * The mappings are built from lib/wiring.ts, as the CDK's are (`localEventSourceMappings`, plain data that
 * test/infrastructure/local-wiring.test.ts compares with the synthesized template), and started by
 * `startEventSourceMappings`, which local/stack.ts uses too for its in-process handlers.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import { EVENT_SOURCES, type MappedFunction } from '../lib/wiring.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamodb-local.js';
import { openStream } from './dynamodb-stream.js';
import type { InvokeMessage, WorkerMessage } from './function-worker.js';
import {
  type EventHandler,
  type Mapping,
  pollQueue,
  pollStream,
  type StreamBatchFailure,
} from './lambda-runner.js';
import type { SdkCall } from './sdk-trace.js';
import type { FunctionName, LocalServices } from './stack-services.js';

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'function-worker.ts');

/** The invocation of a function whose environment died under it. */
export class EnvironmentKilledError extends Error {
  constructor(functionName: string, signal: string | null, code: number | null) {
    super(
      `the ${functionName} execution environment stopped (${signal ?? `exit code ${code}`}) during the invocation`,
    );
    this.name = 'EnvironmentKilledError';
  }
}

export type SdkTraceMode = 'calls' | 'capacity';

export interface FunctionHostOptions {
  readonly name: FunctionName;
  /** The function's environment (local/stack-services.ts `environmentOf`, plus any overrides). */
  readonly environment: Readonly<Record<string, string>>;
  /** Streams the function's SDK calls to `onSdkCall` (local/sdk-trace.ts). @default off */
  readonly trace?: SdkTraceMode;
  readonly onSdkCall?: (call: SdkCall, functionName: FunctionName) => void;
  /** Each line the function writes (its logs). @default dropped */
  readonly onLog?: (line: string, functionName: FunctionName) => void;
}

export interface FunctionHostStats {
  readonly coldStarts: number;
  /** How long each environment took to import the entry point, in ms. */
  readonly initMs: readonly number[];
  readonly invocations: number;
  readonly failedInvocations: number;
  /** Invocations that were running when their environment was killed. */
  readonly killedInvocations: number;
  readonly kills: number;
}

export interface FunctionHost {
  readonly name: FunctionName;
  /** Runs one invocation; starts an environment first when none is running (a cold start). */
  invoke(event: unknown, context: Context): Promise<unknown>;
  /** SIGKILLs the running environment; returns how many invocations it was running. */
  kill(): number;
  /** Starts an environment now (the next invocation would otherwise do it). */
  warm(): Promise<void>;
  inFlight(): number;
  stats(): FunctionHostStats;
  stop(): Promise<void>;
}

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

interface Environment {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly pending: Map<number, Pending>;
}

export const startFunctionHost = (options: FunctionHostOptions): FunctionHost => {
  let environment: Environment | undefined;
  let nextId = 1;
  let stopped = false;
  const stats = {
    coldStarts: 0,
    initMs: [] as number[],
    invocations: 0,
    failedInvocations: 0,
    killedInvocations: 0,
    kills: 0,
  };

  const spawn = (): Environment => {
    stats.coldStarts += 1;
    const child = fork(WORKER, [options.name], {
      execArgv: ['--import', 'tsx'],
      env: {
        ...process.env,
        ...options.environment,
        ...(options.trace ? { ORDER_NOTIFICATIONS_SDK_TRACE: options.trace } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      const lines = createInterface({ input: stream });
      lines.on('line', (line) => options.onLog?.(line, options.name));
    }
    const pending = new Map<number, Pending>();
    const ready = new Promise<void>((resolve, reject) => {
      child.on('message', (message: WorkerMessage) => {
        switch (message.type) {
          case 'ready':
            stats.initMs.push(message.initMs);
            resolve();
            return;
          case 'sdk-call':
            options.onSdkCall?.(message.call, options.name);
            return;
          case 'result':
          case 'error': {
            const waiting = pending.get(message.id);
            if (!waiting) return;
            pending.delete(message.id);
            if (message.type === 'result') waiting.resolve(message.value);
            else {
              const error = new Error(message.message);
              error.name = message.name;
              waiting.reject(error);
            }
            return;
          }
        }
      });
      child.on('exit', (code, signal) => {
        const error = new EnvironmentKilledError(options.name, signal, code);
        reject(error);
        for (const waiting of pending.values()) waiting.reject(error);
        pending.clear();
        if (environment?.child === child) environment = undefined;
      });
    });
    // An environment that dies before it is ready fails the invocations waiting for it; nobody else waits.
    ready.catch(() => undefined);
    return { child, ready, pending };
  };

  const current = (): Environment => {
    if (stopped) throw new Error(`the ${options.name} host is stopped`);
    environment ??= spawn();
    return environment;
  };

  return {
    name: options.name,
    invoke: async (event, context) => {
      stats.invocations += 1;
      const target = current();
      try {
        await target.ready;
        return await new Promise<unknown>((resolve, reject) => {
          const id = nextId++;
          target.pending.set(id, { resolve, reject });
          const message: InvokeMessage = {
            type: 'invoke',
            id,
            event,
            context: {
              functionName: context.functionName,
              awsRequestId: context.awsRequestId || randomUUID(),
              deadline: Date.now() + context.getRemainingTimeInMillis(),
            },
          };
          target.child.send(message, (error) => {
            if (!error) return;
            target.pending.delete(id);
            reject(new EnvironmentKilledError(options.name, null, null));
          });
        });
      } catch (error) {
        stats.failedInvocations += 1;
        throw error;
      }
    },
    kill: () => {
      const target = environment;
      if (!target) return 0;
      environment = undefined;
      stats.kills += 1;
      const running = target.pending.size;
      stats.killedInvocations += running;
      target.child.kill('SIGKILL');
      return running;
    },
    warm: async () => {
      await current().ready;
    },
    inFlight: () => environment?.pending.size ?? 0,
    stats: () => ({ ...stats, initMs: [...stats.initMs] }),
    stop: async () => {
      stopped = true;
      const target = environment;
      environment = undefined;
      if (!target || target.child.exitCode !== null || target.child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => target.child.once('exit', () => resolve()));
      target.child.kill('SIGTERM');
      await exited;
    },
  };
};

/* ------------------------------------------------------------------------------------------------ */
/* Event source mappings, from lib/wiring.ts                                                         */
/* ------------------------------------------------------------------------------------------------ */

/** An SQS mapping as the local stack runs it. */
export interface LocalQueueMapping {
  readonly kind: 'sqs';
  readonly functionName: MappedFunction;
  readonly queueUrl: string;
  readonly batchSize: number;
  readonly maxBatchingWindowMs: number;
  readonly reportBatchItemFailures: boolean;
  /** Pollers, each running one invocation at a time: the mapping's maximum concurrency. */
  readonly concurrency: number;
}

/** The stream mapping as the local stack runs it. */
export interface LocalStreamMapping {
  readonly kind: 'dynamodb-stream';
  readonly functionName: MappedFunction;
  readonly tableName: string;
  readonly startingPosition: 'TRIM_HORIZON' | 'LATEST';
  readonly batchSize: number;
  readonly filters: readonly object[];
  readonly reportBatchItemFailures: boolean;
  readonly bisectBatchOnError: boolean;
  readonly retryAttempts: number;
  readonly maxRecordAgeSeconds: number;
  /** Where the coordinates of the records given up on are sent (Lambda's on-failure destination). */
  readonly onFailureQueueUrl: string;
}

export type LocalMapping = LocalQueueMapping | LocalStreamMapping;

/**
 * Deliberate departures from lib/wiring.ts, for benches and tests that need them. Each is named here
 * so that a default run is the deployed wiring.
 */
export interface LocalMappingOverrides {
  /** Ingest pollers at once, at most the wiring's maxConcurrency. @default the wiring's (10) */
  readonly ingestConcurrency?: number;
  /** Sender invocations at once, one job each, at most the wiring's. @default the wiring's (5) */
  readonly senderConcurrency?: number;
  /** @default the wiring's window (1 s) */
  readonly ingestBatchingWindowMs?: number;
  /** The planner mapping's retries before the failure destination. @default the wiring's (10) */
  readonly plannerRetries?: number;
  /**
   * Where the planner's stream mapping starts. LATEST for a stack started again on a table whose
   * earlier changes were already planned. @default the wiring's (TRIM_HORIZON)
   */
  readonly streamFrom?: 'TRIM_HORIZON' | 'LATEST';
}

const concurrencyWithin = (functionName: MappedFunction, requested: number | undefined, max: number) => {
  const concurrency = requested ?? max;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > max) {
    throw new RangeError(
      `${functionName}: local concurrency must be an integer from 1 to the mapping's maxConcurrency ${max} (lib/wiring.ts), got ${concurrency}`,
    );
  }
  return concurrency;
};

/** The local stack's event source mappings: lib/wiring.ts's, on the local queues and table. Starts nothing. */
export const localEventSourceMappings = (
  services: Pick<LocalServices, 'queues' | 'tableName'>,
  overrides: LocalMappingOverrides = {},
): LocalMapping[] => {
  const ingest = EVENT_SOURCES['ingest-order-events'];
  const planner = EVENT_SOURCES['plan-notifications'];
  const sender = EVENT_SOURCES['send-notifications'];
  return [
    {
      kind: 'sqs',
      functionName: 'ingest-order-events',
      queueUrl: services.queues[ingest.queue],
      batchSize: ingest.batchSize,
      maxBatchingWindowMs: overrides.ingestBatchingWindowMs ?? ingest.maxBatchingWindowSeconds * 1000,
      reportBatchItemFailures: ingest.reportBatchItemFailures,
      concurrency: concurrencyWithin(
        'ingest-order-events',
        overrides.ingestConcurrency,
        ingest.maxConcurrency,
      ),
    },
    {
      kind: 'dynamodb-stream',
      functionName: 'plan-notifications',
      tableName: services.tableName,
      startingPosition: overrides.streamFrom ?? planner.startingPosition,
      batchSize: planner.batchSize,
      filters: planner.filters,
      reportBatchItemFailures: planner.reportBatchItemFailures,
      bisectBatchOnError: planner.bisectBatchOnError,
      retryAttempts: overrides.plannerRetries ?? planner.retryAttempts,
      maxRecordAgeSeconds: planner.maxRecordAgeSeconds,
      onFailureQueueUrl: services.queues[planner.onFailure],
    },
    {
      kind: 'sqs',
      functionName: 'send-notifications',
      queueUrl: services.queues[sender.queue],
      batchSize: sender.batchSize,
      maxBatchingWindowMs: 0,
      reportBatchItemFailures: sender.reportBatchItemFailures,
      concurrency: concurrencyWithin(
        'send-notifications',
        overrides.senderConcurrency,
        sender.maxConcurrency,
      ),
    },
  ];
};

/**
 * What Lambda sends a stream mapping's on-failure destination: where the records are, not the records
 * (they hold personal data, and stay readable in the stream for its retention).
 */
export const streamFailureMessage = (functionName: string, failure: StreamBatchFailure) => ({
  requestContext: {
    requestId: randomUUID(),
    functionArn: `arn:aws:lambda:${LOCAL_REGION}:000000000000:function:${functionName}`,
    condition: failure.condition,
    approximateInvokeCount: failure.attempts,
  },
  responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
  version: '1.0',
  timestamp: new Date().toISOString(),
  DDBStreamBatchInfo: {
    startSequenceNumber: failure.batchInfo.startSequenceNumber,
    endSequenceNumber: failure.batchInfo.endSequenceNumber,
    approximateArrivalOfFirstRecord: arrival(failure.records[0]),
    approximateArrivalOfLastRecord: arrival(failure.records.at(-1)),
    batchSize: failure.batchInfo.batchSize,
    streamArn: failure.batchInfo.streamArn,
  },
});
const arrival = (record: StreamBatchFailure['records'][number] | undefined) => {
  const seconds = record?.dynamodb?.ApproximateCreationDateTime;
  return seconds === undefined ? undefined : new Date(seconds * 1000).toISOString();
};

/**
 * The handlers of the mapped functions. An SQS function may get one handler per poller (a list at least
 * as long as the mapping's concurrency): each then runs one invocation at a time, as an execution
 * environment does; one handler is shared by all the mapping's pollers.
 */
export interface EventSourceHandlers {
  readonly 'ingest-order-events': EventHandler<SQSEvent> | readonly EventHandler<SQSEvent>[];
  readonly 'plan-notifications': EventHandler<DynamoDBStreamEvent>;
  readonly 'send-notifications': EventHandler<SQSEvent> | readonly EventHandler<SQSEvent>[];
}

export interface StartMappingsOptions {
  readonly onError?: (error: unknown, functionName: MappedFunction) => void;
  /** Also told of every stream batch given up on, after it is in the failure queue. */
  readonly onStreamFailure?: (failure: StreamBatchFailure) => void;
  /**
   * A directory for the stream mappings' checkpoints (`<function>.stream-checkpoint.json`): a restart
   * resumes after the last batch done, as Lambda's poller does. @default none: each start begins at the
   * mapping's starting position
   */
  readonly checkpointDir?: string;
}

/** Starts `mappings` (localEventSourceMappings) on the services with the given handlers. */
export const startEventSourceMappings = async (
  services: Pick<LocalServices, 'urls' | 'dynamo'>,
  mappings: readonly LocalMapping[],
  handlers: EventSourceHandlers,
  options: StartMappingsOptions = {},
): Promise<Mapping> => {
  const running: Mapping[] = [];
  const streams = new DynamoDBStreamsClient({
    endpoint: services.urls.dynamodb,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const sqs = new SQSClient({
    endpoint: services.urls.sqs,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const stop = async () => {
    await Promise.all(running.map((mapping) => mapping.stop()));
    streams.destroy();
    sqs.destroy();
  };
  const onError = (name: MappedFunction) =>
    options.onError ? (error: unknown) => options.onError?.(error, name) : undefined;
  try {
    for (const mapping of mappings) {
      if (mapping.kind === 'sqs') {
        const given = handlers[mapping.functionName] as
          | EventHandler<SQSEvent>
          | readonly EventHandler<SQSEvent>[];
        if (Array.isArray(given) && given.length < mapping.concurrency) {
          throw new RangeError(
            `${mapping.functionName}: ${given.length} handlers for a mapping of ${mapping.concurrency} pollers`,
          );
        }
        for (let i = 0; i < mapping.concurrency; i++) {
          const handler = (Array.isArray(given) ? given[i] : given) as EventHandler<SQSEvent>;
          running.push(
            await pollQueue({
              functionName: mapping.functionName,
              endpoint: services.urls.sqs,
              queueUrl: mapping.queueUrl,
              handler,
              batchSize: mapping.batchSize,
              maxBatchingWindowMs: mapping.maxBatchingWindowMs,
              reportBatchItemFailures: mapping.reportBatchItemFailures,
              onError: onError(mapping.functionName),
            }),
          );
        }
        continue;
      }
      const handler = handlers[mapping.functionName] as EventHandler<DynamoDBStreamEvent>;
      running.push(
        pollStream({
          functionName: mapping.functionName,
          reader: await openStream(services.dynamo, streams, mapping.tableName, {
            from: mapping.startingPosition,
            checkpointFile:
              options.checkpointDir &&
              path.join(options.checkpointDir, `${mapping.functionName}.stream-checkpoint.json`),
          }),
          handler,
          batchSize: mapping.batchSize,
          intervalMs: 200,
          filters: mapping.filters,
          reportBatchItemFailures: mapping.reportBatchItemFailures,
          bisectBatchOnError: mapping.bisectBatchOnError,
          maxRetries: mapping.retryAttempts,
          maxRecordAgeSeconds: mapping.maxRecordAgeSeconds,
          onError: onError(mapping.functionName),
          onFailure: async (failure) => {
            // A failed send throws into the poller, which keeps the batch and tries it again.
            await sqs.send(
              new SendMessageCommand({
                QueueUrl: mapping.onFailureQueueUrl,
                MessageBody: JSON.stringify(streamFailureMessage(mapping.functionName, failure)),
              }),
            );
            options.onStreamFailure?.(failure);
          },
        }),
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
};

/* ------------------------------------------------------------------------------------------------ */
/* The pipeline's functions with their event source mappings                                        */
/* ------------------------------------------------------------------------------------------------ */

export const PIPELINE_FUNCTIONS = [
  'ingest-order-events',
  'plan-notifications',
  'send-notifications',
] as const;
export type PipelineFunction = (typeof PIPELINE_FUNCTIONS)[number];

export interface InvocationRecord {
  readonly functionName: PipelineFunction;
  readonly awsRequestId: string;
  readonly event: unknown;
  readonly start: number;
  readonly end: number;
  /** The handler's answer (e.g. a partial batch response), or its error. */
  readonly result?: unknown;
  readonly error?: { readonly name: string; readonly message: string } | undefined;
}

export interface LocalWorkersOptions extends LocalMappingOverrides {
  /** Per-function environment overrides, e.g. an endpoint behind a fault proxy. */
  readonly environment?: Partial<Record<PipelineFunction, Readonly<Record<string, string>>>>;
  readonly trace?: SdkTraceMode;
  readonly onSdkCall?: FunctionHostOptions['onSdkCall'];
  readonly onLog?: FunctionHostOptions['onLog'];
  /** Every finished invocation, with its event and outcome. */
  readonly onInvocation?: (record: InvocationRecord) => void;
  /** Failed invocations and polling errors. @default dropped (the outcome is in `onInvocation`) */
  readonly onError?: (error: unknown, functionName: PipelineFunction) => void;
}

export interface LocalWorkers {
  readonly hosts: Readonly<Record<PipelineFunction, FunctionHost>>;
  /** Stream batches the planner mapping gave up on (also in the planner-failures queue, as Lambda sends them). */
  plannerFailures(): readonly StreamBatchFailure[];
  /** Invocations running now, all functions. */
  inFlight(): number;
  /** When the last invocation started or ended (epoch ms). */
  lastActivity(): number;
  stop(): Promise<void>;
}

export const startLocalWorkers = async (
  services: LocalServices,
  options: LocalWorkersOptions = {},
): Promise<LocalWorkers> => {
  let lastActivity = Date.now();
  const plannerFailures: StreamBatchFailure[] = [];
  const hosts = Object.fromEntries(
    PIPELINE_FUNCTIONS.map((name) => [
      name,
      startFunctionHost({
        name,
        environment: { ...services.environmentOf(name), ...options.environment?.[name] },
        trace: options.trace,
        onSdkCall: options.onSdkCall,
        onLog: options.onLog,
      }),
    ]),
  ) as Record<PipelineFunction, FunctionHost>;

  const handlerFor =
    (name: PipelineFunction) =>
    async (event: unknown, context: Context): Promise<unknown> => {
      const start = Date.now();
      lastActivity = start;
      try {
        const result = await hosts[name].invoke(event, context);
        options.onInvocation?.({
          functionName: name,
          awsRequestId: context.awsRequestId,
          event,
          start,
          end: Date.now(),
          result,
        });
        return result;
      } catch (error) {
        options.onInvocation?.({
          functionName: name,
          awsRequestId: context.awsRequestId,
          event,
          start,
          end: Date.now(),
          error: {
            name: error instanceof Error ? error.name : 'Error',
            message: error instanceof Error ? error.message : String(error),
          },
        });
        throw error;
      } finally {
        lastActivity = Date.now();
      }
    };
  let mappings: Mapping | undefined;
  const stopAll = async () => {
    await mappings?.stop();
    await Promise.all(Object.values(hosts).map((host) => host.stop()));
  };
  try {
    // Environments up front, as provisioned: the first batches should not all wait for cold starts.
    await Promise.all(Object.values(hosts).map((host) => host.warm()));
    mappings = await startEventSourceMappings(
      services,
      localEventSourceMappings(services, options),
      {
        'ingest-order-events': handlerFor('ingest-order-events'),
        'plan-notifications': handlerFor('plan-notifications'),
        'send-notifications': handlerFor('send-notifications'),
      },
      {
        onError: (error, name) => options.onError?.(error, name),
        onStreamFailure: (failure) => {
          plannerFailures.push(failure);
        },
      },
    );
  } catch (error) {
    await stopAll();
    throw error;
  }

  return {
    hosts,
    plannerFailures: () => [...plannerFailures],
    inFlight: () => Object.values(hosts).reduce((sum, host) => sum + host.inFlight(), 0),
    lastActivity: () =>
      Math.max(lastActivity, ...Object.values(hosts).map((host) => (host.inFlight() > 0 ? Date.now() : 0))),
    stop: stopAll,
  };
};
