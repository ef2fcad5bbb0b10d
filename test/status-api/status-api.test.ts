import { createHash } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../fixtures/lambda.js';
import { exampleDetails, lifecycleEvents, orderRef, SHOP_ID, toEvent } from '../../fixtures/order-events.js';
import {
  apiEvent,
  CUSTOMER_SECRETS,
  eventsUntil,
  lateHold,
  quietLogger,
  type RequestOptions,
  SHOP_INPUT,
  seedNotifications,
  seedOrder,
  shopConfig,
} from '../../fixtures/status-api.js';
import { documentClient, sdkClientConfig } from '../../functions/adapters/aws-clients.js';
import { DynamoDbNotificationLog } from '../../functions/adapters/dynamodb-notification-log.js';
import { DynamoDbOrderRepository } from '../../functions/adapters/dynamodb-order-repository.js';
import { DynamoDbRateLimiter } from '../../functions/adapters/dynamodb-rate-limiter.js';
import { orderPk } from '../../functions/adapters/table-keys.js';
import type { OrderEvent } from '../../functions/domain/order-events.js';
import { OrderViewSchema } from '../../functions/domain/order-view.js';
import { recordOrderEvent } from '../../functions/domain/record-order-event.js';
import type { ShopConfig } from '../../functions/domain/shop-config.js';
import { staticShopDirectory } from '../../functions/domain/shop-registry.js';
import { generateTrackingToken } from '../../functions/domain/tracking-token.js';
import { NOT_FOUND_MESSAGE } from '../../functions/status-api/errors.js';
import type { HttpResponse } from '../../functions/status-api/http.js';
import { makeStatusApiHandler, type StatusApiDeps } from '../../functions/status-api/status-api.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local.js';
import { createOrderTable, type TestTable } from '../support/dynamodb.js';
import { type FrozenEndpoint, startFrozenEndpoint } from '../support/frozen-endpoint.js';

const NOW = new Date('2026-11-21T12:00:20Z');
const SALT = 'test-salt-0123456789';

let table: TestTable;
let repository: DynamoDbOrderRepository;
let notificationLog: DynamoDbNotificationLog;
let commands: string[] = [];
let logs: string[] = [];
const tokens: Record<
  'shipped' | 'held' | 'delivered' | 'cancelled' | 'placed' | 'otherShop' | 'erased',
  string
> = {
  shipped: '',
  held: '',
  delivered: '',
  cancelled: '',
  placed: '',
  otherShop: '',
  erased: '',
};

const REFS = {
  shipped: orderRef(301),
  held: orderRef(302),
  delivered: orderRef(303),
  cancelled: orderRef(304),
  placed: orderRef(305),
  awaitingPlacement: orderRef(306),
  otherShop: orderRef(307),
  erased: orderRef(308),
  injected: orderRef(309),
};

let nextIp = 1;
/** Each test gets its own client address, so rate-limit counters never spill over. */
const freshIp = () => `198.51.100.${nextIp++}`;

const makeHandler = (overrides: Partial<StatusApiDeps> & { shop?: ShopConfig } = {}) => {
  const clock = { now: () => NOW };
  return makeStatusApiHandler({
    orders: repository,
    notifications: notificationLog,
    shops: staticShopDirectory([overrides.shop ?? shopConfig()]),
    clock,
    rateLimiter: new DynamoDbRateLimiter(table.documents, table.tableName, SALT, clock),
    rateLimits: {
      lookup: { limit: 1000, windowSeconds: 60 },
      lookupPerOrder: { limit: 1000, windowSeconds: 60 },
      token: { limit: 1000, windowSeconds: 60 },
    },
    logger: quietLogger(),
    ...overrides,
  });
};

let ip = '';
const request = async (
  path: string,
  options: RequestOptions = {},
  handler = makeHandler(),
): Promise<HttpResponse> =>
  (await handler(apiEvent(path, { sourceIp: ip, ...options }), lambdaContext('status-api'))) as HttpResponse;

const lookup = (body: unknown, options: RequestOptions = {}, handler = makeHandler()) =>
  request(
    '/v1/lookup',
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      ...options,
    },
    handler,
  );

const erase = async (ref: { orderId: string }) => {
  const items = await table.documents.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': orderPk({ shopId: SHOP_ID, orderId: ref.orderId }) },
    }),
  );
  for (const item of items.Items ?? []) {
    await table.documents.send(
      new DeleteCommand({ TableName: table.tableName, Key: { pk: item.pk, sk: item.sk } }),
    );
  }
};

const withShop = (events: readonly OrderEvent[], shopId: string): OrderEvent[] =>
  events.map((event) => ({ ...event, shopId }));

beforeAll(async () => {
  table = await createOrderTable();
  repository = new DynamoDbOrderRepository(table.documents, table.tableName);
  notificationLog = new DynamoDbNotificationLog(table.documents, table.tableName);
  tokens.shipped = await seedOrder(repository, eventsUntil(REFS.shipped, 'happyPath', 'Order Shipped'));
  await seedNotifications(notificationLog, REFS.shipped);
  tokens.held = await seedOrder(repository, eventsUntil(REFS.held, 'engravingHold', 'Order On Hold'));
  tokens.delivered = await seedOrder(repository, [
    ...lifecycleEvents(REFS.delivered, 'happyPath'),
    lateHold(REFS.delivered),
  ]);
  tokens.cancelled = await seedOrder(repository, lifecycleEvents(REFS.cancelled, 'cancelledAfterHold'));
  tokens.placed = await seedOrder(repository, eventsUntil(REFS.placed, 'happyPath', 'Order Placed'));
  // An order whose Order Placed has not arrived: it has no token, and lookup must not find it.
  const [, paid] = lifecycleEvents(REFS.awaitingPlacement, 'happyPath');
  await recordOrderEvent(
    { orders: repository, clock: { now: () => NOW }, newTrackingToken: generateTrackingToken },
    paid as OrderEvent,
  );
  tokens.otherShop = await seedOrder(
    repository,
    withShop(eventsUntil(REFS.otherShop, 'happyPath', 'Order Shipped'), 'sklep-bez-konfiguracji'),
  );
  tokens.erased = await seedOrder(repository, lifecycleEvents(REFS.erased, 'happyPath'));
  await erase(REFS.erased);
  // Count what every request sends to DynamoDB.
  table.client.middlewareStack.add(
    (next, context) => async (args) => {
      commands.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'countCommands' },
  );
});

afterAll(async () => {
  await table.drop();
});

beforeEach(() => {
  ip = freshIp();
  commands = [];
  logs = [];
  const capture = (chunk: string | Uint8Array) => {
    logs.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
});

afterEach(() => {
  vi.restoreAllMocks();
});

const jsonOf = (response: HttpResponse) => JSON.parse(response.body) as Record<string, unknown>;

/** The hash of the inline stylesheet, as the CSP must allow it. */
const inlineStyleHash = (page: string): string => {
  const css = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? '';
  return `'sha256-${createHash('sha256').update(css).digest('base64')}'`;
};

describe('Handler: status API', () => {
  describe('GET /v1/orders/{token}', () => {
    it('answers with the order’s public view, in the customer’s language by default', async () => {
      // Act
      const response = await request(`/v1/orders/${tokens.shipped}`);

      // Assess
      expect(response.statusCode).toBe(200);
      const body = jsonOf(response);
      expect(OrderViewSchema.parse(body)).toEqual(body);
      expect(body).toMatchObject({
        language: 'pl',
        view: 'full',
        orderNumber: REFS.shipped.orderNumber,
        status: { code: 'shipped', label: 'Wysłane' },
        shipment: {
          carrier: 'InPost',
          trackingNumber: '620123456789012345678901',
          expectedDeliveryDate: { text: '25 listopada 2026' },
        },
        customer: { firstName: 'Zofia', email: 'z***@example.pl', phone: '+48 *** *** 567' },
      });
      expect(body.notifications).toEqual([
        expect.objectContaining({ channel: { code: 'email', label: 'E-mail' }, arrived: true }),
        expect.objectContaining({
          channel: { code: 'sms', label: 'SMS' },
          outcome: { code: 'failed', label: 'Nie udało się wysłać' },
          address: '+48 *** *** 567',
          arrived: false,
        }),
      ]);
      expect(response.body).not.toContain('opted out'); // the log's reason is for operators
    });

    it('sends the security and caching headers', async () => {
      // Act
      const response = await request(`/v1/orders/${tokens.shipped}`);

      // Assess
      expect(response.headers).toMatchObject({
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'private, max-age=30',
        'content-security-policy':
          "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        'referrer-policy': 'no-referrer',
        'x-content-type-options': 'nosniff',
        'strict-transport-security': 'max-age=63072000; includeSubDomains',
        'x-frame-options': 'DENY',
        vary: 'Accept-Language',
        'content-language': 'pl',
      });
      expect(response.headers['permissions-policy']).toMatch(/camera=\(\).*geolocation=\(\)/);
      expect(response.headers.etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    });

    it.each([
      // The order was placed in pl-PL: an English browser does not turn it English...
      [{ headers: { 'accept-language': 'en-GB,en;q=0.9' } }, 'pl', 'Wysłane'],
      [{ headers: { 'accept-language': 'de-DE' } }, 'pl', 'Wysłane'],
      // ...the customer's own switch does, whatever the browser says.
      [{ headers: { 'accept-language': 'pl' }, query: 'lang=en' }, 'en', 'Shipped'],
      [{ headers: { 'accept-language': 'en' }, query: 'lang=pl' }, 'pl', 'Wysłane'],
      [{ headers: { 'accept-language': 'en' }, query: 'lang=en' }, 'en', 'Shipped'],
    ])(
      "picks the language from ?lang, then the order's locale, never the browser over it (%j)",
      async (options, language, label) => {
        // Act
        const response = await request(`/v1/orders/${tokens.shipped}`, options);

        // Assess
        expect(jsonOf(response)).toMatchObject({ language, status: { label } });
        expect(response.headers['content-language']).toBe(language);
      },
    );

    it('refuses an unknown language before reading anything', async () => {
      // Act
      const response = await request(`/v1/orders/${tokens.shipped}`, { query: 'lang=de' });

      // Assess
      expect(response.statusCode).toBe(400);
      expect(jsonOf(response)).toEqual({ error: 'bad_request', message: 'lang: expected pl or en' });
      expect(response.headers['cache-control']).toBe('no-store');
      expect(commands).toEqual([]);
    });

    it('answers 304 without a body when the client has the current version, and 200 once the order changes', async () => {
      // Prepare
      const first = await request(`/v1/orders/${tokens.placed}`);
      const etag = first.headers.etag ?? '';

      // Act
      const same = await request(`/v1/orders/${tokens.placed}`, { headers: { 'if-none-match': etag } });
      const weak = await request(`/v1/orders/${tokens.placed}`, {
        headers: { 'if-none-match': `"x", W/${etag}` },
      });
      const [, paid] = lifecycleEvents(REFS.placed, 'happyPath');
      await seedOrder(repository, [paid as OrderEvent]);
      const changed = await request(`/v1/orders/${tokens.placed}`, { headers: { 'if-none-match': etag } });

      // Assess
      expect(same).toMatchObject({ statusCode: 304, body: '' });
      expect(same.headers).toMatchObject({ etag, 'cache-control': 'private, max-age=30' });
      expect(same.headers['content-type']).toBeUndefined();
      expect(weak.statusCode).toBe(304);
      expect(changed.statusCode).toBe(200);
      expect(changed.headers.etag).not.toBe(etag);
      expect(jsonOf(changed)).toMatchObject({ payment: { status: { code: 'paid' } } });
    });

    it('shows only the customer-relevant entries of the timeline', async () => {
      // Act
      const body = jsonOf(await request(`/v1/orders/${tokens.delivered}`));

      // Assess: the late hold was rejected by the order and is not shown
      expect((body.timeline as Array<{ type: string }>).map((entry) => entry.type)).toEqual([
        'Order Placed',
        'Payment Received',
        'Order Accepted',
        'Order Preparing',
        'Order Shipped',
        'Order Out For Delivery',
        'Order Delivered',
      ]);
      expect(body.hold).toBeUndefined();
    });

    it('shows the reduced view once the order has not changed in the store for the configured days', async () => {
      // Prepare: the seed stored every order at 2026-11-20T12:00Z; the shop reduces after 30 days
      const later = makeHandler();
      const reduced = makeStatusApiHandler({
        orders: repository,
        notifications: notificationLog,
        shops: staticShopDirectory([shopConfig()]),
        clock: { now: () => new Date('2026-12-20T12:00:00Z') },
        rateLimiter: new DynamoDbRateLimiter(table.documents, table.tableName, SALT, { now: () => NOW }),
        logger: quietLogger(),
      });

      // Act
      const full = jsonOf(await request(`/v1/orders/${tokens.delivered}`, {}, later));
      const summary = jsonOf(await request(`/v1/orders/${tokens.delivered}`, {}, reduced));
      const page = await request(`/t/${tokens.delivered}`, {}, reduced);

      // Assess
      expect(full.view).toBe('full');
      expect(summary).toMatchObject({
        view: 'reduced',
        status: { code: 'delivered' },
        deliveredAt: { text: '20 listopada 2026 10:30' },
      });
      expect(summary.timeline).toBeUndefined();
      expect(summary.notifications).toBeUndefined();
      expect(summary.customer).toBeUndefined();
      expect(page.body).toContain('To zamówienie jest zakończone');
      expect(page.body).not.toContain('Historia zamówienia');
      expect(page.body).not.toContain('***');
      expect(page.body).toContain('href="https://podebem.example.pl/zwroty"');
    });
  });

  describe('GET /t/{token}', () => {
    it('renders the tracking page in Polish, allowing only its own stylesheet', async () => {
      // Act
      const response = await request(`/t/${tokens.shipped}`);

      // Assess
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.body).toMatch(/^<!doctype html>\n<html lang="pl">/);
      expect(response.body).toContain('<p class="status-label">Wysłane</p>');
      expect(response.body).toContain('<span class="mono">620123456789012345678901</span>');
      expect(response.body).toContain(
        'href="https://inpost.pl/sledzenie-przesylek?number=620123456789012345678901">Śledź przesyłkę na stronie przewoźnika</a>',
      );
      expect(response.body).not.toMatch(/<script|<link |<iframe|javascript:/i);
      expect(response.headers['content-security-policy']).toBe(
        `default-src 'none'; style-src ${inlineStyleHash(response.body)}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      );
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers.etag).toBeDefined();
    });

    it('tells a customer with a held order what to confirm and how to reach the shop', async () => {
      // Act
      const polish = (await request(`/t/${tokens.held}`)).body;
      const english = (await request(`/t/${tokens.held}`, { query: 'lang=en' })).body;

      // Assess
      expect(polish).toContain('<h2 id="hold-heading">Potrzebujemy Twojego potwierdzenia</h2>');
      expect(polish).toContain('Prosimy o potwierdzenie treści graweru: „Dla Babci – 80 lat”.');
      expect(polish).toContain('Termin upływa za 1 dzień.');
      expect(polish).toContain('<a href="tel:+48123456789">+48 12 345 67 89</a>');
      expect(polish).toContain('<a href="mailto:pracownia@podebem.example.pl">');
      expect(english).toMatch(/^<!doctype html>\n<html lang="en">/);
      expect(english).toContain('<h2 id="hold-heading">We need your confirmation</h2>');
      expect(english).toContain('That is in 1 day.');
      expect(english).toContain('<a href="?lang=pl" lang="pl" hreflang="pl">Polski</a>');
      expect(english).toContain('aria-current="page">English</a>');
    });

    it('escapes whatever the shop sent, so no markup from an event reaches the page', async () => {
      // Prepare
      const ref = REFS.injected;
      const events = eventsUntil(ref, 'engravingHold', 'Order Accepted');
      const hold = toEvent('Order On Hold', {
        ...exampleDetails(ref)['Order On Hold'],
        occurredAt: '2026-11-20T09:15:00.000Z',
        toConfirm: '<script>alert(1)</script><img src=x onerror="alert(2)"> & \'quotes\'',
      });
      const token = await seedOrder(repository, [...events, hold]);

      // Act
      const page = (await request(`/t/${token}`)).body;

      // Assess
      expect(page).toContain(
        '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt; &amp; &#39;quotes&#39;',
      );
      expect(page).not.toMatch(/<script|<img src=x/);
    });

    it('allows the shop’s logo by its origin, and nothing else', async () => {
      // Prepare
      const handler = makeHandler({
        shop: shopConfig({
          brand: { primaryColor: '#2e5e3a', logoUrl: 'https://cdn.podebem.example.pl/logo.svg' },
        }),
      });

      // Act
      const response = await request(`/t/${tokens.shipped}`, {}, handler);

      // Assess
      expect(response.body).toContain(
        '<img class="logo" src="https://cdn.podebem.example.pl/logo.svg" alt="Sklep Pod Dębem"',
      );
      expect(response.headers['content-security-policy']).toContain(
        'img-src https://cdn.podebem.example.pl;',
      );
    });

    it('shows prices only when the shop enables them', async () => {
      // Prepare
      const showing = makeHandler({
        shop: shopConfig({ statusPage: { ...SHOP_INPUT.statusPage, showPrices: true } }),
      });

      // Act
      const hidden = (await request(`/t/${tokens.shipped}`)).body;
      const shown = (await request(`/t/${tokens.shipped}`, {}, showing)).body;

      // Assess
      expect(hidden).not.toMatch(/\d\szł/);
      expect(shown).toMatch(/<strong>115,97\szł<\/strong>/);
    });
  });

  it('never shows the customer’s surname, full contacts, notes or personalisation', async () => {
    for (const token of [tokens.shipped, tokens.delivered, tokens.cancelled]) {
      for (const path of [`/v1/orders/${token}`, `/t/${token}`]) {
        for (const query of ['lang=pl', 'lang=en']) {
          // Act
          const { body } = await request(path, { query });

          // Assess
          for (const secret of CUSTOMER_SECRETS) expect(body, `${path}?${query}`).not.toContain(secret);
          expect(body).toContain('z***@example.pl');
        }
      }
    }
  });

  describe('tokens that lead nowhere', () => {
    const misses = () => ({
      unknown: generateTrackingToken(),
      malformed: 'not-a-token',
      tooLong: `${generateTrackingToken()}x`,
      injection: "x'%20OR%201=1--",
      erased: tokens.erased,
      otherShop: tokens.otherShop,
    });

    it.each(['/v1/orders/', '/t/'])('answer %s identically, whatever was wrong', async (prefix) => {
      // Act
      const responses: Record<string, HttpResponse> = {};
      const reads: Record<string, string[]> = {};
      for (const [name, token] of Object.entries(misses())) {
        commands = [];
        responses[name] = await request(`${prefix}${token}`);
        reads[name] = commands.filter((command) => command !== 'UpdateItemCommand');
      }

      // Assess
      const [first, ...others] = Object.values(responses);
      expect(first?.statusCode).toBe(404);
      expect(first?.headers['cache-control']).toBe('no-store');
      for (const other of others) expect(other).toEqual(first);
      if (prefix === '/v1/orders/') {
        expect(jsonOf(first as HttpResponse)).toEqual({ error: 'not_found', message: NOT_FOUND_MESSAGE });
      } else {
        expect(first?.body).toContain('<h1>Nie znaleźliśmy tego zamówienia</h1>');
      }
      // unknown, malformed and erased tokens cost the same: one index query
      for (const name of ['unknown', 'malformed', 'tooLong', 'injection', 'erased']) {
        expect(reads[name], name).toEqual(['QueryCommand']);
      }
    });

    it('logs a warning naming the shop when an order’s shop is not configured', async () => {
      // Act
      await request(`/v1/orders/${tokens.otherShop}`);

      // Assess
      const warning = logs
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((line) => line.level === 'WARN');
      expect(warning).toMatchObject({
        message: 'order of a shop that is not configured; answered as not found',
        shopId: 'sklep-bez-konfiguracji',
      });
    });
  });

  describe('POST /v1/lookup', () => {
    const details = (overrides: Record<string, unknown> = {}) => ({
      shopId: SHOP_ID,
      orderNumber: REFS.shipped.orderNumber,
      contact: 'zofia.wasowska@example.pl',
      ...overrides,
    });

    it.each([
      ['the e-mail in another case', 'Zofia.Wasowska@EXAMPLE.pl'],
      ['the phone without the country code', '601-234-567'],
      ['the phone with the 00 prefix', '0048 601 234 567'],
      ['the phone as on the order', '+48 601 234 567'],
    ])('gives the tracking link for %s', async (_name, contact) => {
      // Act
      const response = await lookup(details({ contact }));

      // Assess
      expect(response.statusCode).toBe(200);
      expect(jsonOf(response)).toEqual({
        trackingUrl: `https://status.podebem.example.pl/t/${tokens.shipped}`,
      });
      expect(response.headers['cache-control']).toBe('no-store');
    });

    it('accepts a base64-encoded body, as API Gateway passes some', async () => {
      // Act
      const response = await lookup('', {
        body: Buffer.from(JSON.stringify(details())).toString('base64'),
        isBase64Encoded: true,
      });

      // Assess
      expect(response.statusCode).toBe(200);
    });

    it('answers every mismatch the same way, after the same reads', async () => {
      // Prepare
      const cases = {
        'unknown shop': details({ shopId: 'inny-sklep' }),
        'unknown order number': details({ orderNumber: 'ZAM/2026/11/9999' }),
        'wrong e-mail': details({ contact: 'someone@example.pl' }),
        'wrong phone': details({ contact: '+48 601 234 568' }),
        'too few digits': details({ contact: '234 567 000' }),
        'an order not yet placed': details({ orderNumber: REFS.awaitingPlacement.orderNumber }),
      };
      commands = [];
      await lookup(details());
      const successReads = [...commands];

      // Act
      const responses: HttpResponse[] = [];
      for (const [name, body] of Object.entries(cases)) {
        commands = [];
        responses.push(await lookup(body));
        expect(commands, name).toEqual(successReads);
      }

      // Assess
      // the client's counter, the order number's claim, the small projection, the order number's counter
      expect(successReads).toEqual([
        'UpdateItemCommand',
        'GetItemCommand',
        'GetItemCommand',
        'UpdateItemCommand',
      ]);
      for (const response of responses) {
        expect(response.statusCode).toBe(404);
        expect(response.body).toBe(JSON.stringify({ error: 'not_found', message: NOT_FOUND_MESSAGE }));
        expect(response.headers).toEqual(responses[0]?.headers);
      }
    });

    it.each<[string, Partial<RequestOptions>, number, string]>([
      ['no content type', { headers: {} }, 415, 'content-type: expected application/json'],
      [
        'a form',
        { headers: { 'content-type': 'application/x-www-form-urlencoded' } },
        415,
        'content-type: expected application/json',
      ],
      [
        'another charset',
        { headers: { 'content-type': 'application/json; charset=iso-8859-2' } },
        415,
        'content-type: the body must be encoded as utf-8',
      ],
      ['an empty body', { body: '' }, 400, 'body: is empty; expected a JSON object'],
      ['broken JSON', { body: '{"shopId": ' }, 400, 'body: is not valid JSON'],
      ['a JSON array', { body: '[]' }, 400, 'body: expected a JSON object'],
      [
        'bytes that are not UTF-8',
        { body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64'), isBase64Encoded: true },
        400,
        'body: is not valid UTF-8',
      ],
      [
        'an oversized body',
        { body: JSON.stringify({ shopId: 'x'.repeat(5000) }) },
        413,
        'body: must be at most 4096 bytes',
      ],
      ['a GET', { method: 'GET' }, 405, 'method GET is not allowed here; use POST'],
    ])('refuses %s with a clear message', async (_name, options, status, message) => {
      // Act
      const response = await lookup(details(), options);

      // Assess
      expect(response.statusCode).toBe(status);
      expect(jsonOf(response).message).toBe(message);
      expect(commands).toEqual([]);
    });

    it.each([
      [{ shopId: undefined }, 'shopId: is required'],
      [{ shopId: "x' OR '1'='1" }, 'shopId: use lower-case letters, digits and - only'],
      [{ orderNumber: '   ' }, 'orderNumber: must not be empty'],
      [{ contact: 'Zofia' }, 'contact: expected the e-mail address or phone number given with the order'],
      [{ contact: 12 }, 'contact: expected a string'],
      [{ admin: true }, 'body: unknown field(s): admin'],
    ])('names the field that is wrong (%j)', async (change, message) => {
      // Act
      const response = await lookup(details(change));

      // Assess
      expect(response.statusCode).toBe(400);
      expect(jsonOf(response)).toEqual({ error: 'bad_request', message });
      expect(response.body).not.toContain("'1'='1");
    });
  });

  describe('rate limits', () => {
    const limited = () =>
      makeHandler({
        rateLimits: { lookup: { limit: 3, windowSeconds: 60 }, token: { limit: 5, windowSeconds: 300 } },
      });

    it('answers 429 with Retry-After once a client has used its lookups, and only that client', async () => {
      // Prepare
      const handler = limited();
      const attempt = (sourceIp = ip) =>
        lookup(
          { shopId: SHOP_ID, orderNumber: 'ZAM/2026/11/0001', contact: 'guess@example.pl' },
          { sourceIp },
          handler,
        );

      // Act
      const allowed = [await attempt(), await attempt(), await attempt()];
      const refused = await attempt();
      const otherClient = await attempt(freshIp());

      // Assess: NOW is 20 s into its minute
      expect(allowed.map((response) => response.statusCode)).toEqual([404, 404, 404]);
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['retry-after']).toBe('40');
      expect(refused.headers['cache-control']).toBe('no-store');
      expect(jsonOf(refused)).toEqual({
        error: 'too_many_requests',
        message: 'too many requests; try again in 40 seconds',
      });
      expect(otherClient.statusCode).toBe(404);
    });

    it('limits the token routes together, with a page for the browser', async () => {
      // Prepare
      const handler = limited();
      for (let i = 0; i < 3; i++) await request(`/v1/orders/${tokens.shipped}`, {}, handler);
      for (let i = 0; i < 2; i++) await request(`/t/${tokens.shipped}`, {}, handler);

      // Act
      const json = await request(`/v1/orders/${tokens.shipped}`, {}, handler);
      const page = await request(`/t/${tokens.shipped}`, {}, handler);

      // Assess: NOW is 20 s into its five-minute window
      expect(json.statusCode).toBe(429);
      expect(json.headers['retry-after']).toBe('280');
      expect(page.statusCode).toBe(429);
      expect(page.body).toContain('<h1>Zbyt wiele zapytań</h1>');
      expect(page.headers['retry-after']).toBe('280');
    });
  });

  describe('failures', () => {
    const broken = () =>
      makeHandler({
        orders: {
          load: () => Promise.reject(new Error('ProvisionedThroughputExceeded: secret detail')),
          findByTrackingToken: () =>
            Promise.reject(new Error('ProvisionedThroughputExceeded: secret detail')),
          findByOrderNumber: () => Promise.reject(new Error('ProvisionedThroughputExceeded: secret detail')),
          loadLookupFields: () => Promise.reject(new Error('ProvisionedThroughputExceeded: secret detail')),
        },
      });

    it('answers an unexpected error with a generic 500 and logs it in full', async () => {
      // Act
      const json = await request(`/v1/orders/${tokens.shipped}`, {}, broken());
      const page = await request(`/t/${tokens.shipped}`, { query: 'lang=en' }, broken());

      // Assess
      expect(json.statusCode).toBe(500);
      expect(jsonOf(json)).toEqual({
        error: 'internal_error',
        message: 'Something went wrong on our side; please try again later.',
      });
      expect(page.statusCode).toBe(500);
      expect(page.body).toContain('<h1>Something went wrong</h1>');
      for (const body of [json.body, page.body])
        expect(body).not.toMatch(/secret detail|Provisioned|at .*\.ts/);
      const errors = logs.filter((line) => line.includes('"level":"ERROR"'));
      expect(errors).toHaveLength(2);
      expect(errors[0]).toContain('ProvisionedThroughputExceeded: secret detail');
    });

    it('keeps every token out of the logs, logging a short hash instead', async () => {
      // Prepare
      const loud = makeHandler({ logger: new Logger({ serviceName: 'order-status-api', logLevel: 'INFO' }) });

      // Act
      await request(`/v1/orders/${tokens.shipped}`, {}, loud);
      await request(`/t/${tokens.held}`, {}, loud);
      await request(`/t/${tokens.otherShop}`, {}, loud);
      await request('/v1/orders/not-a-token', {}, loud);
      await request(`/v1/orders/${tokens.shipped}`, {}, broken());

      // Assess
      const output = logs.join('');
      expect(output).toContain('"route":"order_json"');
      expect(output).toContain(
        `"tokenHash":"${createHash('sha256').update(tokens.shipped).digest('hex').slice(0, 12)}"`,
      );
      for (const token of [tokens.shipped, tokens.held, tokens.otherShop])
        expect(output).not.toContain(token);
      for (const secret of CUSTOMER_SECRETS) expect(output).not.toContain(secret);
    });

    it('answers any request with a 4xx or a 2xx/3xx, never a 5xx', async () => {
      // Prepare
      const handler = makeHandler();
      const segment = fc.oneof(
        fc.constantFrom('v1', 'orders', 't', 'lookup', tokens.shipped, '..', '%00', '%2F', ''),
        fc.string({ maxLength: 40 }),
        fc.string({ unit: 'binary', maxLength: 20 }),
      );
      const path = fc.array(segment, { maxLength: 4 }).map((parts) => `/${parts.join('/')}`);
      const headers = fc.dictionary(
        fc.constantFrom('content-type', 'accept-language', 'if-none-match', 'x-anything'),
        fc.oneof(
          fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/html', 'pl;q=abc'),
          fc.string({ maxLength: 60 }),
        ),
      );
      const body = fc.oneof(
        fc.constant(undefined),
        fc.string({ maxLength: 200 }),
        fc.json({ maxDepth: 3 }),
        fc
          .record({ shopId: fc.string(), orderNumber: fc.string(), contact: fc.string() })
          .map((value) => JSON.stringify(value)),
      );

      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS'),
          path,
          fc.string({ maxLength: 80 }),
          headers,
          body,
          fc.boolean(),
          async (method, rawPath, query, headerValues, text, base64) => {
            // Act
            const response = (await handler(
              {
                ...apiEvent(rawPath, {
                  method,
                  query,
                  headers: headerValues,
                  body: text,
                  isBase64Encoded: base64,
                  sourceIp: ip,
                }),
              } satisfies APIGatewayProxyEventV2,
              lambdaContext('status-api'),
            )) as HttpResponse;

            // Assess
            expect(response.statusCode).toBeLessThan(500);
            expect(response.headers['content-security-policy']).toMatch(/^default-src 'none'/);
            if (method === 'HEAD') expect(response.body).toBe('');
            else if (
              response.statusCode >= 400 &&
              response.headers['content-type']?.startsWith('application/json')
            ) {
              expect(jsonOf(response)).toEqual({ error: expect.any(String), message: expect.any(String) });
            }
          },
        ),
        { numRuns: 150 },
      );
    });
  });

  describe('lookup budget per order number', () => {
    const details = (overrides: Record<string, unknown> = {}) => ({
      shopId: SHOP_ID,
      orderNumber: REFS.shipped.orderNumber,
      contact: 'zofia.wasowska@example.pl',
      ...overrides,
    });
    let run = 0;
    /** A handler whose windows no earlier run has used, with a per-order budget of `limit`. */
    const budgeted = (limit: number, clientLimit = 1000) => {
      run += 1;
      const clock = { now: () => new Date(NOW.getTime() + run * 7_200_000) };
      return makeHandler({
        clock,
        rateLimiter: new DynamoDbRateLimiter(table.documents, table.tableName, SALT, clock),
        rateLimits: {
          lookup: { limit: clientLimit, windowSeconds: 3600 },
          lookupPerOrder: { limit, windowSeconds: 3600 },
          token: { limit: 1000, windowSeconds: 3600 },
        },
      });
    };
    const address = fc.oneof(
      fc.ipV4(),
      fc.ipV6().filter((value) => !value.includes('.')),
      fc.ipV4().map((value) => `::ffff:${value}`),
    );

    it('answers no more failed guesses per order than its budget, from any number of addresses, then 429 for everyone', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 4 }),
          fc.array(address, { minLength: 1, maxLength: 8 }),
          fc.boolean(),
          async (limit, addresses, known) => {
            // Prepare: a real order number, or one no order has
            const handler = budgeted(limit);
            const orderNumber = known ? REFS.shipped.orderNumber : `ZAM/2099/${run}`;
            const guess = (i: number) =>
              lookup(
                { shopId: SHOP_ID, orderNumber, contact: `+48 600 000 ${String(i).padStart(3, '0')}` },
                { sourceIp: addresses[i % addresses.length] },
                handler,
              );

            // Act
            const guesses: HttpResponse[] = [];
            for (let i = 0; i < limit + 2; i++) guesses.push(await guess(i));
            const rightContact = await lookup(details({ orderNumber }), { sourceIp: freshIp() }, handler);
            const otherOrder = await lookup(details({ orderNumber: REFS.held.orderNumber }), {}, handler);

            // Assess: the same answers whether or not the order exists, and the right contact is refused too
            expect(guesses.map((response) => response.statusCode)).toEqual([
              ...Array<number>(limit).fill(404),
              429,
              429,
            ]);
            expect(rightContact.statusCode).toBe(429);
            expect(rightContact.body).toBe(guesses[limit]?.body);
            expect(rightContact.headers).toEqual(guesses[limit]?.headers);
            expect(Number(rightContact.headers['retry-after'])).toBeGreaterThan(0);
            expect(otherOrder.statusCode).toBe(200);
          },
        ),
        { numRuns: 12 },
      );
    });

    it('answers every lookup no sooner than the configured floor, whatever matched', async () => {
      // Prepare
      const floorMs = 120;
      const handler = makeHandler({ lookupMinResponseMs: floorMs });
      const timed = async (body: unknown) => {
        const started = performance.now();
        const response = await lookup(body, {}, handler);
        return { status: response.statusCode, ms: performance.now() - started };
      };

      // Act
      const answers = [
        await timed(details()),
        await timed(details({ contact: 'someone@example.pl' })),
        await timed(details({ orderNumber: 'ZAM/2099/01/0001' })),
      ];

      // Assess
      expect(answers.map((answer) => answer.status)).toEqual([200, 404, 404]);
      for (const answer of answers) expect(answer.ms).toBeGreaterThanOrEqual(floorMs - 1);
    });

    it('does not count a lookup that found the order', async () => {
      // Prepare
      const handler = budgeted(2);
      const wrong = () => lookup(details({ contact: 'someone@example.pl' }), {}, handler);

      // Act
      const statuses = [
        (await wrong()).statusCode,
        (await lookup(details(), {}, handler)).statusCode,
        (await lookup(details(), {}, handler)).statusCode,
        (await wrong()).statusCode,
        (await lookup(details(), {}, handler)).statusCode,
      ];

      // Assess
      expect(statuses).toEqual([404, 200, 200, 404, 429]);
    });

    it('counts every address of one IPv6 /64 as one client, and an IPv4-mapped address as its IPv4', async () => {
      await fc.assert(
        fc.asyncProperty(
          // a global unicast prefix (2000::/3), so no address of it is an IPv4-mapped one
          fc
            .array(fc.integer({ min: 0, max: 0xffff }), { minLength: 4, maxLength: 4 })
            .map(([first = 0, ...rest]) => [0x2000 | (first & 0x1fff), ...rest]),
          fc.array(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 4, maxLength: 4 }), {
            minLength: 4,
            maxLength: 4,
          }),
          async (prefix, interfaces) => {
            // Prepare: three lookups per client
            const handler = budgeted(1000, 3);
            const hex = (groups: number[]) => groups.map((group) => group.toString(16)).join(':');
            const ask = (sourceIp: string) =>
              lookup(details({ contact: 'x@example.pl' }), { sourceIp }, handler);
            const v4 = `198.18.${run % 256}.${(run * 7) % 256}`;

            // Act
            const sameNetwork = [];
            for (const suffix of interfaces)
              sameNetwork.push((await ask(hex([...prefix, ...suffix]))).statusCode);
            const otherNetwork = await ask(hex([(prefix[0] ?? 0) ^ 1, ...prefix.slice(1), 0, 0, 0, 1]));
            const ipv4 = [await ask(v4), await ask(`::ffff:${v4}`), await ask(v4), await ask(`::FFFF:${v4}`)];

            // Assess
            expect(sameNetwork).toEqual([404, 404, 404, 429]);
            expect(otherNetwork.statusCode).toBe(404);
            expect(ipv4.map((response) => response.statusCode)).toEqual([404, 404, 404, 429]);
          },
        ),
        { numRuns: 8 },
      );
    });
  });

  describe('methods', () => {
    it('answers HEAD on every GET route like GET, without a body', async () => {
      for (const path of [
        `/v1/orders/${tokens.shipped}`,
        `/t/${tokens.held}`,
        '/v1/orders/unknown',
        '/t/x',
      ]) {
        // Act
        const get = await request(path);
        const head = await request(path, { method: 'HEAD' });

        // Assess
        expect(head.statusCode, path).toBe(get.statusCode);
        expect(head.headers, path).toEqual(get.headers);
        expect(head.body, path).toBe('');
      }
    });

    it('says which methods a route takes when it refuses one', async () => {
      // Act
      const onToken = await Promise.all(
        ['POST', 'PUT', 'DELETE', 'PATCH'].map((method) =>
          request(`/v1/orders/${tokens.shipped}`, { method }),
        ),
      );
      const onPage = await request(`/t/${tokens.shipped}`, { method: 'DELETE' });
      const onLookup = await Promise.all(
        ['GET', 'HEAD', 'PUT'].map((method) => request('/v1/lookup', { method })),
      );

      // Assess
      for (const response of [...onToken, onPage]) {
        expect(response.statusCode).toBe(405);
        expect(response.headers.allow).toBe('GET, HEAD');
      }
      expect(onPage.body).toContain('<h1>');
      for (const response of onLookup) {
        expect(response.statusCode).toBe(405);
        expect(response.headers.allow).toBe('POST');
      }
    });
  });

  describe('an unavailable store', () => {
    let frozen: FrozenEndpoint;
    beforeAll(async () => {
      frozen = await startFrozenEndpoint();
    });
    afterAll(async () => {
      await frozen.close();
    });

    it('answers 503 with Retry-After within the function timeout when DynamoDB stops answering', async () => {
      // Prepare: the production client settings for a 4-second function, pointed at a frozen endpoint
      const functionTimeoutSeconds = 4;
      const client = new DynamoDBClient({
        ...sdkClientConfig('status-api', { FUNCTION_TIMEOUT_SECONDS: String(functionTimeoutSeconds) }),
        endpoint: frozen.url,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
      });
      const documents = documentClient(client);
      const clock = { now: () => NOW };
      const handler = makeHandler({
        orders: new DynamoDbOrderRepository(documents, table.tableName),
        notifications: new DynamoDbNotificationLog(documents, table.tableName),
        rateLimiter: new DynamoDbRateLimiter(documents, table.tableName, SALT, clock),
      });
      const started = Date.now();

      // Act
      const [json, page, found] = await Promise.all([
        request(`/v1/orders/${tokens.shipped}`, {}, handler),
        request(`/t/${tokens.shipped}`, { query: 'lang=en' }, handler),
        lookup(
          { shopId: SHOP_ID, orderNumber: REFS.shipped.orderNumber, contact: 'a@example.pl' },
          {},
          handler,
        ),
      ]);
      const elapsed = Date.now() - started;
      client.destroy();

      // Assess
      expect(elapsed).toBeLessThan(functionTimeoutSeconds * 1000);
      for (const response of [json, page, found]) {
        expect(response.statusCode).toBe(503);
        expect(response.headers['retry-after']).toBe('5');
        expect(response.headers['cache-control']).toBe('no-store');
        expect(response.body).not.toMatch(/Timeout|smithy|at .*\.[jt]s/);
      }
      expect(jsonOf(json)).toEqual({
        error: 'service_unavailable',
        message: 'temporarily unavailable; try again in 5 seconds',
      });
      expect(page.body).toContain('<h1>Something went wrong</h1>');
    }, 15_000);

    it('answers 503 when DynamoDB throttles, and 500 for anything else', async () => {
      // Prepare
      const failing = (name: string) => () => Promise.reject(Object.assign(new Error('detail'), { name }));
      const handlerFailingWith = (name: string) =>
        makeHandler({
          orders: {
            load: failing(name),
            findByTrackingToken: failing(name),
            findByOrderNumber: failing(name),
            loadLookupFields: failing(name),
          },
        });

      // Act
      const throttled = await request(
        `/v1/orders/${tokens.shipped}`,
        {},
        handlerFailingWith('ProvisionedThroughputExceededException'),
      );
      const bug = await request(`/v1/orders/${tokens.shipped}`, {}, handlerFailingWith('TypeError'));

      // Assess
      expect(throttled.statusCode).toBe(503);
      expect(throttled.headers['retry-after']).toBe('5');
      expect(bug.statusCode).toBe(500);
      expect(bug.headers['retry-after']).toBeUndefined();
    });
  });
});
