/**
 * The local outbox with real parts: DynamoDB Local (the run's, a fresh table) and its stream, the local
 * SES and SNS with the production senders, the index kept as messages arrive. Checks escaping, search,
 * paging, the JSON API, held messages, what survives a restart, and that a refresh scans nothing.
 */

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { DynamoDbNotificationLog } from '../../functions/adapters/dynamodb-notification-log.js';
import { SesEmailSender } from '../../functions/adapters/ses-email-sender.js';
import { SnsSmsSender } from '../../functions/adapters/sns-sms-sender.js';
import { orderPk, STATE_SK } from '../../functions/adapters/table-keys.js';
import type { Channel, NotificationRecord } from '../../functions/domain/notification-log.js';
import { quietHoursEnd } from '../../functions/domain/notification-planning.js';
import {
  parseShopConfig,
  parseShopConfigs,
  type ShopConfigInput,
} from '../../functions/domain/shop-config.js';
import { staticShopDirectory } from '../../functions/domain/shop-registry.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local.js';
import { makeOutboxHandler } from '../../local/outbox.js';
import { OUTBOX_EMAILS_FILE, type OutboxIndex, startOutboxIndex } from '../../local/outbox-index.js';
import { applyQuietHours, QUIET_HOURS_ENV, quietHoursFromEnvironment } from '../../local/quiet-hours.js';
import { type SesLocal, startSesLocal } from '../../local/ses-local.js';
import { type SnsLocal, startSnsLocal } from '../../local/sns-local.js';
import { createOrderTable, type TestTable } from '../support/dynamodb.js';

const HOSTILE = '<script>alert(1)</script>"\'&';
const SHOP = 'shop-1';

let table: TestTable;
let ses: SesLocal;
let sns: SnsLocal;
let streams: DynamoDBStreamsClient;
let sesClient: SESv2Client;
let snsClient: SNSClient;
let dataDir: string;
let index: OutboxIndex;
let scans: number;

const startIndex = (dir = dataDir) =>
  startOutboxIndex({
    ses,
    sns,
    dynamo: table.client,
    streams,
    tableName: table.tableName,
    dataDir: dir,
    pollMs: 0,
  });

beforeAll(async () => {
  ses = await startSesLocal();
  streams = new DynamoDBStreamsClient({
    endpoint: inject('dynamoDbEndpoint'),
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  sesClient = new SESv2Client({
    endpoint: ses.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
});

beforeEach(async () => {
  scans = 0;
  table = await createOrderTable();
  // Every Scan the outbox sends through the table's client is counted.
  table.client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'ScanCommand') scans += 1;
      return next(args);
    },
    { step: 'initialize', name: 'countScans' },
  );
  dataDir = mkdtempSync(path.join(tmpdir(), 'outbox-'));
  await ses.clear();
  sns = await startSnsLocal({ dataDir });
  snsClient = new SNSClient({ endpoint: sns.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  index = await startIndex();
});

afterEach(async () => {
  index.stop();
  snsClient.destroy();
  await sns.stop();
  await table.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

afterAll(async () => {
  sesClient.destroy();
  streams.destroy();
  await ses.stop();
});

const putOrder = async (orderId: string, orderNumber: string, updatedAt: string, status = 'placed') =>
  table.documents.send(
    new PutCommand({
      TableName: table.tableName,
      Item: {
        pk: orderPk({ shopId: SHOP, orderId }),
        sk: STATE_SK,
        shopId: SHOP,
        orderId,
        orderNumber,
        status,
        trackingToken: `tok<${orderId}`,
        updatedAt,
        version: 1,
      },
    }),
  );

const record = (
  orderId: string,
  channel: Channel,
  changes: Partial<NotificationRecord>,
): NotificationRecord => ({
  shopId: SHOP,
  orderId,
  eventId: `event-${orderId}`,
  eventType: 'Order Shipped',
  channel,
  template: 'order-shipped',
  language: 'pl',
  outcome: 'sent',
  attempts: 1,
  createdAt: '2026-12-02T10:00:00.000Z',
  updatedAt: '2026-12-02T10:00:00.000Z',
  ...changes,
});

const sendEmail = (to: string, subject: string, text = `Plain ${HOSTILE}`) =>
  new SesEmailSender(sesClient, undefined).send({
    to,
    from: 'sklep@example.pl',
    subject,
    html: '<p style="color:red">Hi</p><script>alert(2)</script>',
    text,
    headers: [],
    reference: { shopId: SHOP, orderId: 'x', eventId: 'y' },
  });

const sendSms = (text: string, phoneNumber = '+48500100200') =>
  new SnsSmsSender(snsClient).send({ phoneNumber, text });

/** An order with an e-mail and an SMS, joined by the notification log as the sender records them. */
const orderWithMessages = async (orderId: string, orderNumber: string, to: string) => {
  await putOrder(orderId, orderNumber, '2026-12-02T10:00:00.000Z');
  const email = await sendEmail(to, `Zamówienie ${orderNumber} wysłane`);
  const sms = await sendSms(`Paczka ${orderNumber} jedzie`);
  const log = new DynamoDbNotificationLog(table.documents, table.tableName);
  await log.create(record(orderId, 'email', { providerMessageId: email.messageId }));
  await log.create(record(orderId, 'sms', { providerMessageId: sms.messageId }));
  return { email, sms };
};

/** The registry the outbox lists: two shops, one suspended, with a name that must be escaped. */
const SHOPS = staticShopDirectory([
  parseShopConfig({
    shopId: SHOP,
    name: 'Sklep <b>Pod</b> Dębem',
    statusPage: { baseUrl: 'https://s.example.pl' },
  }),
]);
const fixtureShop = async () => {
  const shop = await SHOPS.get(SHOP);
  if (!shop) throw new Error('the fixture shop is missing');
  return shop;
};
const registry = {
  list: async () => [
    { ...(await fixtureShop()), version: 3, note: 'price list' },
    {
      config: parseShopConfig({
        shopId: 'constructor',
        name: 'Suspended',
        producers: ['platform.x'],
        statusPage: { baseUrl: 'https://c.example.pl' },
      }),
      state: 'suspended' as const,
      version: 2,
      updatedAt: '2026-12-02T09:00:00.000Z',
      updatedBy: 'ops',
      note: 'unpaid',
    },
  ],
};

const get = async (rawPath: string, query: Record<string, string> = {}, outbox = index) =>
  (await makeOutboxHandler({
    index: outbox,
    shops: registry,
    dynamo: table.client,
    tableName: table.tableName,
  })({
    rawPath,
    queryStringParameters: query,
    requestContext: { http: { method: 'GET' } },
  } as unknown as APIGatewayProxyEventV2)) as APIGatewayProxyStructuredResultV2;

const getJson = async (rawPath: string, query: Record<string, string> = {}, outbox = index) => {
  const response = await get(rawPath, query, outbox);
  return { status: response.statusCode, body: JSON.parse(String(response.body)) };
};

describe('Function: makeOutboxHandler', () => {
  it('escapes every stored value on the e-mail page and frames the message only sandboxed', async () => {
    // Prepare
    const { messageId } = await sendEmail('zofia@example.pl', `Zamówienie ${HOSTILE}`);

    // Act
    const response = await get(`/outbox/emails/${messageId}`);

    // Assess
    const body = String(response.body);
    expect(response.statusCode).toBe(200);
    expect(body).not.toContain('<script>');
    expect(body).toContain('Zamówienie &lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;');
    expect(body).toContain(`<iframe sandbox title="e-mail" src="/outbox/emails/${messageId}/html">`);
    const policy = String(response.headers?.['content-security-policy']);
    expect(policy).toMatch(/style-src 'sha256-/);
    expect(policy).not.toContain('unsafe-inline');
    expect(response.headers?.['x-content-type-options']).toBe('nosniff');
  });

  it('serves the message itself under a sandbox policy that runs no script', async () => {
    // Prepare
    const { messageId } = await sendEmail('zofia@example.pl', 'Hi');

    // Act
    const response = await get(`/outbox/emails/${messageId}/html`);

    // Assess
    expect(response.body).toBe('<p style="color:red">Hi</p><script>alert(2)</script>');
    const policy = String(response.headers?.['content-security-policy']);
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain('sandbox');
    expect(policy).toContain("frame-ancestors 'self'");
    expect(policy).not.toMatch(/script-src/);
  });

  it('escapes SMS texts and links orders by encoded ids on the overview', async () => {
    // Prepare
    await putOrder('A/1"', `Z/${HOSTILE}`, '2026-12-02T10:00:00.000Z');
    await sendSms(HOSTILE);

    // Act
    const response = await get('/outbox');

    // Assess
    const body = String(response.body);
    expect(body).not.toContain('<script>');
    expect(body).toContain('<td>&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp; <span class="muted">');
    expect(body).toContain('<a href="/t/tok%3CA%2F1%22">tracking page</a>');
    expect(body).toContain('href="/outbox/orders/shop-1/A%2F1%22"');
    expect(body).toContain('SMS (1)');
  });

  it('finds an order’s messages by its number, its id or the recipient, and no other order’s', async () => {
    // Prepare
    const first = await orderWithMessages('order-1', 'ZAM/1001', 'anna@example.pl');
    await orderWithMessages('order-2', 'ZAM/1002', 'jan@example.pl');

    // Act
    const byNumber = await getJson('/outbox/api/messages', { q: 'zam/1001' });
    const byId = await getJson('/outbox/api/messages', { q: 'order-1' });
    const byRecipient = await getJson('/outbox/api/messages', { q: 'ANNA@' });
    const smsOnly = await getJson('/outbox/api/messages', { q: 'ZAM/1001', channel: 'sms' });

    // Assess
    const ids = (page: { body: { messages: Array<{ id: string }> } }) => page.body.messages.map((m) => m.id);
    expect(ids(byNumber)).toEqual([first.sms.messageId, first.email.messageId]);
    expect(ids(byId)).toEqual([first.sms.messageId, first.email.messageId]);
    expect(ids(byRecipient)).toEqual([first.email.messageId]);
    expect(ids(smsOnly)).toEqual([first.sms.messageId]);
    expect(byNumber.body.messages[1]).toMatchObject({
      channel: 'email',
      to: 'anna@example.pl',
      subject: 'Zamówienie ZAM/1001 wysłane',
      order: { shopId: SHOP, orderId: 'order-1', orderNumber: 'ZAM/1001' },
    });
    expect(byNumber.body.messages[1]).not.toHaveProperty('html');
    expect(byNumber.body.total).toBe(2);
  });

  it('pages newest first by cursor, each message once, even when new ones arrive between pages', async () => {
    // Prepare
    for (let n = 1; n <= 7; n += 1) await sendSms(`wiadomość ${n}`);

    // Act
    const first = await getJson('/outbox/api/messages', { limit: '3' });
    await sendSms('nowa');
    const second = await getJson('/outbox/api/messages', { limit: '3', cursor: first.body.nextCursor });
    const third = await getJson('/outbox/api/messages', { limit: '3', cursor: second.body.nextCursor });
    const fresh = await getJson('/outbox/api/messages', { limit: '3' });

    // Assess
    const texts = (page: { body: { messages: Array<{ text: string }> } }) =>
      page.body.messages.map((m) => m.text);
    expect(texts(first)).toEqual(['wiadomość 7', 'wiadomość 6', 'wiadomość 5']);
    expect(texts(second)).toEqual(['wiadomość 4', 'wiadomość 3', 'wiadomość 2']);
    expect(texts(third)).toEqual(['wiadomość 1']);
    expect(third.body.nextCursor).toBeUndefined();
    expect(texts(fresh)[0]).toBe('nowa');
    expect(fresh.body.total).toBe(8);
  });

  it('pages and searches orders, newest change first', async () => {
    // Prepare
    for (let n = 1; n <= 5; n += 1) await putOrder(`o-${n}`, `ZAM/${n}`, `2026-12-0${n}T10:00:00.000Z`);

    // Act
    const first = await getJson('/outbox/api/orders', { limit: '2' });
    const second = await getJson('/outbox/api/orders', { limit: '2', cursor: first.body.nextCursor });
    const third = await getJson('/outbox/api/orders', { limit: '2', cursor: second.body.nextCursor });
    const search = await getJson('/outbox/api/orders', { q: 'zam/3' });

    // Assess
    const numbers = (page: { body: { orders: Array<{ orderNumber: string }> } }) =>
      page.body.orders.map((o) => o.orderNumber);
    expect([...numbers(first), ...numbers(second), ...numbers(third)]).toEqual([
      'ZAM/5',
      'ZAM/4',
      'ZAM/3',
      'ZAM/2',
      'ZAM/1',
    ]);
    expect(third.body.nextCursor).toBeUndefined();
    expect(numbers(search)).toEqual(['ZAM/3']);
  });

  it('answers a bad cursor, channel or limit with a 400 naming it', async () => {
    // Act
    const answers = await Promise.all([
      getJson('/outbox/api/messages', { cursor: 'not-a-cursor' }),
      getJson('/outbox/api/messages', { channel: 'fax' }),
      getJson('/outbox/api/orders', { limit: '0' }),
      get('/outbox', { channel: 'fax' }),
    ]);

    // Assess
    expect(answers[0]).toEqual({
      status: 400,
      body: { error: 'cursor is not one this outbox gave out: start again without it' },
    });
    expect(answers[1]).toEqual({
      status: 400,
      body: { error: 'channel=fax is not one of email, sms, push' },
    });
    expect(answers[2]).toEqual({
      status: 400,
      body: { error: 'limit=0 is not a whole number from 1 to 500' },
    });
    expect(answers[3]).toMatchObject({ statusCode: 400, body: 'channel=fax is not one of email, sms, push' });
  });

  it('shows messages held for quiet hours with when they go, until they are sent', async () => {
    // Prepare
    await putOrder('order-q', 'ZAM/2001', '2026-12-02T22:00:00.000Z');
    const log = new DynamoDbNotificationLog(table.documents, table.tableName);
    const held = record('order-q', 'sms', {
      outcome: 'deferred',
      deliverAfter: '2026-12-03T07:00:00.000Z',
      address: '+48 *** *** 200',
      reason: 'quiet hours in the customer’s time zone',
    });
    await log.create(held);

    // Act
    const during = String((await get('/outbox')).body);
    const api = await getJson('/outbox/api/held');
    const { messageId } = await sendSms('Paczka ZAM/2001 jedzie');
    await log.update(held, ['deferred'], {
      outcome: 'sent',
      providerMessageId: messageId,
      deliverAfter: undefined,
      updatedAt: '2026-12-03T07:00:01.000Z',
    });
    const after = String((await get('/outbox')).body);

    // Assess
    expect(during).toContain('SMS (0), 1 held for quiet hours');
    expect(during).toContain('Held for quiet hours (1)');
    expect(during).toContain('<td>2026-12-03 07:00:00</td><td><span class="pill">sms</span></td>');
    expect(during).toContain('ORDER_NOTIFICATIONS_QUIET_HOURS=off');
    expect(api.body.held).toEqual([
      expect.objectContaining({
        orderId: 'order-q',
        channel: 'sms',
        deliverAfter: '2026-12-03T07:00:00.000Z',
      }),
    ]);
    expect(after).not.toContain('Held for quiet hours');
    expect(after).toContain('SMS (1)</a>');
  });

  it('answers unknown orders with a 404, a message by id with its HTML and order, a malformed path with a 400', async () => {
    // Prepare
    const { email } = await orderWithMessages('order-j', 'ZAM/3001', 'ola@example.pl');

    // Act
    const unknown = await getJson('/outbox/api/orders/shop-1/none');
    const message = await getJson(`/outbox/api/messages/${email.messageId}`);
    const badPath = await get('/outbox/api/orders/shop-1/%E0%A4%A');

    // Assess
    expect(unknown).toEqual({ status: 404, body: { error: 'no order with this shop id and order id' } });
    expect(message.body).toMatchObject({
      id: email.messageId,
      html: '<p style="color:red">Hi</p><script>alert(2)</script>',
      order: { orderId: 'order-j', orderNumber: 'ZAM/3001' },
    });
    expect(badPath.statusCode).toBe(400);
  });

  it('lists the registry’s shops with state, version and producers, escaped, on the page and as JSON', async () => {
    const page = String((await get('/outbox')).body);
    const api = await getJson('/outbox/api/shops');

    expect(page).toContain('Shops (2)');
    expect(page).toContain('Sklep &lt;b&gt;Pod&lt;/b&gt; Dębem');
    expect(page).not.toContain('<b>Pod</b>');
    expect(api.status).toBe(200);
    expect(api.body.shops).toEqual([
      expect.objectContaining({ shopId: SHOP, state: 'active', version: 3, producers: ['shop.orders'] }),
      expect.objectContaining({
        shopId: 'constructor',
        state: 'suspended',
        note: 'unpaid',
        producers: ['platform.x'],
      }),
    ]);
  });

  it('scans the table once when it starts and never on a refresh', async () => {
    // Prepare
    const atStart = scans;
    await orderWithMessages('order-s', 'ZAM/4001', 'ewa@example.pl');

    // Act
    for (let n = 0; n < 5; n += 1) await get('/outbox');
    const page = await getJson('/outbox/api/orders', { q: 'ZAM/4001' });

    // Assess
    expect(atStart).toBe(1);
    expect(scans).toBe(1);
    expect(page.body.orders).toEqual([
      expect.objectContaining({ orderId: 'order-s', orderNumber: 'ZAM/4001' }),
    ]);
  });

  it('copies an e-mail to the data dir as soon as SES has answered it, without waiting for a poll', async () => {
    // Prepare: this index never polls (pollMs 0); only SES's answer can trigger the copy
    const file = path.join(dataDir, OUTBOX_EMAILS_FILE);

    // Act
    const { messageId } = await sendEmail('ewa@example.pl', 'Natychmiast');
    const deadline = Date.now() + 5_000;
    while (!(existsSync(file) && readFileSync(file, 'utf8').includes(messageId)) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    index.stop();
    await ses.clear();
    index = await startIndex();

    // Assess: kept on disk, so a restart whose SES forgot it still lists it
    expect(readFileSync(file, 'utf8')).toContain(messageId);
    expect(index.message(messageId)).toMatchObject({ channel: 'email', to: 'ewa@example.pl' });
  });

  it('keeps e-mails, SMS and the orders’ links after a restart that emptied the local SES', async () => {
    // Prepare
    const { email, sms } = await orderWithMessages('order-r', 'ZAM/5001', 'piotr@example.pl');
    await index.sync();
    index.stop();
    await sns.stop();
    await ses.clear();

    // Act
    sns = await startSnsLocal({ dataDir });
    index = await startIndex();
    const page = await getJson('/outbox/api/messages', { q: 'ZAM/5001' });
    await index.sync();
    const again = await getJson('/outbox/api/messages');

    // Assess
    expect(page.body.messages.map((m: { id: string }) => m.id)).toEqual([sms.messageId, email.messageId]);
    expect(page.body.messages[1]).toMatchObject({
      to: 'piotr@example.pl',
      order: { orderNumber: 'ZAM/5001' },
    });
    expect(again.body.total).toBe(2);
  });
});

describe('Function: the local quiet-hours switch', () => {
  const shopsFile = JSON.parse(
    readFileSync(path.join(import.meta.dirname, '..', '..', 'config', 'shops.example.json'), 'utf8'),
  ) as ShopConfigInput[];
  const lateEvening = new Date('2026-12-02T22:30:00.000Z'); // 23:30 in Warsaw

  it('with ORDER_NOTIFICATIONS_QUIET_HOURS=off lets the demo shops send SMS and push at any hour', () => {
    // Act
    const shops = parseShopConfigs(
      applyQuietHours(shopsFile, quietHoursFromEnvironment({ [QUIET_HOURS_ENV]: 'off' })),
    );
    const configured = parseShopConfigs(applyQuietHours(shopsFile, quietHoursFromEnvironment({})));

    // Assess
    expect(shops.length).toBeGreaterThan(0);
    for (const shop of shops) {
      expect(shop.quietHours).toBeNull();
      expect(quietHoursEnd(lateEvening, 'Europe/Warsaw', shop.quietHours)).toBeUndefined();
    }
    expect(configured[0]?.quietHours).toEqual({ start: '21:00', end: '08:00' });
    expect(quietHoursEnd(lateEvening, 'Europe/Warsaw', configured[0]?.quietHours ?? null)).toEqual(
      new Date('2026-12-03T07:00:00.000Z'),
    );
  });

  it('refuses a value that is neither on nor off, naming the variable', () => {
    // Act
    const attempt = () => quietHoursFromEnvironment({ [QUIET_HOURS_ENV]: 'false' });

    // Assess
    expect(attempt).toThrow('ORDER_NOTIFICATIONS_QUIET_HOURS=false is neither on nor off');
  });
});
