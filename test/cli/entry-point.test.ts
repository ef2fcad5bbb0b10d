import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from './harness.js';

const exec = promisify(execFile);

/** Every command, as an operator types it. */
const COMMANDS = [
  [],
  ['events'],
  ['events', 'send'],
  ['order'],
  ['order', 'show'],
  ['order', 'replay'],
  ['dlq'],
  ['dlq', 'list'],
  ['dlq', 'redrive'],
  ['customer'],
  ['customer', 'erase'],
  ['config'],
  ['config', 'validate'],
  ['config', 'example'],
];

describe('The CLI entry points', () => {
  it('runs as `npx tsx cli/index.ts` and as the package bin', async () => {
    // Act
    const tsx = await exec('npx', ['tsx', 'cli/index.ts', '--help'], { timeout: 60_000 });
    const bin = await exec(process.execPath, ['cli/order-notifications.mjs', '--version'], {
      timeout: 60_000,
    });

    // Assess
    expect(tsx.stdout).toMatch(/^Usage: order-notifications \[options\] \[command\]/);
    expect(tsx.stdout).toContain('Exit codes: 0 ok; 1 the command found problems');
    expect(bin.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('Function: run', () => {
  it.each(COMMANDS.map((command) => [command.join(' ') || '(top level)', command] as const))(
    'has --help for %s',
    async (_name, command) => {
      // Act
      const result = await runCli([...command, '--help'], {});

      // Assess
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(
        new RegExp(`^Usage: order-notifications ${command.join(' ')}`.replace(/ +$/, '')),
      );
      if (command.length === 2) expect(result.stdout).toContain('Examples:');
    },
  );

  it('exits 2 for a command line it cannot parse', async () => {
    // Act
    const nothing = await runCli([], {});
    const unknownCommand = await runCli(['orders', 'show'], {});
    const unknownOption = await runCli(['config', 'example', '--yaml'], {});
    const missingArgument = await runCli(['order', 'show', 'sklep-pod-debem'], {});

    // Assess
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('Usage: order-notifications');
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toContain("error: unknown command 'orders'");
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain("error: unknown option '--yaml'");
    expect(missingArgument.code).toBe(2);
    expect(missingArgument.stderr).toContain(
      'error: no order given: name one or more orders, or --from-file',
    );
  });
});
