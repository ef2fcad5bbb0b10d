import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local.js';
import { SYSTEM, UNIT } from '../../vitest.config.js';

const VIOLATION = /does not belong in the unit tier/;

/** Why an import was refused: vitest wraps a throwing mock factory's error, and its report shows the cause. */
const refusal = async (load: Promise<unknown>): Promise<string> => {
  try {
    await load;
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${cause.name}: ${cause.message}` : String(error);
  }
  throw new Error('the import was not refused');
};

describe('The unit tier', () => {
  it('has no DynamoDB Local: nothing is provided, and the table helpers refuse to load', async () => {
    expect(inject('dynamoDbEndpoint')).toBeUndefined();
    expect(await refusal(import('../support/dynamodb.js'))).toMatch(
      /^UnitTierViolation: test\/support\/dynamodb\.ts .*does not belong in the unit tier/,
    );
    const { startDynamoDbLocal } = await import('../../local/dynamodb-local.js');
    expect(() => startDynamoDbLocal()).toThrow(VIOLATION);
  });

  it('refuses the local stack, a browser, the CDK and esbuild at import', async () => {
    expect(await refusal(import('../../local/stack.js'))).toMatch(/local\/stack\.ts .*does not belong/);
    expect(await refusal(import('playwright-core'))).toMatch(/playwright-core .*does not belong/);
    expect(await refusal(import('aws-cdk-lib'))).toMatch(/aws-cdk-lib .*does not belong/);
    expect(await refusal(import('esbuild'))).toMatch(/esbuild .*does not belong/);
  });

  it('fails a real SDK call at once instead of waiting for an endpoint', async () => {
    // Arrange: the production client settings, pointed where DynamoDB Local would be.
    const client = new DynamoDBClient({
      endpoint: 'http://127.0.0.1:8000',
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 1,
    });

    // Act + Assess
    await expect(client.send(new ListTablesCommand({}))).rejects.toThrow(/Opening a socket \(.*8000\)/);
    client.destroy();
  });

  it('refuses sockets, servers and child processes', async () => {
    expect(() => request('http://localhost:4566/')).toThrow(VIOLATION);
    expect(() => createServer().listen(0)).toThrow(/Listening on a port/);
    const { spawn, execFile } = await import('node:child_process');
    expect(() => spawn('java', ['-version'])).toThrow(/spawn \(a child process\)/);
    expect(() => execFile('node', ['-v'])).toThrow(VIOLATION);
  });
});

/** Node's glob and vitest's agree on these patterns: `**` spans directories, `*` stays within one name. */
const matches = (file: string, pattern: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*\*\//g, '(?:.*/)?')
      .replace(/\*/g, '[^/]*')}$`,
  ).test(file);

const testFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });

const tierOf = (file: string) => {
  if (SYSTEM.some((pattern) => matches(file, pattern))) return 'system';
  if (UNIT.some((pattern) => matches(file, pattern))) return 'unit';
  return 'integration';
};

describe('The tier rule (vitest.config.ts)', () => {
  const root = join(import.meta.dirname, '..', '..');
  const files = testFiles(join(root, 'test')).map((file) => relative(root, file));

  it('puts a new file in integration unless it is named or listed otherwise', () => {
    expect(tierOf('test/adapters/new-adapter.test.ts')).toBe('integration');
    expect(tierOf('test/cli/new-command.test.ts')).toBe('integration');
    expect(tierOf('test/adapters/new-adapter.unit.test.ts')).toBe('unit');
    expect(tierOf('test/domain/new-rule.test.ts')).toBe('unit');
    expect(tierOf('test/domain/new-page.browser.test.ts')).toBe('system');
    expect(tierOf('test/infrastructure/x.unit.test.ts')).toBe('system');
    expect(tierOf('test/local/kill-restart.system.test.ts')).toBe('system');
    expect(tierOf('test/e2e/kill-restart.test.ts')).toBe('system');
  });

  it('keeps every unit file away from DynamoDB Local, the local stack and the browser, by its text too', async () => {
    const { readFileSync } = await import('node:fs');
    const unit = files.filter((file) => tierOf(file) === 'unit');
    expect(unit.length).toBeGreaterThan(20);
    const offenders = unit.filter((file) =>
      /\binject\(|createOrderTable|startLocalStack|start(?:Sqs|Sns|EventBridge|Ses)Local|chromium|Template\.fromStack/.test(
        readFileSync(join(root, file), 'utf8'),
      ),
    );
    // This file names them only to test the guard.
    expect(offenders).toEqual(['test/tiers/unit-tier-guard.unit.test.ts']);
  });

  it('lists only unit files that exist, so a rename cannot silently move a file to another tier', () => {
    const listed = UNIT.filter((pattern) => !pattern.includes('*'));
    expect(listed.filter((file) => !files.includes(file))).toEqual([]);
  });
});
