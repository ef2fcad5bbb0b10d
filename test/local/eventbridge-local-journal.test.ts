/**
 * The local bus refuses events until its rules exist, and with a journal keeps every accepted event
 * until its delivery ended: a restart delivers what the last run accepted but had not delivered.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local.js';
import {
  type BusEvent,
  type EventBridgeLocal,
  type EventBridgeLocalOptions,
  startEventBridgeLocal,
} from '../../local/eventbridge-local.js';

const buses: EventBridgeLocal[] = [];
const clients: EventBridgeClient[] = [];
const dirs: string[] = [];

const start = async (options: EventBridgeLocalOptions) => {
  const bus = await startEventBridgeLocal(options);
  buses.push(bus);
  return bus;
};
const clientOf = (bus: EventBridgeLocal, maxAttempts?: number) => {
  const client = new EventBridgeClient({
    endpoint: bus.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts,
  });
  clients.push(client);
  return client;
};
const journalFile = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bus-journal-'));
  dirs.push(dir);
  return path.join(dir, 'eventbridge.jsonl');
};
const stop = async (bus: EventBridgeLocal) => {
  await bus.stop();
  buses.splice(buses.indexOf(bus), 1);
};

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const bus of buses.splice(0)) await bus.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const PATTERN = { source: ['shop.test'] };
const put = (client: EventBridgeClient, n: number) =>
  client.send(
    new PutEventsCommand({
      Entries: [{ Source: 'shop.test', DetailType: 'Order Placed', Detail: JSON.stringify({ n }) }],
    }),
  );
const numbers = (events: readonly BusEvent[]) => events.map((event) => event.detail.n as number).sort();

describe('a bus started closed', () => {
  it('answers PutEvents with a retryable 503 that says why, until it is opened', async () => {
    const bus = await start({ open: false });
    const error = await put(clientOf(bus, 1), 1).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      name: 'ServiceUnavailableException',
      $metadata: { httpStatusCode: 503 },
      message: expect.stringMatching(/rules are not in place yet/),
    });
    expect(bus.events()).toEqual([]);
  });

  it('delivers an event the SDK sent while it was closed, once it opens (the SDK retried)', async () => {
    const bus = await start({ open: false });
    const delivered: BusEvent[] = [];
    bus.addRule({ name: 'r', pattern: PATTERN, target: async (event) => void delivered.push(event) });
    setTimeout(() => bus.open(), 150);
    // The SDK retries a 503 with backoff; enough attempts to outlast the 150 ms start.
    const result = await put(clientOf(bus, 10), 7);
    expect(result.FailedEntryCount).toBe(0);
    await bus.idle();
    expect(numbers(delivered)).toEqual([7]);
  });
});

describe('a bus with a journal', () => {
  it('delivers after a restart what it accepted and had not delivered, and nothing delivered twice', async () => {
    const file = journalFile();
    const first = await start({ journalFile: file, retryBaseDelayMs: 60_000 });
    let failing = true;
    const firstRun: BusEvent[] = [];
    first.addRule({
      name: 'to-queue',
      pattern: PATTERN,
      retryAttempts: 3,
      target: async (event) => {
        if (failing && event.detail.n === 2) throw new Error('queue unavailable');
        firstRun.push(event);
      },
    });
    const client = clientOf(first);
    await put(client, 1);
    await put(client, 2); // fails once, then waits a minute for its retry
    await new Promise((resolve) => setTimeout(resolve, 100));
    await stop(first);
    expect(numbers(firstRun)).toEqual([1]);
    expect(first.deadLetters()).toEqual([]);

    failing = false;
    const second = await start({ journalFile: file, open: false });
    const secondRun: BusEvent[] = [];
    second.addRule({
      name: 'to-queue',
      pattern: PATTERN,
      target: async (event) => void secondRun.push(event),
    });
    second.open();
    await second.idle();
    expect(numbers(secondRun)).toEqual([2]);
    expect(secondRun[0]?.id).toBe(first.events().find((event) => event.event.detail.n === 2)?.event.id);

    await stop(second);
    const third = await start({ journalFile: file, open: false });
    const thirdRun: BusEvent[] = [];
    third.addRule({ name: 'to-queue', pattern: PATTERN, target: async (event) => void thirdRun.push(event) });
    third.open();
    await third.idle();
    expect(thirdRun).toEqual([]);
  });

  it('dead-letters, with the reason, an event left for a rule that no longer exists', async () => {
    const file = journalFile();
    const first = await start({ journalFile: file, retryBaseDelayMs: 60_000 });
    first.addRule({
      name: 'old-rule',
      pattern: PATTERN,
      target: async () => {
        throw new Error('down');
      },
    });
    await put(clientOf(first), 3);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await stop(first);

    const second = await start({ journalFile: file, open: false });
    second.open();
    expect(second.deadLetters()).toMatchObject([
      { rule: 'old-rule', reason: expect.stringMatching(/rule old-rule no longer exists/), attempts: 0 },
    ]);
  });

  it('keeps dead letters across a restart', async () => {
    const file = journalFile();
    const first = await start({ journalFile: file, retryAttempts: 0 });
    first.addRule({
      name: 'broken',
      pattern: PATTERN,
      target: async () => {
        throw new Error('target refused the event');
      },
    });
    await put(clientOf(first), 4);
    await first.idle();
    await stop(first);

    const second = await start({ journalFile: file });
    expect(second.deadLetters()).toMatchObject([
      { rule: 'broken', reason: 'target refused the event', attempts: 1, event: { detail: { n: 4 } } },
    ]);
  });
});
