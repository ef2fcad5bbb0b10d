/**
 * The one home of the stack discovery file: `npm start` writes where everything runs (endpoints, table,
 * queues, pid) once the stack is ready, and removes it on a clean stop; `npm run demo`, the CLI and any
 * second process read it to find the running stack by themselves. Explicit settings always win: the
 * readers consult the file only when their own variables name no target.
 *
 * The file is written atomically (a temporary file renamed over it), so a reader never sees half of it. A
 * file whose pid is not alive (the stack was killed) is stale: readers ignore it and say so.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamodb-local.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where `npm start` keeps its data (DynamoDB Local's files, secrets) and this file. */
export const DEFAULT_DATA_DIR = path.join(ROOT, '.local', 'data');
export const STACK_FILE_NAME = 'stack.json';
/** Overrides where the file is written and read (a second checkout, tests). */
export const STACK_FILE_VARIABLE = 'ORDER_NOTIFICATIONS_STACK_FILE';

export interface StackInfo {
  readonly version: 1;
  readonly pid: number;
  readonly startedAt: string;
  readonly region: string;
  readonly urls: {
    readonly api: string;
    readonly outbox: string;
    readonly eventBridge: string;
    readonly sqs: string;
    readonly sns: string;
    readonly ses: string;
    readonly dynamodb: string;
    readonly secrets: string;
  };
  readonly tableName: string;
  readonly eventBusName: string;
  readonly queues: Readonly<Record<string, string>>;
}

export type Discovery =
  | { readonly kind: 'running'; readonly file: string; readonly stack: StackInfo }
  | { readonly kind: 'none'; readonly file: string; readonly message: string }
  | { readonly kind: 'stale'; readonly file: string; readonly message: string }
  | { readonly kind: 'invalid'; readonly file: string; readonly message: string };

type Env = Readonly<Record<string, string | undefined>>;

export const stackFilePath = (env: Env = process.env, dataDir = DEFAULT_DATA_DIR): string =>
  path.resolve(env[STACK_FILE_VARIABLE] || path.join(dataDir, STACK_FILE_NAME));

/** What `npm start` knows once its stack is ready (a LocalStack fits). */
export interface RunningStack {
  readonly urls: StackInfo['urls'];
  readonly tableName: string;
  readonly eventBusName: string;
  readonly queues: Readonly<Record<string, string>>;
}

/** Writes the file atomically (owner-only: it names the outbox, which shows every message). */
export const writeStackFile = (
  file: string,
  stack: RunningStack,
  now: Date = new Date(),
  pid: number = process.pid,
): StackInfo => {
  const info: StackInfo = {
    version: 1,
    pid,
    startedAt: now.toISOString(),
    region: LOCAL_REGION,
    urls: { ...stack.urls },
    tableName: stack.tableName,
    eventBusName: stack.eventBusName,
    queues: { ...stack.queues },
  };
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
  return info;
};

/** Removes the file if it is still this process's (a second stack may have written its own since). */
export const removeStackFile = (file: string, pid: number = process.pid): void => {
  try {
    const current = JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown };
    if (current.pid === pid) rmSync(file, { force: true });
  } catch {
    // No file, or not ours to judge: leave it.
  }
};

/** Whether a process with this pid runs (EPERM: it runs, as another user). */
export const isProcessAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const isString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const URL_NAMES = ['api', 'outbox', 'eventBridge', 'sqs', 'sns', 'ses', 'dynamodb', 'secrets'] as const;

const parseInfo = (input: unknown): StackInfo | string => {
  if (typeof input !== 'object' || input === null) return 'not a JSON object';
  const value = input as Record<string, unknown>;
  if (value.version !== 1) return `unknown version ${JSON.stringify(value.version)}`;
  if (!Number.isInteger(value.pid) || (value.pid as number) < 1) return 'no pid';
  const urls = value.urls as Record<string, unknown> | undefined;
  for (const name of URL_NAMES) {
    if (!isString(urls?.[name])) return `no urls.${name}`;
  }
  for (const name of ['startedAt', 'region', 'tableName', 'eventBusName'] as const) {
    if (!isString(value[name])) return `no ${name}`;
  }
  return value as unknown as StackInfo;
};

/** Reads the file: the running stack, or why there is none (no file, stale, unreadable). */
export const discoverStack = (env: Env = process.env, isAlive = isProcessAlive): Discovery => {
  const file = stackFilePath(env);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return {
        kind: 'none',
        file,
        message: `no local stack is running (no ${file}): start one with \`npm start\``,
      };
    }
    return {
      kind: 'invalid',
      file,
      message: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code}`,
    };
  }
  let parsed: StackInfo | string;
  try {
    parsed = parseInfo(JSON.parse(text));
  } catch {
    parsed = 'not valid JSON';
  }
  if (typeof parsed === 'string') {
    return {
      kind: 'invalid',
      file,
      message: `ignoring ${file}: ${parsed}; restart \`npm start\` to rewrite it`,
    };
  }
  if (!isAlive(parsed.pid)) {
    return {
      kind: 'stale',
      file,
      message: `ignoring ${file}: the stack started at ${parsed.startedAt} (pid ${parsed.pid}) is no longer running; start one with \`npm start\``,
    };
  }
  return { kind: 'running', file, stack: parsed };
};

/** The standard AWS variables that point an SDK client (the CLI's) at the discovered stack. */
/** The local shop registry's table, next to the order table it serves (the local stack creates both). */
export const localShopRegistryTableName = (orderTableName: string): string => `${orderTableName}-shops`;

export const awsEnvironmentOf = (stack: StackInfo): Record<string, string> => ({
  AWS_REGION: stack.region,
  AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  AWS_ENDPOINT_URL_DYNAMODB: stack.urls.dynamodb,
  AWS_ENDPOINT_URL_SQS: stack.urls.sqs,
  AWS_ENDPOINT_URL_EVENTBRIDGE: stack.urls.eventBridge,
  AWS_ENDPOINT_URL_SNS: stack.urls.sns,
  AWS_ENDPOINT_URL_SESV2: stack.urls.ses,
  AWS_ENDPOINT_URL_SECRETS_MANAGER: stack.urls.secrets,
  ORDERS_TABLE_NAME: stack.tableName,
  SHOP_REGISTRY_TABLE_NAME: localShopRegistryTableName(stack.tableName),
});
