import { randomUUID } from 'node:crypto';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventBridgeEnvelope, lifecycleEvents, orderRef, SHOP_ID } from '../../fixtures/order-events.js';
import { SqsDeadLetterSink } from '../../functions/adapters/sqs-dead-letters.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local.js';
import { type SqsLocal, startSqsLocal } from '../../local/sqs-local.js';
import { type CliEnv, localEnv, runCli } from './harness.js';

let sqs: SqsLocal;
let client: SQSClient;
let env: CliEnv;

const [, paid] = lifecycleEvents(orderRef(7), 'happyPath');
if (!paid) throw new Error('fixture');
const EVENT_BODY = JSON.stringify(eventBridgeEnvelope(paid));
const JOB_BODY = JSON.stringify({
  shopId: SHOP_ID,
  orderId: 'ord-000007',
  eventId: 'ord-000007-shipped',
  channel: 'sms',
});

/** A dead-letter queue holding one dead order event and one dead notification job, and a target queue. */
const queues = async () => {
  const suffix = randomUUID().slice(0, 8);
  const dlq = sqs.createQueue(`dlq-${suffix}`);
  const target = sqs.createQueue(`target-${suffix}`);
  const sink = new SqsDeadLetterSink(client, dlq.url, () => new Date('2026-11-20T10:00:00Z'));
  await sink.send({
    body: EVENT_BODY,
    reason:
      'invalid order event: detail.amount.currency: expected an ISO 4217 currency code such as PLN or EUR',
    errorType: 'InvalidEventError',
    sourceMessageId: 'source-1',
    receiveCount: 1,
  });
  await sink.send({
    body: JOB_BODY,
    reason: 'gave up after 4 deliveries: Rate exceeded',
    errorType: 'ThrottlingException',
    sourceMessageId: 'source-2',
    receiveCount: 4,
  });
  return { dlq, target, dlqName: `dlq-${suffix}`, targetName: `target-${suffix}` };
};

beforeAll(async () => {
  sqs = await startSqsLocal();
  client = new SQSClient({ endpoint: sqs.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  env = localEnv({ AWS_ENDPOINT_URL_SQS: sqs.endpoint });
});

afterAll(async () => {
  client.destroy();
  await sqs.stop();
});

describe('Command: dlq list', () => {
  it('lists each dead letter with its reason and ids, and leaves them in the queue, visible', async () => {
    // Prepare
    const { dlq, dlqName } = await queues();

    // Act
    const result = await runCli(['dlq', 'list', dlq.url, '--wait', '0'], env);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Dead letters in ${dlq.url}: about 2 message(s); 2 listed`);
    const lines = result.stdout.split('\n');
    expect(lines.find((line) => line.includes('InvalidEventError'))).toMatch(
      /2026-11-20T10:00:00\.000Z +InvalidEventError +1 +Payment Received ord-000007-paid \(sklep-pod-debem\/ord-000007\) +invalid order event: detail\.amount\.currency: expected/,
    );
    expect(lines.find((line) => line.includes('ThrottlingException'))).toMatch(
      /ThrottlingException +4 +sms job ord-000007-shipped \(sklep-pod-debem\/ord-000007\) +gave up after 4 deliveries: Rate exceeded$/,
    );
    expect(sqs.peek(dlqName).map((message) => [message.body, message.visible])).toEqual([
      [EVENT_BODY, true],
      [JOB_BODY, true],
    ]);
  });

  it('gives scripts the summaries and, on request, the bodies', async () => {
    // Prepare
    const { dlq } = await queues();

    // Act
    const result = await runCli(['dlq', 'list', dlq.url, '--wait', '0', '--json', '--body'], env);

    // Assess
    expect(result.code).toBe(0);
    const listed = result.json<{ approximateCount: number; messages: Array<Record<string, unknown>> }>();
    expect(listed.approximateCount).toBe(2);
    expect(listed.messages).toEqual([
      expect.objectContaining({
        kind: 'order-event',
        ids: {
          eventId: 'ord-000007-paid',
          shopId: SHOP_ID,
          orderId: 'ord-000007',
          detailType: 'Payment Received',
          source: 'shop.orders',
        },
        errorType: 'InvalidEventError',
        failedAt: '2026-11-20T10:00:00.000Z',
        receiveCount: '1',
        sourceMessageId: 'source-1',
        body: EVENT_BODY,
      }),
      expect.objectContaining({
        kind: 'notification-job',
        ids: { shopId: SHOP_ID, orderId: 'ord-000007', eventId: 'ord-000007-shipped', channel: 'sms' },
        reason: 'gave up after 4 deliveries: Rate exceeded',
        body: JOB_BODY,
      }),
    ]);
  });

  it('says when a message was moved by the queue itself, without a reason', async () => {
    // Prepare
    const suffix = randomUUID().slice(0, 8);
    const dlq = sqs.createQueue(`native-dlq-${suffix}`);
    const source = sqs.createQueue(`source-${suffix}`, {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }),
    });
    await client.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: JOB_BODY }));
    await client.send(new ReceiveMessageCommand({ QueueUrl: source.url, VisibilityTimeout: 0 }));
    await client.send(new ReceiveMessageCommand({ QueueUrl: source.url, VisibilityTimeout: 0 }));

    // Act
    const result = await runCli(['dlq', 'list', dlq.url, '--wait', '0', '--json'], env);

    // Assess
    expect(result.json<{ messages: unknown[] }>().messages).toEqual([
      expect.objectContaining({
        kind: 'notification-job',
        reason: '(none recorded: moved here by the queue after its last delivery)',
        errorType: '',
      }),
    ]);
  });

  it('exits 3 for a queue that does not exist', async () => {
    // Act
    const result = await runCli(
      ['dlq', 'list', `${sqs.endpoint}/000000000000/no-such-queue`, '--wait', '0'],
      env,
    );

    // Assess
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('QueueDoesNotExist');
  });
});

describe('Command: dlq redrive', () => {
  it('moves the dead letters that may be redriven, bodies untouched, and skips the invalid event', async () => {
    // Prepare
    const { dlq, target, dlqName, targetName } = await queues();

    // Act
    const result = await runCli(['dlq', 'redrive', dlq.url, '--to', target.url, '--wait', '0'], env);

    // Assess: the job moves; the invalid event (same bytes, same failure) stays, counted and warned about
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `Moved 1 message(s) from ${dlq.url} to ${target.url}; 0 failed; 1 skipped`,
    );
    expect(result.stdout).toMatch(/InvalidEventError +Payment Received ord-000007-paid .*events send/);
    expect(result.stderr).toContain(
      'warning: skipped 1 dead letter(s) that would fail again (1 InvalidEventError); see docs/operations.md, or pass --include-invalid',
    );
    expect(sqs.peek(dlqName).map((message) => [message.body, message.visible])).toEqual([[EVENT_BODY, true]]);
    const moved = sqs.peek(targetName);
    expect(moved.map((message) => message.body)).toEqual([JOB_BODY]);
    expect(moved.map((message) => Object.keys(message.messageAttributes))).toEqual([[]]);
  });

  it('moves the invalid ones too with --include-invalid, and leaves the dead-letter queue empty', async () => {
    // Prepare
    const { dlq, target, dlqName, targetName } = await queues();

    // Act
    const result = await runCli(
      ['dlq', 'redrive', dlq.url, '--to', target.url, '--wait', '0', '--include-invalid'],
      env,
    );

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `Moved 2 message(s) from ${dlq.url} to ${target.url}; 0 failed; 0 skipped`,
    );
    expect(result.stderr).toBe('');
    expect(sqs.peek(dlqName)).toEqual([]);
    expect(sqs.peek(targetName).map((message) => message.body)).toEqual([EVENT_BODY, JOB_BODY]);
  });

  it('only shows what would move with --dry-run, the invalid event apart', async () => {
    // Prepare
    const { dlq, target, dlqName, targetName } = await queues();

    // Act
    const result = await runCli(
      ['dlq', 'redrive', dlq.url, '--to', target.url, '--wait', '0', '--dry-run'],
      env,
    );
    const json = await runCli(
      ['dlq', 'redrive', dlq.url, '--to', target.url, '--wait', '0', '--dry-run', '--json'],
      env,
    );

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `Dry run: would move 1 message(s) from ${dlq.url} to ${target.url}; 1 skipped`,
    );
    expect(result.stdout).toContain('sms job ord-000007-shipped');
    expect(result.stdout).toMatch(/Skipped 1 message\(s\) that must not be redriven/);
    const report = json.json<{
      wouldMove: Array<{ errorType: string }>;
      skipped: Array<{ errorType: string; why: string }>;
      counts: Record<string, number>;
    }>();
    expect(report.wouldMove.map((entry) => entry.errorType)).toEqual(['ThrottlingException']);
    expect(report.skipped.map((entry) => entry.errorType)).toEqual(['InvalidEventError']);
    expect(report.counts).toEqual({ moved: 0, wouldMove: 1, skipped: 1, failed: 0, leftInPlace: 0 });
    expect(json.stderr).toContain('skipped 1 dead letter(s)');
    expect(sqs.peek(targetName)).toEqual([]);
    expect(sqs.peek(dlqName).map((message) => message.visible)).toEqual([true, true]);
  });

  it('moves at most --max messages', async () => {
    // Prepare
    const { dlq, target, dlqName, targetName } = await queues();

    // Act
    const result = await runCli(
      [
        'dlq',
        'redrive',
        dlq.url,
        '--to',
        target.url,
        '--wait',
        '0',
        '--max',
        '1',
        '--json',
        '--include-invalid',
      ],
      env,
    );

    // Assess
    expect(result.code).toBe(0);
    expect(result.json<{ moved: unknown[] }>().moved).toHaveLength(1);
    expect(sqs.peek(targetName).map((message) => message.body)).toEqual([EVENT_BODY]);
    expect(sqs.peek(dlqName).map((message) => [message.body, message.visible])).toEqual([[JOB_BODY, true]]);
  });

  it('keeps the dead letters when the target refuses them, and exits 1', async () => {
    // Prepare
    const { dlq, dlqName } = await queues();

    // Act
    const result = await runCli(
      [
        'dlq',
        'redrive',
        dlq.url,
        '--to',
        `${sqs.endpoint}/000000000000/missing-target`,
        '--wait',
        '0',
        '--json',
      ],
      env,
    );

    // Assess
    expect(result.code).toBe(1);
    expect(result.json<{ failed: Array<{ stage: string; errorCode: string }> }>().failed).toEqual([
      expect.objectContaining({ stage: 'send', errorCode: 'QueueDoesNotExist' }),
    ]);
    expect(sqs.peek(dlqName).map((message) => message.visible)).toEqual([true, true]);
  });

  it('refuses to redrive a queue into itself', async () => {
    // Prepare
    const { dlq } = await queues();

    // Act
    const result = await runCli(['dlq', 'redrive', dlq.url, '--to', dlq.url], env);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--to names the dead-letter queue itself');
  });
});
