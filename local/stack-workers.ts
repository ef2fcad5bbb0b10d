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
 * Mirrors the CDK wiring: ingest batches of 10 and several pollers; the planner on the table stream
 * (state items only, batches of 25, 10 retries, then the failure destination); the sender one job per
 * invocation with a bounded number of pollers (its maxConcurrency).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { Context } from 'aws-lambda';
import { ORDER_STATE_STREAM_FILTER } from '../lib/event-patterns.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamodb-local.js';
import { openStream } from './dynamodb-stream.js';
import type { InvokeMessage, WorkerMessage } from './function-worker.js';
import { type Mapping, pollQueue, pollStream, type StreamBatchFailure } from './lambda-runner.js';
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

export interface LocalWorkersOptions {
  /** Per-function environment overrides, e.g. an endpoint behind a fault proxy. */
  readonly environment?: Partial<Record<PipelineFunction, Readonly<Record<string, string>>>>;
  /** Ingest pollers at once (Lambda scales SQS pollers; the CDK allows 10). @default 2 */
  readonly ingestConcurrency?: number;
  /** Sender invocations at once, one job each (the CDK's senderMaxConcurrency). @default 5 */
  readonly senderConcurrency?: number;
  /** @default 1000 (the CDK's 1 s; the local stack uses 100) */
  readonly ingestBatchingWindowMs?: number;
  /** The planner mapping's retries before the failure destination (the CDK's retryAttempts). @default 10 */
  readonly plannerRetries?: number;
  /**
   * Where the planner's stream mapping starts: TRIM_HORIZON (the CDK's choice) on a fresh table, LATEST
   * for workers started again on a table whose earlier changes were already planned. @default TRIM_HORIZON
   */
  readonly streamFrom?: 'TRIM_HORIZON' | 'LATEST';
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
  /** Stream batches the planner mapping gave up on (Lambda's on-failure destination). */
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
  const onError = (name: PipelineFunction) => (error: unknown) => options.onError?.(error, name);

  const mappings: Mapping[] = [];
  const streams = new DynamoDBStreamsClient({
    endpoint: services.urls.dynamodb,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const stopAll = async () => {
    await Promise.all(mappings.map((mapping) => mapping.stop()));
    streams.destroy();
    await Promise.all(Object.values(hosts).map((host) => host.stop()));
  };
  try {
    // Environments up front, as provisioned: the first batches should not all wait for cold starts.
    await Promise.all(Object.values(hosts).map((host) => host.warm()));
    for (let i = 0; i < (options.ingestConcurrency ?? 2); i++) {
      mappings.push(
        await pollQueue({
          functionName: 'ingest-order-events',
          endpoint: services.urls.sqs,
          queueUrl: services.queues.orderEvents,
          handler: handlerFor('ingest-order-events'),
          batchSize: 10,
          maxBatchingWindowMs: options.ingestBatchingWindowMs ?? 1000,
          onError: onError('ingest-order-events'),
        }),
      );
    }
    for (let i = 0; i < (options.senderConcurrency ?? 5); i++) {
      mappings.push(
        await pollQueue({
          functionName: 'send-notifications',
          endpoint: services.urls.sqs,
          queueUrl: services.queues.jobs,
          handler: handlerFor('send-notifications'),
          batchSize: 1,
          onError: onError('send-notifications'),
        }),
      );
    }
    mappings.push(
      pollStream({
        functionName: 'plan-notifications',
        reader: await openStream(services.dynamo, streams, services.tableName, {
          from: options.streamFrom ?? 'TRIM_HORIZON',
        }),
        handler: handlerFor('plan-notifications'),
        batchSize: 25,
        intervalMs: 200,
        maxRetries: options.plannerRetries ?? 10,
        filters: [ORDER_STATE_STREAM_FILTER],
        onError: onError('plan-notifications'),
        onFailure: (failure) => {
          plannerFailures.push(failure);
        },
      }),
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
