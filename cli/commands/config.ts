/**
 * `config validate <file>` and `config example`: the shops configuration, checked with the same
 * `parseShopConfigs` the functions run at cold start.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { channelsFor } from '../../functions/domain/shop-config.js';
import { type CommandContext, loadShopConfigs } from '../context.js';
import { CliError, EXIT, type ExitCode } from '../io.js';
import type { Action } from '../program.js';
import { annotatedExample, EXAMPLE_SHOPS } from '../shop-config-example.js';

const validate = async (context: CommandContext, file: string): Promise<ExitCode> => {
  const path = resolve(file);
  const out = context.out;
  let shops: ReturnType<typeof loadShopConfigs>;
  try {
    shops = loadShopConfigs(path);
  } catch (error) {
    if (!(error instanceof CliError) || !out.json) throw error;
    out.result({ file: path, valid: false, message: error.message, problems: error.problems });
    return error.exitCode;
  }
  if (out.json) {
    out.result({
      file: path,
      valid: true,
      shops: shops.map((shop) => ({
        shopId: shop.shopId,
        name: shop.name,
        defaultLanguage: shop.defaultLanguage,
        email: shop.email !== undefined,
        statusPage: shop.statusPage.baseUrl,
      })),
    });
    return EXIT.ok;
  }
  out.line(`${path}: valid, ${shops.length} shop(s)`);
  out.line();
  out.table(
    ['SHOP', 'NAME', 'LANG', 'E-MAIL SENDER', 'STATUS PAGE', 'ORDER SHIPPED ON'],
    shops.map((shop) => [
      shop.shopId,
      shop.name,
      shop.defaultLanguage,
      shop.email?.from ?? '(none: e-mails are skipped)',
      shop.statusPage.baseUrl,
      channelsFor(shop, 'Order Shipped').join(', ') || '(nothing)',
    ]),
  );
  return EXIT.ok;
};

const example = async (context: CommandContext): Promise<ExitCode> => {
  if (context.out.json) context.out.result(EXAMPLE_SHOPS);
  else context.io.stdout.write(annotatedExample());
  return EXIT.ok;
};

export const registerConfig = (config: Command, action: Action): void => {
  config
    .command('validate')
    .description(
      'Validate a shops configuration file; lists every problem with its path (exit 2 on problems)',
    )
    .argument('<file>', 'the shops file (a JSON array of shops)')
    .addHelpText(
      'after',
      `
Examples:
  $ order-notifications config validate config/shops.json
  $ order-notifications config validate config/shops.json --json`,
    )
    .action(action((context, file: string) => validate(context, file)));

  config
    .command('example')
    .description(
      'Print a complete example configuration: annotated (JSONC) for reading, plain JSON with --json',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ order-notifications config example | less
  $ order-notifications config example --json > config/shops.json`,
    )
    .action(action((context) => example(context)));
};
