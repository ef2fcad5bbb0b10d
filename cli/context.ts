/**
 * What a command needs besides its arguments: the global options, the environment, the AWS clients and
 * the shops configuration, each made on first use and checked with a clear error.
 *
 * The same code runs against AWS and the local stack: only the endpoints differ, and they come from the
 * standard variables the SDK reads (AWS_ENDPOINT_URL_<SERVICE>, AWS_REGION, AWS_PROFILE, credentials).
 * The CLI resolves them from the environment it was given rather than leaving it to the SDK, because
 * `run()` takes its environment as a parameter (tests run it in-process); with `process.env` the result
 * is what the SDK would have chosen.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../functions/adapters/aws-clients.js';
import { DynamoDbShopRegistry } from '../functions/adapters/dynamodb-shop-registry.js';
import { SHOP_ID_MAX_LENGTH, SHOP_ID_PATTERN } from '../functions/domain/order-events.js';
import {
  InvalidShopConfigError,
  parseShopConfigs,
  type ShopConfig,
} from '../functions/domain/shop-config.js';
import { awsEnvironmentOf, type Discovery, discoverStack, type StackInfo } from '../local/stack-discovery.js';
import { type CliIo, Output, usageError } from './io.js';

export interface GlobalOptions {
  readonly table?: string | undefined;
  readonly shopRegistryTable?: string | undefined;
  readonly region?: string | undefined;
  readonly json?: boolean | undefined;
}

/** The shops file used when neither --shops nor SHOPS_CONFIG_FILE names one. */
export const DEFAULT_SHOPS_FILE = fileURLToPath(new URL('../config/shops.example.json', import.meta.url));

type Service = 'DYNAMODB' | 'SQS' | 'EVENTBRIDGE';

/** Client settings from the environment, the way the SDK itself reads them. */
export const clientConfig = (
  service: Service,
  env: CliIo['env'],
  region: string | undefined,
): { endpoint?: string; region?: string; profile?: string; credentials?: AwsCredentials } => {
  const ignoreEndpoints = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true';
  const endpoint = ignoreEndpoints ? undefined : (env[`AWS_ENDPOINT_URL_${service}`] ?? env.AWS_ENDPOINT_URL);
  const resolvedRegion = region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const credentials =
    env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? {
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
          ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
        }
      : undefined;
  return {
    ...(endpoint ? { endpoint } : {}),
    ...(resolvedRegion ? { region: resolvedRegion } : {}),
    ...(env.AWS_PROFILE && !credentials ? { profile: env.AWS_PROFILE } : {}),
    ...(credentials ? { credentials } : {}),
  };
};

/** Variables that name an AWS target: with any of them set, the CLI goes where they say. */
const TARGET_VARIABLES = [
  'AWS_ENDPOINT_URL',
  'AWS_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
];

/** Whether the environment names where to go (an endpoint, a profile, credentials). */
export const namesAwsTarget = (env: CliIo['env']): boolean =>
  TARGET_VARIABLES.some((name) => Boolean(env[name])) ||
  Object.keys(env).some((name) => name.startsWith('AWS_ENDPOINT_URL_') && Boolean(env[name]));

/**
 * The environment the commands run with: the given one when it names a target; else, when `npm start`
 * runs a local stack (its discovery file), the given one over the stack's endpoints, region, local
 * credentials and table (so ORDERS_TABLE_NAME and --table still win).
 */
export const resolveEnvironment = (
  env: CliIo['env'],
): { env: CliIo['env']; discovery?: Discovery; usedStack: boolean } => {
  if (namesAwsTarget(env)) return { env, usedStack: false };
  const discovery = discoverStack(env);
  if (discovery.kind !== 'running') return { env, discovery, usedStack: false };
  const stackEnv = awsEnvironmentOf(discovery.stack);
  return {
    env: {
      ...env,
      ...stackEnv,
      ...(env.ORDERS_TABLE_NAME ? { ORDERS_TABLE_NAME: env.ORDERS_TABLE_NAME } : {}),
    },
    discovery,
    usedStack: true,
  };
};

interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export class CommandContext {
  readonly out: Output;
  private readonly clients: Array<{ destroy(): void }> = [];
  private dynamoDocuments?: DynamoDBDocumentClient;
  private sqsClient?: SQSClient;
  private eventBridgeClient?: EventBridgeClient;
  private resolved?: ReturnType<typeof resolveEnvironment>;

  constructor(
    readonly io: CliIo,
    readonly options: GlobalOptions,
  ) {
    this.out = new Output(io, options.json === true);
  }

  /** The environment, with the local stack's endpoints when nothing else names a target (on first use). */
  get env(): CliIo['env'] {
    if (!this.resolved) {
      this.resolved = resolveEnvironment(this.io.env);
      const { discovery } = this.resolved;
      if (this.resolved.usedStack && discovery?.kind === 'running') {
        this.io.stderr.write(
          `Using the local stack from ${discovery.file} (pid ${discovery.stack.pid}, started ${discovery.stack.startedAt}); set AWS_PROFILE or AWS_ENDPOINT_URL_<SERVICE> to go elsewhere.\n`,
        );
      } else if (discovery?.kind === 'stale' || discovery?.kind === 'invalid') {
        this.out.warn(discovery.message);
      }
    }
    return this.resolved.env;
  }

  /** Why no local stack was used, when none was and nothing else named a target (for error messages). */
  get discoveryNote(): string | undefined {
    const discovery = this.resolved?.discovery;
    return this.resolved && !this.resolved.usedStack && discovery && discovery.kind !== 'running'
      ? discovery.message
      : undefined;
  }

  /** The discovered local stack, when the commands run against it or against its DynamoDB. */
  localStack(): StackInfo | undefined {
    const env = this.env;
    if (this.resolved?.usedStack && this.resolved.discovery?.kind === 'running') {
      return this.resolved.discovery.stack;
    }
    // Pointed at a local stack's DynamoDB by hand: its API is still the one the links should open.
    const endpoint = env.AWS_ENDPOINT_URL_DYNAMODB ?? env.AWS_ENDPOINT_URL;
    if (!endpoint) return undefined;
    const found = discoverStack(this.io.env);
    return found.kind === 'running' && found.stack.urls.dynamodb === endpoint ? found.stack : undefined;
  }

  /** The order table: --table, else ORDERS_TABLE_NAME. */
  tableName(): string {
    const name = this.options.table ?? this.env.ORDERS_TABLE_NAME;
    if (!name) throw usageError('no order table: pass --table <name> or set ORDERS_TABLE_NAME');
    return name;
  }

  /** The shop registry table: --shop-registry-table, else SHOP_REGISTRY_TABLE_NAME (the local stack sets it). */
  shopRegistryTableName(): string {
    const name = this.options.shopRegistryTable ?? this.env.SHOP_REGISTRY_TABLE_NAME;
    if (!name) {
      throw usageError(
        'no shop registry table: pass --shop-registry-table <name> or set SHOP_REGISTRY_TABLE_NAME (the stack output ShopRegistryTableName)',
      );
    }
    return name;
  }

  /** The shop registry, read consistently (what an operator writes on must be the latest). */
  shopRegistry(): DynamoDbShopRegistry {
    return new DynamoDbShopRegistry(this.dynamo(), this.shopRegistryTableName());
  }

  dynamo(): DynamoDBDocumentClient {
    if (!this.dynamoDocuments) {
      const client = new DynamoDBClient(clientConfig('DYNAMODB', this.env, this.options.region));
      this.clients.push(client);
      this.dynamoDocuments = documentClient(client);
    }
    return this.dynamoDocuments;
  }

  sqs(): SQSClient {
    if (!this.sqsClient) {
      this.sqsClient = new SQSClient(clientConfig('SQS', this.env, this.options.region));
      this.clients.push(this.sqsClient);
    }
    return this.sqsClient;
  }

  eventBridge(): EventBridgeClient {
    if (!this.eventBridgeClient) {
      this.eventBridgeClient = new EventBridgeClient(
        clientConfig('EVENTBRIDGE', this.env, this.options.region),
      );
      this.clients.push(this.eventBridgeClient);
    }
    return this.eventBridgeClient;
  }

  /** The shops file: --shops, else SHOPS_CONFIG_FILE, else the example in config/. */
  shopsFile(option: string | undefined): string {
    return resolve(option ?? this.env.SHOPS_CONFIG_FILE ?? DEFAULT_SHOPS_FILE);
  }

  /** The shops, validated; a missing or invalid file is a configuration error (exit 2). */
  shops(option: string | undefined): { file: string; shops: ShopConfig[] } {
    const file = this.shopsFile(option);
    return { file, shops: loadShopConfigs(file) };
  }

  /**
   * One shop's configuration for links and previews: from the shops file when --shops names one, else
   * from the shop registry when one is known (--shop-registry-table, SHOP_REGISTRY_TABLE_NAME, the local
   * stack), else from the default shops file. `source` says which, for the messages.
   */
  async shopFor(
    shopId: string,
    shopsOption: string | undefined,
  ): Promise<{ shop?: ShopConfig; source: string }> {
    const registryTable = this.options.shopRegistryTable ?? this.env.SHOP_REGISTRY_TABLE_NAME;
    if (shopsOption === undefined && registryTable) {
      const entry = await this.shopRegistry().get(shopId);
      return { ...(entry ? { shop: entry.config } : {}), source: `the shop registry ${registryTable}` };
    }
    const { shops, file } = this.shops(shopsOption);
    const shop = shops.find((candidate) => candidate.shopId === shopId);
    return { ...(shop ? { shop } : {}), source: file };
  }

  close(): void {
    for (const client of this.clients) client.destroy();
  }
}

/** Reads and validates a shops file, or throws a usage error listing every problem. */
export const loadShopConfigs = (file: string): ShopConfig[] => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw usageError(`cannot read the shops file ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw usageError(`the shops file ${file} is not valid JSON`, [
      error instanceof Error ? error.message : '',
    ]);
  }
  try {
    return parseShopConfigs(input);
  } catch (error) {
    if (error instanceof InvalidShopConfigError) {
      throw usageError(`the shops file ${file} is not a valid configuration`, error.problems);
    }
    throw error;
  }
};

/** Shop ids become parts of keys: refuse anything the contract would refuse before touching the table. */
export const checkShopId = (shopId: string): string => {
  if (!SHOP_ID_PATTERN.test(shopId) || shopId.length > SHOP_ID_MAX_LENGTH) {
    throw usageError(`invalid shop id ${JSON.stringify(shopId)}: use lower-case letters, digits and - only`);
  }
  return shopId;
};

/** A positive integer option, or a usage error naming the option. */
export const positiveInteger = (name: string, value: string | undefined, max: number): number | undefined => {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > max) {
    throw usageError(`${name} must be an integer from 1 to ${max}, got ${JSON.stringify(value)}`);
  }
  return parsed;
};
