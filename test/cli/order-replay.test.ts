import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lifecycleEvents, orderRef, SHOP_ID } from '../../fixtures/order-events.js';
import { DynamoDbSuppressionList } from '../../functions/adapters/dynamodb-suppression-list.js';
import type { ShopConfigInput } from '../../functions/domain/shop-config.js';
import { createOrderTable, type TestTable } from '../support/dynamodb.js';
import { type CliEnv, localEnv, logNotification, runCli, seed, tempFile } from './harness.js';

interface Row {
  eventType: string;
  channel: string;
  template: string;
  overrides: string[];
  now: { action: string; reason?: string; fallback?: string[]; message?: Record<string, unknown> };
  logged?: { outcome: string };
  comparison: string;
}

const ref = orderRef(71);
let table: TestTable;
let env: CliEnv;
let trackingToken: string;

const exampleShops = JSON.parse(readFileSync('config/shops.example.json', 'utf8')) as ShopConfigInput[];

const rowsOf = (stdout: string) => (JSON.parse(stdout) as { notifications: Row[] }).notifications;
const rowFor = (rows: Row[], eventType: string, channel: string) =>
  rows.find((row) => row.eventType === eventType && row.channel === channel);

beforeAll(async () => {
  table = await createOrderTable();
  env = localEnv({ ORDERS_TABLE_NAME: table.tableName });
  // Placed, paid, accepted, preparing, shipped: the customer chose e-mail and SMS.
  const orders = await seed(table, lifecycleEvents(ref, 'happyPath').slice(0, 5));
  trackingToken = (await orders.load({ shopId: SHOP_ID, orderId: ref.orderId }))?.trackingToken ?? '';
  const record = { shopId: SHOP_ID, orderId: ref.orderId } as const;
  await logNotification(table, {
    ...record,
    eventId: `${ref.orderId}-placed`,
    eventType: 'Order Placed',
    channel: 'email',
    outcome: 'sent',
  });
  await logNotification(table, {
    ...record,
    eventId: `${ref.orderId}-paid`,
    eventType: 'Payment Received',
    channel: 'email',
    outcome: 'skipped',
    reason: 'the shop has no e-mail sender configured',
  });
  await logNotification(table, {
    ...record,
    eventId: `${ref.orderId}-paid`,
    eventType: 'Payment Received',
    channel: 'push',
    outcome: 'sent',
  });
  await logNotification(table, {
    ...record,
    eventId: `${ref.orderId}-accepted`,
    eventType: 'Order Accepted',
    channel: 'email',
    outcome: 'delivered',
    template: 'order-accepted-2025',
  });
  await logNotification(table, {
    ...record,
    eventId: `${ref.orderId}-shipped`,
    eventType: 'Order Shipped',
    channel: 'sms',
    outcome: 'sent',
  });
});

afterAll(async () => {
  await table.drop();
});

// In order: the second test suppresses the customer's e-mail address for the ones after it.
describe('Command: order replay', () => {
  it('says, for each applied event and channel, what would be sent now and how it compares with the log', async () => {
    // Act
    const result = await runCli(['order', 'replay', SHOP_ID, ref.orderNumber, '--json'], env);

    // Assess
    expect(result.code).toBe(0);
    const rows = rowsOf(result.stdout);
    expect(rows.map((row) => [row.eventType, row.channel, row.now.action])).toEqual([
      ['Order Placed', 'email', 'send'],
      ['Payment Received', 'email', 'send'],
      ['Payment Received', 'push', 'not_planned'],
      ['Order Accepted', 'email', 'send'],
      ['Order Shipped', 'email', 'send'],
      ['Order Shipped', 'sms', 'send'],
      ['Order Shipped', 'push', 'skip'],
    ]);
    expect(rowFor(rows, 'Order Placed', 'email')?.comparison).toBe('same template, would send again');
    expect(rowFor(rows, 'Payment Received', 'email')?.comparison).toBe(
      'was skipped: the shop has no e-mail sender configured, would now send',
    );
    expect(rowFor(rows, 'Payment Received', 'push')?.comparison).toBe(
      "logged (sent), but the shop's channel matrix does not name push for Payment Received now",
    );
    expect(rowFor(rows, 'Order Accepted', 'email')?.comparison).toBe(
      'template changed since sending: was order-accepted-2025 (pl), now order-accepted (pl)',
    );
    expect(rowFor(rows, 'Order Shipped', 'email')?.comparison).toBe(
      'not in the notification log; would send now',
    );
    expect(rowFor(rows, 'Order Shipped', 'push')?.now).toEqual({
      action: 'skip',
      reason: 'the customer did not choose push',
      fallback: [],
    });
    const sms = rowFor(rows, 'Order Shipped', 'sms');
    expect(sms?.overrides).toEqual(['sms']);
    expect(sms?.now.message).toMatchObject({
      channel: 'sms',
      text: expect.stringContaining(
        `Paczka ${ref.orderNumber} jedzie z InPost: https://status.podebem.example.pl/t/${trackingToken}?lang=pl`,
      ),
    });
    expect(rowFor(rows, 'Order Shipped', 'email')?.now.message).toMatchObject({
      channel: 'email',
      subject: `Paczka ${ref.orderNumber} już do Ciebie jedzie!`,
    });
  });

  it('previews a changed configuration: new texts, a channel switched off, a suppressed address', async () => {
    // Prepare
    const [shop] = exampleShops;
    if (!shop) throw new Error('fixture');
    const changed: ShopConfigInput = {
      ...shop,
      channels: { 'Order Placed': [] },
      templates: { 'order-shipped': { pl: { sms: 'Nowość: {{orderNumber}} w drodze {{trackingUrl}}' } } },
    };
    const file = tempFile('shops.json', JSON.stringify([changed]));
    await new DynamoDbSuppressionList(table.documents, table.tableName).suppress(
      SHOP_ID,
      'email',
      'zofia.wasowska@example.pl',
      'unsubscribed by the customer',
    );

    // Act
    const result = await runCli(['order', 'replay', SHOP_ID, ref.orderId, '--shops', file, '--json'], env);

    // Assess
    expect(result.code).toBe(0);
    const rows = rowsOf(result.stdout);
    expect(rowFor(rows, 'Order Placed', 'email')).toMatchObject({
      now: { action: 'not_planned' },
      comparison: "logged (sent), but the shop's channel matrix does not name email for Order Placed now",
    });
    expect(rowFor(rows, 'Order Shipped', 'sms')?.now.message?.text).toContain(
      `Nowość: ${ref.orderNumber} w drodze`,
    );
    expect(rowFor(rows, 'Order Shipped', 'sms')?.comparison).toBe('same template, would send again');
    expect(rowFor(rows, 'Order Accepted', 'email')).toMatchObject({
      now: { action: 'skip', reason: 'unsubscribed by the customer', fallback: [] },
      comparison: 'was delivered, would now be skipped: unsubscribed by the customer',
    });
  });

  it('prints a readable preview, with the limits of the comparison', async () => {
    // Act
    const result = await runCli(['order', 'replay', SHOP_ID, ref.orderId], env);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Replay of order ${ref.orderNumber} (${ref.orderId}) of shop ${SHOP_ID}`);
    expect(result.stdout).toContain('Nothing is sent.');
    expect(result.stdout).toMatch(
      /^Order Shipped · ord-000071-shipped · .* · template order-shipped \(pl\)$/m,
    );
    expect(result.stdout).toMatch(/^ {2}sms +send to \+48 \*\*\* \*\*\* 567 \[shop override: sms\]$/m);
    expect(result.stdout).toContain('→ same template, would send again');
    expect(result.stdout).toContain('not message bodies');
  });

  it('exits 2 for an invalid shops file, listing its problems', async () => {
    // Prepare
    const file = tempFile('shops.json', JSON.stringify([{ shopId: SHOP_ID, name: 'X', statusPage: {} }]));

    // Act
    const result = await runCli(['order', 'replay', SHOP_ID, ref.orderId, '--shops', file], env);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('shops[0].statusPage.baseUrl');
  });
});
