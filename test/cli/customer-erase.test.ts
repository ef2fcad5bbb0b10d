import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LifecycleName,
  lifecycleEvents,
  type OrderRef,
  orderRef,
  SHOP_ID,
} from '../../fixtures/order-events.js';
import { DynamoDbSuppressionList } from '../../functions/adapters/dynamodb-suppression-list.js';
import { orderPk, STATE_SK } from '../../functions/adapters/table-keys.js';
import type { OrderEvent } from '../../functions/domain/order-events.js';
import { recordOrderEvent } from '../../functions/domain/record-order-event.js';
import { generateTrackingToken } from '../../functions/domain/tracking-token.js';
import { createOrderTable, type TestTable } from '../support/dynamodb.js';
import { type CliEnv, localEnv, logNotification, runCli, seed } from './harness.js';

const OTHER_SHOP = 'inny-sklep';
const EMAIL = 'zofia.wasowska@example.pl';

/** Everything of Zofia's the orders and the log hold, in every form it is written in. */
const ORIGINALS = [
  'Zofia',
  'Wąsowska',
  EMAIL,
  '+48 601 234 567',
  '+48601234567',
  '601 234 567',
  'z***@example.pl',
  '+48 *** *** 567',
  'device-token-zofia-0001',
  'fcm …0001',
  'Kraków',
  '30-001',
  'Dla Babci',
  'graweru',
  'potwierdzona telefonicznie',
  'Grawer nieczytelny',
  'PRZELEW-2026',
];

const leftovers = (text: string): string[] =>
  ORIGINALS.filter((original) => text.toLowerCase().includes(original.toLowerCase()));

let table: TestTable;
let env: CliEnv;

const withCustomer = (
  events: OrderEvent[],
  customer: Partial<Extract<OrderEvent, { type: 'Order Placed' }>['customer']>,
  shopId = SHOP_ID,
): OrderEvent[] =>
  events.map((event) =>
    event.type === 'Order Placed'
      ? { ...event, shopId, customer: { ...event.customer, ...customer } }
      : { ...event, shopId },
  );

const lifecycle = (ref: OrderRef, name: LifecycleName, count?: number) =>
  lifecycleEvents(ref, name).slice(0, count);

const show = async (orderId: string, shopId = SHOP_ID) => {
  const result = await runCli(['order', 'show', shopId, orderId, '--json'], env);
  expect(result.code).toBe(0);
  return result.stdout;
};

const stateItem = async (shopId: string, orderId: string) =>
  (
    await table.documents.send(
      new GetCommand({ TableName: table.tableName, Key: { pk: orderPk({ shopId, orderId }), sk: STATE_SK } }),
    )
  ).Item ?? {};

const erasureRecords = async () =>
  (
    await table.documents.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `ERASURE#${SHOP_ID}` },
      }),
    )
  ).Items ?? [];

// Zofia's two orders: one on its way (held for an engraving first), one delivered with a complaint.
const held = orderRef(61);
const complained = orderRef(62);
// Somebody else's order in the same shop, and Zofia's order in another shop: neither may change.
const someoneElse = orderRef(63);
const otherShop = orderRef(64);
const [heldDelivered] = lifecycleEvents(held, 'engravingHold').slice(7);

beforeAll(async () => {
  table = await createOrderTable();
  env = localEnv({ ORDERS_TABLE_NAME: table.tableName });
  await seed(table, [
    ...withCustomer(lifecycle(held, 'engravingHold', 7), {
      pushTargets: [{ platform: 'fcm', deviceToken: 'device-token-zofia-0001' }],
      channels: { email: true, sms: true, push: true },
    }),
    ...withCustomer(lifecycle(complained, 'complaint'), { email: 'Zofia.Wasowska@Example.PL' }),
    ...withCustomer(lifecycle(someoneElse, 'happyPath'), {
      name: 'Jan Kowalski',
      email: 'jan.kowalski@example.pl',
      phone: '+48 700 800 900',
    }),
    ...withCustomer(lifecycle(otherShop, 'happyPath'), {}, OTHER_SHOP),
  ]);
  const record = { shopId: SHOP_ID, orderId: held.orderId } as const;
  await logNotification(table, {
    ...record,
    eventId: `${held.orderId}-placed`,
    eventType: 'Order Placed',
    channel: 'email',
    outcome: 'sent',
    address: 'z***@example.pl',
  });
  await logNotification(table, {
    ...record,
    eventId: `${held.orderId}-shipped`,
    eventType: 'Order Shipped',
    channel: 'sms',
    outcome: 'failed',
    address: '+48 *** *** 567',
    reason: 'SNS refused the SMS: InvalidParameter: +48601234567 is not a valid number',
  });
  await logNotification(table, {
    ...record,
    eventId: `${held.orderId}-shipped`,
    eventType: 'Order Shipped',
    channel: 'push',
    outcome: 'sent',
    address: 'fcm …0001',
  });
});

afterAll(async () => {
  await table.drop();
});

// One customer's story, in order: a dry run, the erasure, a second run, a later event.
describe('Command: customer erase', () => {
  it('erases nothing without a confirmation: --yes for scripts, a yes at a terminal', async () => {
    // Prepare
    const before = await show(held.orderId);
    const questions: string[] = [];

    // Act
    const script = await runCli(['customer', 'erase', SHOP_ID, '--email', EMAIL], env);
    const declined = await runCli(['customer', 'erase', SHOP_ID, '--email', EMAIL], env, {
      answer: (question) => {
        questions.push(question);
        return false;
      },
    });

    // Assess
    expect(script.code).toBe(2);
    expect(script.stderr).toContain('pass --yes to confirm');
    expect(declined.code).toBe(2);
    expect(declined.stderr).toContain('not confirmed: nothing was erased');
    expect(questions).toEqual([
      `Erase the personal data of every order of ${SHOP_ID} held by this e-mail address? This cannot be undone.`,
    ]);
    expect(questions.join('')).not.toContain(EMAIL);
    expect(await show(held.orderId)).toBe(before);
  });

  it('finds nothing to change in a dry run, and changes nothing', async () => {
    // Prepare
    const before = await stateItem(SHOP_ID, held.orderId);

    // Act
    const result = await runCli(
      ['customer', 'erase', SHOP_ID, '--phone', '601 234 567', '--dry-run', '--json'],
      env,
    );

    // Assess
    expect(result.code).toBe(0);
    const report = result.json<{ status: string; orders: Array<{ orderId: string; result: string }> }>();
    expect(report.status).toBe('dry_run');
    expect(report.orders.map((order) => [order.orderId, order.result])).toEqual([
      [held.orderId, 'would_erase'],
      [complained.orderId, 'would_erase'],
    ]);
    expect(await stateItem(SHOP_ID, held.orderId)).toEqual(before);
    expect(await erasureRecords()).toEqual([]);
    expect(
      await new DynamoDbSuppressionList(table.documents, table.tableName).check(SHOP_ID, 'email', EMAIL),
    ).toBe(undefined);
  });

  it("erases the customer's data from every order of the shop, the log's addresses, and records it", async () => {
    // Prepare
    const before = await stateItem(SHOP_ID, held.orderId);
    expect(leftovers(await show(held.orderId)).length).toBeGreaterThan(8);

    // Act
    const result = await runCli(
      ['customer', 'erase', SHOP_ID, '--email', 'ZOFIA.WASOWSKA@example.pl', '--yes'],
      env,
    );

    // Assess
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `Erased the customer's personal data from 2 order(s) of shop ${SHOP_ID}.`,
    );
    expect(result.stdout).toMatch(new RegExp(`^${held.orderId} +${held.orderNumber} +erased +4 +3 +3$`, 'm'));
    expect(result.stdout).toMatch(
      new RegExp(`^${complained.orderId} +${complained.orderNumber} +erased +4 +0 +0$`, 'm'),
    );
    for (const orderId of [held.orderId, complained.orderId]) {
      const shown = await show(orderId);
      expect(leftovers(shown)).toEqual([]);
      expect(JSON.parse(shown).order).toMatchObject({ erased: true, erasedAt: expect.any(String) });
    }
    const shown = JSON.parse(await show(held.orderId)) as {
      notifications: Array<{ address: string; reason?: string }>;
    };
    expect(shown.notifications.map((record) => record.address)).toEqual(['[erased]', '[erased]', '[erased]']);
    expect(shown.notifications[2]?.reason).toBe(
      'SNS refused the SMS: InvalidParameter: [erased] is not a valid number',
    );

    const after = await stateItem(SHOP_ID, held.orderId);
    expect(after).toMatchObject({
      erasedAt: expect.any(String),
      version: before.version + 1,
      status: 'shipped',
    });
    expect(after.state).toMatchObject({ erased: true, customer: { name: '—' } });
    expect(after.appliedEventIds).toEqual(before.appliedEventIds);
    expect(after.trackingToken).toBe(before.trackingToken);

    const suppressions = new DynamoDbSuppressionList(table.documents, table.tableName);
    expect(await suppressions.check(SHOP_ID, 'email', EMAIL)).toBe('erased on request');
    expect(await suppressions.check(SHOP_ID, 'sms', '+48601234567')).toBe('erased on request');
    expect(await suppressions.disabledPushTokens(SHOP_ID, ['device-token-zofia-0001'])).toEqual(
      new Set(['device-token-zofia-0001']),
    );
    expect(await suppressions.check(OTHER_SHOP, 'email', EMAIL)).toBe(undefined);

    const records = await erasureRecords();
    expect(records).toEqual([
      expect.objectContaining({
        matchedBy: 'email',
        orderIds: [held.orderId, complained.orderId],
        counts: { orders: 2, events: 8, notificationRecords: 3, suppressions: 3 },
      }),
    ]);
    expect(leftovers(JSON.stringify(records))).toEqual([]);

    expect(leftovers(await show(otherShop.orderId, OTHER_SHOP))).toContain(EMAIL);
    expect(await show(someoneElse.orderId)).toContain('jan.kowalski@example.pl');
  });

  it('reports "already erased" on a second run and changes nothing more', async () => {
    // Prepare
    const before = await stateItem(SHOP_ID, held.orderId);

    // Act
    const human = await runCli(['customer', 'erase', SHOP_ID, '--email', EMAIL, '--yes'], env);
    const json = await runCli(
      ['customer', 'erase', SHOP_ID, '--phone', '+48601234567', '--yes', '--json'],
      env,
    );

    // Assess
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('Already erased');
    expect(json.code).toBe(0);
    expect(json.json()).toMatchObject({
      status: 'already_erased',
      alreadyErased: true,
      orders: [],
      recordKey: null,
    });
    expect(await stateItem(SHOP_ID, held.orderId)).toEqual(before);
    expect(await erasureRecords()).toHaveLength(1);
  });

  it('lets the ingest apply later events to an erased order, and the data stays erased', async () => {
    // Prepare
    if (!heldDelivered) throw new Error('fixture');
    const orders = await seed(table, []);

    // Act
    const result = await recordOrderEvent(
      {
        orders,
        clock: { now: () => new Date('2026-11-25T12:00:00Z') },
        newTrackingToken: generateTrackingToken,
      },
      { ...heldDelivered, shopId: SHOP_ID },
    );

    // Assess
    expect(result).toMatchObject({ kind: 'recorded', outcome: { kind: 'applied' }, status: 'delivered' });
    const shown = await show(held.orderId);
    expect(JSON.parse(shown).order.status).toBe('delivered');
    expect(leftovers(shown)).toEqual([]);
    expect(leftovers(JSON.stringify(await stateItem(SHOP_ID, held.orderId)))).toEqual([]);
  });

  it('exits 3 when no order holds the address, and 2 when the customer is not named once', async () => {
    // Act
    const nobody = await runCli(['customer', 'erase', SHOP_ID, '--email', 'nobody@example.pl', '--yes'], env);
    const both = await runCli(
      ['customer', 'erase', SHOP_ID, '--email', EMAIL, '--phone', '+48601234567'],
      env,
    );
    const neither = await runCli(['customer', 'erase', SHOP_ID], env);

    // Assess
    expect(nobody.code).toBe(3);
    expect(nobody.stderr).toContain(`no order of shop ${SHOP_ID} holds this e-mail address`);
    expect(both.code).toBe(2);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('exactly one of --email <address> or --phone <number>');
  });
});
