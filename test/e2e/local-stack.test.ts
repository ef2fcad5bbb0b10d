/**
 * End to end on the local stack: events in through the real EventBridge client, out as stored timelines,
 * e-mails in the local SES, SMS in the local SNS, and the tracking page in headless Chromium.
 */
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { lifecycleEvents, orderRef, SHOP_ID } from '../../fixtures/order-events.js';
import { documentClient } from '../../functions/adapters/aws-clients.js';
import { DynamoDbNotificationLog } from '../../functions/adapters/dynamodb-notification-log.js';
import { DynamoDbOrderRepository } from '../../functions/adapters/dynamodb-order-repository.js';
import { OrderStatusChangedDetailSchema } from '../../functions/domain/integration-events.js';
import type { NotificationRecord } from '../../functions/domain/notification-log.js';
import { ORDER_EVENT_TYPES, type OrderEvent } from '../../functions/domain/order-events.js';
import { replay } from '../../functions/domain/order-lifecycle.js';
import { verifySubscription } from '../../functions/domain/signed-links.js';
import { toPutEventsEntry } from '../../local/demo.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { LOCAL_SECRET_CACHE_SECONDS, SECRET_NAMES } from '../../local/stack-services.js';
import { eventually } from '../support/eventually.js';

let stack: LocalStack;
let events: EventBridgeClient;

/** The local stack's table through a document client, as the tests read what was stored. */
const localDocuments = () =>
  documentClient(
    new DynamoDBClient({
      endpoint: stack.urls.dynamodb,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    }),
  );

const put = async (entries: readonly PutEventsRequestEntry[]) => {
  for (let i = 0; i < entries.length; i += 10) {
    const result = await events.send(new PutEventsCommand({ Entries: entries.slice(i, i + 10) }));
    expect(result.FailedEntryCount).toBe(0);
  }
};

const TERMINAL = new Set(['sent', 'skipped', 'superseded', 'failed']);

beforeAll(async () => {
  stack = await startLocalStack({
    dynamoDbEndpoint: inject('dynamoDbEndpoint'),
    tableName: `orders-e2e-${Date.now()}`,
    // Above the ingest's 1 s batching window plus an invocation on a loaded machine: a shorter one lets a
    // message waiting in a batch come back to another poller, a second delivery AWS's minimum prevents.
    visibilityTimeoutSeconds: 10,
  });
  events = new EventBridgeClient({
    endpoint: stack.urls.eventBridge,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
}, 60_000);

afterAll(async () => {
  events?.destroy();
  await stack?.stop();
});

describe('Local stack, end to end', () => {
  it('takes an order from placed to delivered: stored timeline, e-mails, SMS and the tracking page', async () => {
    // Prepare: the whole lifecycle, shuffled, with two events sent twice
    const ref = orderRef(9001);
    const lifecycle = lifecycleEvents(ref, 'happyPath');
    const arrivals: OrderEvent[] = [...lifecycle].reverse();
    arrivals.push(lifecycle[0] as OrderEvent, lifecycle[4] as OrderEvent);

    // Act
    await put(arrivals.map((event) => toPutEventsEntry(event, stack.eventBusName)));

    // Assess: the order is stored as if the events had arrived in order
    const documents = localDocuments();
    const orders = new DynamoDbOrderRepository(documents, stack.tableName);
    const key = { shopId: SHOP_ID, orderId: ref.orderId };
    const snapshot = await eventually(async () => {
      const loaded = await orders.load(key);
      return loaded && loaded.events.length === lifecycle.length ? loaded : undefined;
    }, 'all events stored');
    expect(replay(snapshot.events.map((stored) => stored.event))).toEqual(replay(lifecycle));

    // Every notification reached an outcome, once per event and channel
    const log = new DynamoDbNotificationLog(documents, stack.tableName);
    const records = await eventually(async () => {
      const listed = await log.list(key);
      const delivered = listed.find(
        (record) => record.eventType === 'Order Delivered' && record.channel === 'email',
      );
      return delivered && listed.every((record) => TERMINAL.has(record.outcome)) ? listed : undefined;
    }, 'the notifications to settle');
    const keys = records.map((record) => `${record.eventId}/${record.channel}`);
    expect(new Set(keys).size).toBe(keys.length);
    const sent = (channel: NotificationRecord['channel']) =>
      records.filter((record) => record.channel === channel && record.outcome === 'sent').length;
    const emails = (await stack.ses.emails()).filter((email) => email.subject.includes(ref.orderNumber));
    expect(emails).toHaveLength(sent('email'));
    expect(emails.some((email) => email.subject.includes('dostarczone'))).toBe(true);
    const sms = stack.sns.sms().filter((message) => message.phoneNumber === '+48601234567');
    expect(sms).toHaveLength(sent('sms'));
    for (const message of sms) expect(message.segments).toBeLessThanOrEqual(2);
    // A status the order had already left by the time its message was due was not sent
    for (const record of records.filter((entry) => entry.outcome === 'superseded')) {
      expect(record.reason).toMatch(/moved on|no longer applies/);
    }

    // The tracking page, in a real browser, in both languages
    const token = snapshot.trackingToken;
    expect(token).toMatch(/^[\w-]{32}$/);
    const profile = await mkdtemp(path.join(tmpdir(), 'chromium-e2e-'));
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      page.on('requestfailed', (request) =>
        problems.push(`${request.url()} ${request.failure()?.errorText ?? ''}`),
      );
      mkdirSync('test-results', { recursive: true });

      await page.goto(`${stack.urls.api}/t/${token}?lang=pl`);
      await expect.poll(() => page.textContent('body')).toContain('Dostarczone');
      expect(await page.textContent('body')).toContain('620123456789012345678901');
      expect(await page.getAttribute('html', 'lang')).toBe('pl');
      await page.screenshot({ path: 'test-results/e2e-tracking-pl.png', fullPage: true });

      await page.goto(`${stack.urls.api}/t/${token}?lang=en`);
      expect(await page.textContent('body')).toContain('Delivered');
      await page.screenshot({ path: 'test-results/e2e-tracking-en.png', fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
      await rm(profile, { recursive: true, force: true });
    }
  });

  it('puts the order’s status changes on the bus for a subscriber’s rule: every one, without contact data', async () => {
    // Prepare: a warehouse system's rule on the bus, as docs/integration-events.md shows
    const ref = orderRef(9005);
    const received: Array<{ 'detail-type': string; detail: Record<string, unknown> }> = [];
    stack.eventBridge.addRule({
      name: 'warehouse-status',
      eventBusName: stack.eventBusName,
      pattern: {
        source: ['order-notifications'],
        'detail-type': ['Order Status Changed'],
        detail: { orderId: [ref.orderId] },
      },
      target: async (event) => {
        received.push(event);
      },
    });
    const lifecycle = lifecycleEvents(ref, 'happyPath');

    // Act: one event at a time, each stored before the next is sent
    const documents = localDocuments();
    const orders = new DynamoDbOrderRepository(documents, stack.tableName);
    for (const [index, event] of lifecycle.entries()) {
      await put([toPutEventsEntry(event, stack.eventBusName)]);
      await eventually(
        async () =>
          (await orders.load({ shopId: SHOP_ID, orderId: ref.orderId }))?.events.length === index + 1
            ? true
            : undefined,
        `${event.type} stored`,
      );
    }
    const changes = await eventually(async () => {
      await stack.eventBridge.idle();
      const unique = [...new Map(received.map((event) => [event.detail.id, event.detail])).values()];
      return unique.some((detail) => detail.status === 'delivered') ? unique : undefined;
    }, 'Order Status Changed for the delivery');

    // Assess: placed, accepted, preparing, shipped, out for delivery, delivered (the payment moved no status)
    const byVersion = [...changes].sort((a, b) => Number(a.version) - Number(b.version));
    expect(byVersion.map((detail) => [detail.previousStatus, detail.status])).toEqual([
      [undefined, 'placed'],
      ['placed', 'accepted'],
      ['accepted', 'preparing'],
      ['preparing', 'shipped'],
      ['shipped', 'out_for_delivery'],
      ['out_for_delivery', 'delivered'],
    ]);
    expect(byVersion[1]).toMatchObject({
      paymentStatus: 'paid',
      causedBy: [{ eventType: 'Order Accepted' }],
    });
    for (const detail of changes) expect(OrderStatusChangedDetailSchema.safeParse(detail).success).toBe(true);
    expect(JSON.stringify(received)).not.toMatch(/@example\.pl|\+48|device-/);
    stack.eventBridge.removeRule('warehouse-status', stack.eventBusName);
  });

  it('sends an invalid event to the dead-letter queue with the reason, and stores nothing', async () => {
    // Prepare
    const ref = orderRef(9002);
    const [placed] = lifecycleEvents(ref, 'happyPath') as [OrderEvent];
    const entry = toPutEventsEntry(placed, stack.eventBusName);
    const broken = JSON.parse(entry.Detail) as { customer: { email: string } };
    broken.customer.email = 'not-an-address';

    // Act
    await put([{ ...entry, Detail: JSON.stringify(broken) }]);

    // Assess
    const deadLetter = await eventually(
      async () =>
        stack.sqs.peek('order-events-dead-letters').find((message) => message.body.includes(ref.orderId)),
      'the dead letter',
    );
    expect(deadLetter.messageAttributes.reason?.StringValue).toBe(
      'invalid order event: detail.customer.email: expected an e-mail address',
    );
  });

  it('dead-letters misspelt detail-types from the producer source with the known types, storing nothing', async () => {
    // Prepare: PutEvents accepts any detail-type; on AWS as here, only the rule decides where it goes
    const ref = orderRef(9003);
    const [placed] = lifecycleEvents(ref, 'happyPath') as [OrderEvent];
    const entry = toPutEventsEntry(placed, stack.eventBusName);
    const misspelt = ['Order Exploded', 'order placed', 'Order Placed '];

    // Act
    await put(misspelt.map((detailType) => ({ ...entry, DetailType: detailType })));

    // Assess
    const deadLetters = await eventually(async () => {
      const found = stack.sqs
        .peek('order-events-dead-letters')
        .filter((message) => message.body.includes(ref.orderId));
      return found.length === misspelt.length ? found : undefined;
    }, 'three dead letters');
    const types = deadLetters.map(
      (message) => (JSON.parse(message.body) as { 'detail-type': string })['detail-type'],
    );
    expect(types.sort()).toEqual([...misspelt].sort());
    for (const message of deadLetters) {
      expect(message.messageAttributes.reason?.StringValue).toBe(
        `invalid order event: detail-type: is not an order event type; expected one of: ${ORDER_EVENT_TYPES.join(', ')}`,
      );
    }
    const documents = localDocuments();
    const stored = await new DynamoDbOrderRepository(documents, stack.tableName).load({
      shopId: SHOP_ID,
      orderId: ref.orderId,
    });
    expect(stored).toBeUndefined();
  });

  it('dead-letters an order of a shop the stack does not serve, and stores nothing of it', async () => {
    // Prepare
    const ref = orderRef(9004);
    const [placed] = lifecycleEvents(ref, 'happyPath') as [OrderEvent];
    const stranger = { ...placed, shopId: 'sklep-nieznany' };

    // Act
    await put([toPutEventsEntry(stranger, stack.eventBusName)]);

    // Assess
    const deadLetter = await eventually(
      async () =>
        stack.sqs.peek('order-events-dead-letters').find((message) => message.body.includes(ref.orderId)),
      'the dead letter',
    );
    expect(deadLetter.messageAttributes.reason?.StringValue).toBe(
      'shop sklep-nieznany is not configured in this deployment; nothing was stored',
    );
    const documents = localDocuments();
    const orders = new DynamoDbOrderRepository(documents, stack.tableName);
    expect(await orders.load({ shopId: 'sklep-nieznany', orderId: ref.orderId })).toBeUndefined();
    expect(await orders.findByOrderNumber('sklep-nieznany', ref.orderNumber)).toBeUndefined();
  });

  it('serves the outbox with the orders and messages it sent', async () => {
    // Act
    const response = await fetch(stack.urls.outbox);
    const html = await response.text();

    // Assess
    expect(response.status).toBe(200);
    expect(html).toContain('ZAM/2026/11/9001');
    expect(html).toMatch(/E-mails \(\d+\)/);
    expect(html).toMatch(/SMS \(\d+\)/);
  });

  it('serves the outbox on its own port only: the public API port does not show it', async () => {
    // Act
    const outboxOrigin = new URL(stack.urls.outbox).origin;
    const onApi = await Promise.all(
      ['/outbox', '/outbox/', '/'].map((path) => fetch(`${stack.urls.api}${path}`)),
    );

    // Assess
    expect(outboxOrigin).not.toBe(new URL(stack.urls.api).origin);
    for (const response of onApi) {
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('ZAM/2026/11/9001');
    }
  });

  it('answers HEAD on a tracking page like GET, without a body', async () => {
    // Prepare: the order the first test stored
    const orders = new DynamoDbOrderRepository(localDocuments(), stack.tableName);
    const token = (await orders.load({ shopId: SHOP_ID, orderId: orderRef(9001).orderId }))?.trackingToken;
    expect(token).toBeDefined();

    // Act
    const get = await fetch(`${stack.urls.api}/t/${token}`);
    const head = await fetch(`${stack.urls.api}/t/${token}`, { method: 'HEAD' });

    // Assess
    expect(head.status).toBe(get.status);
    expect(head.headers.get('etag')).toBe(get.headers.get('etag'));
    expect(await head.text()).toBe('');
  });

  it('rotates the unsubscribe secret without a restart: old links keep working, new ones use the new key', async () => {
    // Prepare: an e-mail sent under the first key
    const unsubscribeToken = async (orderNumber: string) => {
      const email = await eventually(
        async () => (await stack.ses.emails()).find((candidate) => candidate.subject.includes(orderNumber)),
        `the e-mail of ${orderNumber}`,
      );
      const header = email.headers?.find((candidate) => candidate.name.toLowerCase() === 'list-unsubscribe');
      const token = /token=([A-Za-z0-9_-]+)/.exec(header?.value ?? '')?.[1];
      expect(token).toBeDefined();
      return token as string;
    };
    const placed = (n: number) => lifecycleEvents(orderRef(n), 'happyPath')[0] as OrderEvent;
    await put([toPutEventsEntry(placed(9101), stack.eventBusName)]);
    const before = await unsubscribeToken(orderRef(9101).orderNumber);
    const oldKey = stack.secrets.currentValue(SECRET_NAMES.UNSUBSCRIBE_SECRET) as string;
    const newKey = 'rotated-unsubscribe-key-0123456789abcdefghij';

    // Act: rotate as docs/deploy.md says, wait out the functions' cache, send another order
    const secrets = new SecretsManagerClient({
      endpoint: stack.urls.secrets,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    await secrets.send(
      new PutSecretValueCommand({
        SecretId: SECRET_NAMES.UNSUBSCRIBE_SECRET,
        SecretString: JSON.stringify({ current: newKey, previous: [oldKey] }),
      }),
    );
    secrets.destroy();
    await new Promise((resolve) => setTimeout(resolve, (LOCAL_SECRET_CACHE_SECONDS + 1) * 1000));
    // Each execution environment refreshes in the background at its first invocation after the period,
    // so the first messages after it may still carry the old key: orders until one carries the new one.
    let after: string | undefined;
    for (let n = 9102; n < 9122 && !after; n++) {
      await put([toPutEventsEntry(placed(n), stack.eventBusName)]);
      const token = await unsubscribeToken(orderRef(n).orderNumber);
      if (verifySubscription(newKey, token)) after = token;
    }
    const open = (token: string) => fetch(`${stack.urls.api}/v1/unsubscribe?token=${token}`);
    const opensWithin = async (token: string) =>
      eventually(
        async () => ((await open(token)).status === 200 ? true : undefined),
        'the link to open',
        15_000,
      );

    // Assess: new links are sealed under the new key only, and links of both keys open
    expect(after).toBeDefined();
    expect(verifySubscription(oldKey, after as string)).toBeUndefined();
    expect(verifySubscription(oldKey, before)).toBeDefined();
    expect(await opensWithin(after as string)).toBe(true);
    expect((await open(before)).status).toBe(200);
    expect((await open(`${(after as string).slice(0, -4)}AAAA`)).status).toBe(400);
  }, 90_000);
});
