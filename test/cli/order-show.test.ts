import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleDetails, orderRef, SHOP_ID, toEvent } from '../../fixtures/order-events.js';
import type { OrderEventType } from '../../functions/domain/order-events.js';
import { createOrderTable, type TestTable } from '../support/dynamodb.js';
import { type CliEnv, localEnv, logNotification, runCli, seed, tempFile } from './harness.js';

const exec = promisify(execFile);

const ref = orderRef(1);
let table: TestTable;
let env: CliEnv;
let trackingToken: string;

const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 9, minute)).toISOString();
const event = (type: OrderEventType, minute: number) =>
  toEvent(type, { ...exampleDetails(ref)[type], occurredAt: at(minute) } as never);

beforeAll(async () => {
  table = await createOrderTable();
  env = localEnv({ ORDERS_TABLE_NAME: table.tableName });
  // The acceptance arrives after the shipment: true, but old news (superseded).
  const orders = await seed(table, [
    event('Order Placed', 0),
    event('Payment Received', 5),
    event('Order Shipped', 10),
    event('Order Accepted', 15),
  ]);
  trackingToken = (await orders.load({ shopId: SHOP_ID, orderId: ref.orderId }))?.trackingToken ?? '';
  await logNotification(table, {
    shopId: SHOP_ID,
    orderId: ref.orderId,
    eventId: `${ref.orderId}-placed`,
    eventType: 'Order Placed',
    channel: 'email',
    outcome: 'sent',
    address: 'z***@example.pl',
  });
  await logNotification(table, {
    shopId: SHOP_ID,
    orderId: ref.orderId,
    eventId: `${ref.orderId}-shipped`,
    eventType: 'Order Shipped',
    channel: 'sms',
    outcome: 'failed',
    address: '+48 *** *** 567',
    reason: 'SNS refused the SMS: InvalidParameter: Invalid parameter: PhoneNumber',
  });
});

afterAll(async () => {
  await table.drop();
});

describe('Command: order show', () => {
  it('shows the state, the timeline with outcomes and reasons, the notifications and the tracking link', async () => {
    // Act
    const result = await runCli(['order', 'show', SHOP_ID, ref.orderId], env);

    // Assess
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(`Order ${ref.orderNumber} (${ref.orderId}) of shop ${SHOP_ID}`);
    expect(result.stdout).toMatch(/^Status +shipped since 2026-11-20T09:10:00\.000Z$/m);
    expect(result.stdout).toMatch(
      /^Payment +paid, bank_transfer, paid PLN 115\.97 at 2026-11-20T09:05:00\.000Z$/m,
    );
    expect(result.stdout).toMatch(
      new RegExp(
        `^Tracking link +https://status\\.podebem\\.example\\.pl/t/${trackingToken}\\?lang=pl$`,
        'm',
      ),
    );
    const accepted = lines.find((line) => line.includes(`${ref.orderId}-accepted`));
    expect(accepted).toMatch(/Order Accepted +\S+ +superseded +the order has already moved past acceptance$/);
    const sms = lines.find((line) => /^Order Shipped +sms /.test(line));
    expect(sms).toMatch(
      /order-shipped +pl +failed +1 +\+48 \*\*\* \*\*\* 567 .*SNS refused the SMS: InvalidParameter/,
    );
  });

  it('finds the order by the number the customer sees', async () => {
    // Act
    const result = await runCli(['order', 'show', SHOP_ID, ref.orderNumber, '--json'], env);

    // Assess
    expect(result.code).toBe(0);
    const shown = result.json<{ order: { orderId: string; trackingUrl: string } }>();
    expect(shown.order.orderId).toBe(ref.orderId);
    expect(shown.order.trackingUrl).toBe(`https://status.podebem.example.pl/t/${trackingToken}?lang=pl`);
  });

  it('gives scripts the full structure with --json', async () => {
    // Act
    const result = await runCli(['--json', 'order', 'show', SHOP_ID, ref.orderId], env);

    // Assess
    expect(result.code).toBe(0);
    const shown = result.json<{
      order: Record<string, unknown>;
      state: { status: string; customer: { email: string } };
      timeline: Array<{ type: string; outcome: string; reason: string | null; receivedAt: string }>;
      notifications: Array<{ channel: string; outcome: string }>;
    }>();
    expect(shown.order).toMatchObject({
      shopId: SHOP_ID,
      orderNumber: ref.orderNumber,
      status: 'shipped',
      erased: false,
      version: 4,
    });
    expect(shown.state.customer.email).toBe('zofia.wasowska@example.pl');
    expect(shown.timeline.map((entry) => [entry.type, entry.outcome, entry.reason])).toEqual([
      ['Order Placed', 'applied', null],
      ['Payment Received', 'applied', null],
      ['Order Shipped', 'applied', null],
      ['Order Accepted', 'superseded', 'the order has already moved past acceptance'],
    ]);
    expect(shown.timeline[0]?.receivedAt).toBe('2026-11-20T12:00:00.000Z');
    expect(shown.notifications.map((record) => [record.channel, record.outcome])).toEqual([
      ['email', 'sent'],
      ['sms', 'failed'],
    ]);
  });

  it('exits 3 for an order that does not exist', async () => {
    // Act
    const result = await runCli(['order', 'show', SHOP_ID, 'ord-missing'], env);

    // Assess
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('no order "ord-missing" of shop sklep-pod-debem');
  });

  it('exits 2 without a table, and for a shop id that cannot exist', async () => {
    // Act
    const noTable = await runCli(['order', 'show', SHOP_ID, ref.orderId], localEnv());
    const badShop = await runCli(['order', 'show', 'Sklep#1', ref.orderId], env);
    const asJson = await runCli(['order', 'show', SHOP_ID, ref.orderId, '--json'], localEnv());

    // Assess
    expect(noTable.code).toBe(2);
    expect(noTable.stderr).toContain('pass --table <name> or set ORDERS_TABLE_NAME');
    expect(badShop.code).toBe(2);
    expect(asJson.code).toBe(2);
    expect(asJson.json()).toEqual({
      error: {
        message: 'no order table: pass --table <name> or set ORDERS_TABLE_NAME',
        problems: [],
        exitCode: 2,
      },
    });
  });

  it('shows several orders in one call, from the arguments and --from-file, and names the missing ones', async () => {
    // Prepare: a second order, of an English-speaking customer
    const other = orderRef(2);
    const placed = exampleDetails(other)['Order Placed'];
    await seed(table, [
      toEvent('Order Placed', { ...placed, customer: { ...placed.customer, locale: 'en-GB' } }),
    ]);
    const list = tempFile(
      'ids.txt',
      `# orders to check\n${other.orderNumber}\n\nord-404404\n${ref.orderId}\n`,
    );

    // Act
    const result = await runCli(
      ['order', 'show', SHOP_ID, ref.orderNumber, '--from-file', list, '--json'],
      env,
    );
    const people = await runCli(['order', 'show', SHOP_ID, ref.orderId, other.orderId], env);

    // Assess: each order once (the first by its number and its id), in the order given; the missing one named
    expect(result.code).toBe(3);
    const batch = result.json<{
      requested: number;
      found: number;
      notFound: string[];
      orders: Array<{ order: { orderId: string; trackingUrl: string } }>;
    }>();
    expect(batch.requested).toBe(4);
    expect(batch.found).toBe(2);
    expect(batch.notFound).toEqual(['ord-404404']);
    expect(batch.orders.map((entry) => entry.order.orderId)).toEqual([ref.orderId, other.orderId]);
    expect(batch.orders[0]?.order.trackingUrl).toMatch(/\?lang=pl$/);
    expect(batch.orders[1]?.order.trackingUrl).toMatch(
      /^https:\/\/status\.podebem\.example\.pl\/t\/[\w-]+\?lang=en$/,
    );
    expect(result.stderr).toContain('warning: no order "ord-404404" of shop sklep-pod-debem');
    expect(people.code).toBe(0);
    expect(people.stdout).toContain(`Order ${ref.orderNumber} (${ref.orderId})`);
    expect(people.stdout).toContain(`Order ${other.orderNumber} (${other.orderId})`);
    expect(people.stdout).toContain('2 of 2 order(s) shown; 0 not found');
  });

  it('prints nothing but the JSON document on stdout, through the bin and `npm run -s cli`', async () => {
    // Act
    const options = { timeout: 90_000, env: { ...process.env, ...env } as NodeJS.ProcessEnv };
    const bin = await exec(
      process.execPath,
      ['cli/order-notifications.mjs', 'order', 'show', SHOP_ID, ref.orderId, '--json'],
      options,
    );
    const npm = await exec(
      'npm',
      ['run', '-s', 'cli', '--', 'order', 'show', SHOP_ID, ref.orderId, '--json'],
      options,
    );

    // Assess: stdout parses whole
    expect(JSON.parse(bin.stdout).order.orderId).toBe(ref.orderId);
    expect(JSON.parse(npm.stdout).order.orderId).toBe(ref.orderId);
  }, 120_000);
});
