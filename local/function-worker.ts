/**
 * One function's execution environment, as a child process: imports the production entry point
 * (functions/<name>/index.ts) with the environment it was started with, as Lambda would, then runs the
 * invocations local/stack-workers.ts sends it over IPC and answers with each one's result or error.
 * Started with `node --import tsx local/function-worker.ts <name>`; when killed, whatever it was doing
 * is lost, exactly as with a Lambda execution environment that dies.
 *
 * ORDER_NOTIFICATIONS_SDK_TRACE=calls (or =capacity) also streams every SDK call to the parent
 * (local/sdk-trace.ts).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from 'aws-lambda';
import { currentInvocation, installSdkTrace, type SdkCall } from './sdk-trace.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Parent -> worker. */
export interface InvokeMessage {
  readonly type: 'invoke';
  readonly id: number;
  readonly event: unknown;
  readonly context: {
    readonly functionName: string;
    readonly awsRequestId: string;
    readonly deadline: number;
  };
}

/** Worker -> parent. */
export type WorkerMessage =
  | { readonly type: 'ready'; readonly initMs: number }
  | { readonly type: 'result'; readonly id: number; readonly value: unknown }
  | { readonly type: 'error'; readonly id: number; readonly name: string; readonly message: string }
  | { readonly type: 'sdk-call'; readonly call: SdkCall };

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const reply = (message: WorkerMessage) => {
  process.send?.(message);
};

const contextOf = (message: InvokeMessage['context']): Context => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName: message.functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:eu-central-1:000000000000:function:${message.functionName}`,
  memoryLimitInMB: '256',
  awsRequestId: message.awsRequestId,
  logGroupName: `/aws/lambda/${message.functionName}`,
  logStreamName: `local/${process.pid}`,
  getRemainingTimeInMillis: () => Math.max(0, message.deadline - Date.now()),
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

const main = async () => {
  const name = process.argv[2];
  if (!name || !/^[a-z-]+$/.test(name)) throw new Error('usage: function-worker.ts <function name>');
  if (!process.send) throw new Error('function-worker.ts runs as a child process with an IPC channel');
  const trace = process.env.ORDER_NOTIFICATIONS_SDK_TRACE;
  if (trace === 'calls' || trace === 'capacity') {
    installSdkTrace({ capacity: trace === 'capacity', emit: (call) => reply({ type: 'sdk-call', call }) });
  }
  const started = performance.now();
  const entry = (await import(path.join(ROOT, 'functions', name, 'index.ts'))) as { handler: Handler };

  process.on('message', (message: InvokeMessage) => {
    if (message?.type !== 'invoke') return;
    currentInvocation.run(message.context.awsRequestId, async () => {
      try {
        const value = await entry.handler(message.event, contextOf(message.context));
        reply({ type: 'result', id: message.id, value });
      } catch (error) {
        reply({
          type: 'error',
          id: message.id,
          name: error instanceof Error ? error.name : 'Error',
          message: error instanceof Error ? error.message : String(error),
        });
      }
    });
  });
  // The parent is gone: nobody will read the answers.
  process.on('disconnect', () => process.exit(0));
  reply({ type: 'ready', initMs: performance.now() - started });
};

main().catch((error: unknown) => {
  console.error(
    `[function-worker] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  process.exit(1);
});
