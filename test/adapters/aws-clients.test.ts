import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isServiceUnavailableError, sdkClientConfig } from '../../functions/adapters/aws-clients.js';
import {
  FUNCTION_TIMEOUT_SECONDS,
  maxBackoffBeforeRetryMs,
  sdkTimeoutsFor,
} from '../../functions/commons/function-timeouts.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local.js';
import { type FrozenEndpoint, startFrozenEndpoint } from '../support/frozen-endpoint.js';

let frozen: FrozenEndpoint;

beforeAll(async () => {
  frozen = await startFrozenEndpoint();
});

afterAll(async () => {
  await frozen.close();
});

describe('Function: sdkTimeoutsFor', () => {
  it('ends every attempt of one call, with the backoff, well within the function timeout', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 900 }), (seconds) => {
        // Act
        const { connectionTimeoutMs, requestTimeoutMs, maxAttempts } = sdkTimeoutsFor(seconds);
        const backoff = Array.from({ length: maxAttempts - 1 }, (_, retry) =>
          maxBackoffBeforeRetryMs(retry + 1),
        );

        // Assess
        expect(maxAttempts).toBeGreaterThanOrEqual(seconds >= 4 ? 2 : 1);
        expect(connectionTimeoutMs).toBeGreaterThan(0);
        expect(connectionTimeoutMs).toBeLessThanOrEqual(requestTimeoutMs);
        const worstCase = maxAttempts * requestTimeoutMs + backoff.reduce((sum, ms) => sum + ms, 0);
        expect(worstCase).toBeLessThan(seconds * 1000);
      }),
    );
  });

  it('refuses a timeout Lambda would not run', () => {
    for (const seconds of [0, -1, 901, Number.NaN]) expect(() => sdkTimeoutsFor(seconds)).toThrow(RangeError);
  });
});

describe('Function: sdkClientConfig', () => {
  it('derives from the timeout lib/ gave the function, else from the shared table, and fails on junk', () => {
    expect(sdkClientConfig('status-api', { FUNCTION_TIMEOUT_SECONDS: '30' }).maxAttempts).toBe(3);
    expect(sdkClientConfig('status-api', {}).requestHandler.requestTimeout).toBe(
      sdkTimeoutsFor(FUNCTION_TIMEOUT_SECONDS['status-api']).requestTimeoutMs,
    );
    expect(sdkClientConfig('status-api', {}).requestHandler.throwOnRequestTimeout).toBe(true);
    expect(() => sdkClientConfig('status-api', { FUNCTION_TIMEOUT_SECONDS: 'soon' })).toThrow(
      /invalid function configuration: FUNCTION_TIMEOUT_SECONDS/,
    );
  });

  it('gives up on a frozen endpoint within the function timeout, with an error that says unavailable', async () => {
    // Prepare
    const seconds = 3;
    const client = new DynamoDBClient({
      ...sdkClientConfig('status-api', { FUNCTION_TIMEOUT_SECONDS: String(seconds) }),
      endpoint: frozen.url,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    const started = Date.now();

    // Act
    const error = await client
      .send(new GetItemCommand({ TableName: 'orders', Key: { pk: { S: 'x' }, sk: { S: 'y' } } }))
      .then(
        () => undefined,
        (failure: unknown) => failure,
      );
    const elapsed = Date.now() - started;
    client.destroy();

    // Assess
    expect(error).toBeInstanceOf(Error);
    expect(isServiceUnavailableError(error)).toBe(true);
    expect(elapsed).toBeLessThan(seconds * 1000);
  }, 10_000);
});

describe('Function: isServiceUnavailableError', () => {
  const named = (name: string, extra: Record<string, unknown> = {}) =>
    Object.assign(new Error('details'), { name }, extra);

  it.each([
    named('TimeoutError'),
    named('ProvisionedThroughputExceededException'),
    named('ThrottlingException'),
    named('RequestLimitExceeded'),
    named('InternalServerError'),
    named('ServiceUnavailable'),
    named('Error', { code: 'ECONNREFUSED' }),
    named('Error', { code: 'ECONNRESET' }),
    named('UnknownError', { $metadata: { httpStatusCode: 503 } }),
    named('Error', { cause: named('TimeoutError') }),
  ])('counts %s as unavailable', (error) => {
    expect(isServiceUnavailableError(error)).toBe(true);
  });

  it.each([
    named('ConditionalCheckFailedException', { $metadata: { httpStatusCode: 400 } }),
    named('ValidationException', { $metadata: { httpStatusCode: 400 } }),
    named('ResourceNotFoundException', { $metadata: { httpStatusCode: 400 } }),
    named('TypeError'),
    'a string',
    undefined,
  ])('does not count %s', (error) => {
    expect(isServiceUnavailableError(error)).toBe(false);
  });
});
