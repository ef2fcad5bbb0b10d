/**
 * Secrets at run time: a function's environment names each secret by its ARN (`<NAME>_ARN`), the value is
 * read from Secrets Manager once at cold start (a value that cannot be read or is not a valid key ring
 * fails the cold start, naming the variable and the secret, never the value), and read again in the
 * background once SECRET_CACHE_SECONDS have passed (`refreshSecrets`). A rotation (docs/deploy.md) is
 * live in every function within that time and one invocation, without a deploy.
 *
 * Reads go through Powertools Parameters' SecretsProvider (docs/architecture.md says why). A refresh that
 * fails keeps the value in force, logs a warning and waits another period before it tries again, so an
 * outage of Secrets Manager neither stops the function nor slows every invocation down.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient, type SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';
import type { MiddlewareObj } from '@middy/core';
import * as z from 'zod';
import { type KeyRing, parseKeyRing } from '../domain/key-ring.js';
import type { Clock } from '../domain/ports.js';
import type { SdkClientConfig } from './aws-clients.js';

/** How long a function keeps a secret it read before it reads it again, unless configured. */
export const DEFAULT_SECRET_CACHE_SECONDS = 300;

/** The environment of every function that reads a secret (functions/commons/config.ts readConfig). */
export const SECRET_SETTINGS = {
  /** How long a function keeps a secret it read: a rotation is live everywhere within it. */
  SECRET_CACHE_SECONDS: z.coerce.number().int().min(1).max(3600).default(DEFAULT_SECRET_CACHE_SECONDS),
};

/** The variable that names a secret's ARN: UNSUBSCRIBE_SECRET -> UNSUBSCRIBE_SECRET_ARN. */
export const secretArnVariable = (name: string): string => `${name}_ARN`;

/** One Secrets Manager client per function, with the function's SDK timeouts. */
export const secretsProvider = (sdk: SdkClientConfig | SecretsManagerClientConfig): SecretsProvider =>
  new SecretsProvider({ awsSdkV3Client: new SecretsManagerClient(sdk) });

export interface LoadSecretOptions {
  readonly provider: SecretsProvider;
  /** The secret's name in configuration (UNSUBSCRIBE_SECRET); its ARN is in `<name>_ARN`. */
  readonly name: string;
  /** The shortest key accepted. */
  readonly minLength: number;
  readonly cacheSeconds: number;
  readonly logger: Logger;
  /** @default the process environment */
  readonly env?: NodeJS.ProcessEnv;
  /** @default the system clock */
  readonly clock?: Clock;
}

const SYSTEM_CLOCK: Clock = { now: () => new Date() };

const problemOf = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/**
 * The key ring a secret holds now, read past the provider's cache (the caller keeps the value and decides
 * when to read again). Fails on a binary or empty secret and on a value that is not a key ring.
 */
export const readKeyRing = async (
  provider: SecretsProvider,
  secretId: string,
  options: { readonly name: string; readonly minLength: number },
): Promise<KeyRing> => {
  const value = await provider.get(secretId, { forceFetch: true });
  if (typeof value !== 'string') {
    throw new Error('the secret holds no SecretString (a binary secret or no value)');
  }
  return parseKeyRing(value, options);
};

/** A secret read at cold start and refreshed at run time; `keys` gives the key ring in force. */
export class RotatingSecret {
  private ring: KeyRing;
  private checkedAt: number;

  private constructor(
    private readonly options: LoadSecretOptions,
    private readonly secretId: string,
    ring: KeyRing,
    private readonly clock: Clock,
  ) {
    this.ring = ring;
    this.checkedAt = clock.now().getTime();
  }

  /** Reads the secret named by `<name>_ARN`; fails with what is wrong, never with the value. */
  static async load(options: LoadSecretOptions): Promise<RotatingSecret> {
    const variable = secretArnVariable(options.name);
    const secretId = (options.env ?? process.env)[variable];
    if (!secretId) {
      throw new Error(`invalid function configuration: ${variable}: the ARN of the secret is not set`);
    }
    const clock = options.clock ?? SYSTEM_CLOCK;
    let ring: KeyRing;
    try {
      ring = await RotatingSecret.read(options, secretId);
    } catch (error) {
      throw new Error(
        `invalid function configuration: ${variable}: cannot use the secret ${secretId}: ${problemOf(error)}`,
      );
    }
    return new RotatingSecret(options, secretId, ring, clock);
  }

  private static read(options: LoadSecretOptions, secretId: string): Promise<KeyRing> {
    return readKeyRing(options.provider, secretId, { name: options.name, minLength: options.minLength });
  }

  /** The key ring in force: synchronous, for the code that signs and verifies. */
  readonly keys = (): KeyRing => this.ring;

  /** Reads the secret again if it was read more than `cacheSeconds` ago; a failure keeps the old value. */
  async refresh(): Promise<void> {
    const now = this.clock.now().getTime();
    if (now - this.checkedAt < this.options.cacheSeconds * 1000) return;
    // Set first: concurrent refreshes and a failing one wait a whole period before the next try.
    this.checkedAt = now;
    try {
      this.ring = await RotatingSecret.read(this.options, this.secretId);
    } catch (error) {
      this.options.logger.warn('secret refresh failed: the value in force stays until the next try', {
        secret: this.options.name,
        retryInSeconds: this.options.cacheSeconds,
        error: problemOf(error),
      });
    }
  }
}

/** The secrets the functions read, by the name their configuration knows them by, with their least length. */
export const FUNCTION_SECRETS = {
  /** Seals the unsubscribe links (functions/domain/signed-links.ts). */
  UNSUBSCRIBE_SECRET: { minLength: 32 },
  /** Keys the HMAC of client addresses in the rate-limit counters. */
  RATE_LIMIT_SALT: { minLength: 16 },
} as const;

/** A function's secret at cold start: `<name>_ARN` from its environment, read with its SDK settings. */
export const loadFunctionSecret = (
  name: keyof typeof FUNCTION_SECRETS,
  options: { readonly sdk: SdkClientConfig; readonly cacheSeconds: number; readonly logger: Logger },
): Promise<RotatingSecret> =>
  RotatingSecret.load({
    provider: secretsProvider(options.sdk),
    name,
    minLength: FUNCTION_SECRETS[name].minLength,
    cacheSeconds: options.cacheSeconds,
    logger: options.logger,
  });

/**
 * Middleware: starts a refresh of the secrets (when due) and lets the invocation go on with the values in
 * force, so no invocation waits for Secrets Manager; the refreshed value serves the next invocations. A
 * refresh cannot fail an invocation (RotatingSecret.refresh keeps the old value and warns).
 */
export const refreshSecrets = (...secrets: readonly RotatingSecret[]): MiddlewareObj => ({
  before: () => {
    for (const secret of secrets) void secret.refresh();
  },
});
