/**
 * The event source mapping emulation: SQS batches with partial failures against the local SQS, and
 * DynamoDB stream batches (DynamoDB Local's real stream) with checkpointed retries and the on-failure
 * destination.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local.js';
import { openStream } from '../../local/dynamodb-stream.js';
import { type Mapping, pollQueue, pollStream, type StreamBatchFailure } from '../../local/lambda-runner.js';
import { type SqsLocal, startSqsLocal } from '../../local/sqs-local.js';
import { createOrderTable, type TestTable } from '../support/dynamodb.js';

const quiet = () => undefined;

/** Polls `condition` until it holds or the time is up. */
const eventually = async (condition: () => boolean, timeoutMs = 8000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

let mapping: Mapping | undefined;

afterEach(async () => {
  await mapping?.stop();
  mapping = undefined;
});

describe('Function: pollQueue', () => {
  let sqs: SqsLocal;
  let client: SQSClient;

  beforeAll(async () => {
    sqs = await startSqsLocal();
    client = new SQSClient({ endpoint: sqs.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  });

  afterAll(async () => {
    client.destroy();
    await sqs.stop();
  });

  const queueWith = async (bodies: readonly string[]) => {
    const name = `jobs-${randomUUID()}`;
    const { url } = sqs.createQueue(name, { VisibilityTimeout: '1' });
    for (const body of bodies)
      await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
    return { name, url };
  };

  it('redelivers only the record that failed, with ApproximateReceiveCount 2, then deletes it', async () => {
    // Prepare
    const queue = await queueWith(['a', 'b', 'c']);
    const deliveries: Array<{ body: string; receiveCount: string; arn: string }> = [];
    let failedOnce = false;
    const handler = async (event: SQSEvent) => {
      const failures = [];
      for (const record of event.Records) {
        deliveries.push({
          body: record.body,
          receiveCount: record.attributes.ApproximateReceiveCount,
          arn: record.eventSourceARN,
        });
        if (record.body === 'b' && !failedOnce) {
          failedOnce = true;
          failures.push({ itemIdentifier: record.messageId });
        }
      }
      return { batchItemFailures: failures };
    };

    // Act
    mapping = await pollQueue({
      endpoint: sqs.endpoint,
      queueUrl: queue.url,
      handler,
      batchSize: 10,
      onError: quiet,
    });
    await eventually(() => deliveries.length === 4 && sqs.peek(queue.name).length === 0);

    // Assess
    expect(deliveries.map(({ body, receiveCount }) => `${body}:${receiveCount}`).sort()).toEqual([
      'a:1',
      'b:1',
      'b:2',
      'c:1',
    ]);
    expect(deliveries[0]?.arn).toBe(sqs.queueArn(queue.name));
  });

  it('deletes nothing when the handler throws: the whole batch comes back', async () => {
    // Prepare
    const queue = await queueWith(['a', 'b']);
    const batches: string[][] = [];
    const handler = async (event: SQSEvent) => {
      batches.push(
        event.Records.map((record) => `${record.body}:${record.attributes.ApproximateReceiveCount}`),
      );
      if (batches.length === 1) throw new Error('database down');
    };

    // Act
    mapping = await pollQueue({ endpoint: sqs.endpoint, queueUrl: queue.url, handler, onError: quiet });
    await eventually(() => batches.length === 2 && sqs.peek(queue.name).length === 0);

    // Assess
    expect(batches.map((batch) => batch.sort())).toEqual([
      ['a:1', 'b:1'],
      ['a:2', 'b:2'],
    ]);
  });

  it('counts an unknown item identifier as a failure of the whole batch', async () => {
    // Prepare
    const queue = await queueWith(['a']);
    let calls = 0;
    const handler = async () => {
      calls += 1;
      return calls === 1 ? { batchItemFailures: [{ itemIdentifier: '' }] } : { batchItemFailures: [] };
    };

    // Act
    mapping = await pollQueue({ endpoint: sqs.endpoint, queueUrl: queue.url, handler, onError: quiet });
    await eventually(() => calls === 2 && sqs.peek(queue.name).length === 0);

    // Assess
    expect(calls).toBe(2);
  });

  it('deletes the messages no filter matches without invoking the handler', async () => {
    // Prepare
    const queue = await queueWith([
      JSON.stringify({ kind: 'email' }),
      JSON.stringify({ kind: 'sms' }),
      'plain text',
    ]);
    const bodies: string[] = [];
    const handler = async (event: SQSEvent) => {
      bodies.push(...event.Records.map((record) => record.body));
    };

    // Act
    mapping = await pollQueue({
      endpoint: sqs.endpoint,
      queueUrl: queue.url,
      handler,
      filters: [{ body: { kind: ['sms'] } }, { body: [{ prefix: 'plain' }] }],
      onError: quiet,
    });
    await eventually(() => sqs.peek(queue.name).length === 0);

    // Assess
    expect(bodies.sort()).toEqual(['plain text', JSON.stringify({ kind: 'sms' })]);
  });

  it('never runs two invocations of one mapping at once', async () => {
    // Prepare
    const queue = await queueWith(['a', 'b', 'c', 'd']);
    let running = 0;
    let most = 0;
    let handled = 0;
    const handler = async (event: SQSEvent) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 30));
      handled += event.Records.length;
      running -= 1;
    };

    // Act
    mapping = await pollQueue({
      endpoint: sqs.endpoint,
      queueUrl: queue.url,
      handler,
      batchSize: 1,
      onError: quiet,
    });
    await eventually(() => handled === 4);

    // Assess
    expect(most).toBe(1);
  });
});

describe('Function: pollStream', () => {
  let table: TestTable;
  let streams: DynamoDBStreamsClient;

  beforeAll(async () => {
    table = await createOrderTable();
    streams = new DynamoDBStreamsClient({
      endpoint: inject('dynamoDbEndpoint'),
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
  });

  afterAll(async () => {
    streams.destroy();
    await table.drop();
  });

  /** Writes items with a fresh partition; returns their ids in write order. */
  const write = async (count: number) => {
    const run = randomUUID();
    const ids = Array.from({ length: count }, (_, n) => `${run}-${n}`);
    for (const id of ids) {
      await table.documents.send(
        new PutCommand({ TableName: table.tableName, Item: { pk: `TEST#${id}`, sk: 'X', id } }),
      );
    }
    return ids;
  };

  /** A reader positioned now (its first read takes the LATEST iterators), like a new mapping. */
  const latestReader = async () => {
    const reader = await openStream(table.client, streams, table.tableName, { from: 'LATEST' });
    await reader.read();
    return reader;
  };

  const idOf = (event: DynamoDBStreamEvent, index: number) =>
    event.Records[index]?.dynamodb?.NewImage?.id?.S ?? '';

  it('retries from the first failed record, not the whole batch', async () => {
    // Prepare
    const reader = await latestReader();
    const ids = await write(3);
    const batches: string[][] = [];
    const handler = async (event: DynamoDBStreamEvent) => {
      const batch = event.Records.map((_, index) => idOf(event, index));
      batches.push(batch);
      const second = event.Records.find((record) => record.dynamodb?.NewImage?.id?.S === ids[1]);
      return batches.length === 1 && second
        ? { batchItemFailures: [{ itemIdentifier: second.dynamodb?.SequenceNumber ?? '' }] }
        : { batchItemFailures: [] };
    };

    // Act
    mapping = pollStream({ reader, handler, intervalMs: 50, maxRetries: 2, onError: quiet });
    await eventually(() => batches.length === 2);

    // Assess
    expect(batches).toEqual([ids, ids.slice(1)]);
  });

  it('skips the records no filter matches, as the planner mapping filters state items', async () => {
    // Prepare
    const reader = await latestReader();
    const [skipped] = await write(1);
    const kept = randomUUID();
    await table.documents.send(
      new PutCommand({ TableName: table.tableName, Item: { pk: `ORDER#${kept}`, sk: 'STATE', id: kept } }),
    );
    const seen: string[] = [];
    const handler = async (event: DynamoDBStreamEvent) => {
      seen.push(...event.Records.map((_, index) => idOf(event, index)));
    };

    // Act
    mapping = pollStream({
      reader,
      handler,
      intervalMs: 50,
      filters: [{ dynamodb: { NewImage: { pk: { S: [{ prefix: 'ORDER#' }] }, sk: { S: ['STATE'] } } } }],
      onError: quiet,
    });
    await eventually(() => seen.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 200));

    // Assess
    expect(seen).toEqual([kept]);
    expect(seen).not.toContain(skipped);
  });

  it('hands the batch to onFailure once the retries are spent, then goes on', async () => {
    // Prepare
    const reader = await latestReader();
    const ids = await write(2);
    const failures: StreamBatchFailure[] = [];
    const seen: string[] = [];
    const handler = async (event: DynamoDBStreamEvent) => {
      seen.push(...event.Records.map((_, index) => idOf(event, index)));
      if (event.Records.some((record) => record.dynamodb?.NewImage?.id?.S === ids[0])) {
        throw new Error('cannot plan');
      }
    };

    // Act
    mapping = pollStream({
      reader,
      handler,
      intervalMs: 50,
      maxRetries: 1,
      onError: quiet,
      onFailure: (failure) => {
        failures.push(failure);
      },
    });
    await eventually(() => failures.length === 1);
    const [later] = await write(1);
    await eventually(() => seen.includes(later ?? 'missing'));

    // Assess
    expect(failures[0]).toMatchObject({
      attempts: 2,
      condition: 'RetryAttemptsExhausted',
      error: 'cannot plan',
      batchInfo: { batchSize: 2, streamArn: expect.stringContaining(table.tableName) },
    });
    expect(failures[0]?.records.map((record) => record.dynamodb?.NewImage?.id?.S)).toEqual(ids);
    expect(seen).toEqual([...ids, ...ids, later]);
  });
});
