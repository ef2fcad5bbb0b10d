/**
 * The WooCommerce connector end to end on the local stack: a delivery signed as WooCommerce signs it goes
 * to the webhook route, through the bus and the same ingest as any producer's event, into the order's
 * timeline, out as the customer's e-mail, and onto the tracking page. Bad signatures, replays, unknown
 * topics and untranslatable deliveries end where docs/connectors.md says.
 */
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  phpJson,
  trackingMeta,
  WOO_PING_BODY,
  wooHeaders,
  wooOrder,
  wooOrderLater,
  wooOrderShipped,
} from '../../fixtures/woocommerce/index.js';
import { documentClient } from '../../functions/adapters/aws-clients.js';
import { DynamoDbOrderRepository } from '../../functions/adapters/dynamodb-order-repository.js';
import { runWooCommerceDemo } from '../../local/demo-woocommerce.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { localWebhookSecret } from '../../local/stack-services.js';
import { eventually } from '../support/eventually.js';

const SHOP = 'sklep-woo';
const SECRET = localWebhookSecret(SHOP);

let stack: LocalStack;
let orders: DynamoDbOrderRepository;
let dir: string;

const post = async (body: string, headers: Record<string, string>, shopId = SHOP) => {
  const response = await fetch(`${stack.urls.api}/v1/webhooks/woocommerce/${shopId}`, {
    method: 'POST',
    headers,
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const deliver = (payload: unknown, topic = 'order.updated', secret = SECRET) => {
  const body = phpJson(payload);
  return post(body, wooHeaders(body, secret, topic));
};

const eventTypes = async (orderId: string) =>
  ((await orders.load({ shopId: SHOP, orderId }))?.events ?? []).map((stored) => stored.event.type);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'connectors-e2e-'));
  const shopsFile = path.join(dir, 'shops.json');
  writeFileSync(
    shopsFile,
    JSON.stringify([
      {
        shopId: SHOP,
        name: 'Sklep Woo',
        statusPage: { baseUrl: 'https://track.sklep-woo.example.pl' },
        email: { from: 'Sklep Woo <zamowienia@sklep-woo.example.pl>' },
        quietHours: null,
        connectors: { woocommerce: { statuses: { packed: 'preparing' } } },
      },
      {
        shopId: 'sklep-bez-woo',
        name: 'Sklep bez Woo',
        statusPage: { baseUrl: 'https://track.sklep-bez-woo.example.pl' },
      },
    ]),
  );
  stack = await startLocalStack({
    dynamoDbEndpoint: inject('dynamoDbEndpoint'),
    tableName: `orders-connectors-e2e-${Date.now()}`,
    shopsFile,
    visibilityTimeoutSeconds: 10,
    shopCacheSeconds: 1,
  });
  orders = new DynamoDbOrderRepository(
    documentClient(
      new DynamoDBClient({
        endpoint: stack.urls.dynamodb,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
      }),
    ),
    stack.tableName,
  );
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('WooCommerce connector on the local stack', () => {
  it('answers the creation ping, and 404s a shop without the connector', async () => {
    const ping = await fetch(`${stack.urls.api}/v1/webhooks/woocommerce/${SHOP}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: WOO_PING_BODY,
    });
    expect(ping.status).toBe(200);
    const body = phpJson(wooOrder());
    expect((await post(body, wooHeaders(body, SECRET), 'sklep-bez-woo')).status).toBe(404);
  });

  it('a new order: stored with its timeline, the customer e-mailed, the tracking page shows it', async () => {
    const response = await deliver(wooOrder(), 'order.created');
    expect(response).toMatchObject({ status: 200, body: { result: 'accepted', events: 3 } });

    await eventually(
      async () => ((await eventTypes('4812')).length === 3 ? true : undefined),
      'three events',
    );
    const snapshot = await orders.load({ shopId: SHOP, orderId: '4812' });
    expect(snapshot?.events.map((stored) => stored.event.type).sort()).toEqual([
      'Order Accepted',
      'Order Placed',
      'Payment Received',
    ]);
    const email = await eventually(
      async () =>
        (await stack.ses.emails()).find((candidate) =>
          candidate.destination.to.includes('anna.kowalska@example.com'),
        ),
      'the customer’s e-mail',
    );
    expect(email.subject).toContain('4812');
    const page = await fetch(`${stack.urls.api}/t/${snapshot?.trackingToken}?lang=pl`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('4812');
    expect(html).toContain('Dzbanek z grawerem');
  });

  it('a replay of the same delivery stores nothing new; the shipment that follows reaches the page', async () => {
    const before = (await orders.load({ shopId: SHOP, orderId: '4812' }))?.version;
    expect(await deliver(wooOrder(), 'order.created')).toMatchObject({
      status: 200,
      body: { result: 'unchanged' },
    });

    const shipped = await deliver(wooOrderShipped());
    expect(shipped).toMatchObject({ status: 200, body: { result: 'accepted', types: ['Order Shipped'] } });
    await eventually(
      async () => ((await eventTypes('4812')).includes('Order Shipped') ? true : undefined),
      'the shipment stored',
    );
    // Sent twice at once (before the first is stored), it is still one event: the ids are the same.
    await Promise.all([deliver(wooOrderShipped()), deliver(wooOrderShipped())]);
    const snapshot = await orders.load({ shopId: SHOP, orderId: '4812' });
    expect(snapshot?.version).toBe((before ?? 0) + 1);
    const html = await (await fetch(`${stack.urls.api}/t/${snapshot?.trackingToken}?lang=pl`)).text();
    expect(html).toContain('0000123456789U');
  });

  it('a bad signature is 401 and nothing of the order is stored', async () => {
    const payload = { ...wooOrder(), id: 4999, number: '4999' };
    const body = phpJson(payload);
    const forged = await post(body, wooHeaders(body, 'not-the-shops-secret-123'));
    expect(forged.status).toBe(401);
    // Signed for a different body.
    const swapped = await post(body, wooHeaders(phpJson(wooOrder()), SECRET));
    expect(swapped.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await orders.load({ shopId: SHOP, orderId: '4999' })).toBeUndefined();
  });

  it('an unknown topic is ignored; an untranslatable delivery is dead-lettered with the field named', async () => {
    expect(await deliver(wooOrder(), 'product.updated')).toMatchObject({
      status: 200,
      body: { result: 'ignored' },
    });

    const noTracking = { ...wooOrderLater({ status: 'completed' }), id: 4813, number: '4813' };
    const response = await deliver(noTracking);
    expect(response).toMatchObject({ status: 200, body: { result: 'dead-lettered' } });
    const letter = await eventually(
      async () =>
        stack.sqs
          .peek('connector-dead-letters')
          .find((message) => message.body.includes('"shopId":"sklep-woo"')),
      'the dead letter',
    );
    expect(letter.messageAttributes.reason?.StringValue).toMatch(
      /^WooCommerce delivery for shop sklep-woo cannot be translated: meta_data\._wc_shipment_tracking_items: status completed means shipped/,
    );
    expect(await orders.load({ shopId: SHOP, orderId: '4813' })).toBeUndefined();
  });

  it('custom statuses and a second parcel follow the shop’s mapping', async () => {
    const packed = await deliver(wooOrderLater({ status: 'packed', meta_data: [] }, '2026-12-01T09:00:00'));
    // The order is shipped already: preparing comes later in WooCommerce, but is old news here.
    expect(packed).toMatchObject({ status: 200, body: { result: 'accepted', types: ['Order Preparing'] } });
    const second = wooOrderLater(
      {
        status: 'completed',
        meta_data: [
          trackingMeta([
            { custom_tracking_link: 'https://tracktrace.dpd.com.pl/parcelDetails?p1=00001234567890U' },
            { custom_tracking_link: 'https://tracktrace.dpd.com.pl/parcelDetails?p1=00002234567890U' },
          ]),
        ],
      },
      '2026-12-02T09:00:00',
    );
    expect(await deliver(second)).toMatchObject({ status: 200, body: { result: 'accepted' } });
    await eventually(
      async () =>
        (await eventTypes('4812')).filter((type) => type === 'Order Shipped').length === 2 ? true : undefined,
      'the second parcel',
    );
  });

  it('npm run demo:woocommerce drives the route as a shop would: ping, placed, shipped, a replay', async () => {
    const lines: string[] = [];
    const results = await runWooCommerceDemo(stack.urls.api, {
      shopId: SHOP,
      orderId: 4900,
      stepMs: 0,
      log: (line) => lines.push(line),
    });
    expect(results.map((result) => [result.status, result.result])).toEqual([
      [200, 'ping'],
      [200, 'accepted'],
      [200, 'accepted'],
      // The replay may race the shipment's ingest: unchanged once it is stored, else the same ids again.
      [200, expect.stringMatching(/^(unchanged|accepted)$/)],
    ]);
    expect(lines).toHaveLength(4);
    await eventually(
      async () => ((await eventTypes('4900')).includes('Order Shipped') ? true : undefined),
      'the demo order shipped',
    );
  });
});
