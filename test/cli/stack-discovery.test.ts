/**
 * Finding the local stack without being told: `npm start` writes the discovery file (the same functions
 * start.ts calls), and the demo and the CLI, given nothing but where that file is, reach the stack on the
 * ports it happened to get. A stale file (its process gone) and a missing one end in clear messages.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SHOP_ID } from '../../fixtures/order-events.js';
import { demoTarget, runDemo } from '../../local/demo.js';
import { demoOrders } from '../../local/demo-orders.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import {
  discoverStack,
  removeStackFile,
  STACK_FILE_VARIABLE,
  writeStackFile,
} from '../../local/stack-discovery.js';
import { eventually } from '../support/eventually.js';
import { type CliEnv, runCli } from './harness.js';

let stack: LocalStack;
let dir: string;
let file: string;

/** A pid that certainly ran and certainly has ended. */
const deadPid = (): number => {
  const child = spawnSync(process.execPath, ['-e', 'process.exit(0)']);
  if (!child.pid) throw new Error('could not start a child process');
  return child.pid;
};

/** What an operator's shell holds when it names no AWS target: only where the file is. */
const bare = (stackFile: string): CliEnv => ({ [STACK_FILE_VARIABLE]: stackFile });

beforeAll(async () => {
  // Free ports for everything: nothing is on the defaults, so only the file can tell where it runs.
  stack = await startLocalStack({
    dynamoDbEndpoint: inject('dynamoDbEndpoint'),
    tableName: `orders-discovery-${Date.now()}`,
    visibilityTimeoutSeconds: 1,
  });
  dir = mkdtempSync(path.join(tmpdir(), 'order-notifications-discovery-'));
  file = path.join(dir, 'stack.json');
  writeStackFile(file, stack);
}, 60_000);

afterAll(async () => {
  removeStackFile(file);
  await stack?.stop();
});

describe('The stack discovery file', () => {
  it('is written whole, for the owner only, and names every endpoint, the table and this process', () => {
    // Assess
    const written = JSON.parse(readFileSync(file, 'utf8'));
    expect(written).toMatchObject({
      version: 1,
      pid: process.pid,
      tableName: stack.tableName,
      eventBusName: stack.eventBusName,
      urls: stack.urls,
      queues: stack.queues,
    });
    expect(Number.isNaN(Date.parse(written.startedAt))).toBe(false);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(discoverStack(bare(file))).toMatchObject({ kind: 'running', file });
  });

  it('is stale once its process has ended, with a message that says so', () => {
    // Prepare
    const stale = path.join(dir, 'stale.json');
    const pid = deadPid();
    writeStackFile(stale, stack, new Date('2026-12-01T08:00:00Z'), pid);

    // Act
    const found = discoverStack(bare(stale));

    // Assess
    expect(found).toEqual({
      kind: 'stale',
      file: stale,
      message: `ignoring ${stale}: the stack started at 2026-12-01T08:00:00.000Z (pid ${pid}) is no longer running; start one with \`npm start\``,
    });
  });

  it('is refused when it is not what npm start writes, and missing is said as such', () => {
    // Prepare
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{"version":1,"pid":');
    const partial = path.join(dir, 'partial.json');
    writeFileSync(partial, JSON.stringify({ version: 1, pid: process.pid, urls: { api: 'x' } }));

    // Act / Assess
    expect(discoverStack(bare(broken))).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('not valid JSON'),
    });
    expect(discoverStack(bare(partial))).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('no urls.outbox'),
    });
    expect(discoverStack(bare(path.join(dir, 'none.json')))).toMatchObject({
      kind: 'none',
      message: `no local stack is running (no ${path.join(dir, 'none.json')}): start one with \`npm start\``,
    });
  });

  it('is removed on stop only by the process that wrote it', () => {
    // Prepare
    const other = path.join(dir, 'other.json');
    writeStackFile(other, stack, new Date(), process.pid + 1);

    // Act
    removeStackFile(other);

    // Assess: another stack's file stays
    expect(JSON.parse(readFileSync(other, 'utf8')).pid).toBe(process.pid + 1);
  });
});

describe('The demo and the CLI on a stack they were not told about', () => {
  it('sends the demo to the stack found in the file, and the CLI shows the order with a local, localised link', async () => {
    // Prepare: one demo order, sent where the demo finds the bus by itself
    const target = demoTarget(bare(file));
    if ('error' in target) throw new Error(target.error);
    expect(target.endpoint).toBe(stack.urls.eventBridge);
    const [order] = demoOrders(new Date());
    if (!order) throw new Error('no demo order');
    await runDemo(target.endpoint, {
      orders: [{ ...order, events: order.events.slice(0, 2) }],
      stepMs: 0,
      log: () => undefined,
      eventBusName: target.eventBusName,
    });

    // Act: the CLI with no AWS variable at all
    const shown = await eventually(async () => {
      const result = await runCli(['order', 'show', SHOP_ID, order.orderNumber, '--json'], bare(file));
      return result.code === 0 ? result : undefined;
    }, 'the demo order in the store');

    // Assess
    expect(shown.stderr).toContain(`Using the local stack from ${file} (pid ${process.pid}`);
    const document = shown.json<{ order: { orderNumber: string; status: string; trackingUrl: string } }>();
    expect(document.order).toMatchObject({ orderNumber: order.orderNumber, status: 'placed' });
    expect(document.order.trackingUrl).toMatch(new RegExp(`^${stack.urls.api}/t/[A-Za-z0-9_-]+\\?lang=pl$`));
    const page = await fetch(document.order.trackingUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(order.orderNumber);
  });

  it('goes where explicit variables say, even with a stack running', async () => {
    // Act
    const result = await runCli(['order', 'show', SHOP_ID, 'ord-000001'], {
      ...bare(file),
      AWS_REGION: 'eu-central-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
      ORDERS_TABLE_NAME: stack.tableName,
    });

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain('Using the local stack');
    expect(result.stderr).toContain('error: cannot reach the configured endpoint');
  });
});
