/**
 * What a laptop does to `npm start`: the whole process group SIGKILLed mid-flow, then started again on the
 * same data dir. Every event PutEvents accepted must end stored (or dead-lettered with a reason), and every
 * stored change must be planned and its notifications settled: nothing lost, nothing `sending` forever.
 *
 * The stack runs as `npm start` runs it (local/start.ts in a child process group of its own), on free
 * ports and a temporary data dir (ORDER_NOTIFICATIONS_PORT_*, ORDER_NOTIFICATIONS_DATA_DIR).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { lifecycleEvents, orderRef, SHOP_ID } from '../../fixtures/order-events.js';
import { documentClient } from '../../functions/adapters/aws-clients.js';
import { DynamoDbNotificationLog } from '../../functions/adapters/dynamodb-notification-log.js';
import { DynamoDbOrderRepository } from '../../functions/adapters/dynamodb-order-repository.js';
import type { NotificationRecord } from '../../functions/domain/notification-log.js';
import type { OrderEvent } from '../../functions/domain/order-events.js';
import { toPutEventsEntry } from '../../local/demo.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local.js';
import { DEFAULT_PORTS, type PortName } from '../../local/ports.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The statuses the example shop sends on no channel (`"channels": { "Order Preparing": [] }`). */
const SILENT = new Set(
  Object.entries(
    (
      JSON.parse(readFileSync(path.join(ROOT, 'config', 'shops.example.json'), 'utf8')) as Array<{
        shopId: string;
        channels?: Record<string, unknown[]>;
      }>
    ).find((shop) => shop.shopId === SHOP_ID)?.channels ?? {},
  )
    .filter(([, channels]) => channels.length === 0)
    .map(([type]) => type),
);
const ORDERS = 20;
/** Outcomes a notification settles in; `sending` left by the kill must be retaken or closed. */
const SETTLED = new Set(['sent', 'skipped', 'superseded', 'failed']);

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

const ENV: Record<PortName, string> = {
  api: 'ORDER_NOTIFICATIONS_PORT_API',
  outbox: 'ORDER_NOTIFICATIONS_PORT_OUTBOX',
  eventBridge: 'ORDER_NOTIFICATIONS_PORT_EVENTBRIDGE',
  sqs: 'ORDER_NOTIFICATIONS_PORT_SQS',
  sns: 'ORDER_NOTIFICATIONS_PORT_SNS',
  ses: 'ORDER_NOTIFICATIONS_PORT_SES',
  secrets: 'ORDER_NOTIFICATIONS_PORT_SECRETS',
  dynamodb: 'ORDER_NOTIFICATIONS_PORT_DYNAMODB',
};

const children: ChildProcess[] = [];
/** The stacks' output, for the failure message (never logged: it names test customers only). */
let stackOutput = '';
const started = Date.now();
const phase = (what: string) => {
  const line = `--- ${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`;
  stackOutput += `\n${line}\n`;
  process.stderr.write(`[kill-restart] ${line}\n`);
};
let dataDir: string | undefined;

/** `npm start` (local/start.ts) in a process group of its own; resolves once it says it is running. */
const startStack = (ports: Record<PortName, number>, directory: string) =>
  new Promise<ChildProcess>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'local', 'start.ts')], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ORDER_NOTIFICATIONS_DATA_DIR: directory,
        ...Object.fromEntries(
          Object.entries(ports).map(([name, port]) => [ENV[name as PortName], String(port)]),
        ),
      },
    });
    children.push(child);
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      stackOutput += chunk.toString();
      if (output.includes('is running offline')) resolve(child);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      stackOutput += chunk.toString();
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`the local stack exited (${signal ?? code}) before it was up:\n${output}`)),
    );
  });

/** SIGKILL to the whole group (the stack and its DynamoDB Local), as `kill -9 -<pgid>` does. */
const killGroup = async (child: ChildProcess) => {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  await exited;
  // The group's other members (the JVM) die with it; give the kernel a moment to free their ports.
  await new Promise((resolve) => setTimeout(resolve, 500));
};

afterAll(async () => {
  for (const child of children) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('Local stack, kill -9 and restart', () => {
  it('loses no accepted event and no stored change across a SIGKILL of the process group', async () => {
    // Prepare: free ports, a fresh data dir, 20 orders' happy paths, interleaved as shops send them
    dataDir = await mkdtemp(path.join(tmpdir(), 'order-notifications-kill-'));
    const ports = Object.fromEntries(
      await Promise.all(
        (Object.keys(DEFAULT_PORTS) as PortName[]).map(async (name) => [name, await freePort()]),
      ),
    ) as Record<PortName, number>;
    const orders = Array.from({ length: ORDERS }, (_, i) => lifecycleEvents(orderRef(7000 + i), 'happyPath'));
    const events: OrderEvent[] = [];
    for (let step = 0; step < (orders[0]?.length ?? 0); step++) {
      for (const order of orders) events.push(order[step] as OrderEvent);
    }
    const clientFor = (maxAttempts?: number) =>
      new EventBridgeClient({
        endpoint: `http://127.0.0.1:${ports.eventBridge}`,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
        ...(maxAttempts ? { maxAttempts } : {}),
      });

    // Act 1: start, send until about half are accepted, and kill the group while the pipeline is busy
    phase('starting');
    const first = await startStack(ports, dataDir);
    phase('up; sending');
    const accepted = new Set<string>();
    const bus = clientFor(1);
    let next = 0;
    while (next < events.length / 2) {
      const batch = events.slice(next, next + 10);
      const result = await bus.send(
        new PutEventsCommand({ Entries: batch.map((event) => toPutEventsEntry(event)) }),
      );
      expect(result.FailedEntryCount).toBe(0);
      for (const event of batch) accepted.add(event.eventId);
      next += batch.length;
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    phase(`SIGKILL after ${accepted.size} accepted events`);
    await killGroup(first);
    bus.destroy();

    // Act 2: start again on the same data and send the rest (the SDK retries while the bus is closed)
    phase('restarting on the same data dir');
    await startStack(ports, dataDir);
    phase('up again; sending the rest');
    const retrying = clientFor();
    for (; next < events.length; next += 10) {
      const batch = events.slice(next, next + 10);
      const result = await retrying.send(
        new PutEventsCommand({ Entries: batch.map((event) => toPutEventsEntry(event)) }),
      );
      expect(result.FailedEntryCount).toBe(0);
      for (const event of batch) accepted.add(event.eventId);
    }
    retrying.destroy();

    // Assess: every accepted event is stored or dead-lettered; every stored change settles its notifications
    const dynamo = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${ports.dynamodb}`,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    const documents = documentClient(dynamo);
    const repository = new DynamoDbOrderRepository(documents, 'orders');
    const log = new DynamoDbNotificationLog(documents, 'orders');
    const sqs = new SQSClient({
      endpoint: `http://127.0.0.1:${ports.sqs}`,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    const deadLettered = async (): Promise<Map<string, string>> => {
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'order-events-dead-letters' }));
      const found = new Map<string, string>();
      const page = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
      );
      for (const message of page.Messages ?? []) {
        const body = JSON.parse(message.Body ?? '{}') as { detail?: { eventId?: string } };
        if (body.detail?.eventId) found.set(body.detail.eventId, message.Body ?? '');
      }
      return found;
    };

    phase(`all ${accepted.size} accepted; waiting for the pipeline`);
    const deadline = Date.now() + 150_000;
    let missing: string[] = [];
    let unsettled: NotificationRecord[] = [];
    let unplanned: string[] = [];
    let records: NotificationRecord[] = [];
    for (;;) {
      const stored = new Set<string>();
      records = [];
      unplanned = [];
      for (const order of orders) {
        const key = { shopId: SHOP_ID, orderId: (order[0] as OrderEvent).orderId };
        const snapshot = await repository.load(key);
        const orderRecords = await log.list(key);
        records.push(...orderRecords);
        for (const storedEvent of snapshot?.events ?? []) stored.add(storedEvent.event.eventId);
        // Every stored change was planned: its event has a record on some channel (sent, or why not:
        // skipped / superseded), unless the shop routes that status to no channel at all.
        const planned = new Set(orderRecords.map((record) => record.eventId));
        for (const storedEvent of snapshot?.events ?? []) {
          if (SILENT.has(storedEvent.event.type)) continue;
          if (!planned.has(storedEvent.event.eventId))
            unplanned.push(`${storedEvent.event.type} ${storedEvent.event.eventId}`);
        }
      }
      const dead = await deadLettered();
      missing = [...accepted].filter((eventId) => !stored.has(eventId) && !dead.has(eventId));
      unsettled = records.filter((record) => !SETTLED.has(record.outcome));
      if ((missing.length === 0 && unsettled.length === 0 && unplanned.length === 0) || Date.now() > deadline)
        break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    sqs.destroy();
    dynamo.destroy();
    phase(
      `settled check: ${missing.length} missing, ${unplanned.length} unplanned, ${unsettled.length} unsettled, ${records.length} records`,
    );

    expect(accepted.size).toBe(events.length);
    expect(
      missing,
      `accepted events neither stored nor dead-lettered; stack said:${stackOutput.slice(-3000)}`,
    ).toEqual([]);
    expect(unplanned, 'stored changes never planned').toEqual([]);
    expect(
      unsettled.map((record) => `${record.eventType}/${record.channel}: ${record.outcome}`),
      'notifications never settled',
    ).toEqual([]);
    // The pipeline really ran on both sides of the kill: every order reached its last message
    const deliveredEmails = records.filter(
      (record) => record.eventType === 'Order Delivered' && record.channel === 'email',
    );
    expect(deliveredEmails).toHaveLength(ORDERS);
    // At least once, never twice: one record per event and channel
    const keys = records.map((record) => `${record.eventId}/${record.channel}`);
    expect(new Set(keys).size).toBe(keys.length);
  }, 420_000);
});
