/**
 * Lambda's event source mappings, emulated so the production handlers run locally exactly as deployed:
 *
 * - pollQueue: SQS → handler. Long-polls the queue with the real SDK client, invokes the handler with an
 *   SQSEvent, deletes what succeeded (honouring `batchItemFailures`), and leaves the rest to come back
 *   after their visibility timeout, where the queue's redrive policy decides when they go to the DLQ.
 * - pollStream: DynamoDB stream → handler. Invokes the handler with batches of records; on a failure it
 *   retries from the first failed record (a checkpoint) up to maxRetries, then hands the batch to
 *   onFailure (Lambda's on-failure destination) and moves on.
 *
 * One mapping never runs two invocations at once. Both return `{ stop() }`, which waits for the
 * invocation under way.
 */
import { randomUUID } from 'node:crypto';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent, SQSEvent, SQSRecord } from 'aws-lambda';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamodb-local.js';
import type { StreamReader } from './dynamodb-stream.js';
import { compilePattern } from './event-pattern.js';

/** A handler as Lambda calls it; the answer may be a partial batch response. */
export type EventHandler<E> = (event: E, context: Context) => Promise<unknown>;

export interface Mapping {
  /** Stops polling and waits for the invocation under way. */
  stop(): Promise<void>;
}

interface InvocationOptions {
  /** @default 'local-function' */
  readonly functionName?: string;
  /** What `context.getRemainingTimeInMillis()` counts down from; not enforced. @default 30000 */
  readonly timeoutMs?: number;
  /** Invocation and polling errors. @default a one-line warning on stderr */
  readonly onError?: (error: unknown) => void;
  /**
   * Lambda event filtering: a record reaches the function when any of these patterns (EventBridge
   * syntax) matches it; the others count as processed (SQS deletes them). @default every record
   */
  readonly filters?: readonly object[];
  /**
   * The mapping's FunctionResponseTypes has ReportBatchItemFailures: the handler's `batchItemFailures`
   * are honoured. Without it Lambda ignores the answer and a returned invocation counts as a success.
   * @default true
   */
  readonly reportBatchItemFailures?: boolean;
}

const invocationContext = (functionName: string, timeoutMs: number): Context => {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
};

/** One predicate for a mapping's filters (checked now, so a bad filter fails when the mapping is made). */
const recordFilter = (filters: readonly object[] | undefined): ((record: unknown) => boolean) => {
  if (filters === undefined) return () => true;
  const matchers = filters.map((filter) => compilePattern(filter));
  return (record) => matchers.some((matches) => matches(record));
};

/** What an SQS filter sees: the record, with a JSON body parsed (Lambda filters a plain body as a string). */
const filterableSqsRecord = (record: SQSRecord): unknown => {
  try {
    return { ...record, body: JSON.parse(record.body) };
  } catch {
    return record;
  }
};

const warn = (functionName: string) => (error: unknown) => {
  console.warn(`[local ${functionName}] ${error instanceof Error ? error.message : String(error)}`);
};

/** A sleep that `stop` cuts short. */
const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });

/**
 * The identifiers a partial batch response reports as failed, or 'all' when Lambda would count the whole
 * batch as failed: an identifier that is empty or names no record of the batch.
 */
const reportedFailures = (response: unknown, ids: readonly string[]): Set<string> | 'all' => {
  const failures =
    typeof response === 'object' && response !== null
      ? (response as { batchItemFailures?: unknown }).batchItemFailures
      : undefined;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return 'all';
  const known = new Set(ids);
  const failed = new Set<string>();
  for (const failure of failures) {
    const id =
      typeof failure === 'object' && failure !== null
        ? (failure as { itemIdentifier?: unknown }).itemIdentifier
        : undefined;
    if (typeof id !== 'string' || !known.has(id)) return 'all';
    failed.add(id);
  }
  return failed;
};

/* ------------------------------------------------------------------------------------------------ */
/* SQS                                                                                               */
/* ------------------------------------------------------------------------------------------------ */

export interface PollQueueOptions extends InvocationOptions {
  /** The SQS endpoint, e.g. the local SQS's. */
  readonly endpoint: string;
  readonly queueUrl: string;
  readonly handler: EventHandler<SQSEvent>;
  /** @default 10 */
  readonly batchSize?: number;
  /** How long to gather records for a fuller batch after the first ones arrive. @default 0 */
  readonly maxBatchingWindowMs?: number;
  /** Seconds a received message stays hidden. @default the queue's VisibilityTimeout */
  readonly visibilityTimeout?: number;
  /** @default LOCAL_REGION */
  readonly region?: string;
}

/** SDK message → the record Lambda hands the function (attribute names lower-camel-cased, binary base64). */
const toSqsRecord = (message: Message, queueArn: string, region: string): SQSRecord => ({
  messageId: message.MessageId ?? '',
  receiptHandle: message.ReceiptHandle ?? '',
  body: message.Body ?? '',
  attributes: {
    ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1',
    SentTimestamp: message.Attributes?.SentTimestamp ?? '',
    SenderId: message.Attributes?.SenderId ?? '',
    ApproximateFirstReceiveTimestamp: message.Attributes?.ApproximateFirstReceiveTimestamp ?? '',
    ...(message.Attributes?.AWSTraceHeader ? { AWSTraceHeader: message.Attributes.AWSTraceHeader } : {}),
  },
  messageAttributes: Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
      name,
      {
        dataType: value.DataType ?? 'String',
        stringValue: value.StringValue,
        binaryValue: value.BinaryValue ? Buffer.from(value.BinaryValue).toString('base64') : undefined,
        stringListValues: [],
        binaryListValues: [],
      },
    ]),
  ),
  md5OfBody: message.MD5OfBody ?? '',
  ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
  eventSource: 'aws:sqs',
  eventSourceARN: queueArn,
  awsRegion: region,
});

export const pollQueue = async (options: PollQueueOptions): Promise<Mapping> => {
  const functionName = options.functionName ?? 'local-function';
  const onError = options.onError ?? warn(functionName);
  const batchSize = options.batchSize ?? 10;
  const windowMs = options.maxBatchingWindowMs ?? 0;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    throw new RangeError('batchSize must be a whole number from 1 to 10000');
  }
  const region = options.region ?? LOCAL_REGION;
  const passes = recordFilter(options.filters);
  const client = new SQSClient({ endpoint: options.endpoint, region, credentials: LOCAL_CREDENTIALS });
  const stopping = new AbortController();
  let queueArn: string;
  try {
    // Fails fast on a wrong queue URL, like creating the mapping would.
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: options.queueUrl, AttributeNames: ['QueueArn'] }),
    );
    queueArn = Attributes?.QueueArn ?? '';
  } catch (error) {
    client.destroy();
    throw error;
  }

  const receive = async (max: number, waitSeconds: number): Promise<Message[]> => {
    const { Messages } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: Math.min(10, max),
        WaitTimeSeconds: waitSeconds,
        VisibilityTimeout: options.visibilityTimeout,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: stopping.signal },
    );
    return Messages ?? [];
  };

  /** The first messages (long poll), then more until the batch is full or the window closes. */
  const gather = async (): Promise<Message[]> => {
    const batch = await receive(batchSize, 20);
    if (batch.length === 0) return batch;
    const windowEnd = Date.now() + windowMs;
    while (batch.length < batchSize && !stopping.signal.aborted) {
      const remaining = windowEnd - Date.now();
      if (remaining <= 0) break;
      const more = await receive(batchSize - batch.length, Math.floor(remaining / 1000));
      for (const message of more) {
        // A message whose visibility ran out during the window (a stalled process; locally the timeout
        // is seconds) comes back in the same batch: keep only its latest receipt, whose handle is the
        // one that deletes it, rather than hand the function the same message twice.
        const earlier = batch.findIndex((candidate) => candidate.MessageId === message.MessageId);
        if (earlier === -1) batch.push(message);
        else batch[earlier] = message;
      }
      if (more.length === 0) await pause(Math.min(remaining, 100), stopping.signal);
    }
    return batch;
  };

  const deleteMessages = async (messages: readonly Message[]) => {
    for (let i = 0; i < messages.length; i += 10) {
      const result = await client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: options.queueUrl,
          Entries: messages.slice(i, i + 10).map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle,
          })),
        }),
      );
      for (const failure of result.Failed ?? [])
        onError(new Error(`delete failed: ${failure.Code}: ${failure.Message}`));
    }
  };

  const invoke = async (received: Message[]) => {
    const messages: Message[] = [];
    const records: SQSRecord[] = [];
    const filteredOut: Message[] = [];
    for (const message of received) {
      const record = toSqsRecord(message, queueArn, region);
      if (passes(filterableSqsRecord(record))) {
        messages.push(message);
        records.push(record);
      } else filteredOut.push(message);
    }
    // Like Lambda: messages no filter matches are deleted without an invocation.
    if (filteredOut.length > 0) await deleteMessages(filteredOut);
    if (records.length === 0) return;
    const event: SQSEvent = { Records: records };
    let failed: Set<string> | 'all';
    try {
      const response = await options.handler(
        event,
        invocationContext(functionName, options.timeoutMs ?? 30_000),
      );
      failed =
        options.reportBatchItemFailures === false
          ? new Set()
          : reportedFailures(
              response,
              event.Records.map((record) => record.messageId),
            );
    } catch (error) {
      // The invocation failed: nothing is deleted, every message comes back after its visibility timeout.
      onError(error);
      failed = 'all';
    }
    if (failed === 'all') return;
    await deleteMessages(messages.filter((message) => !failed.has(message.MessageId ?? '')));
  };

  const loop = async () => {
    while (!stopping.signal.aborted) {
      try {
        const messages = await gather();
        if (messages.length > 0) await invoke(messages);
      } catch (error) {
        if (stopping.signal.aborted) break;
        onError(error);
        await pause(1000, stopping.signal);
      }
    }
  };
  const running = loop();

  return {
    stop: async () => {
      stopping.abort();
      await running;
      client.destroy();
    },
  };
};

/* ------------------------------------------------------------------------------------------------ */
/* DynamoDB streams                                                                                  */
/* ------------------------------------------------------------------------------------------------ */

export interface StreamBatchFailure {
  /** The records given up on: the batch from the first record that kept failing. */
  readonly records: readonly DynamoDBRecord[];
  /** Invocations made for them. */
  readonly attempts: number;
  /** Why: retries used up, or (with maxRecordAgeSeconds) records too old to retry. */
  readonly condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded';
  /** The last error, when the invocation threw. */
  readonly error?: string | undefined;
  readonly batchInfo: {
    readonly startSequenceNumber?: string | undefined;
    readonly endSequenceNumber?: string | undefined;
    readonly batchSize: number;
    readonly streamArn?: string | undefined;
  };
}

export interface PollStreamOptions extends InvocationOptions {
  readonly reader: StreamReader;
  readonly handler: EventHandler<DynamoDBStreamEvent>;
  /** Pause between reads when the stream has nothing new, and between retries. @default 250 */
  readonly intervalMs?: number;
  /** @default 100 */
  readonly batchSize?: number;
  /** Retries after a failed invocation (Lambda's MaximumRetryAttempts). @default 3 */
  readonly maxRetries?: number;
  /**
   * Lambda's BisectBatchOnFunctionError: when an invocation fails (throws, or its partial batch response
   * fails it whole), the rest of the batch is split in two and each half retried on its own, so a poison
   * record ends up alone. The halves carry on the batch's attempt count. @default false
   */
  readonly bisectBatchOnError?: boolean;
  /**
   * Lambda's MaximumRecordAgeInSeconds: records written longer ago than this (their
   * ApproximateCreationDateTime) are not invoked or retried but handed to onFailure. @default no limit
   */
  readonly maxRecordAgeSeconds?: number;
  /** Lambda's on-failure destination. @default a warning on stderr */
  readonly onFailure?: (failure: StreamBatchFailure) => void | Promise<void>;
}

export const pollStream = (options: PollStreamOptions): Mapping => {
  const functionName = options.functionName ?? 'local-stream-function';
  const onError = options.onError ?? warn(functionName);
  const intervalMs = options.intervalMs ?? 250;
  const batchSize = options.batchSize ?? 100;
  const maxRetries = options.maxRetries ?? 3;
  const passes = recordFilter(options.filters);
  const onFailure =
    options.onFailure ??
    ((failure: StreamBatchFailure) =>
      onError(
        new Error(`gave up on ${failure.records.length} stream record(s) after ${failure.attempts} attempts`),
      ));
  const stopping = new AbortController();

  const bisect = options.bisectBatchOnError ?? false;
  const maxAgeMs = options.maxRecordAgeSeconds === undefined ? undefined : options.maxRecordAgeSeconds * 1000;
  const tooOld = (record: DynamoDBRecord): boolean => {
    const created = record.dynamodb?.ApproximateCreationDateTime;
    return maxAgeMs !== undefined && created !== undefined && Date.now() - created * 1000 > maxAgeMs;
  };

  /** Index of the first record to retry from (`whole` when the invocation failed), or none on success. */
  const invoke = async (
    records: DynamoDBRecord[],
  ): Promise<{ retryFrom?: number; whole?: boolean; error?: string }> => {
    try {
      const response = await options.handler(
        { Records: records },
        invocationContext(functionName, options.timeoutMs ?? 30_000),
      );
      if (options.reportBatchItemFailures === false) return {};
      const sequenceNumbers = records.map((record) => record.dynamodb?.SequenceNumber ?? '');
      const failed = reportedFailures(response, sequenceNumbers);
      if (failed === 'all') return { retryFrom: 0, whole: true };
      const first = sequenceNumbers.findIndex((sequenceNumber) => failed.has(sequenceNumber));
      return first === -1 ? {} : { retryFrom: first };
    } catch (error) {
      onError(error);
      return { retryFrom: 0, whole: true, error: error instanceof Error ? error.message : String(error) };
    }
  };

  const giveUp = (
    records: DynamoDBRecord[],
    attempts: number,
    condition: StreamBatchFailure['condition'],
    error?: string,
  ) =>
    onFailure({
      records,
      attempts,
      condition,
      error,
      batchInfo: {
        startSequenceNumber: records[0]?.dynamodb?.SequenceNumber,
        endSequenceNumber: records.at(-1)?.dynamodb?.SequenceNumber,
        batchSize: records.length,
        streamArn: records[0]?.eventSourceARN,
      },
    });

  /**
   * Runs records to completion: success, or given up on (retries or age) and handed to onFailure.
   * Answers false when a stop cut it short (the batch is not committed, so a restart delivers it again).
   */
  const run = async (batch: DynamoDBRecord[], attemptsBefore: number): Promise<boolean> => {
    let records = batch;
    for (let attempt = attemptsBefore + 1; records.length > 0; attempt += 1) {
      if (stopping.signal.aborted) return false;
      const expired = records.filter(tooOld);
      if (expired.length > 0) {
        await giveUp(expired, attempt - 1, 'RecordAgeExceeded');
        records = records.filter((record) => !tooOld(record));
        if (records.length === 0) return true;
      }
      const { retryFrom, whole, error } = await invoke(records);
      if (retryFrom === undefined) return true;
      // Like a checkpoint: the records before the first failure count as processed.
      records = records.slice(retryFrom);
      if (attempt > maxRetries) {
        await giveUp(records, attempt, 'RetryAttemptsExhausted', error);
        return true;
      }
      await pause(intervalMs, stopping.signal);
      if (bisect && whole && records.length > 1) {
        const half = Math.ceil(records.length / 2);
        return (await run(records.slice(0, half), attempt)) && (await run(records.slice(half), attempt));
      }
    }
    return true;
  };
  const process = (batch: DynamoDBRecord[]) => run(batch.filter(passes), 0);

  const loop = async () => {
    let pending: DynamoDBRecord[] = [];
    while (!stopping.signal.aborted) {
      try {
        if (pending.length === 0) pending = (await options.reader.read()).Records;
        if (pending.length === 0) {
          await pause(intervalMs, stopping.signal);
          continue;
        }
        const batch = pending.slice(0, batchSize);
        if (!(await process(batch))) break;
        // Like Lambda's checkpoint: a batch is done once it succeeded or went to the on-failure destination.
        options.reader.commit(batch);
        pending = pending.slice(batch.length);
      } catch (error) {
        if (stopping.signal.aborted) break;
        onError(error);
        await pause(intervalMs, stopping.signal);
      }
    }
  };
  const running = loop();

  return {
    stop: async () => {
      stopping.abort();
      await running;
    },
  };
};
