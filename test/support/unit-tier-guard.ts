/**
 * Setup file of the unit tier (vitest.config.ts): a unit test runs in-process on pure code and fakes. Anything
 * that belongs to the integration or system tier fails the test file loudly, naming the fix, instead of
 * hanging on a missing DynamoDB Local or quietly slowing the tier down:
 *
 * - importing the DynamoDB Local test support, the local stack, a browser driver, the CDK or esbuild;
 * - starting DynamoDB Local or a child process;
 * - opening a socket or listening on a port (every local endpoint does one or the other).
 */
import * as net from 'node:net';
import { vi } from 'vitest';

// vi.mock calls are hoisted above every statement of this file; what they use is hoisted with them.
const { UnitTierViolation, refuse } = vi.hoisted(() => {
  const move =
    'does not belong in the unit tier: rename the test file without `.unit.` (or drop it from UNIT in ' +
    'vitest.config.ts) so it runs in the integration tier, or in the system tier for browser, CDK and bundles';
  class UnitTierViolation extends Error {
    constructor(what: string) {
      super(`${what} ${move}`);
      this.name = 'UnitTierViolation';
    }
  }
  const refuse = (what: string) => () => {
    throw new UnitTierViolation(what);
  };
  return { UnitTierViolation, refuse };
});

vi.mock('./dynamodb.js', refuse('test/support/dynamodb.ts (tables on DynamoDB Local)'));
vi.mock('./global-setup.js', refuse('test/support/global-setup.ts (DynamoDB Local)'));
vi.mock('../../local/stack.js', refuse('local/stack.ts (the local stack)'));
vi.mock('playwright-core', refuse('playwright-core (a browser)'));
vi.mock('aws-cdk-lib', refuse('aws-cdk-lib (CDK synth)'));
vi.mock('esbuild', refuse('esbuild (bundling)'));

vi.mock('../../local/dynamodb-local.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../local/dynamodb-local.js')>()),
  startDynamoDbLocal: refuse('startDynamoDbLocal (DynamoDB Local)'),
}));

vi.mock('node:child_process', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:child_process')>();
  return {
    ...original,
    default: original,
    spawn: refuse('spawn (a child process)'),
    spawnSync: refuse('spawnSync (a child process)'),
    exec: refuse('exec (a child process)'),
    execFile: refuse('execFile (a child process)'),
    execFileSync: refuse('execFileSync (a child process)'),
    execSync: refuse('execSync (a child process)'),
    fork: refuse('fork (a child process)'),
  };
});

// Sockets: the SDK, fetch and node:http all connect through net.Socket; every local endpoint listens on a server.
net.Socket.prototype.connect = function connect(...args: unknown[]) {
  throw new UnitTierViolation(`Opening a socket (${describeTarget(args[0])})`);
} as typeof net.Socket.prototype.connect;
net.Server.prototype.listen = function listen() {
  throw new UnitTierViolation('Listening on a port');
} as typeof net.Server.prototype.listen;

function describeTarget(target: unknown): string {
  if (typeof target === 'number') return `port ${target}`;
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) return describeTarget(target[0]);
  if (target && typeof target === 'object') {
    const { host, port, path } = target as { host?: string; port?: number; path?: string };
    return path ?? `${host ?? 'localhost'}:${port ?? '?'}`;
  }
  return 'unknown target';
}
