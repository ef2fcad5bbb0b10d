/**
 * The local stream reader's checkpoint: a mapping that stops (or is killed) and starts again resumes
 * after the last batch it finished, so no change written meanwhile, or handed out but not finished, is
 * skipped; and one finished is not handed out again.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local.js';
import { openStream } from '../../local/dynamodb-stream.js';
import { pollStream } from '../../local/lambda-runner.js';
import { createOrderTable, type TestTable } from '../support/dynamodb.js';

let table: TestTable;
let streams: DynamoDBStreamsClient;
let dir: string;

beforeAll(async () => {
  table = await createOrderTable();
  streams = new DynamoDBStreamsClient({
    endpoint: inject('dynamoDbEndpoint'),
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  dir = mkdtempSync(path.join(tmpdir(), 'stream-checkpoint-'));
});

afterAll(async () => {
  streams.destroy();
  await table.drop();
  rmSync(dir, { recursive: true, force: true });
});

const write = async (ids: readonly string[]) => {
  for (const id of ids) {
    await table.documents.send(
      new PutCommand({ TableName: table.tableName, Item: { pk: `TEST#${id}`, sk: 'X', id } }),
    );
  }
};
const idsOf = (event: DynamoDBStreamEvent) =>
  event.Records.map((record) => record.dynamodb?.NewImage?.id?.S ?? '');

const eventually = async (condition: () => boolean, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

describe('a stream reader with a checkpoint file', () => {
  it('resumes after the last finished batch: nothing skipped, nothing finished delivered again', async () => {
    const checkpointFile = path.join(dir, `${randomUUID()}.json`);
    const run = randomUUID();
    const before = [0, 1, 2].map((n) => `${run}-a${n}`);
    await write(before);

    // First run: "LATEST" on a stream without a checkpoint skips what is already there...
    const first = await openStream(table.client, streams, table.tableName, {
      from: 'LATEST',
      checkpointFile,
    });
    expect(idsOf(await first.read())).toEqual([]);
    const during = [0, 1, 2, 3].map((n) => `${run}-b${n}`);
    await write(during);
    const seen: string[] = [];
    let stuck = false;
    const mapping = pollStream({
      reader: first,
      batchSize: 2,
      intervalMs: 20,
      maxRetries: 1000,
      onError: () => undefined,
      // ...the first batch finishes, the second never does before the stop (as if the process died).
      handler: async (event) => {
        const ids = idsOf(event);
        seen.push(...ids);
        if (ids.includes(during[2] ?? '')) {
          stuck = true;
          throw new Error('planner down');
        }
        return { batchItemFailures: [] };
      },
    });
    await eventually(() => stuck);
    await mapping.stop();
    expect(seen.slice(0, 2)).toEqual(during.slice(0, 2));

    const after = [0, 1].map((n) => `${run}-c${n}`);
    await write(after);

    // Second run, same file, from "LATEST" again: the checkpoint wins, and only unfinished records come.
    const second = await openStream(table.client, streams, table.tableName, {
      from: 'LATEST',
      checkpointFile,
    });
    const resumed: string[] = [];
    const next = pollStream({
      reader: second,
      intervalMs: 20,
      handler: async (event) => {
        resumed.push(...idsOf(event));
        return { batchItemFailures: [] };
      },
    });
    await eventually(() => resumed.length >= 4);
    await next.stop();
    expect(resumed).toEqual([...during.slice(2), ...after]);
  });

  it('ignores the positions of another stream (a table created again) and reads that table from its start', async () => {
    const other = await createOrderTable();
    try {
      const checkpointFile = path.join(dir, `${randomUUID()}.json`);
      writeFileSync(
        checkpointFile,
        JSON.stringify({ streamArn: 'arn:aws:dynamodb:old', positions: { x: '1' } }),
      );
      const run = randomUUID();
      await other.documents.send(
        new PutCommand({ TableName: other.tableName, Item: { pk: `TEST#${run}`, sk: 'X', id: run } }),
      );
      const reader = await openStream(other.client, streams, other.tableName, { checkpointFile });
      const event = await reader.read();
      expect(idsOf(event)).toEqual([run]);
      reader.commit(event.Records);
      const saved = JSON.parse(readFileSync(checkpointFile, 'utf8')) as {
        streamArn: string;
        positions: object;
      };
      expect(saved.streamArn).not.toBe('arn:aws:dynamodb:old');
      expect(Object.values(saved.positions)).toEqual([event.Records[0]?.dynamodb?.SequenceNumber]);
    } finally {
      await other.drop();
    }
  });
});
