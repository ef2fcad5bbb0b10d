/**
 * `shops …`: the shop registry (docs/shop-registry.md). Every write is a new version on top of the one
 * read (a concurrent change is refused, not overwritten), shows what changes, and is validated with the
 * same checks the functions run on every read.
 */
import type { Command } from 'commander';
import {
  InvalidShopConfigError,
  parseShopConfig,
  parseShopConfigs,
  type ShopConfig,
  senderProblems,
} from '../../functions/domain/shop-config.js';
import {
  type ConfigChange,
  diffShopConfigs,
  type RegisteredShop,
  type ShopState,
  ShopVersionConflictError,
  shopSummary,
} from '../../functions/domain/shop-registry.js';
import { textProblem } from '../../functions/domain/text-fields.js';
import { type CommandContext, checkShopId, positiveInteger } from '../context.js';
import { CliError, EXIT, type ExitCode, notFoundError, readTextInput, usageError } from '../io.js';
import type { Action } from '../program.js';

/** One shop (an object) or several (an array), validated; a usage error lists every problem by field. */
export const readShopFile = async (context: CommandContext, file: string): Promise<ShopConfig[]> => {
  const text = await readTextInput(context.io, file);
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw usageError(`${file} is not valid JSON`, [error instanceof Error ? error.message : '']);
  }
  try {
    return Array.isArray(input) ? parseShopConfigs(input) : [parseShopConfig(input)];
  } catch (error) {
    if (error instanceof InvalidShopConfigError) {
      throw usageError(`${file} is not a valid shop configuration`, error.problems);
    }
    throw error;
  }
};

/** The variable naming the deployment's SES identity (the stack output SesIdentityArn). */
export const SES_IDENTITY_VARIABLE = 'ORDER_NOTIFICATIONS_SES_IDENTITY';

/**
 * Refuses shops whose sender SES would refuse in this deployment (functions/domain/shop-config.ts's
 * `senderProblems`), naming the shop and the field. Without the deployment's identity it can only say it
 * did not check; against the local stack (whose SES takes any sender) it says nothing.
 */
export const checkSenders = (context: CommandContext, file: string, configs: readonly ShopConfig[]): void => {
  const identity = context.io.env[SES_IDENTITY_VARIABLE]?.trim();
  if (!identity) {
    const unchecked = configs.filter((config) => config.email).map((config) => config.shopId);
    if (unchecked.length > 0 && !context.localStack())
      context.out.warn(
        `the senders (email.from) of ${unchecked.join(', ')} were not checked against the deployment's SES identity: set ${SES_IDENTITY_VARIABLE} to the stack output SesIdentityArn`,
      );
    return;
  }
  const problems = configs.flatMap((config) =>
    senderProblems(config, identity).map((problem) => `${config.shopId}: ${problem}`),
  );
  if (problems.length > 0) throw usageError(`${file} has a sender SES would refuse`, problems);
};

/** Who writes: --by, else ORDER_NOTIFICATIONS_OPERATOR, else USER, else `cli`. */
const operator = (context: CommandContext, by: string | undefined): string => {
  const name = by ?? context.io.env.ORDER_NOTIFICATIONS_OPERATOR ?? context.io.env.USER ?? 'cli';
  if (!/^[\p{L}\p{N} ._@:/+=,-]{1,200}$/u.test(name)) {
    throw usageError(
      `--by must be 1-200 letters, digits, spaces or . _ @ : / + = , -, got ${JSON.stringify(name)}`,
    );
  }
  return name;
};

const note = (value: string | undefined): string | undefined => {
  if (value === undefined) return undefined;
  // The one home of text rules: a note is one line as any single-line field of the contract.
  const problem = textProblem(value, 'single-line');
  if (value.length > 500 || problem) {
    throw usageError(
      `--note and --reason take one line of at most 500 characters${problem ? `: ${problem}` : ''}`,
    );
  }
  return value;
};

const show = (value: unknown): string => (value === undefined ? '(unset)' : JSON.stringify(value));

const printChanges = (context: CommandContext, shopId: string, changes: readonly ConfigChange[]): void => {
  for (const change of changes) {
    context.out.line(`  ${shopId}: ${change.path}: ${show(change.before)} → ${show(change.after)}`);
  }
};

const summary = shopSummary;

const required = async (context: CommandContext, shopId: string): Promise<RegisteredShop> => {
  const shop = await context.shopRegistry().get(checkShopId(shopId));
  if (!shop) throw notFoundError(`shop ${shopId} is not in the registry ${context.shopRegistryTableName()}`);
  return shop;
};

/** Writes one version; a concurrent writer's version is never overwritten (exit 1, try again). */
const write = async (
  context: CommandContext,
  config: ShopConfig,
  state: ShopState,
  current: RegisteredShop | undefined,
  options: { readonly by?: string; readonly note?: string | undefined },
): Promise<RegisteredShop> => {
  try {
    return await context.shopRegistry().put({
      config,
      state,
      updatedBy: operator(context, options.by),
      note: note(options.note),
      expectedVersion: current?.version,
    });
  } catch (error) {
    if (error instanceof ShopVersionConflictError) throw new CliError(error.message, EXIT.problems);
    throw error;
  }
};

const list = async (context: CommandContext, options: { includeDeleted?: boolean }): Promise<ExitCode> => {
  const shops = await context.shopRegistry().list({ includeDeleted: options.includeDeleted === true });
  if (context.out.json) {
    context.out.result({ shops: shops.map(summary) });
    return EXIT.ok;
  }
  context.out.table(
    ['SHOP', 'NAME', 'STATE', 'VERSION', 'UPDATED', 'BY'],
    shops.map((shop) => [
      shop.config.shopId,
      shop.config.name,
      shop.state,
      String(shop.version),
      shop.updatedAt,
      shop.updatedBy,
    ]),
  );
  context.out.line(`${shops.length} shop(s)`);
  return EXIT.ok;
};

const showShop = async (context: CommandContext, shopId: string): Promise<ExitCode> => {
  const shop = await required(context, shopId);
  if (context.out.json) context.out.result({ ...summary(shop), config: shop.config });
  else {
    context.out.line(
      `${shop.config.shopId}: ${shop.state}, version ${shop.version}, ${shop.updatedAt} by ${shop.updatedBy}${shop.note ? ` (${shop.note})` : ''}`,
    );
    context.io.stdout.write(`${JSON.stringify(shop.config, null, 2)}\n`);
  }
  return EXIT.ok;
};

interface PutOptions {
  readonly dryRun?: boolean;
  readonly note?: string;
  readonly by?: string;
}

const put = async (context: CommandContext, file: string, options: PutOptions): Promise<ExitCode> => {
  const configs = await readShopFile(context, file);
  checkSenders(context, file, configs);
  const results: Array<Record<string, unknown>> = [];
  for (const config of configs) {
    const current = await context.shopRegistry().get(config.shopId);
    const changes = diffShopConfigs(current?.config, config);
    const base = { shopId: config.shopId, changes };
    if (current && changes.length === 0) {
      context.out.line(`${config.shopId}: unchanged (version ${current.version}); nothing written`);
      results.push({ ...base, result: 'unchanged', version: current.version });
      continue;
    }
    if (current) {
      context.out.line(`${config.shopId}: version ${current.version} → ${current.version + 1}`);
      printChanges(context, config.shopId, changes);
    } else context.out.line(`${config.shopId}: new shop, version 1`);
    if (options.dryRun) {
      results.push({ ...base, result: current ? 'would update' : 'would create' });
      continue;
    }
    // A write keeps the shop's state: `put` changes what it is, suspend/resume/delete whether it runs.
    const written = await write(context, config, current?.state ?? 'active', current, options);
    results.push({ ...base, result: current ? 'updated' : 'created', version: written.version });
  }
  if (options.dryRun) context.out.line('dry run: nothing written');
  else context.out.line('Live in every function within the cache age (60 s deployed, 5 s on npm start).');
  if (context.out.json) context.out.result({ file, dryRun: options.dryRun === true, shops: results });
  return EXIT.ok;
};

const diff = async (context: CommandContext, file: string): Promise<ExitCode> => {
  const configs = await readShopFile(context, file);
  const shops: Array<Record<string, unknown>> = [];
  for (const config of configs) {
    const current = await context.shopRegistry().get(config.shopId);
    const changes = diffShopConfigs(current?.config, config);
    shops.push({ shopId: config.shopId, exists: current !== undefined, version: current?.version, changes });
    if (!current) context.out.line(`${config.shopId}: not in the registry (put would create it)`);
    else if (changes.length === 0) context.out.line(`${config.shopId}: same as version ${current.version}`);
    else {
      context.out.line(`${config.shopId}: differs from version ${current.version}`);
      printChanges(context, config.shopId, changes);
    }
  }
  if (context.out.json) context.out.result({ file, shops });
  // Like diff(1): 0 when everything is the same, 1 when anything differs.
  return shops.some((shop) => !shop.exists || (shop.changes as unknown[]).length > 0)
    ? EXIT.problems
    : EXIT.ok;
};

const validate = async (context: CommandContext, file: string): Promise<ExitCode> => {
  let configs: ShopConfig[];
  try {
    configs = await readShopFile(context, file);
    checkSenders(context, file, configs);
  } catch (error) {
    if (!(error instanceof CliError) || !context.out.json) throw error;
    context.out.result({ file, valid: false, message: error.message, problems: error.problems });
    return error.exitCode;
  }
  if (context.out.json) context.out.result({ file, valid: true, shops: configs.map((shop) => shop.shopId) });
  else
    context.out.line(
      `${file}: valid, ${configs.length} shop(s): ${configs.map((shop) => shop.shopId).join(', ')}`,
    );
  return EXIT.ok;
};

const history = async (context: CommandContext, shopId: string): Promise<ExitCode> => {
  const versions = await context.shopRegistry().history(checkShopId(shopId));
  if (versions.length === 0) throw notFoundError(`shop ${shopId} is not in the registry`);
  const rows = versions.map((version, index) => {
    const previous = versions[index - 1];
    const changed = previous
      ? diffShopConfigs(previous.config, version.config).map((change) => change.path)
      : [];
    const stateChange =
      previous && previous.state !== version.state ? `${previous.state} → ${version.state}` : '';
    return { version, changed, stateChange };
  });
  if (context.out.json) {
    context.out.result({
      shopId,
      versions: rows.map(({ version, changed }) => ({ ...summary(version), changed })),
    });
    return EXIT.ok;
  }
  context.out.table(
    ['VERSION', 'WHEN', 'BY', 'STATE', 'NOTE', 'CHANGED'],
    rows.map(({ version, changed, stateChange }) => [
      String(version.version),
      version.updatedAt,
      version.updatedBy,
      version.state,
      version.note ?? '',
      [stateChange, ...changed].filter(Boolean).join(', ') ||
        (version.version === 1 ? '(created)' : '(nothing)'),
    ]),
  );
  return EXIT.ok;
};

const rollback = async (
  context: CommandContext,
  shopId: string,
  options: { to?: string; by?: string; note?: string },
): Promise<ExitCode> => {
  const current = await required(context, shopId);
  const target = positiveInteger('--to', options.to, current.version) ?? current.version - 1;
  if (target < 1 || target >= current.version) {
    throw usageError(
      `shop ${shopId} is at version ${current.version}: --to takes an earlier version (1-${current.version - 1})`,
    );
  }
  const versions = await context.shopRegistry().history(shopId);
  const old = versions.find((version) => version.version === target);
  if (!old) throw notFoundError(`shop ${shopId} has no version ${target}`);
  const changes = diffShopConfigs(current.config, old.config);
  context.out.line(
    `${shopId}: version ${current.version} → ${current.version + 1}, the configuration of version ${target}`,
  );
  printChanges(context, shopId, changes);
  const written = await write(context, old.config, current.state, current, {
    by: options.by,
    note: options.note ?? `rollback to version ${target}`,
  });
  if (context.out.json) context.out.result({ ...summary(written), rolledBackTo: target, changes });
  return EXIT.ok;
};

const setState = async (
  context: CommandContext,
  shopId: string,
  state: ShopState,
  options: { reason?: string; by?: string },
): Promise<ExitCode> => {
  const current = await required(context, shopId);
  if (current.state === state) {
    context.out.line(`${shopId} is already ${state} (version ${current.version}); nothing written`);
    if (context.out.json) context.out.result({ ...summary(current), result: 'unchanged' });
    return EXIT.ok;
  }
  const written = await write(context, current.config, state, current, {
    by: options.by,
    note: options.reason,
  });
  context.out.line(`${shopId}: ${current.state} → ${state}, version ${written.version}`);
  if (state !== 'active')
    context.out.line(
      'Its events are dead-lettered with the reason and nothing is sent, within the cache age.',
    );
  if (context.out.json) context.out.result({ ...summary(written), result: state });
  return EXIT.ok;
};

export const registerShops = (shops: Command, action: Action): void => {
  shops
    .command('list')
    .description('The shops in the registry: state, version, last change')
    .option('--include-deleted', 'list deleted shops too')
    .action(action((context, options: { includeDeleted?: boolean }) => list(context, options)));

  shops
    .command('show')
    .description("A shop's current version and configuration")
    .argument('<shopId>')
    .action(action((context, shopId: string) => showShop(context, shopId)));

  shops
    .command('put')
    .description('Write the shops of a file (one shop, or an array): validated, diffed, one new version each')
    .argument('<file>', "a JSON file ('-' for standard input)")
    .option('--dry-run', 'show the changes, write nothing')
    .option('--note <text>', 'why, kept with the version')
    .option('--by <name>', 'who (default: $ORDER_NOTIFICATIONS_OPERATOR, else $USER)')
    .addHelpText(
      'after',
      `
Examples:
  $ order-notifications shops put config/shops/sklep-pod-debem.json --note "new returns page"
  $ order-notifications shops put config/shops.json --dry-run`,
    )
    .action(action((context, file: string, options: PutOptions) => put(context, file, options)));

  shops
    .command('diff')
    .description('What `put` would change (exit 0 when nothing, 1 when something)')
    .argument('<file>')
    .action(action((context, file: string) => diff(context, file)));

  shops
    .command('validate')
    .description('Validate a shop file offline, every problem with its field (exit 2 on problems)')
    .argument('<file>')
    .action(action((context, file: string) => validate(context, file)));

  shops
    .command('history')
    .description('Every version of a shop: when, by whom, why, what changed')
    .argument('<shopId>')
    .action(action((context, shopId: string) => history(context, shopId)));

  shops
    .command('rollback')
    .description("Write a new version with an earlier version's configuration (history is kept)")
    .argument('<shopId>')
    .option('--to <version>', 'the version to go back to (default: the one before the current)')
    .option('--note <text>', 'why (default: "rollback to version N")')
    .option('--by <name>', 'who')
    .action(
      action((context, shopId: string, options: { to?: string; note?: string; by?: string }) =>
        rollback(context, shopId, options),
      ),
    );

  for (const [name, state, description] of [
    ['suspend', 'suspended', 'Stop a shop: its events are dead-lettered with the reason, nothing is sent'],
    ['resume', 'active', 'Take a suspended or deleted shop back'],
    ['delete', 'deleted', 'Remove a shop from service; its orders stay until erased or expired'],
  ] as const) {
    const command = shops
      .command(name)
      .description(description)
      .argument('<shopId>')
      .option('--by <name>', 'who');
    if (state === 'active') command.option('--reason <text>', 'why');
    else command.requiredOption('--reason <text>', 'why (kept with the version, shown in the dead letters)');
    command.action(
      action((context, shopId: string, options: { reason?: string; by?: string }) =>
        setState(context, shopId, state, options),
      ),
    );
  }
};
