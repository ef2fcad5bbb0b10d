/**
 * The local stream mapping honours what lib/wiring.ts asks of the planner's mapping beyond batches and
 * retries: bisection of a failing batch, the maximum record age, and a partial batch response only when
 * the mapping reports batch item failures. A reader of made-up records stands in for the table's
 * stream, so each rule is seen on its own.
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBRecord, DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local.js';
import type { StreamReader } from '../../local/dynamodb-stream.js';
import { type Mapping, pollQueue, pollStream, type StreamBatchFailure } from '../../local/lambda-runner.js';
import { startSqsLocal } from '../../local/sqs-local.js';

let mapping: Mapping | undefined;
afterEach(async () => {
  await mapping?.stop();
  mapping = undefined;
});

const record = (id: string, createdSecondsAgo = 0): DynamoDBRecord => ({
  eventName: 'MODIFY',
  eventSourceARN: 'arn:aws:dynamodb:eu-central-1:000000000000:table/orders/stream/local',
  dynamodb: {
    SequenceNumber: id,
    ApproximateCreationDateTime: Math.floor(Date.now() / 1000) - createdSecondsAgo,
    NewImage: { id: { S: id } },
  },
});

/** A stream that hands out `records` once, then nothing. */
const readerOf = (records: DynamoDBRecord[]): StreamReader => {
  let pending = [...records];
  return {
    read: async () => {
      const batch = pending;
      pending = [];
      return { Records: batch };
    },
    commit: () => undefined,
  };
};

const idsOf = (event: DynamoDBStreamEvent) => event.Records.map((r) => r.dynamodb?.SequenceNumber ?? '');
const quiet = () => undefined;

const eventually = async (condition: () => boolean, timeoutMs = 5000) => {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('Function: pollStream, as the planner mapping runs it', () => {
  it('halves a failing batch until the poison record is alone, and gives up on it only', async () => {
    // Prepare
    const ids = ['1', '2', '3', '4', '5', '6', '7', '8'];
    const invocations: string[][] = [];
    const failures: StreamBatchFailure[] = [];
    const handler = async (event: DynamoDBStreamEvent) => {
      invocations.push(idsOf(event));
      if (idsOf(event).includes('6')) throw new Error('poison');
      return { batchItemFailures: [] };
    };

    // Act
    mapping = pollStream({
      reader: readerOf(ids.map((id) => record(id))),
      handler,
      intervalMs: 1,
      batchSize: 8,
      maxRetries: 10,
      bisectBatchOnError: true,
      onError: quiet,
      onFailure: (failure) => {
        failures.push(failure);
      },
    });
    await eventually(() => failures.length === 1);

    // Assess
    expect(invocations.slice(0, 4)).toEqual([ids, ['1', '2', '3', '4'], ['5', '6', '7', '8'], ['5', '6']]);
    expect(failures[0]?.records.map((r) => r.dynamodb?.SequenceNumber)).toEqual(['6']);
    expect(failures[0]?.condition).toBe('RetryAttemptsExhausted');
    // Every record but the poison one went through.
    const succeeded = new Set(invocations.filter((batch) => !batch.includes('6')).flat());
    expect([...succeeded].sort()).toEqual(['1', '2', '3', '4', '5', '7', '8']);
    // The halves carry on the batch's attempts: the poison record is tried at most 1 + 10 times.
    expect(failures[0]?.attempts).toBe(11);
    expect(invocations.filter((batch) => batch.includes('6'))).toHaveLength(11);
  });

  it('without bisection retries the whole rest of the batch', async () => {
    // Prepare
    const invocations: string[][] = [];
    const failures: StreamBatchFailure[] = [];

    // Act
    mapping = pollStream({
      reader: readerOf(['1', '2', '3'].map((id) => record(id))),
      handler: async (event) => {
        invocations.push(idsOf(event));
        throw new Error('down');
      },
      intervalMs: 1,
      maxRetries: 2,
      onError: quiet,
      onFailure: (failure) => {
        failures.push(failure);
      },
    });
    await eventually(() => failures.length === 1);

    // Assess
    expect(invocations).toEqual([
      ['1', '2', '3'],
      ['1', '2', '3'],
      ['1', '2', '3'],
    ]);
    expect(failures[0]?.records).toHaveLength(3);
  });

  it('hands records older than the maximum age to the failure destination without invoking for them', async () => {
    // Prepare
    const invocations: string[][] = [];
    const failures: StreamBatchFailure[] = [];

    // Act
    mapping = pollStream({
      reader: readerOf([record('old', 7200), record('new', 1)]),
      handler: async (event) => {
        invocations.push(idsOf(event));
        return { batchItemFailures: [] };
      },
      intervalMs: 1,
      maxRecordAgeSeconds: 3600,
      onError: quiet,
      onFailure: (failure) => {
        failures.push(failure);
      },
    });
    await eventually(() => invocations.length === 1 && failures.length === 1);

    // Assess
    expect(invocations).toEqual([['new']]);
    expect(failures[0]).toMatchObject({ condition: 'RecordAgeExceeded', attempts: 0 });
    expect(failures[0]?.records.map((r) => r.dynamodb?.SequenceNumber)).toEqual(['old']);
  });

  it('ignores a partial batch response when the mapping does not report batch item failures', async () => {
    // Prepare
    const invocations: string[][] = [];

    // Act
    mapping = pollStream({
      reader: readerOf([record('1'), record('2')]),
      handler: async (event) => {
        invocations.push(idsOf(event));
        return { batchItemFailures: [{ itemIdentifier: '2' }] };
      },
      intervalMs: 1,
      reportBatchItemFailures: false,
      onError: quiet,
    });
    await eventually(() => invocations.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 50));

    // Assess: Lambda counts the invocation a success; nothing is retried.
    expect(invocations).toEqual([['1', '2']]);
  });
});

describe('Function: pollQueue, with a batching window longer than the visibility timeout', () => {
  it('hands the function a message that came back during the window once, with its latest receipt', async () => {
    // Prepare: the message is received, its 1-second visibility runs out inside the 2.5-second window,
    // and the poller receives it again before the window closes.
    const sqs = await startSqsLocal({ region: LOCAL_REGION });
    const queueUrl = sqs.createQueue('window-longer-than-visibility', { VisibilityTimeout: '1' }).url;
    const client = new SQSClient({
      endpoint: sqs.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    const events: SQSEvent[] = [];
    try {
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'once' }));

      // Act
      mapping = await pollQueue({
        endpoint: sqs.endpoint,
        queueUrl,
        batchSize: 10,
        maxBatchingWindowMs: 2500,
        onError: quiet,
        handler: async (event) => {
          events.push(event);
          return { batchItemFailures: [] };
        },
      });
      await eventually(() => events.length === 1, 10_000);

      // Assess
      const records = events[0]?.Records ?? [];
      expect(records.map((record) => record.body)).toEqual(['once']);
      expect(Number(records[0]?.attributes.ApproximateReceiveCount)).toBeGreaterThanOrEqual(2);
      await mapping.stop();
      mapping = undefined;
      // Deleted with the latest receipt: nothing left to come back.
      expect(sqs.peek('window-longer-than-visibility')).toEqual([]);
    } finally {
      client.destroy();
      await sqs.stop();
    }
  });
});
