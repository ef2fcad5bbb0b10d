/**
 * The one home of every function's timeout and of the AWS SDK timeouts derived from it. lib/ sets each
 * Lambda's timeout from FUNCTION_TIMEOUT_SECONDS and passes it to the function as the environment
 * variable of the same name; functions/adapters/aws-clients.ts derives the clients' connection and
 * request timeouts and retry attempts from that variable, so a dependency that stops answering ends in
 * an error well before Lambda kills the invocation (and never in a hang).
 */

/** Each function's timeout in seconds: the API functions answer people, so they give up sooner. */
export const FUNCTION_TIMEOUT_SECONDS = {
  'ingest-order-events': 30,
  'plan-notifications': 30,
  'send-notifications': 30,
  'email-feedback': 30,
  'status-api': 10,
  unsubscribe: 10,
  'connector-webhooks': 10,
} as const;

export type TimedFunction = keyof typeof FUNCTION_TIMEOUT_SECONDS;

/** The variable that tells a function its own timeout (set by lib/service-function.ts and local/). */
export const FUNCTION_TIMEOUT_VARIABLE = 'FUNCTION_TIMEOUT_SECONDS';

export interface SdkTimeouts {
  /** How long opening a connection may take. */
  readonly connectionTimeoutMs: number;
  /** How long one attempt (request and response) may take, connection included. */
  readonly requestTimeoutMs: number;
  /** Attempts per call, the first included (the SDK's standard retry strategy, with its backoff). */
  readonly maxAttempts: number;
}

/** Share of the function's timeout one SDK call may use in all, so the handler can still answer. */
const SDK_SHARE = 0.6;
const MAX_CONNECTION_TIMEOUT_MS = 1000;

/**
 * The most the SDK's standard retry strategy waits before the n-th retry: a random share of
 * 2^n × 500 ms for throttling errors (100 ms for others), so 1 s before the first retry, 2 s before the second.
 */
export const maxBackoffBeforeRetryMs = (retry: number): number => 500 * 2 ** retry;

/**
 * SDK timeouts for a function that may run `functionTimeoutSeconds`: every attempt of one call together,
 * with the longest backoffs between them, ends within 60% of it.
 * 10 s -> 2 attempts of at most 2.5 s; 30 s -> 3 attempts of at most 5 s; under 4 s -> 1 attempt.
 */
export const sdkTimeoutsFor = (functionTimeoutSeconds: number): SdkTimeouts => {
  if (
    !Number.isFinite(functionTimeoutSeconds) ||
    functionTimeoutSeconds < 1 ||
    functionTimeoutSeconds > 900
  ) {
    throw new RangeError(`function timeout must be from 1 to 900 seconds, got ${functionTimeoutSeconds}`);
  }
  const maxAttempts = functionTimeoutSeconds >= 20 ? 3 : functionTimeoutSeconds >= 4 ? 2 : 1;
  let backoffMs = 0;
  for (let retry = 1; retry < maxAttempts; retry++) backoffMs += maxBackoffBeforeRetryMs(retry);
  const attemptMs = Math.floor((functionTimeoutSeconds * 1000 * SDK_SHARE - backoffMs) / maxAttempts);
  const connectionTimeoutMs = Math.min(MAX_CONNECTION_TIMEOUT_MS, Math.floor(attemptMs / 3));
  return { connectionTimeoutMs, requestTimeoutMs: attemptMs, maxAttempts };
};
