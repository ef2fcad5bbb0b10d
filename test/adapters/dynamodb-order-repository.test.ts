import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lifecycleEvents, orderRef, SHOP_ID } from '../../fixtures/order-events.js';
import { DynamoDbOrderRepository } from '../../functions/adapters/dynamodb-order-repository.js';
import { orderPk, STATE_SK } from '../../functions/adapters/table-keys.js';
import { EventRefusedError } from '../../functions/domain/errors.js';
import { replay } from '../../functions/domain/order-lifecycle.js';
import { recordOrderEvent } from '../../functions/domain/record-order-event.js';
import { generateTrackingToken } from '../../functions/domain/tracking-token.js';
import { createOrderTable, type TestTable } from '../support/dynamodb.js';

let table: TestTable;
let repository: DynamoDbOrderRepository;

beforeAll(async () => {
  table = await createOrderTable();
  repository = new DynamoDbOrderRepository(table.documents, table.tableName);
});

afterAll(async () => {
  await table.drop();
});

const deps = () => ({
  orders: repository,
  clock: { now: () => new Date('2026-11-20T10:00:00Z') },
  newTrackingToken: generateTrackingToken,
});

describe('Class: DynamoDbOrderRepository', () => {
  describe('Method: append', () => {
    it('writes the event and the new state together, and reads them back', async () => {
      // Prepare
      const [placed] = lifecycleEvents(orderRef(1), 'happyPath');
      if (!placed) throw new Error('fixture');
      const key = { shopId: SHOP_ID, orderId: placed.orderId };

      // Act
      const result = await repository.append({
        key,
        expectedVersion: undefined,
        event: { event: placed, receivedAt: '2026-11-20T10:00:00.000Z' },
        history: replay([placed]),
        trackingToken: 'A'.repeat(32),
        contactKeys: [],
      });

      // Assess
      expect(result).toBe('ok');
      const snapshot = await repository.load(key);
      expect(snapshot).toEqual({
        version: 1,
        trackingToken: 'A'.repeat(32),
        orderNumber: placed.orderNumber,
        events: [{ event: placed, receivedAt: '2026-11-20T10:00:00.000Z' }],
        // when the order last changed in the store: the public view's idle clock counts from it
        updatedAt: '2026-11-20T10:00:00.000Z',
      });
      const state = await table.documents.send(
        new GetCommand({ TableName: table.tableName, Key: { pk: orderPk(key), sk: STATE_SK } }),
      );
      expect(state.Item).toMatchObject({
        status: 'placed',
        orderNumber: placed.orderNumber,
        state: { status: 'placed' },
      });
    });

    it('writes nothing when the expected version is stale', async () => {
      // Prepare
      const [placed, paid] = lifecycleEvents(orderRef(2), 'happyPath');
      if (!placed || !paid) throw new Error('fixture');
      const key = { shopId: SHOP_ID, orderId: placed.orderId };
      await recordOrderEvent(deps(), placed);

      // Act
      const result = await repository.append({
        key,
        expectedVersion: 0,
        event: { event: paid, receivedAt: '2026-11-20T10:00:00.000Z' },
        history: replay([placed, paid]),
        trackingToken: undefined,
        contactKeys: [],
      });

      // Assess
      expect(result).toBe('version_conflict');
      const snapshot = await repository.load(key);
      expect(snapshot?.events.map((stored) => stored.event.type)).toEqual(['Order Placed']);
      expect(snapshot?.version).toBe(1);
    });

    it('writes nothing when the event is already recorded, even with a current version', async () => {
      // Prepare
      const [placed] = lifecycleEvents(orderRef(3), 'happyPath');
      if (!placed) throw new Error('fixture');
      const key = { shopId: SHOP_ID, orderId: placed.orderId };
      await recordOrderEvent(deps(), placed);

      // Act
      const result = await repository.append({
        key,
        expectedVersion: 1,
        event: { event: placed, receivedAt: '2026-11-20T10:05:00.000Z' },
        history: replay([placed]),
        trackingToken: undefined,
        contactKeys: [],
      });

      // Assess
      expect(result).toBe('event_exists');
      expect((await repository.load(key))?.version).toBe(1);
    });
  });

  describe('Method: findByTrackingToken / findByOrderNumber', () => {
    it('finds a placed order by its tracking token and by shop + order number', async () => {
      // Prepare
      const ref = orderRef(4);
      const [placed] = lifecycleEvents(ref, 'happyPath');
      if (!placed) throw new Error('fixture');
      await recordOrderEvent(deps(), placed);
      const token = (await repository.load({ shopId: SHOP_ID, orderId: ref.orderId }))?.trackingToken;

      // Act
      const byToken = await repository.findByTrackingToken(token ?? '');
      const byNumber = await repository.findByOrderNumber(SHOP_ID, ref.orderNumber);
      const unknown = await repository.findByTrackingToken(generateTrackingToken());

      // Assess
      expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(byToken).toEqual({ shopId: SHOP_ID, orderId: ref.orderId });
      expect(byNumber).toEqual({ shopId: SHOP_ID, orderId: ref.orderId });
      expect(unknown).toBeUndefined();
    });

    it('gives an order no tracking token before it is placed', async () => {
      // Prepare
      const ref = orderRef(5);
      const shipped = lifecycleEvents(ref, 'happyPath').find((event) => event.type === 'Order Shipped');
      if (!shipped) throw new Error('fixture');

      // Act
      const result = await recordOrderEvent(deps(), shipped);

      // Assess
      expect(result).toMatchObject({ kind: 'recorded', outcome: { kind: 'awaiting_placement' } });
      expect(
        (await repository.load({ shopId: SHOP_ID, orderId: ref.orderId }))?.trackingToken,
      ).toBeUndefined();
    });
  });
});

describe('Function: recordOrderEvent on DynamoDB Local', () => {
  it('keeps the token of an order across later events and a late Order Placed', async () => {
    // Prepare
    const ref = orderRef(6);
    const [placed, ...rest] = lifecycleEvents(ref, 'happyPath');
    if (!placed) throw new Error('fixture');
    const key = { shopId: SHOP_ID, orderId: ref.orderId };

    // Act
    for (const event of rest.slice(0, 2)) await recordOrderEvent(deps(), event);
    await recordOrderEvent(deps(), placed);
    const tokenAfterPlacement = (await repository.load(key))?.trackingToken;
    for (const event of rest.slice(2)) await recordOrderEvent(deps(), event);
    const final = await repository.load(key);

    // Assess
    expect(tokenAfterPlacement).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(final?.trackingToken).toBe(tokenAfterPlacement);
    expect(final?.version).toBe(7);
  });

  it('records each of many concurrent deliveries of one order exactly once, with no lost update', async () => {
    // Prepare: every event of the order delivered three times, all at once
    const ref = orderRef(7);
    const lifecycle = lifecycleEvents(ref, 'engravingHold');
    const deliveries = [...lifecycle, ...lifecycle, ...lifecycle].map((event) => structuredClone(event));

    // Act
    const results = await Promise.all(
      deliveries.map((event) => recordOrderEvent({ ...deps(), maxAttempts: 50 }, event)),
    );

    // Assess
    const recorded = results.filter((result) => result.kind === 'recorded');
    expect(recorded).toHaveLength(lifecycle.length);
    expect(results.filter((result) => result.kind === 'duplicate')).toHaveLength(lifecycle.length * 2);
    const snapshot = await repository.load({ shopId: SHOP_ID, orderId: ref.orderId });
    expect(snapshot?.version).toBe(lifecycle.length);
    const stored = await table.documents.send(
      new GetCommand({
        TableName: table.tableName,
        Key: { pk: orderPk({ shopId: SHOP_ID, orderId: ref.orderId }), sk: STATE_SK },
      }),
    );
    expect(stored.Item?.state).toEqual(JSON.parse(JSON.stringify(replay(lifecycle).state)));
  });

  it('gives an order number to exactly one of many orders placed with it at once', async () => {
    // Prepare: several runs; each, 2 to 6 different orders placed at the same moment with one number
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 6 }), fc.nat(), async (contenders, salt) => {
        const number = `RACE/${salt}/${randomUUID().slice(0, 8)}`;
        const placements = Array.from({ length: contenders }, (_, i) => {
          const [placed] = lifecycleEvents(
            { orderId: `race-${number.replaceAll('/', '-')}-${i}`, orderNumber: number },
            'happyPath',
          );
          if (!placed) throw new Error('fixture');
          return placed;
        });

        // Act
        const results = await Promise.allSettled(
          placements.map((placed) => recordOrderEvent({ ...deps(), maxAttempts: 50 }, placed)),
        );

        // Assess: one recorded, every other refused; the refused orders left nothing behind
        const winners = results.flatMap((result, i) => (result.status === 'fulfilled' ? [i] : []));
        expect(winners).toHaveLength(1);
        for (const result of results) {
          if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(EventRefusedError);
        }
        const winner = placements[winners[0] ?? -1];
        expect(await repository.findByOrderNumber(SHOP_ID, number)).toEqual({
          shopId: SHOP_ID,
          orderId: winner?.orderId,
        });
        for (const placed of placements.filter((candidate) => candidate !== winner)) {
          expect(await repository.load({ shopId: SHOP_ID, orderId: placed.orderId })).toBeUndefined();
        }
      }),
      { numRuns: 8 },
    );
  });

  it('lets an order claim its own number again (a redelivered or late placement)', async () => {
    // Prepare
    const ref = orderRef(8);
    const [placed, ...rest] = lifecycleEvents(ref, 'happyPath');
    if (!placed) throw new Error('fixture');
    for (const event of rest.slice(0, 2)) await recordOrderEvent(deps(), event);

    // Act
    const first = await recordOrderEvent(deps(), placed);
    const again = await recordOrderEvent(deps(), structuredClone(placed));

    // Assess
    expect(first).toMatchObject({ kind: 'recorded' });
    expect(again).toMatchObject({ kind: 'duplicate' });
    expect(await repository.findByOrderNumber(SHOP_ID, ref.orderNumber)).toEqual({
      shopId: SHOP_ID,
      orderId: ref.orderId,
    });
  });
});
