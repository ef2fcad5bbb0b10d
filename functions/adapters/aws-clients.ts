import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  FUNCTION_TIMEOUT_SECONDS,
  FUNCTION_TIMEOUT_VARIABLE,
  type SdkTimeouts,
  sdkTimeoutsFor,
} from '../commons/function-timeouts.js';

/**
 * The document client every adapter uses: optional fields left undefined by the domain are dropped, not
 * rejected, and numbers come back as numbers (amounts are integers in minor units, far below 2^53).
 */
export const documentClient = (client: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });

/** The settings every SDK client of a function gets: its timeouts and retry attempts. */
export interface SdkClientConfig {
  readonly maxAttempts: number;
  readonly requestHandler: {
    readonly connectionTimeout: number;
    readonly requestTimeout: number;
    /** Without it the SDK only logs a warning when requestTimeout passes. */
    readonly throwOnRequestTimeout: true;
    /** A response body that stops arriving half way is cut off too. */
    readonly socketTimeout: number;
  };
}

export const sdkClientConfigOf = (timeouts: SdkTimeouts): SdkClientConfig => ({
  maxAttempts: timeouts.maxAttempts,
  requestHandler: {
    connectionTimeout: timeouts.connectionTimeoutMs,
    requestTimeout: timeouts.requestTimeoutMs,
    throwOnRequestTimeout: true,
    socketTimeout: timeouts.requestTimeoutMs,
  },
});

/**
 * The configuration for every SDK client a function creates (`new DynamoDBClient(sdkClientConfig('x'))`):
 * timeouts derived from the function's own timeout, as lib/ set it (FUNCTION_TIMEOUT_SECONDS), else from
 * the function's entry in the shared table. A value that is not a number of seconds fails the cold start.
 */
export const sdkClientConfig = (
  fn: keyof typeof FUNCTION_TIMEOUT_SECONDS,
  env: NodeJS.ProcessEnv = process.env,
): SdkClientConfig => {
  const raw = env[FUNCTION_TIMEOUT_VARIABLE];
  const seconds = raw === undefined || raw === '' ? FUNCTION_TIMEOUT_SECONDS[fn] : Number(raw);
  try {
    return sdkClientConfigOf(sdkTimeoutsFor(seconds));
  } catch (error) {
    throw new Error(
      `invalid function configuration: ${FUNCTION_TIMEOUT_VARIABLE}: ${(error as Error).message}`,
    );
  }
};

const TRANSIENT_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalServerError',
  'InternalFailure',
  'InternalError',
]);
const NETWORK_CODES = new Set([
  'ETIMEDOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Whether an error from an AWS SDK call means the service is slow, throttling or unreachable (worth
 * trying again later), rather than a bug or a refused request.
 */
export const isServiceUnavailableError = (error: unknown, depth = 0): boolean => {
  if (!(error instanceof Error) || depth > 3) return false;
  const details = error as Error & {
    code?: unknown;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: unknown };
    cause?: unknown;
  };
  if (TRANSIENT_NAMES.has(error.name)) return true;
  if (typeof details.code === 'string' && NETWORK_CODES.has(details.code)) return true;
  if (details.$retryable) return true;
  const status = details.$metadata?.httpStatusCode;
  if (typeof status === 'number' && (status === 429 || status >= 500)) return true;
  return isServiceUnavailableError(details.cause, depth + 1);
};
