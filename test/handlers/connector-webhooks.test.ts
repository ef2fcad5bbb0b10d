/**
 * The webhook route's handler with in-memory ports: what each kind of delivery answers, what reaches the
 * bus and the dead letters, and what the logs hold.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  phpJson,
  WOO_PING_BODY,
  wooHeaders,
  wooOrder,
  wooOrderShipped,
} from '../../fixtures/woocommerce/index.js';
import type { DeadLetter } from '../../functions/adapters/sqs-dead-letters.js';
import { makeWebhookHandler } from '../../functions/connector-webhooks/webhooks.js';
import type { ConnectorEvent } from '../../functions/domain/connectors/ports.js';
import type { StoredOrderFacts } from '../../functions/domain/connectors/woocommerce.js';
import { parseShopConfig, type ShopConfig } from '../../functions/domain/shop-config.js';
import { type ShopState, staticShopDirectory } from '../../functions/domain/shop-registry.js';

const SECRET = 'wc-webhook-secret-0123456789';
const SHOP = 'sklep-pod-debem';

const shopWith = (connectors?: unknown): ShopConfig =>
  parseShopConfig({
    shopId: SHOP,
    name: 'Sklep Pod Dębem',
    statusPage: { baseUrl: 'https://status.podebem.example.pl' },
    ...(connectors ? { connectors } : {}),
  });

interface Harness {
  handle(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2>;
  readonly published: { source: string; events: readonly ConnectorEvent[] }[];
  readonly deadLetters: DeadLetter[];
  readonly logs: string[];
  readonly stored: Map<string, StoredOrderFacts>;
  failBus: boolean;
  failDeadLetters: boolean;
}

const harness = (
  options: { shop?: ShopConfig; state?: ShopState; secret?: string | undefined } = {},
): Harness => {
  const logs: string[] = [];
  const logger = new Logger({ serviceName: 'platform-connectors', logLevel: 'INFO' });
  for (const level of ['info', 'warn', 'error'] as const) {
    vi.spyOn(logger, level).mockImplementation((...args: unknown[]) => {
      logs.push(JSON.stringify(args));
    });
  }
  const stored = new Map<string, StoredOrderFacts>();
  const h: Harness = {
    published: [],
    deadLetters: [],
    logs,
    stored,
    failBus: false,
    failDeadLetters: false,
    handle: async () => {
      throw new Error('replaced below');
    },
  };
  const secret = 'secret' in options ? options.secret : SECRET;
  const handler = makeWebhookHandler({
    shops: staticShopDirectory([options.shop ?? shopWith({ woocommerce: {} })], options.state ?? 'active'),
    secrets: { keys: async () => (secret ? { current: secret, previous: [] } : undefined) },
    orders: { loadConnectorFacts: async ({ orderId }) => stored.get(orderId) },
    bus: {
      put: async (source, events) => {
        if (h.failBus) throw new Error('EventBridge did not take 1 of 3 events: InternalFailure');
        h.published.push({ source, events });
      },
    },
    deadLetters: {
      send: async (letter) => {
        if (h.failDeadLetters) throw new Error('SQS is down');
        h.deadLetters.push(letter);
      },
    },
    logger,
    clock: { now: () => new Date('2026-12-03T12:00:00Z') },
  });
  h.handle = handler;
  return h;
};

const request = (
  body: string,
  headers: Record<string, string>,
  options: { path?: string; method?: string; base64?: boolean } = {},
): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: 'POST /v1/webhooks/{platform}/{shopId}',
    rawPath: options.path ?? `/v1/webhooks/woocommerce/${SHOP}`,
    rawQueryString: '',
    headers,
    requestContext: {
      http: { method: options.method ?? 'POST', path: options.path ?? '', sourceIp: '203.0.113.9' },
    },
    body: options.base64 ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: options.base64 ?? false,
  }) as unknown as APIGatewayProxyEventV2;

const signed = (payload: unknown, topic = 'order.created', secret = SECRET) => {
  const body = phpJson(payload);
  return request(body, wooHeaders(body, secret, topic));
};

const bodyOf = (response: APIGatewayProxyStructuredResultV2) => JSON.parse(String(response.body));

let h: Harness;
beforeEach(() => {
  h = harness();
});

describe('the WooCommerce webhook route', () => {
  it('puts a signed new order on the bus under the connector’s source: placement, payment, acceptance', async () => {
    const response = await h.handle(signed(wooOrder()));

    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toMatchObject({ result: 'accepted', events: 3 });
    expect(h.published).toHaveLength(1);
    expect(h.published[0]?.source).toBe('order-notifications.connector.woocommerce');
    expect(h.published[0]?.events.map((event) => event.detailType)).toEqual([
      'Order Placed',
      'Payment Received',
      'Order Accepted',
    ]);
    expect(h.deadLetters).toEqual([]);
  });

  it('takes a base64 body (API Gateway sends one for other content types) byte for byte', async () => {
    const body = phpJson(wooOrder());
    const response = await h.handle(
      request(body, wooHeaders(body, SECRET, 'order.created'), { base64: true }),
    );
    expect(bodyOf(response)).toMatchObject({ result: 'accepted' });
  });

  it('answers the creation ping with 200 and stores nothing', async () => {
    const response = await h.handle(
      request(WOO_PING_BODY, { 'content-type': 'application/x-www-form-urlencoded' }),
    );
    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toEqual({ result: 'ping' });
    expect(h.published).toEqual([]);
  });

  it('refuses a bad or missing signature with 401 before parsing, and logs no body', async () => {
    const body = phpJson(wooOrder());
    for (const headers of [
      wooHeaders(body, 'another-secret-0123456789'),
      { ...wooHeaders(body, SECRET), 'x-wc-webhook-signature': '' },
      Object.fromEntries(
        Object.entries(wooHeaders(body, SECRET)).filter(([name]) => name !== 'x-wc-webhook-signature'),
      ),
    ]) {
      const response = await h.handle(request(body, headers));
      expect(response.statusCode).toBe(401);
    }
    // A body signed for another one.
    const response = await h.handle(
      request(phpJson({ ...wooOrder(), total: '0.01' }), wooHeaders(body, SECRET)),
    );
    expect(response.statusCode).toBe(401);
    expect(h.published).toEqual([]);
    expect(h.deadLetters).toEqual([]);
    expect(h.logs.join('\n')).not.toMatch(/anna|kowalska|601 234|Krak/i);
    expect(h.logs.filter((line) => line.includes('"unauthorized"'))).toHaveLength(4);
  });

  it('404s a shop without the connector, an unknown or deleted shop, and other paths; 405 other methods', async () => {
    const body = phpJson(wooOrder());
    const headers = wooHeaders(body, SECRET);
    expect((await harness({ shop: shopWith() }).handle(request(body, headers))).statusCode).toBe(404);
    expect((await harness({ state: 'deleted' }).handle(request(body, headers))).statusCode).toBe(404);
    for (const path of [
      '/v1/webhooks/woocommerce/sklep-inny',
      '/v1/webhooks/shopify/sklep-pod-debem',
      '/v1/webhooks/woocommerce/__proto__',
      '/v1/webhooks/woocommerce/Sklep',
      '/v1/webhooks/woocommerce/sklep-pod-debem/extra',
    ]) {
      expect((await h.handle(request(body, headers, { path }))).statusCode, path).toBe(404);
    }
    const get = await h.handle(request('', {}, { method: 'GET' }));
    expect(get.statusCode).toBe(405);
    expect(get.headers).toMatchObject({ allow: 'POST' });
  });

  it('a suspended shop’s deliveries still go to the ingest, which dead-letters them with the reason', async () => {
    const suspended = harness({ state: 'suspended' });
    expect(bodyOf(await suspended.handle(signed(wooOrder())))).toMatchObject({ result: 'accepted' });
  });

  it('503s when the shop’s secret is not set up, without trying the signature', async () => {
    const response = await harness({ secret: undefined }).handle(signed(wooOrder()));
    expect(response.statusCode).toBe(503);
  });

  it('counts and ignores topics that are not order changes', async () => {
    for (const topic of ['order.deleted', 'product.updated', 'action.woocommerce_add_to_cart', 'nonsense']) {
      const response = await h.handle(signed(wooOrder(), topic));
      expect(response.statusCode).toBe(200);
      expect(bodyOf(response)).toMatchObject({ result: 'ignored' });
    }
    expect(h.published).toEqual([]);
    expect(h.logs.filter((line) => line.includes('"ignored"'))).toHaveLength(4);
  });

  it('dead-letters what it cannot translate with the WooCommerce field named, and answers 200', async () => {
    const response = await h.handle(signed({ ...wooOrder(), status: 'completed' }, 'order.updated'));

    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toMatchObject({ result: 'dead-lettered' });
    expect(h.deadLetters).toHaveLength(1);
    const [letter] = h.deadLetters;
    expect(letter?.reason).toMatch(
      /^WooCommerce delivery for shop sklep-pod-debem cannot be translated: meta_data\._wc_shipment_tracking_items: /,
    );
    expect(letter?.errorType).toBe('UntranslatableDeliveryError');
    // The delivery is kept whole for a resend, with its headers' facts.
    expect(JSON.parse(String(letter?.body))).toMatchObject({
      platform: 'woocommerce',
      shopId: SHOP,
      topic: 'order.updated',
      deliveryId: 'a6d1f0c2b9e84d7f6a5c3e2d1b0f9e8d',
      receivedAt: '2026-12-03T12:00:00.000Z',
    });
    expect(JSON.parse(JSON.parse(String(letter?.body)).payload)).toEqual({
      ...wooOrder(),
      status: 'completed',
    });
    expect(h.published).toEqual([]);
    // The log names the field, not the customer.
    expect(h.logs.join('\n')).toContain('_wc_shipment_tracking_items');
    expect(h.logs.join('\n')).not.toMatch(/anna|kowalska/i);
  });

  it('names the WooCommerce field when the contract refuses what it translated', async () => {
    const billing = { ...(wooOrder().billing as object), email: 'anna(at)example.com' };
    const response = await h.handle(signed({ ...wooOrder(), billing }));
    expect(bodyOf(response)).toMatchObject({
      result: 'dead-lettered',
      reason: expect.stringMatching(/^billing\.email: /),
    });
    expect(await h.handle(signed({ ...wooOrder(), number: 'ZAM\u202E/1' }))).toMatchObject({
      statusCode: 200,
    });
    expect(h.deadLetters.at(-1)?.reason).toContain(': number: ');
  });

  it('dead-letters a signed body that is not JSON', async () => {
    const body = '{"id": 4812,';
    const response = await h.handle(request(body, wooHeaders(body, SECRET)));
    expect(bodyOf(response)).toEqual({ result: 'dead-lettered', reason: 'body: is not JSON' });
  });

  it('a replay of what the store already holds puts nothing on the bus', async () => {
    h.stored.set('4812', {
      status: 'accepted',
      refundIds: [],
      paymentEventIds: ['woocommerce-4812-paid-1796030109'],
    });
    const response = await h.handle(signed(wooOrder(), 'order.updated'));
    expect(bodyOf(response)).toMatchObject({ result: 'unchanged', events: 0 });
    expect(h.published).toEqual([]);
    // The shipment that follows goes on.
    expect(bodyOf(await h.handle(signed(wooOrderShipped(), 'order.updated')))).toMatchObject({
      result: 'accepted',
      types: ['Order Shipped'],
    });
  });

  it('503s when the bus or the dead-letter queue cannot take it, so WooCommerce counts a failure', async () => {
    h.failBus = true;
    const response = await h.handle(signed(wooOrder()));
    expect(response.statusCode).toBe(503);
    expect(bodyOf(response).message).toContain('save the order in WooCommerce again');
    h.failDeadLetters = true;
    expect((await h.handle(signed({ ...wooOrder(), status: 'completed' }))).statusCode).toBe(503);
  });

  it('refuses a body over 1 MiB with 413 before anything else', async () => {
    const response = await h.handle(request('x'.repeat(1024 * 1024 + 1), {}));
    expect(response.statusCode).toBe(413);
  });

  it('503s, not a bare 500, when the registry or the store does not answer', async () => {
    const logger = new Logger({ serviceName: 'platform-connectors', logLevel: 'SILENT' });
    const failing = (where: 'shops' | 'orders') =>
      makeWebhookHandler({
        shops:
          where === 'shops'
            ? { get: () => Promise.reject(Object.assign(new Error('timeout'), { name: 'TimeoutError' })) }
            : staticShopDirectory([shopWith({ woocommerce: {} })]),
        secrets: { keys: async () => ({ current: SECRET, previous: [] }) },
        orders: {
          loadConnectorFacts: () =>
            Promise.reject(Object.assign(new Error('x'), { name: 'ProvisionedThroughputExceededException' })),
        },
        bus: { put: async () => undefined },
        deadLetters: { send: async () => undefined },
        logger,
      });
    for (const where of ['shops', 'orders'] as const) {
      const response = await failing(where)(signed(wooOrder()));
      expect(response.statusCode, where).toBe(503);
      expect(bodyOf(response).message).toContain('save the order in WooCommerce again');
    }
  });
});
