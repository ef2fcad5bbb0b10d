/**
 * The CLI and the demo with nothing to go on: no AWS variable, and a stale discovery file or none. They
 * say what is missing instead of failing on AWS's DNS name (`getaddrinfo ENOTFOUND dynamodb…`). No stack
 * runs in this file's process: the in-process stack sets the SDK's variables for its handlers.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHOP_ID } from '../../fixtures/order-events.js';
import { demoTarget } from '../../local/demo.js';
import { STACK_FILE_VARIABLE, writeStackFile } from '../../local/stack-discovery.js';
import { type CliEnv, runCli } from './harness.js';

const dir = mkdtempSync(path.join(tmpdir(), 'order-notifications-no-stack-'));

/** A pid that certainly ran and certainly has ended. */
const deadPid = (): number => {
  const child = spawnSync(process.execPath, ['-e', 'process.exit(0)']);
  if (!child.pid) throw new Error('could not start a child process');
  return child.pid;
};

const bare = (stackFile: string): CliEnv => ({ [STACK_FILE_VARIABLE]: stackFile });

const GONE = {
  urls: {
    api: 'http://127.0.0.1:1',
    outbox: 'http://127.0.0.1:1/outbox',
    eventBridge: 'http://127.0.0.1:1',
    sqs: 'http://127.0.0.1:1',
    sns: 'http://127.0.0.1:1',
    ses: 'http://127.0.0.1:1',
    dynamodb: 'http://127.0.0.1:1',
    secrets: 'http://127.0.0.1:1',
  },
  tableName: 'orders',
  eventBusName: 'orders',
  queues: {},
};

describe('The CLI and the demo without a running stack', () => {
  it('says the stack is gone when the file is stale, and what to set', async () => {
    // Prepare
    const stale = path.join(dir, 'stale-cli.json');
    writeStackFile(stale, GONE, new Date('2026-12-01T08:00:00Z'), deadPid());

    // Act
    const cli = await runCli(['order', 'show', SHOP_ID, 'ord-000001', '--table', 'orders'], bare(stale));
    const demo = demoTarget(bare(stale));

    // Assess
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain(`warning: ignoring ${stale}: the stack started at 2026-12-01T08:00:00.000Z`);
    expect(cli.stderr).not.toContain('getaddrinfo');
    expect(cli.stderr).toContain('local stack: run `npm start` in another terminal (the CLI finds it)');
    expect(demo).toEqual({
      error: expect.stringContaining(`ignoring ${stale}: the stack started at 2026-12-01T08:00:00.000Z`),
    });
  });

  it('says no stack runs when there is no file and no variable', async () => {
    // Prepare
    const none = path.join(dir, 'missing', 'stack.json');

    // Act
    const cli = await runCli(['order', 'show', SHOP_ID, 'ord-000001', '--table', 'orders'], bare(none));
    const demo = demoTarget(bare(none));

    // Assess
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain(`no local stack is running (no ${none}): start one with \`npm start\``);
    expect(cli.stderr).toContain(
      'AWS: set AWS_PROFILE (or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY) and AWS_REGION',
    );
    expect(demo).toEqual({
      error: `no local stack is running (no ${none}): start one with \`npm start\` (or set ORDER_NOTIFICATIONS_PORT_EVENTBRIDGE to its bus's port)`,
    });
  });
});
