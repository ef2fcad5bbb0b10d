/**
 * The local SQS with the real SDK client (which checks the body MD5 of every send and receive) and the
 * production SqsJobQueue and SqsDeadLetterSink: visibility, delays, long polls, redrive after
 * maxReceiveCount, batches with per-entry failures, errors mapped to the SDK's exceptions, and fair-queue
 * delivery for messages with a MessageGroupId (the tenant; the production SqsJobQueue names the shop).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  PurgeQueueCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SqsDeadLetterSink } from '../../functions/adapters/sqs-dead-letters.js';
import { SqsJobQueue } from '../../functions/adapters/sqs-job-queue.js';
import type { NotificationJob } from '../../functions/domain/notification-planning.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local.js';
import { md5OfMessageAttributes, type SqsLocal, startSqsLocal } from '../../local/sqs-local.js';

let sqs: SqsLocal;
let client: SQSClient;

/** A fresh queue per test, so tests do not see each other's messages. */
const newQueue = async (attributes?: Record<string, string>) => {
  const { QueueUrl } = await client.send(
    new CreateQueueCommand({ QueueName: `q-${randomUUID()}`, Attributes: attributes }),
  );
  if (!QueueUrl) throw new Error('no queue url');
  return QueueUrl;
};

const receive = (
  QueueUrl: string,
  extra: Partial<ConstructorParameters<typeof ReceiveMessageCommand>[0]> = {},
) =>
  client.send(
    new ReceiveMessageCommand({
      QueueUrl,
      MaxNumberOfMessages: 10,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      ...extra,
    }),
  );

const job = (n: number, shopId = 'shop-a') => ({ kind: 'test-job', shopId, n }) as unknown as NotificationJob;

/** Sends `count` messages of one tenant, bodies `<group>-1`, `<group>-2`, … */
const sendAs = async (QueueUrl: string, group: string, count: number, first = 1) => {
  for (let n = first; n < first + count; n++) {
    await client.send(
      new SendMessageCommand({ QueueUrl, MessageBody: `${group}-${n}`, MessageGroupId: group }),
    );
  }
};

/** Receives up to `max` messages (no wait) and answers their bodies and receipt handles. */
const take = async (QueueUrl: string, max: number) => {
  const { Messages = [] } = await client.send(
    new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: max, WaitTimeSeconds: 0 }),
  );
  return {
    bodies: Messages.map((message) => message.Body),
    handles: Messages.map((message) => message.ReceiptHandle ?? ''),
  };
};

const deleteAll = async (QueueUrl: string, handles: readonly string[]) => {
  for (let i = 0; i < handles.length; i += 10) {
    await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: handles.slice(i, i + 10).map((ReceiptHandle, n) => ({ Id: String(n), ReceiptHandle })),
      }),
    );
  }
};

beforeAll(async () => {
  sqs = await startSqsLocal();
  client = new SQSClient({ endpoint: sqs.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
});

afterAll(async () => {
  client.destroy();
  await sqs.stop();
});

describe('Function: md5OfMessageAttributes', () => {
  it('gives the digest SQS gave for a real message', () => {
    // Prepare: a message received from SQS, published with its MD5OfMessageAttributes
    const attributes = { AtTimestamp: { DataType: 'String', StringValue: '2021-02-15T12:00:33+09:00' } };

    // Act
    const digest = md5OfMessageAttributes(attributes);

    // Assess
    expect(digest).toBe('9fd5e217089075be61cd1d67e35e5117');
  });
});

describe('Class: SqsLocal', () => {
  describe('queues', () => {
    it('serves queue URLs and ARNs in the AWS shape', async () => {
      // Prepare
      const QueueUrl = await newQueue();
      const name = QueueUrl.split('/').at(-1) ?? '';

      // Act
      const byName = await client.send(new GetQueueUrlCommand({ QueueName: name }));
      const { Attributes } = await client.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
      );

      // Assess
      expect(QueueUrl).toBe(`http://127.0.0.1:${sqs.port}/000000000000/${name}`);
      expect(byName.QueueUrl).toBe(QueueUrl);
      expect(Attributes).toEqual({ QueueArn: `arn:aws:sqs:${LOCAL_REGION}:000000000000:${name}` });
    });

    it('answers an unknown queue with the SDK exception QueueDoesNotExist', async () => {
      // Act
      const attempt = client.send(
        new SendMessageCommand({ QueueUrl: `${sqs.endpoint}/000000000000/nope`, MessageBody: 'x' }),
      );

      // Assess
      await expect(attempt).rejects.toBeInstanceOf(QueueDoesNotExist);
    });

    it('counts messages and purges them', async () => {
      // Prepare
      const QueueUrl = await newQueue();
      await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a' }));
      await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'b', DelaySeconds: 60 }));

      // Act
      const before = await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
      await client.send(new PurgeQueueCommand({ QueueUrl }));
      const after = await client.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
      );

      // Assess
      expect(before.Attributes).toMatchObject({
        ApproximateNumberOfMessages: '1',
        ApproximateNumberOfMessagesDelayed: '1',
        ApproximateNumberOfMessagesNotVisible: '0',
        VisibilityTimeout: '30',
      });
      expect(after.Attributes).toEqual({ ApproximateNumberOfMessages: '0' });
    });
  });

  describe('messages', () => {
    it('sends, receives with attributes and deletes', async () => {
      // Prepare
      const QueueUrl = await newQueue();
      const MessageAttributes = {
        orderId: { DataType: 'String', StringValue: 'A-1' },
        attempt: { DataType: 'Number', StringValue: '2' },
        blob: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 2]) },
      };

      // Act
      const sent = await client.send(
        new SendMessageCommand({ QueueUrl, MessageBody: 'zażółć', MessageAttributes }),
      );
      const { Messages = [] } = await receive(QueueUrl, { MessageAttributeNames: ['All'] });
      const message = Messages[0];
      await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message?.ReceiptHandle }));
      const afterDelete = await receive(QueueUrl);

      // Assess
      expect(sent.MD5OfMessageAttributes).toBe(
        md5OfMessageAttributes({
          orderId: { DataType: 'String', StringValue: 'A-1' },
          attempt: { DataType: 'Number', StringValue: '2' },
          blob: { DataType: 'Binary', BinaryValue: 'AAEC' },
        }),
      );
      expect(message).toMatchObject({
        MessageId: sent.MessageId,
        Body: 'zażółć',
        Attributes: { ApproximateReceiveCount: '1' },
        MD5OfMessageAttributes: sent.MD5OfMessageAttributes,
        MessageAttributes: {
          orderId: { DataType: 'String', StringValue: 'A-1' },
          attempt: { DataType: 'Number', StringValue: '2' },
          blob: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 2]) },
        },
      });
      expect(afterDelete.Messages).toBeUndefined();
    });

    it('hides a received message for its visibility timeout, then delivers it again with a higher count', async () => {
      // Prepare
      const QueueUrl = await newQueue({ VisibilityTimeout: '1' });
      await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'job' }));
      const first = await receive(QueueUrl);

      // Act
      const whileHidden = await receive(QueueUrl);
      const again = await receive(QueueUrl, { WaitTimeSeconds: 3 });
      const staleDelete = await client.send(
        new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first.Messages?.[0]?.ReceiptHandle }),
      );
      const stillThere = await client.send(
        new GetQueueAttributesCommand({
          QueueUrl,
          AttributeNames: ['ApproximateNumberOfMessagesNotVisible'],
        }),
      );

      // Assess
      expect(whileHidden.Messages).toBeUndefined();
      expect(again.Messages?.[0]?.Attributes).toEqual({ ApproximateReceiveCount: '2' });
      expect(staleDelete.$metadata.httpStatusCode).toBe(200);
      expect(stillThere.Attributes?.ApproximateNumberOfMessagesNotVisible).toBe('1');
    });

    it('makes a message visible again at once with ChangeMessageVisibility 0', async () => {
      // Prepare
      const QueueUrl = await newQueue();
      await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'job' }));
      const first = await receive(QueueUrl);

      // Act
      await client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl,
          ReceiptHandle: first.Messages?.[0]?.ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      );
      const again = await receive(QueueUrl);

      // Assess
      expect(again.Messages?.[0]?.MessageId).toBe(first.Messages?.[0]?.MessageId);
    });

    it('holds a delayed message back, and a long poll returns it as soon as it is due', async () => {
      // Prepare
      const QueueUrl = await newQueue();
      await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'later', DelaySeconds: 1 }));

      // Act
      const atOnce = await receive(QueueUrl);
      const started = Date.now();
      const polled = await receive(QueueUrl, { WaitTimeSeconds: 5 });
      const waited = Date.now() - started;

      // Assess
      expect(atOnce.Messages).toBeUndefined();
      expect(polled.Messages?.[0]?.Body).toBe('later');
      expect(waited).toBeLessThan(2500);
    });

    it('ends a long poll when a message is sent', async () => {
      // Prepare
      const QueueUrl = await newQueue();
      const started = Date.now();

      // Act
      const polling = receive(QueueUrl, { WaitTimeSeconds: 10 });
      await new Promise((resolve) => setTimeout(resolve, 100));
      await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'now' }));
      const polled = await polling;

      // Assess
      expect(polled.Messages?.[0]?.Body).toBe('now');
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it('refuses a delay over 15 minutes', async () => {
      // Prepare
      const QueueUrl = await newQueue();

      // Act
      const attempt = client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', DelaySeconds: 901 }));

      // Assess
      await expect(attempt).rejects.toMatchObject({
        name: 'InvalidParameterValue',
        message: expect.stringContaining('DelaySeconds'),
      });
    });
  });

  describe('redrive', () => {
    it('moves a message to the DLQ on the receive that would exceed maxReceiveCount', async () => {
      // Prepare
      const dlqUrl = await newQueue();
      const dlqName = dlqUrl.split('/').at(-1) ?? '';
      const QueueUrl = await newQueue({
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: sqs.queueArn(dlqName), maxReceiveCount: 2 }),
      });
      const sent = await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'poison' }));

      // Act
      const receives = [];
      for (let i = 0; i < 3; i += 1)
        receives.push((await receive(QueueUrl, { VisibilityTimeout: 0 })).Messages);
      const dead = await receive(dlqUrl);

      // Assess
      expect(receives.map((messages) => messages?.[0]?.Attributes?.ApproximateReceiveCount)).toEqual([
        '1',
        '2',
        undefined,
      ]);
      expect(dead.Messages?.[0]).toMatchObject({ MessageId: sent.MessageId, Body: 'poison' });
    });

    it('refuses a redrive policy to a queue that does not exist', async () => {
      // Act
      const attempt = newQueue({
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: `arn:aws:sqs:${LOCAL_REGION}:000000000000:missing`,
          maxReceiveCount: 3,
        }),
      });

      // Assess
      await expect(attempt).rejects.toThrow('Dead letter target does not exist');
    });
  });

  describe('batches', () => {
    it('takes the production SqsJobQueue jobs, ten to a request', async () => {
      // Prepare
      const QueueUrl = await newQueue();
      const jobs = Array.from({ length: 12 }, (_, n) => job(n));

      // Act
      await new SqsJobQueue(client, QueueUrl).enqueue(jobs);
      const first = await receive(QueueUrl);
      const second = await receive(QueueUrl);

      // Assess
      const bodies = [...(first.Messages ?? []), ...(second.Messages ?? [])].map((message) => message.Body);
      expect(bodies).toEqual(jobs.map((item) => JSON.stringify(item)));
    });

    it('fails only the bad entries of a batch', async () => {
      // Prepare
      const QueueUrl = await newQueue();

      // Act
      const result = await client.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: [
            { Id: 'ok', MessageBody: 'fine' },
            { Id: 'late', MessageBody: 'too late', DelaySeconds: 901 },
          ],
        }),
      );

      // Assess
      expect(result.Successful?.map((entry) => entry.Id)).toEqual(['ok']);
      expect(result.Failed).toEqual([
        expect.objectContaining({ Id: 'late', SenderFault: true, Code: 'InvalidParameterValue' }),
      ]);
    });

    it('makes the production SqsJobQueue throw when SQS refuses jobs', async () => {
      // Prepare
      const QueueUrl = await newQueue();

      // Act
      const attempt = new SqsJobQueue(client, QueueUrl).enqueue([job(1), job(2)], 901);

      // Assess
      await expect(attempt).rejects.toThrow('SQS did not take 2 notification job(s): InvalidParameterValue');
    });

    it('refuses a batch of more than ten entries as a whole', async () => {
      // Prepare
      const QueueUrl = await newQueue();

      // Act
      const attempt = client.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: Array.from({ length: 11 }, (_, n) => ({ Id: `m${n}`, MessageBody: 'x' })),
        }),
      );

      // Assess
      await expect(attempt).rejects.toMatchObject({ name: 'TooManyEntriesInBatchRequest' });
    });
  });

  describe('dead letters', () => {
    it('keeps what the production SqsDeadLetterSink sends, reason in the attributes', async () => {
      // Prepare
      const QueueUrl = await newQueue();
      const sink = new SqsDeadLetterSink(client, QueueUrl, () => new Date('2026-11-20T11:00:00Z'));

      // Act
      await sink.send({
        body: '{"detail-type":"Order Placed"}',
        reason: 'detail.customer.email: invalid e-mail address',
        errorType: 'InvalidEventError',
        sourceMessageId: 'm-1',
        receiveCount: 4,
      });
      const { Messages = [] } = await receive(QueueUrl, { MessageAttributeNames: ['All'] });

      // Assess
      expect(Messages[0]?.Body).toBe('{"detail-type":"Order Placed"}');
      expect(Messages[0]?.MessageAttributes).toEqual({
        reason: { DataType: 'String', StringValue: 'detail.customer.email: invalid e-mail address' },
        errorType: { DataType: 'String', StringValue: 'InvalidEventError' },
        sourceMessageId: { DataType: 'String', StringValue: 'm-1' },
        receiveCount: { DataType: 'Number', StringValue: '4' },
        failedAt: { DataType: 'String', StringValue: '2026-11-20T11:00:00.000Z' },
      });
      expect(sqs.peek(QueueUrl.split('/').at(-1) ?? '')).toEqual([
        expect.objectContaining({ receiveCount: 1, visible: false }),
      ]);
    });
  });

  describe('fair queues', () => {
    // The local SQS reads Date.now(): a fake clock makes the consumers' processing times exact.
    let start = 0;
    const at = (ms: number) => vi.setSystemTime(start + ms);
    beforeEach(() => {
      start = Date.now();
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(start);
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it("delivers a quiet tenant's message before the backlog of a tenant that took the consumers' time", async () => {
      // Prepare: a flash sale's backlog, then one message of a quiet shop
      const QueueUrl = await newQueue();
      await sendAs(QueueUrl, 'flash', 4);
      await sendAs(QueueUrl, 'quiet', 1);

      // Act: the consumers spend 200 ms on the flash sale's first message
      const first = await take(QueueUrl, 1);
      at(200);
      await deleteAll(QueueUrl, first.handles);
      const next = await take(QueueUrl, 10);

      // Assess: oldest first until a tenant is noisy; then the quiet one first, the noisy ones still delivered
      expect(first.bodies).toEqual(['flash-1']);
      expect(next.bodies).toEqual(['quiet-1', 'flash-2', 'flash-3', 'flash-4']);
    });

    it('counts a tenant by its share of messages in flight once it has 30 of its own in flight', async () => {
      // Prepare: the clock stands still, so no tenant has any processing time
      const QueueUrl = await newQueue();
      await sendAs(QueueUrl, 'flash', 35);
      await sendAs(QueueUrl, 'quiet', 1);
      for (const max of [10, 10, 9]) await take(QueueUrl, max);

      // Act
      const with29 = await take(QueueUrl, 1);
      const with30 = await take(QueueUrl, 1);
      const after = await take(QueueUrl, 1);

      // Assess
      expect(with29.bodies).toEqual(['flash-30']);
      expect(with30.bodies).toEqual(['quiet-1']);
      expect(after.bodies).toEqual(['flash-31']);
    });

    it('keeps arrival order among tenants with at most a tenth of the processing time', async () => {
      // Prepare: 12 shops, each 100 ms of the consumers' time (8% each)
      const QueueUrl = await newQueue();
      for (let shop = 1; shop <= 12; shop++) await sendAs(QueueUrl, `shop${shop}`, 1);
      const received = [...(await take(QueueUrl, 10)).handles, ...(await take(QueueUrl, 2)).handles];
      at(100);
      await deleteAll(QueueUrl, received);
      await sendAs(QueueUrl, 'shop1', 1, 2);
      await sendAs(QueueUrl, 'newcomer', 1);

      // Act
      const next = await take(QueueUrl, 10);

      // Assess
      expect(received).toHaveLength(12);
      expect(next.bodies).toEqual(['shop1-2', 'newcomer-1']);
    });

    it('serves noisy tenants by the fewest messages in flight when no quiet message waits', async () => {
      // Prepare: y took 100 ms of processing; then x's and y's backlogs
      const QueueUrl = await newQueue();
      await sendAs(QueueUrl, 'y', 1, 0);
      const warm = await take(QueueUrl, 1);
      at(100);
      await deleteAll(QueueUrl, warm.handles);
      await sendAs(QueueUrl, 'x', 4);
      await sendAs(QueueUrl, 'y', 2);

      // Act: x (quiet) gets two consumers; 200 ms later both x and y are noisy, x with 2 in flight
      const quietFirst = await take(QueueUrl, 2);
      at(300);
      const bothNoisy = await take(QueueUrl, 3);

      // Assess
      expect(quietFirst.bodies).toEqual(['x-1', 'x-2']);
      expect(bothNoisy.bodies).toEqual(['y-1', 'y-2', 'x-3']);
    });

    it('treats a tenant as quiet again once it has sent nothing for 5 minutes', async () => {
      // Prepare: n is noisy (all the processing time, a backlog), then silent
      const QueueUrl = await newQueue();
      await sendAs(QueueUrl, 'n', 3);
      const first = await take(QueueUrl, 1);
      at(100);
      await deleteAll(QueueUrl, first.handles);
      at(5 * 60_000 + 1000);
      await sendAs(QueueUrl, 'q', 1);

      // Act
      const next = await take(QueueUrl, 1);

      // Assess: n's older message first again
      expect(next.bodies).toEqual(['n-2']);
    });

    it('refuses a MessageGroupId that is empty, longer than 128 characters or not ASCII punctuation', async () => {
      // Prepare
      const QueueUrl = await newQueue();

      // Act
      const result = await client.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: [
            { Id: 'ok', MessageBody: 'x', MessageGroupId: `shop-${'a'.repeat(123)}` },
            { Id: 'empty', MessageBody: 'x', MessageGroupId: '' },
            { Id: 'long', MessageBody: 'x', MessageGroupId: 'a'.repeat(129) },
            { Id: 'space', MessageBody: 'x', MessageGroupId: 'sklep pod dębem' },
          ],
        }),
      );

      // Assess
      expect(result.Successful?.map((entry) => entry.Id)).toEqual(['ok']);
      expect(result.Failed?.map((entry) => [entry.Id, entry.Code])).toEqual([
        ['empty', 'InvalidParameterValue'],
        ['long', 'InvalidParameterValue'],
        ['space', 'InvalidParameterValue'],
      ]);
    });

    it("gives each of the production SqsJobQueue's jobs its shop as MessageGroupId", async () => {
      // Prepare
      const QueueUrl = await newQueue();

      // Act
      await new SqsJobQueue(client, QueueUrl).enqueue([job(1, 'shop-a'), job(2, 'shop-b')]);
      const { Messages = [] } = await receive(QueueUrl, { MessageSystemAttributeNames: ['MessageGroupId'] });

      // Assess
      expect(Messages.map((message) => message.Attributes)).toEqual([
        { MessageGroupId: 'shop-a' },
        { MessageGroupId: 'shop-b' },
      ]);
      expect(sqs.peek(QueueUrl.split('/').at(-1) ?? '').map((message) => message.messageGroupId)).toEqual([
        'shop-a',
        'shop-b',
      ]);
    });

    it('keeps the MessageGroupId in its journal across a restart', async () => {
      // Prepare
      const dir = mkdtempSync(path.join(tmpdir(), 'sqs-fair-'));
      const journalFile = path.join(dir, 'sqs.jsonl');
      try {
        const first = await startSqsLocal({ journalFile });
        const firstClient = new SQSClient({
          endpoint: first.endpoint,
          region: LOCAL_REGION,
          credentials: LOCAL_CREDENTIALS,
        });
        const url = first.createQueue('jobs').url;
        await firstClient.send(
          new SendMessageCommand({ QueueUrl: url, MessageBody: 'a', MessageGroupId: 'shop-a' }),
        );
        firstClient.destroy();
        await first.stop();

        // Act
        const second = await startSqsLocal({ journalFile });
        const secondClient = new SQSClient({
          endpoint: second.endpoint,
          region: LOCAL_REGION,
          credentials: LOCAL_CREDENTIALS,
        });
        const { Messages = [] } = await secondClient.send(
          new ReceiveMessageCommand({
            QueueUrl: second.queueUrl('jobs'),
            MessageSystemAttributeNames: ['All'],
          }),
        );
        secondClient.destroy();
        await second.stop();

        // Assess
        expect(Messages.map((message) => [message.Body, message.Attributes?.MessageGroupId])).toEqual([
          ['a', 'shop-a'],
        ]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
