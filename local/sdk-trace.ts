/**
 * Records every AWS SDK call a process makes — service, command, timing, outcome, and for DynamoDB the
 * keys it touched, the events a Query returned and (optionally) the capacity it consumed — without
 * touching the code that makes the calls. The production entry points create their clients privately at
 * module scope, so the hook is the one place every client shares: the SDK's base `Client.send`, which
 * adds a recording middleware to each client's middleware stack on its first call.
 *
 * For benchmarks and the chaos run only (local/function-worker.ts installs it when asked); never in a
 * deployed function.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { parseEventSk } from '../functions/adapters/table-keys.js';

export interface SdkCall {
  /** The Lambda request id of the invocation that made the call, when there was one. */
  readonly invocation?: string | undefined;
  /** The client's service id: DynamoDB, SESv2, SNS, SQS, EventBridge. */
  readonly service: string;
  /** E.g. QueryCommand. */
  readonly command: string;
  /** Epoch milliseconds (fractional), before the first attempt and after the last. */
  readonly start: number;
  readonly end: number;
  /** The error's name when the call failed. */
  readonly error?: string | undefined;
  /** A transaction's cancellation reasons, one code per item. */
  readonly reasons?: readonly string[] | undefined;
  /** DynamoDB: `pk|sk` of each item written or read by key; a Query's `pk|*` or `index:<name>=<value>`. */
  readonly keys?: readonly string[] | undefined;
  /** DynamoDB Query: the ids of the event items (sk EVENT#…) it returned. */
  readonly eventIds?: readonly string[] | undefined;
  readonly readUnits?: number | undefined;
  readonly writeUnits?: number | undefined;
  /** SES SendEmail, SNS Publish: the provider's message id. */
  readonly messageId?: string | undefined;
}

export interface SdkTraceOptions {
  /** Adds ReturnConsumedCapacity TOTAL to DynamoDB requests and reports the units. @default false */
  readonly capacity?: boolean;
  readonly emit: (call: SdkCall) => void;
}

/** The invocation under way, set by whoever invokes the handler (local/function-worker.ts). */
export const currentInvocation = new AsyncLocalStorage<string>();

const CAPACITY_COMMANDS = new Set([
  'GetItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'BatchWriteItemCommand',
  'TransactGetItemsCommand',
  'TransactWriteItemsCommand',
  // lib-dynamodb's names for the same operations
  'GetCommand',
  'PutCommand',
  'UpdateCommand',
  'DeleteCommand',
  'BatchGetCommand',
  'BatchWriteCommand',
  'TransactGetCommand',
  'TransactWriteCommand',
]);

const isWrite = (command: string): boolean => /^(Put|Update|Delete|BatchWrite|TransactWrite)/.test(command);

type Loose = Record<string, unknown>;

const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null;

/** A string attribute, marshalled (`{ S: '…' }`, the low-level client) or not (the document client). */
const stringOf = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value;
  if (isObject(value) && typeof value.S === 'string') return value.S;
  return undefined;
};

const keyOf = (item: unknown): string | undefined => {
  if (!isObject(item)) return undefined;
  const pk = stringOf(item.pk);
  return pk === undefined ? undefined : `${pk}|${stringOf(item.sk) ?? ''}`;
};

const keysOf = (input: Loose): string[] => {
  const keys: string[] = [];
  const add = (key: string | undefined) => {
    if (key !== undefined) keys.push(key);
  };
  add(keyOf(input.Key));
  add(keyOf(input.Item));
  if (typeof input.KeyConditionExpression === 'string' && isObject(input.ExpressionAttributeValues)) {
    const values = input.ExpressionAttributeValues;
    if (typeof input.IndexName === 'string') {
      const [first] = Object.values(values);
      add(`index:${input.IndexName}=${stringOf(first) ?? '?'}`);
    } else add(`${stringOf(values[':pk']) ?? '?'}|*`);
  }
  if (Array.isArray(input.TransactItems)) {
    for (const entry of input.TransactItems) {
      if (!isObject(entry)) continue;
      for (const operation of Object.values(entry)) {
        if (isObject(operation)) add(keyOf(operation.Key) ?? keyOf(operation.Item));
      }
    }
  }
  return keys;
};

const eventIdsOf = (output: Loose): string[] | undefined => {
  if (!Array.isArray(output.Items)) return undefined;
  return output.Items.flatMap((item) => {
    const eventId = isObject(item) ? parseEventSk(item.sk) : undefined;
    return eventId === undefined ? [] : [eventId];
  });
};

const capacityOf = (command: string, output: Loose): { read: number; write: number } | undefined => {
  if (output.ConsumedCapacity === undefined) return undefined;
  let read = 0;
  let write = 0;
  for (const unit of [output.ConsumedCapacity].flat()) {
    if (!isObject(unit)) continue;
    if (typeof unit.ReadCapacityUnits === 'number' || typeof unit.WriteCapacityUnits === 'number') {
      read += typeof unit.ReadCapacityUnits === 'number' ? unit.ReadCapacityUnits : 0;
      write += typeof unit.WriteCapacityUnits === 'number' ? unit.WriteCapacityUnits : 0;
    } else if (typeof unit.CapacityUnits === 'number') {
      if (isWrite(command)) write += unit.CapacityUnits;
      else read += unit.CapacityUnits;
    }
  }
  return { read, write };
};

const now = (): number => performance.timeOrigin + performance.now();

interface MiddlewareStack {
  add(middleware: unknown, options: { step: string; name: string; priority?: string }): void;
}

let installed = false;

/** Installs the recording hook for every SDK client of this process, created before or after. */
export const installSdkTrace = (options: SdkTraceOptions): void => {
  if (installed) throw new Error('the SDK trace is already installed in this process');
  installed = true;
  // Every v3 client (and lib-dynamodb's document client) extends the same base class from @smithy/core.
  const base = Object.getPrototypeOf(DynamoDBClient.prototype) as {
    send: (this: unknown, ...args: unknown[]) => Promise<unknown>;
  };
  const send = base.send;
  const instrumented = new WeakSet<object>();

  const middleware =
    (service: string) =>
    (next: (args: { input: unknown }) => Promise<{ output: unknown }>, context: { commandName?: string }) =>
    async (args: { input: unknown }) => {
      const command = context.commandName ?? 'UnknownCommand';
      const input = (isObject(args.input) ? args.input : {}) as Loose;
      const dynamo = service === 'DynamoDB';
      if (dynamo && options.capacity && CAPACITY_COMMANDS.has(command))
        input.ReturnConsumedCapacity = 'TOTAL';
      const invocation = currentInvocation.getStore();
      const start = now();
      const keys = dynamo ? keysOf(input) : undefined;
      try {
        const result = await next(args);
        const output = (isObject(result.output) ? result.output : {}) as Loose;
        const capacity = dynamo ? capacityOf(command, output) : undefined;
        options.emit({
          invocation,
          service,
          command,
          start,
          end: now(),
          keys,
          eventIds: dynamo ? eventIdsOf(output) : undefined,
          readUnits: capacity?.read,
          writeUnits: capacity?.write,
          messageId: typeof output.MessageId === 'string' ? output.MessageId : undefined,
        });
        return result;
      } catch (error) {
        const reasons =
          isObject(error) && Array.isArray(error.CancellationReasons) ? error.CancellationReasons : [];
        options.emit({
          invocation,
          service,
          command,
          start,
          end: now(),
          keys,
          error: error instanceof Error ? error.name : 'UnknownError',
          reasons:
            reasons.length > 0
              ? reasons.map((reason) => (isObject(reason) ? String(reason.Code ?? 'None') : 'None'))
              : undefined,
        });
        throw error;
      }
    };

  base.send = function (this: unknown, ...args: unknown[]) {
    const client = this as { middlewareStack?: MiddlewareStack; config?: { serviceId?: string } };
    const stack = client.middlewareStack;
    if (stack && !instrumented.has(stack)) {
      instrumented.add(stack);
      stack.add(middleware(client.config?.serviceId ?? 'unknown'), {
        step: 'initialize',
        name: 'localSdkTrace',
        priority: 'high',
      });
    }
    return send.apply(this, args);
  };
};
