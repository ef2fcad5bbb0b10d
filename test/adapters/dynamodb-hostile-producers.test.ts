/**
 * What a hostile producer can do to an order on DynamoDB Local: race a second placement against the
 * first, and choose ids that name Object.prototype members. The marshalling facts this guards against
 * (lib-dynamodb, checked here so an upgrade cannot quietly change them): a map key `__proto__` is dropped
 * without an error, and a map with a key `constructor` is refused as a class instance. The order state
 * therefore keeps no map keyed by a producer's id.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleDetails, orderRef, SHOP_ID, toEvent } from '../../fixtures/order-events.js';
import { DynamoDbOrderRepository } from '../../functions/adapters/dynamodb-order-repository.js';
import { orderPk, STATE_SK } from '../../functions/adapters/table-keys.js';
import { EventRefusedError } from '../../functions/domain/errors.js';
import type { OrderEvent, OrderEventType } from '../../functions/domain/order-events.js';
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
  maxAttempts: 50,
});

const itemsOf = async (orderId: string) =>
  (
    await table.documents.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': orderPk({ shopId: SHOP_ID, orderId }) },
        ConsistentRead: true,
      }),
    )
  ).Items ?? [];

describe('Function: recordOrderEvent with racing placements on DynamoDB Local', () => {
  it.each([2, 3, 6])('lets exactly one of %i different placements of a new order win', async (racers) => {
    for (let round = 0; round < 4; round++) {
      // Prepare: different producers place the same new order at once, each with its own customer
      const ref = orderRef(500 + racers * 10 + round);
      const details = exampleDetails(ref)['Order Placed'];
      const placements = Array.from({ length: racers }, (_, i) =>
        toEvent('Order Placed', {
          ...details,
          eventId: `placement-${i}`,
          occurredAt: new Date(Date.UTC(2026, 10, 20, 9, 10 - i)).toISOString(),
          customer: { ...details.customer, name: `Klient Numer${i}`, email: `klient${i}@example.pl` },
        }),
      );

      // Act
      const results = await Promise.allSettled(placements.map((event) => recordOrderEvent(deps(), event)));

      // Assess: one recorded, every other refused as permanent, and nothing of the losers stored
      const won = results.flatMap((result, i) => (result.status === 'fulfilled' ? [i] : []));
      expect(won).toHaveLength(1);
      const losers = results.filter((result) => result.status === 'rejected');
      expect(losers).toHaveLength(racers - 1);
      for (const loser of losers) {
        expect(loser.reason).toBeInstanceOf(EventRefusedError);
        expect((loser.reason as EventRefusedError).permanent).toBe(true);
      }
      const items = await itemsOf(ref.orderId);
      expect(items.map((item) => item.sk).sort()).toEqual([`EVENT#placement-${won[0]}`, STATE_SK]);
      const stored = JSON.stringify(items);
      for (let i = 0; i < racers; i++) {
        if (i !== won[0]) expect(stored).not.toContain(`klient${i}@example.pl`);
      }
    }
  });
});

describe('Class: DynamoDbOrderRepository with ids naming Object.prototype members', () => {
  it('shows the marshalling hazards the state avoids', () => {
    // Act
    const dropped = marshall(JSON.parse('{"__proto__": {"status": "open"}, "kept": 1}'));

    // Assess
    expect(dropped).toEqual({ kept: { N: '1' } });
    expect(() => marshall({ constructor: { status: 'open' } })).toThrow(/Unsupported type/);
  });

  it('stores and reads back an order whose returns, complaints and skus are __proto__, constructor and valueOf', async () => {
    // Prepare: events past the contract's identifier rule, as a future contract might allow
    const ref = { orderId: 'constructor', orderNumber: 'ZAM/2026/11/0900' };
    const details = exampleDetails(ref);
    const event = (type: OrderEventType, fields: Record<string, unknown> = {}): OrderEvent =>
      ({ ...toEvent(type, details[type] as never), ...fields }) as OrderEvent;
    const placed = details['Order Placed'];
    const events = [
      event('Order Placed', {
        eventId: '__proto__',
        lines: placed.lines.map((line, i) => ({ ...line, sku: i === 0 ? 'valueOf' : '__proto__' })),
        payment: { method: 'card', status: 'paid' },
      }),
      event('Order Delivered', { eventId: 'toString' }),
      event('Return Requested', {
        eventId: 'hasOwnProperty',
        returnId: '__proto__',
        lines: [{ sku: 'valueOf', quantity: 1 }],
      }),
      event('Refund Issued', { eventId: 'valueOf', returnId: '__proto__', refundId: 'constructor' }),
      event('Complaint Opened', { eventId: 'isPrototypeOf', complaintId: 'constructor', sku: '__proto__' }),
      event('Complaint Resolved', { eventId: 'propertyIsEnumerable', complaintId: 'constructor' }),
      event('Complaint Resolved', { eventId: 'toLocaleString', complaintId: '__proto__' }),
    ];

    // Act
    const results = [];
    for (const each of events) results.push(await recordOrderEvent(deps(), each));

    // Assess: every event recorded with the outcome the pure fold gives, and the stored state is that fold
    const expected = replay(events);
    expect(results.map((result) => (result.kind === 'recorded' ? result.outcome.kind : result.kind))).toEqual(
      events.map((each) => expected.timeline.find((entry) => entry.event === each)?.outcome.kind),
    );
    expect(expected.state.returns).toEqual([
      expect.objectContaining({ returnId: '__proto__', status: 'refunded' }),
    ]);
    expect(expected.state.complaints).toEqual([
      expect.objectContaining({ complaintId: 'constructor', status: 'resolved' }),
    ]);
    const key = { shopId: SHOP_ID, orderId: ref.orderId };
    const snapshot = await repository.load(key);
    expect(snapshot?.version).toBe(events.length);
    expect(replay(snapshot?.events.map((stored) => stored.event) ?? [])).toEqual(expected);
    const state = await table.documents.send(
      new GetCommand({ TableName: table.tableName, Key: { pk: orderPk(key), sk: STATE_SK } }),
    );
    expect(state.Item?.state).toEqual(JSON.parse(JSON.stringify(expected.state)));
  });
});
