/**
 * Fuzzing every public HTTP endpoint with hostile requests: the status API (functions/status-api/
 * status-api.ts: JSON, tracking page, lookup) and the unsubscribe link (functions/unsubscribe/
 * unsubscribe.ts), each with a real DynamoDB Local table behind it.
 *
 * Properties: the handler never throws and never answers 5xx; every 4xx body says what was wrong (JSON:
 * an error code and a message; HTML: a page with a heading and a text); no page carries markup from the
 * request; and nothing is written for a rejected request except the status API's rate-limit counters.
 */
import { createHmac } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaContext } from '../../fixtures/lambda.js';
import { lifecycleEvents, orderRef, SHOP_ID } from '../../fixtures/order-events.js';
import { apiEvent, seedNotifications, seedOrder, shopConfig } from '../../fixtures/status-api.js';
import { DynamoDbNotificationLog } from '../../functions/adapters/dynamodb-notification-log.js';
import { DynamoDbOrderRepository } from '../../functions/adapters/dynamodb-order-repository.js';
import { DynamoDbRateLimiter } from '../../functions/adapters/dynamodb-rate-limiter.js';
import { DynamoDbSuppressionList } from '../../functions/adapters/dynamodb-suppression-list.js';
import { staticShopDirectory } from '../../functions/domain/shop-registry.js';
import { signSubscription } from '../../functions/domain/signed-links.js';
import type { HttpResponse } from '../../functions/status-api/http.js';
import { makeStatusApiHandler } from '../../functions/status-api/status-api.js';
import { makeUnsubscribeHandler } from '../../functions/unsubscribe/unsubscribe.js';
import { createOrderTable, type TestTable } from '../support/dynamodb.js';
import { FuzzTally } from './fuzz-tally.js';
import {
  FUZZ_RUNS,
  hostileString,
  hugeString,
  INJECTIONS,
  malformedJson,
  wrongType,
} from './hostile-input.js';

const SECRET = 'fuzz-unsubscribe-secret-0123456789abcdef';
const logger = new Logger({ serviceName: 'fuzz-http', logLevel: 'SILENT' });
let table: TestTable;
let token = '';

beforeAll(async () => {
  table = await createOrderTable();
  const ref = orderRef(4242);
  token = await seedOrder(
    new DynamoDbOrderRepository(table.documents, table.tableName),
    lifecycleEvents(ref, 'happyPath'),
  );
  await seedNotifications(new DynamoDbNotificationLog(table.documents, table.tableName), ref);
});

afterAll(async () => {
  await table?.drop();
});

/** Items in the table, apart from the status API's rate-limit counters (`pk = RATE#…`). */
const storedItems = async (): Promise<number> => {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table.documents.send(
      new ScanCommand({
        TableName: table.tableName,
        ConsistentRead: true,
        FilterExpression: 'NOT begins_with(pk, :rate)',
        ExpressionAttributeValues: { ':rate': 'RATE#' },
        Select: 'COUNT',
        ExclusiveStartKey: startKey,
      }),
    );
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
};

const rateCounters = async (): Promise<number> =>
  (
    await table.documents.send(
      new ScanCommand({
        TableName: table.tableName,
        ConsistentRead: true,
        FilterExpression: 'begins_with(pk, :rate)',
        ExpressionAttributeValues: { ':rate': 'RATE#' },
        Select: 'COUNT',
      }),
    )
  ).Count ?? 0;

/** Percent-encoded as a client would; a lone surrogate (which encodeURIComponent refuses) goes raw. */
const encoded = (value: string): string => {
  try {
    return encodeURIComponent(value);
  } catch {
    return value;
  }
};

const METHODS = fc.oneof(
  { arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH'), weight: 4 },
  fc.constantFrom('get', 'G\r\nET', '<script>', ''),
);

/** Markup a page must never carry unless it wrote it itself. */
const expectNoInjectedMarkup = (body: string) => {
  expect(body).not.toMatch(/<script|onerror=|javascript:|<img src=x/i);
};

/** A 4xx must say what was wrong (in its body; a HEAD answer has none) and a 405 which methods work. */
const expectMessage = (
  response: { statusCode?: number; headers?: Record<string, unknown>; body?: string },
  method: string,
) => {
  const type = String(response.headers?.['content-type'] ?? '');
  const body = response.body ?? '';
  if (response.statusCode === 405)
    expect(String(response.headers?.allow ?? '')).toMatch(/^[A-Z]+(, [A-Z]+)*$/);
  if (method === 'HEAD') {
    expect(body).toBe('');
    return;
  }
  if (type.startsWith('application/json')) {
    const json = JSON.parse(body) as { error?: unknown; message?: unknown };
    expect(typeof json.error).toBe('string');
    expect(typeof json.message === 'string' && json.message.trim().length > 0).toBe(true);
  } else {
    expect(body).toMatch(/<h1>[^<]+<\/h1>/);
    expect(body).toMatch(/<p[^>]*>[^<]{10,}/);
  }
};

describe('Fuzz: the status API', () => {
  it('answers hostile requests with a 4xx that says why, never a 5xx, and writes only rate-limit counters', async () => {
    // Prepare
    const tally = new FuzzTally('status API', FUZZ_RUNS);
    const clock = { now: () => new Date('2026-11-21T12:00:00Z') };
    const handler = makeStatusApiHandler({
      orders: new DynamoDbOrderRepository(table.documents, table.tableName),
      notifications: new DynamoDbNotificationLog(table.documents, table.tableName),
      shops: staticShopDirectory([shopConfig()]),
      clock,
      rateLimiter: new DynamoDbRateLimiter(table.documents, table.tableName, 'fuzz-salt-0123456789', clock),
      // Limits high enough that the properties, not the limiter, decide (429 is tested elsewhere).
      rateLimits: {
        token: { limit: 1_000_000, windowSeconds: 3600 },
        lookup: { limit: 1_000_000, windowSeconds: 3600 },
        lookupPerOrder: { limit: 1_000_000, windowSeconds: 3600 },
      },
      logger,
    });
    const baseline = await storedItems();
    const tokenLike = fc.oneof(
      fc.constant(token),
      fc.string({ minLength: 32, maxLength: 32 }),
      hostileString().map(encoded),
      hostileString(),
      hugeString(500, 5000),
    );
    const path = fc.oneof(
      tokenLike.map((value) => `/v1/orders/${value}`),
      tokenLike.map((value) => `/t/${value}`),
      fc.constantFrom(
        '/v1/lookup',
        '/',
        '/t',
        '/t/',
        '/v1/orders/',
        '/v1/orders',
        '/../../etc/passwd',
        '//t//x',
      ),
      fc
        .array(fc.oneof(hostileString(), fc.constantFrom('v1', 'orders', 't', 'lookup', '..', '%00')), {
          maxLength: 4,
        })
        .map((parts) => `/${parts.join('/')}`),
    );
    const query = fc.oneof(
      {
        arbitrary: fc.constantFrom(
          '',
          'lang=pl',
          'lang=en',
          'lang=xx',
          'lang=pl&lang=en',
          'lang=',
          '%E0%A4%A',
        ),
        weight: 4,
      },
      { arbitrary: hostileString().map((value) => `lang=${encoded(value)}`), weight: 2 },
      { arbitrary: hostileString(), weight: 1 },
      { arbitrary: hugeString(1025, 4000), weight: 1 },
    );
    const headers = fc.dictionary(
      fc.oneof(
        {
          arbitrary: fc.constantFrom(
            'content-type',
            'accept-language',
            'if-none-match',
            'x-forwarded-for',
            'cookie',
          ),
          weight: 3,
        },
        { arbitrary: hostileString(), weight: 1 },
      ),
      fc.oneof(
        fc.constantFrom(
          'application/json',
          'application/json; charset=utf-16',
          'text/html',
          'pl;q=abc',
          '*',
          'W/"x"',
        ),
        hostileString(),
        hugeString(300, 10_000),
      ),
      { maxKeys: 3 },
    );
    const lookupBody = fc.oneof(
      fc
        .record({
          shopId: fc.oneof(fc.constant(SHOP_ID), hostileString(), wrongType()),
          orderNumber: fc.oneof(fc.constant('ZAM/2026/11/4242'), hostileString(), wrongType()),
          contact: fc.oneof(
            fc.constant('zofia.wasowska@example.pl'),
            fc.constant('+48 601 234 567'),
            hostileString(),
            wrongType(),
          ),
        })
        .map((value) => JSON.stringify(value)),
      fc
        .tuple(fc.dictionary(hostileString(), fc.oneof(hostileString(), wrongType()), { maxKeys: 4 }))
        .map(([value]) => JSON.stringify(value)),
      malformedJson('{"shopId":"sklep-pod-debem","orderNumber":"ZAM/2026/11/4242","contact":"x@example.pl"}'),
      hugeString(4097, 1_000_000),
    );
    const request = fc.oneof(
      // Following a tracking link, with whatever else the client sends.
      fc.record({
        method: fc.oneof({ arbitrary: fc.constant('GET'), weight: 4 }, { arbitrary: METHODS, weight: 1 }),
        path: fc.oneof(
          tokenLike.map((value) => `/v1/orders/${value}`),
          tokenLike.map((value) => `/t/${value}`),
        ),
        query,
        headers,
        body: fc.constant<string | undefined>(undefined),
      }),
      // Looking an order up.
      fc.record({
        method: fc.oneof({ arbitrary: fc.constant('POST'), weight: 4 }, { arbitrary: METHODS, weight: 1 }),
        path: fc.constant('/v1/lookup'),
        query,
        headers: headers.map((values) => ({ 'content-type': 'application/json', ...values })),
        body: fc.oneof(fc.constant(undefined), lookupBody),
      }),
      // Anything at all.
      fc.record({
        method: METHODS,
        path,
        query,
        headers,
        body: fc.oneof(fc.constant(undefined), lookupBody),
      }),
    );

    // Act & Assess
    await fc.assert(
      fc.asyncProperty(
        request,
        fc.boolean(),
        fc.ipV4(),
        async (
          { method, path: rawPath, query: rawQuery, headers: headerValues, body: text },
          base64,
          sourceIp,
        ) => {
          tally.inputs += 1;
          const event = apiEvent(rawPath, {
            method,
            query: rawQuery,
            headers: headerValues,
            body: base64 && text !== undefined ? Buffer.from(text).toString('base64') : text,
            isBase64Encoded: base64 && text !== undefined,
            sourceIp,
          });
          let response: HttpResponse;
          try {
            response = (await handler(event, lambdaContext('status-api'))) as HttpResponse;
          } catch (error) {
            tally.crashes += 1;
            throw error;
          }
          if (response.statusCode >= 500) tally.serverErrors += 1;
          expect(response.statusCode).toBeLessThan(500);
          if (response.statusCode < 400) tally.accepted += 1;
          else {
            const type = response.headers['content-type'] ?? '';
            const code =
              method === 'HEAD'
                ? 'head'
                : type.startsWith('application/json')
                  ? String((JSON.parse(response.body) as { error?: string }).error)
                  : 'page';
            tally.reject(`${response.statusCode} ${code}`);
            expectMessage(response, method);
          }
          if ((response.headers['content-type'] ?? '').startsWith('text/html'))
            expectNoInjectedMarkup(response.body);
          const written = (await storedItems()) - baseline;
          tally.writesFromRejected = Math.max(tally.writesFromRejected, written);
          expect(written).toBe(0);
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
    tally.rateLimitCounters = await rateCounters();
    tally.save();
  }, 600_000);
});

describe('Fuzz: the unsubscribe link', () => {
  it('refuses forged, altered and hostile tokens with a page that says so, and writes nothing', async () => {
    // Prepare
    const tally = new FuzzTally('unsubscribe', FUZZ_RUNS);
    const handler = makeUnsubscribeHandler({
      secret: SECRET,
      suppressions: new DynamoDbSuppressionList(table.documents, table.tableName),
      shops: staticShopDirectory([shopConfig()]),
      logger,
    });
    const valid = signSubscription(SECRET, {
      shopId: SHOP_ID,
      channel: 'email',
      address: 'zofia.wasowska@example.pl',
    });
    const [payload = '', signature = ''] = valid.split('.');
    const forged = fc.oneof(
      hostileString(),
      hugeString(2049, 100_000),
      fc.constantFrom(
        '',
        '.',
        '..',
        `${payload}.`,
        `.${signature}`,
        `${valid}.x`,
        `${payload}.${signature.slice(1)}`,
      ),
      // Altered: one character of the payload or the signature changed.
      fc
        .tuple(fc.nat({ max: valid.length - 1 }), fc.constantFrom('A', 'b', '-', '_', '0'))
        .map(([at, character]) =>
          valid[at] === character
            ? `${valid.slice(0, at)}Z${valid.slice(at + 1)}`
            : `${valid.slice(0, at)}${character}${valid.slice(at + 1)}`,
        )
        .filter((token) => token !== valid),
      // Signed with another secret, for any shop, channel and address.
      fc
        .record({
          shopId: fc.oneof(fc.constant(SHOP_ID), hostileString()),
          channel: fc.constantFrom('email', 'sms', 'push'),
          address: fc.oneof(hostileString(), fc.constantFrom(...INJECTIONS)),
        })
        .map((subscription) =>
          signSubscription(
            'another-secret-0123456789abcdefghijkl',
            subscription as Parameters<typeof signSubscription>[1],
          ),
        ),
      // The first format (address in clear, no expiry), signed with the right secret: refused by default.
      fc
        .record({ channel: fc.constantFrom('email', 'sms', 'push'), address: hostileString() })
        .map(({ channel, address }) => {
          const legacy = Buffer.from(JSON.stringify([SHOP_ID, channel, address])).toString('base64url');
          return `${legacy}.${createHmac('sha256', SECRET).update(legacy).digest('base64url')}`;
        }),
      // Correctly sealed, but expired a moment ago.
      fc
        .integer({ min: 1, max: 3650 })
        .map((ttlDays) =>
          signSubscription(
            SECRET,
            { shopId: SHOP_ID, channel: 'email', address: 'zofia.wasowska@example.pl' },
            { now: new Date(Date.now() - ttlDays * 86_400_000 - 1000), ttlDays },
          ),
        ),
      // Correctly signed, but for a shop that is not configured here.
      hostileString().map((shopId) =>
        signSubscription(SECRET, { shopId, channel: 'email', address: 'a@example.pl' }),
      ),
    );
    const baseline = await storedItems();

    // Act & Assess
    await fc.assert(
      fc.asyncProperty(
        METHODS,
        forged,
        fc.oneof(fc.constant(undefined), hostileString()),
        fc.boolean(),
        async (method, forgedToken, acceptLanguage, asQuery) => {
          tally.inputs += 1;
          const event = {
            version: '2.0',
            routeKey: `${method} /v1/unsubscribe`,
            rawPath: '/v1/unsubscribe',
            rawQueryString: `token=${encoded(forgedToken)}`,
            headers: acceptLanguage === undefined ? {} : { 'accept-language': acceptLanguage },
            ...(asQuery ? { queryStringParameters: { token: forgedToken } } : {}),
            requestContext: { http: { method, path: '/v1/unsubscribe', sourceIp: '203.0.113.9' } },
            isBase64Encoded: false,
            body: method === 'POST' ? 'List-Unsubscribe=One-Click' : undefined,
          } as unknown as APIGatewayProxyEventV2;
          let response: APIGatewayProxyStructuredResultV2;
          try {
            response = (await handler(
              event,
              lambdaContext('unsubscribe'),
            )) as APIGatewayProxyStructuredResultV2;
          } catch (error) {
            tally.crashes += 1;
            throw error;
          }
          const status = response.statusCode ?? 0;
          if (status >= 500) tally.serverErrors += 1;
          expect(status).toBeGreaterThanOrEqual(400);
          expect(status).toBeLessThan(500);
          tally.reject(`${status}${asQuery ? '' : ' (no token parameter)'}`);
          expectMessage(
            {
              statusCode: status,
              headers: response.headers as Record<string, unknown>,
              body: String(response.body ?? ''),
            },
            method,
          );
          expectNoInjectedMarkup(String(response.body ?? ''));
          const written = (await storedItems()) - baseline;
          tally.writesFromRejected = Math.max(tally.writesFromRejected, written);
          expect(written).toBe(0);
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
    tally.save();
  }, 600_000);

  it('shows hostile addresses inside a valid link only as escaped text, and unsubscribes exactly them', async () => {
    // Prepare
    const tally = new FuzzTally('unsubscribe: valid links, hostile addresses', FUZZ_RUNS);
    const suppressions = new DynamoDbSuppressionList(table.documents, table.tableName);
    const handler = makeUnsubscribeHandler({
      secret: SECRET,
      suppressions,
      shops: staticShopDirectory([shopConfig()]),
      logger,
    });

    // Act & Assess
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('email', 'sms', 'push'),
        fc.oneof(hostileString(), fc.constantFrom(...INJECTIONS)),
        async (channel, address) => {
          tally.inputs += 1;
          const validToken = signSubscription(SECRET, { shopId: SHOP_ID, channel, address });
          const call = async (method: 'GET' | 'POST') =>
            (await handler(
              {
                rawPath: '/v1/unsubscribe',
                rawQueryString: `token=${validToken}`,
                headers: {},
                queryStringParameters: { token: validToken },
                requestContext: { http: { method, path: '/v1/unsubscribe', sourceIp: '203.0.113.9' } },
                isBase64Encoded: false,
              } as unknown as APIGatewayProxyEventV2,
              lambdaContext('unsubscribe'),
            )) as APIGatewayProxyStructuredResultV2;
          const before = await storedItems();
          const page = await call('GET');
          expect(page.statusCode).toBe(200);
          expectNoInjectedMarkup(String(page.body));
          expect(await storedItems()).toBe(before);
          const done = await call('POST');
          expect(done.statusCode).toBe(200);
          tally.accepted += 1;
          const after = await storedItems();
          tally.writesFromAccepted += after - before;
          expect(after - before).toBeLessThanOrEqual(1);
          expect(await suppressions.check(SHOP_ID, channel, address)).toBe('unsubscribed by the customer');
        },
      ),
      { numRuns: Math.min(FUZZ_RUNS, 500) },
    );
    tally.save();
  }, 600_000);
});
