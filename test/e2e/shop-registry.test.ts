/**
 * Many shops in one local deployment: each producer may write only the shops bound to it, a suspended
 * shop's events are dead-lettered with the reason, and a registry change is live within the functions'
 * cache age, without a restart: all through the real EventBridge client and the production handlers.
 */
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { lifecycleEvents, orderRef } from '../../fixtures/order-events.js';
import { documentClient } from '../../functions/adapters/aws-clients.js';
import { DynamoDbOrderRepository } from '../../functions/adapters/dynamodb-order-repository.js';
import type { OrderEvent } from '../../functions/domain/order-events.js';
import { toPutEventsEntry } from '../../local/demo.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { eventually } from '../support/eventually.js';

let stack: LocalStack;
let events: EventBridgeClient;
let orders: DynamoDbOrderRepository;
let dir: string;

const shop = (shopId: string, name: string, producers?: string[]) => ({
  shopId,
  name,
  statusPage: { baseUrl: `https://track.${shopId}.example.pl` },
  email: { from: `${name} <zamowienia@${shopId}.example.pl>` },
  quietHours: null,
  ...(producers ? { producers } : {}),
});

/** The placement of order n of a shop, put on the bus by a producer's source. */
const placeFrom = async (source: string, shopId: string, n: number): Promise<OrderEvent> => {
  const [placed] = lifecycleEvents(orderRef(n), 'happyPath') as [OrderEvent];
  const event = { ...placed, shopId, eventId: `${shopId}-${placed.eventId}` } as OrderEvent;
  const result = await events.send(
    new PutEventsCommand({ Entries: [{ ...toPutEventsEntry(event, stack.eventBusName), Source: source }] }),
  );
  expect(result.FailedEntryCount).toBe(0);
  return event;
};

const deadLetterOf = (event: OrderEvent) =>
  eventually(
    () =>
      stack.sqs
        .peek('order-events-dead-letters')
        .find((message) => message.body.includes(event.eventId) && message.body.includes(event.orderId)),
    `the dead letter of ${event.eventId}`,
  );

const stored = (event: OrderEvent) =>
  eventually(async () => {
    const snapshot = await orders.load({ shopId: event.shopId, orderId: event.orderId });
    return snapshot?.events.length ? snapshot : undefined;
  }, `order ${event.shopId}/${event.orderId} stored`);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'shops-e2e-'));
  const shopsFile = path.join(dir, 'shops.json');
  writeFileSync(
    shopsFile,
    JSON.stringify([
      shop('sklep-alfa', 'Sklep Alfa'),
      shop('sklep-bravo', 'Sklep Bravo', ['platform.bravo']),
      shop('sklep-charlie', 'Sklep Charlie'),
    ]),
  );
  stack = await startLocalStack({
    dynamoDbEndpoint: inject('dynamoDbEndpoint'),
    tableName: `orders-shops-e2e-${Date.now()}`,
    shopsFile,
    visibilityTimeoutSeconds: 10,
    shopCacheSeconds: 1,
  });
  events = new EventBridgeClient({
    endpoint: stack.urls.eventBridge,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
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
  events?.destroy();
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('Local stack with many shops', () => {
  it('seeds the registry from the shops file, one version each, and takes the producers’ sources on the bus', async () => {
    const listed = await stack.shopRegistry.list();

    expect(listed.map((entry) => [entry.config.shopId, entry.version, entry.state])).toEqual([
      ['sklep-alfa', 1, 'active'],
      ['sklep-bravo', 1, 'active'],
      ['sklep-charlie', 1, 'active'],
    ]);
  });

  it('stores a shop’s order only from the producer bound to it; any other is dead-lettered, nothing stored', async () => {
    // Act: each producer writes its own shop and tries the other's
    const own = await placeFrom('platform.bravo', 'sklep-bravo', 7101);
    const forged = await placeFrom('shop.orders', 'sklep-bravo', 7102);
    const crossed = await placeFrom('platform.bravo', 'sklep-alfa', 7103);
    const alfa = await placeFrom('shop.orders', 'sklep-alfa', 7104);

    // Assess
    await stored(own);
    await stored(alfa);
    expect((await deadLetterOf(forged)).messageAttributes.reason?.StringValue).toBe(
      'source "shop.orders" may not write orders of shop sklep-bravo (its producers: platform.bravo); nothing was stored',
    );
    expect((await deadLetterOf(crossed)).messageAttributes.reason?.StringValue).toBe(
      'source "platform.bravo" may not write orders of shop sklep-alfa (its producers: shop.orders); nothing was stored',
    );
    for (const refused of [forged, crossed]) {
      expect(await orders.load({ shopId: refused.shopId, orderId: refused.orderId })).toBeUndefined();
    }
  });

  it('dead-letters a suspended shop’s events with the reason once the cache has aged, and takes them again on resume', async () => {
    // Prepare
    const current = await stack.shopRegistry.get('sklep-charlie');
    if (!current) throw new Error('sklep-charlie is not seeded');
    await stack.shopRegistry.put({
      config: current.config,
      state: 'suspended',
      updatedBy: 'test',
      note: 'unpaid invoice',
      expectedVersion: current.version,
    });
    await new Promise((resolve) => setTimeout(resolve, 1_200));

    // Act
    const whileSuspended = await placeFrom('shop.orders', 'sklep-charlie', 7201);

    // Assess
    expect((await deadLetterOf(whileSuspended)).messageAttributes.reason?.StringValue).toBe(
      'shop sklep-charlie is suspended (unpaid invoice); nothing was stored',
    );
    expect(await orders.load({ shopId: 'sklep-charlie', orderId: whileSuspended.orderId })).toBeUndefined();

    // Resumed: taken again within the cache age
    await stack.shopRegistry.put({
      config: current.config,
      state: 'active',
      updatedBy: 'test',
      note: 'paid',
      expectedVersion: current.version + 1,
    });
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await stored(await placeFrom('shop.orders', 'sklep-charlie', 7202));
  });

  it('sends with a changed configuration within the cache age, without a restart', async () => {
    // Prepare: the shop changes its sender name
    const current = await stack.shopRegistry.get('sklep-alfa');
    if (!current) throw new Error('sklep-alfa is not seeded');
    const renamed = { ...current.config, email: { from: 'Alfa Nowa <zamowienia@sklep-alfa.example.pl>' } };
    await stack.shopRegistry.put({
      config: renamed,
      state: 'active',
      updatedBy: 'test',
      expectedVersion: current.version,
    });
    await new Promise((resolve) => setTimeout(resolve, 1_200));

    // Act
    const placed = await placeFrom('shop.orders', 'sklep-alfa', 7301);

    // Assess
    const email = await eventually(
      async () => (await stack.ses.emails()).find((message) => message.subject.includes(placed.orderNumber)),
      'the confirmation',
    );
    expect(email.from).toBe('Alfa Nowa <zamowienia@sklep-alfa.example.pl>');
  });
});
