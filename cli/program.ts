/**
 * The command tree (commander): global options, one group per concern, `--help` on every command.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerConfig } from './commands/config.js';
import { registerCustomerErase } from './commands/customer-erase.js';
import { registerDlq } from './commands/dlq.js';
import { registerEventsSend } from './commands/events-send.js';
import { registerOrderReindex } from './commands/order-reindex.js';
import { registerOrderReplay } from './commands/order-replay.js';
import { registerOrderShow } from './commands/order-show.js';
import { registerShops } from './commands/shops.js';
import { CommandContext, type GlobalOptions } from './context.js';
import { type CliIo, EXIT, type ExitCode } from './io.js';

export interface RunState {
  exitCode: ExitCode;
  context?: CommandContext;
}

/** Wraps a command's handler: builds its context from the global options and keeps its exit code. */
export type Action = <A extends unknown[]>(
  handler: (context: CommandContext, ...args: A) => Promise<ExitCode>,
) => (...args: unknown[]) => Promise<void>;

const version = (): string => {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
};

export const buildProgram = (io: CliIo, state: RunState): Command => {
  const program = new Command('order-notifications')
    .description(
      'Operator tools for the order-notification backend: what happened to an order and why, replays, ' +
        'dead letters, erasure on request. Works against AWS and the local stack alike: endpoints, region ' +
        'and credentials come from the standard AWS variables (AWS_ENDPOINT_URL_<SERVICE>, AWS_REGION, AWS_PROFILE).',
    )
    .version(version(), '--version', 'print the version')
    .option('--table <name>', 'the order table (default: $ORDERS_TABLE_NAME)')
    .option('--shop-registry-table <name>', 'the shop registry table (default: $SHOP_REGISTRY_TABLE_NAME)')
    .option('--region <region>', "the AWS region (default: $AWS_REGION, else the profile's)")
    .option('--json', 'print one JSON document for scripts instead of tables; no progress bars')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      `
Exit codes: 0 ok; 1 the command found problems (events failed, messages not moved); 2 usage or
configuration error; 3 not found (order, queue, customer). See docs/operations.md.`,
    );

  const action: Action =
    (handler) =>
    async (...args) => {
      const command = args.at(-1) as Command;
      const context = new CommandContext(io, command.optsWithGlobals<GlobalOptions>());
      state.context = context;
      state.exitCode = await handler(context, ...(args.slice(0, -1) as never));
    };

  const events = program.command('events').description('Order events: send them to the bus');
  registerEventsSend(events, action);

  const order = program.command('order').description('One order: what happened and why; template previews');
  registerOrderShow(order, action);
  registerOrderReplay(order, action);
  registerOrderReindex(order, action);

  const dlq = program
    .command('dlq')
    .description('Dead-letter queues (order events, notification jobs): list and redrive');
  registerDlq(dlq, action);

  const customer = program.command('customer').description("A customer's personal data");
  registerCustomerErase(customer, action);

  const config = program.command('config').description('The shops configuration');
  registerConfig(config, action);

  const shops = program
    .command('shops')
    .description('The shop registry: list, show, put, diff, history, rollback, suspend, resume, delete');
  registerShops(shops, action);

  return program;
};

export { EXIT };
