/**
 * The local SQS keeps its queues in a journal when given one: a restart (after a crash as after a stop)
 * finds every message SQS acknowledged, in the state SQS left it: waiting, in flight until its visibility
 * timeout ends, moved to the dead-letter queue, or gone once deleted.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local.js';
import { type SqsLocal, startSqsLocal } from '../../local/sqs-local.js';

const dirs: string[] = [];
const running: Array<{ sqs: SqsLocal; client: SQSClient }> = [];

const journalFile = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sqs-journal-'));
  dirs.push(dir);
  return path.join(dir, 'sqs.jsonl');
};

const start = async (file: string) => {
  const sqs = await startSqsLocal({ journalFile: file });
  const client = new SQSClient({
    endpoint: sqs.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  running.push({ sqs, client });
  return { sqs, client };
};

/** Ends a run without any shutdown work beyond closing the port: what the journal holds is what a kill leaves. */
const stop = async (run: { sqs: SqsLocal; client: SQSClient }) => {
  run.client.destroy();
  await run.sqs.stop();
  running.splice(running.indexOf(run), 1);
};

afterEach(async () => {
  for (const run of [...running]) await stop(run);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const bodies = (messages: readonly { body: string }[]) => messages.map((message) => message.body).sort();

describe('the local SQS with a journal', () => {
  it('finds waiting messages after a restart, and forgets deleted ones', async () => {
    const file = journalFile();
    const first = await start(file);
    const url = first.sqs.createQueue('orders', { VisibilityTimeout: '30' }).url;
    for (const n of [1, 2, 3]) {
      await first.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `m${n}` }));
    }
    const { Messages } = await first.client.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1 }),
    );
    await first.client.send(
      new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: Messages?.[0]?.ReceiptHandle }),
    );
    const deleted = Messages?.[0]?.Body;
    await stop(first);

    const second = await start(file);
    expect(bodies(second.sqs.peek('orders'))).toEqual(['m1', 'm2', 'm3'].filter((body) => body !== deleted));
    // The queue keeps its attributes, and the same queue name answers on the new endpoint.
    const attributes = await second.client.send(
      new GetQueueAttributesCommand({ QueueUrl: second.sqs.queueUrl('orders'), AttributeNames: ['All'] }),
    );
    expect(attributes.Attributes?.VisibilityTimeout).toBe('30');
    expect(attributes.Attributes?.ApproximateNumberOfMessages).toBe('2');
  });

  it('keeps a message in flight across a restart until its visibility timeout ends, with its receive count', async () => {
    const file = journalFile();
    const first = await start(file);
    const url = first.sqs.createQueue('jobs', { VisibilityTimeout: '1' }).url;
    await first.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'job' }));
    const received = await first.client.send(new ReceiveMessageCommand({ QueueUrl: url }));
    expect(received.Messages).toHaveLength(1);
    await stop(first);

    const second = await start(file);
    const queueUrl = second.sqs.queueUrl('jobs');
    expect(second.sqs.peek('jobs')).toMatchObject([{ body: 'job', receiveCount: 1, visible: false }]);
    const again = await second.client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        WaitTimeSeconds: 3,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    expect(again.Messages?.[0]?.Body).toBe('job');
    expect(again.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('2');
    // The handle of the new receive deletes it; after another restart it stays deleted.
    await second.client.send(
      new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: again.Messages?.[0]?.ReceiptHandle }),
    );
    await stop(second);
    const third = await start(file);
    expect(third.sqs.peek('jobs')).toEqual([]);
  });

  it('keeps a message the redrive moved to the dead-letter queue there, and a purge stays a purge', async () => {
    const file = journalFile();
    const first = await start(file);
    const dlq = first.sqs.createQueue('events-dlq');
    const url = first.sqs.createQueue('events', {
      VisibilityTimeout: '0',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }),
    }).url;
    const other = first.sqs.createQueue('other').url;
    await first.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }));
    await first.client.send(new SendMessageCommand({ QueueUrl: other, MessageBody: 'purged' }));
    await first.client.send(new ReceiveMessageCommand({ QueueUrl: url }));
    // The second receive moves it (maxReceiveCount 1).
    await first.client.send(new ReceiveMessageCommand({ QueueUrl: url }));
    await first.client.send(new PurgeQueueCommand({ QueueUrl: other }));
    expect(bodies(first.sqs.peek('events-dlq'))).toEqual(['poison']);
    await stop(first);

    const second = await start(file);
    expect(second.sqs.peek('events')).toEqual([]);
    expect(second.sqs.peek('events-dlq')).toMatchObject([{ body: 'poison', receiveCount: 1 }]);
    expect(second.sqs.peek('other')).toEqual([]);
  });

  it('drops a line torn by a crash mid-write, and refuses a damaged journal with the line named', async () => {
    const file = journalFile();
    const first = await start(file);
    const url = first.sqs.createQueue('q').url;
    await first.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'kept' }));
    await stop(first);
    appendFileSync(file, '{"op":"send","name":"q","mess');
    const second = await start(file);
    expect(bodies(second.sqs.peek('q'))).toEqual(['kept']);
    await stop(second);

    const damaged = journalFile();
    appendFileSync(damaged, 'not json\n{"op":"queue","name":"q","createdAt":1,"attributes":{}}\n');
    await expect(startSqsLocal({ journalFile: damaged })).rejects.toThrow(/line 1 is not a journal entry/);
  });

  it('compacts on start: a restart reads only what is left, not every change ever made', async () => {
    const file = journalFile();
    const first = await start(file);
    const url = first.sqs.createQueue('busy', { VisibilityTimeout: '0' }).url;
    for (let n = 0; n < 60; n += 1) {
      await first.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `m${n}` }));
      const { Messages } = await first.client.send(new ReceiveMessageCommand({ QueueUrl: url }));
      await first.client.send(
        new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: Messages?.[0]?.ReceiptHandle }),
      );
    }
    await first.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'last' }));
    const before = statSync(file).size;
    await stop(first);

    const second = await start(file);
    expect(bodies(second.sqs.peek('busy'))).toEqual(['last']);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3); // the queue, its attributes, the one message
    expect(statSync(file).size).toBeLessThan(before / 20);
  });
});

describe('the local SQS without a journal', () => {
  it('starts empty every time', async () => {
    const sqs = await startSqsLocal();
    const client = new SQSClient({
      endpoint: sqs.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    running.push({ sqs, client });
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'fresh' }));
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }));
    await stop({ sqs, client });
    const again = await startSqsLocal();
    running.push({
      sqs: again,
      client: new SQSClient({
        endpoint: again.endpoint,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
      }),
    });
    expect(() => again.peek('fresh')).toThrow(/no queue named fresh/);
  });
});
