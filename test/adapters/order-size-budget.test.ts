/**
 * The size budget on DynamoDB Local: the worst order the contract and the per-order limits admit (a
 * maximal Order Placed, then the most events of every kind, each as big as its budget lets it be) is
 * recorded in full, every item stays well under DynamoDB's 400 KB, and one past each limit is refused
 * with the field or the limit named, storing nothing.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleDetails, orderRef, SHOP_ID, toEvent } from '../../fixtures/order-events.js';
import { DynamoDbOrderRepository } from '../../functions/adapters/dynamodb-order-repository.js';
import { orderPk, STATE_SK } from '../../functions/adapters/table-keys.js';
import { EventRefusedError } from '../../functions/domain/errors.js';
import {
  type OrderEvent,
  type OrderEventDetailInput,
  type OrderEventType,
  parseOrderEvent,
} from '../../functions/domain/order-events.js';
import { ORDER_LIMITS } from '../../functions/domain/order-limits.js';
import { recordOrderEvent } from '../../functions/domain/record-order-event.js';
import { generateTrackingToken } from '../../functions/domain/tracking-token.js';
import {
  type MaximalOrder,
  maximalDetails,
  maximalOrder,
  maximalPlaced,
  validated,
  WIDE,
} from '../fixtures/maximal-events.js';
import { createOrderTable, type TestTable } from '../support/dynamodb.js';
import { DYNAMODB_ITEM_LIMIT_BYTES, itemSize } from '../support/dynamodb-item-size.js';

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

/** The worst order: every event as big as it may be, as many of each as an order may hold. */
const worstLifecycle = (order: MaximalOrder): OrderEvent[] => {
  const d = maximalDetails(order);
  let step = 0;
  const next = () => {
    step += 1;
    return step;
  };
  const events: OrderEvent[] = [validated('Order Placed', maximalPlaced(order))];
  const add = <T extends OrderEventType>(type: T, detail: OrderEventDetailInput<T>) =>
    events.push(validated(type, detail));
  for (let i = 0; i < ORDER_LIMITS.payments; i++) add('Payment Received', d.payment(i, next()));
  add('Order Accepted', d.accepted(next()));
  add('Order On Hold', d.hold(0, next()));
  add('Order Resumed', d.resumed(next()));
  add('Order Preparing', d.preparing(next()));
  add('Order Shipped', d.shipped(next()));
  add('Order Out For Delivery', d.out(next()));
  add('Order Delivered', d.delivered(next()));
  for (let i = 0; i < ORDER_LIMITS.returns; i++) {
    add('Return Requested', d.returnRequested(i, next()));
    add('Return Received', d.returnReceived(i, next()));
  }
  for (let i = 0; i < ORDER_LIMITS.refunds; i++) add('Refund Issued', d.refund(i, next()));
  for (let i = 0; i < ORDER_LIMITS.complaints; i++) {
    add('Complaint Opened', d.complaintOpened(i, next()));
    add('Complaint Resolved', d.complaintResolved(i, next()));
  }
  add('Order Cancelled', d.cancelled(next()));
  // The rest of the order's room, in the biggest events that can still come: holds (rejected, but stored).
  for (let i = 1; events.length < ORDER_LIMITS.events; i++) add('Order On Hold', d.hold(i, next()));
  return events;
};

const rawItems = async (key: { shopId: string; orderId: string }) => {
  const result = await table.documents.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': orderPk(key) },
      ConsistentRead: true,
    }),
  );
  return result.Items ?? [];
};

describe('Order size budget, on DynamoDB Local', () => {
  it('records the worst order in full and keeps every item under 75% of the 400 KB limit', async () => {
    // Prepare
    const order = maximalOrder('worst');
    const events = worstLifecycle(order);

    // Act
    const results = [];
    for (const event of events) results.push(await recordOrderEvent(deps(), event));

    // Assess: every event recorded (applied, superseded or rejected, never refused or lost)
    expect(events).toHaveLength(ORDER_LIMITS.events);
    expect(results.map((result) => result.kind)).toEqual(events.map(() => 'recorded'));
    const snapshot = await repository.load(order);
    expect(snapshot?.events).toHaveLength(ORDER_LIMITS.events);
    const state = await table.documents.send(
      new GetCommand({ TableName: table.tableName, Key: { pk: orderPk(order), sk: STATE_SK } }),
    );
    const stateItem = state.Item as Record<string, unknown>;
    const stateState = stateItem.state as { returns: object; complaints: object; status: string };
    expect(stateState.status).toBe('delivered');
    expect(Object.keys(stateState.returns)).toHaveLength(ORDER_LIMITS.returns);
    expect(Object.keys(stateState.complaints)).toHaveLength(ORDER_LIMITS.complaints);
    const stateBytes = itemSize(stateItem);
    expect(stateBytes).toBeLessThan(0.75 * DYNAMODB_ITEM_LIMIT_BYTES);
    // The planner's stream record carries the NEW and OLD images: two state items, far below 6 MB.
    expect(2 * stateBytes).toBeLessThan(6 * 1024 * 1024);
    const eventItems = (await rawItems(order)).filter((item) => item.sk !== STATE_SK);
    expect(eventItems).toHaveLength(ORDER_LIMITS.events);
    const largestEventItem = Math.max(...eventItems.map((item) => itemSize(item)));
    expect(largestEventItem).toBeLessThan(0.25 * DYNAMODB_ITEM_LIMIT_BYTES);
  }, 120_000);

  it('refuses one event past the full order, storing nothing', async () => {
    // Prepare
    const order = maximalOrder('worst');
    const before = await repository.load(order);
    const extra = validated('Order On Hold', maximalDetails(order).hold(999, 999));

    // Act
    const attempt = recordOrderEvent(deps(), extra);

    // Assess
    await expect(attempt).rejects.toThrow(EventRefusedError);
    await expect(recordOrderEvent(deps(), extra)).rejects.toThrow(
      `the order already holds ${ORDER_LIMITS.events} events, the most one order may hold (${ORDER_LIMITS.events}); nothing was stored`,
    );
    const after = await repository.load(order);
    expect(after?.version).toBe(before?.version);
    expect(after?.events).toHaveLength(ORDER_LIMITS.events);
  });

  it('refuses an Order Placed one character past its budget, naming the list that takes the room', () => {
    // Prepare
    const detail = maximalPlaced(maximalOrder('over'));
    const [first] = detail.lines;
    if (!first) throw new Error('fixture');
    first.name += WIDE;

    // Act
    const result = parseOrderEvent('Order Placed', detail);

    // Assess
    expect(result.ok ? [] : result.problems.map((problem) => problem.path)).toEqual(['detail.lines']);
    expect(result.ok ? '' : result.problems[0]?.message).toMatch(
      /^makes the Order Placed detail \d+ bytes of UTF-8 JSON, over its budget of 65536: this list of 200 items takes \d+ of them/,
    );
  });

  describe.each([
    {
      collection: 'returns' as const,
      make: (n: number) =>
        toEvent('Return Requested', {
          ...exampleDetails(orderRef(700))['Return Requested'],
          eventId: `return-${n}`,
          returnId: `ZW-${n}`,
        }),
    },
    {
      collection: 'complaints' as const,
      make: (n: number) =>
        toEvent('Complaint Opened', {
          ...exampleDetails(orderRef(701))['Complaint Opened'],
          eventId: `complaint-${n}`,
          complaintId: `REK-${n}`,
        }),
    },
    {
      collection: 'refunds' as const,
      make: (n: number) =>
        toEvent('Refund Issued', {
          ...exampleDetails(orderRef(702))['Refund Issued'],
          eventId: `refund-${n}`,
          refundId: `RF-${n}`,
          amount: { amount: 1, currency: 'PLN' },
          returnId: undefined,
        }),
    },
    {
      collection: 'payments' as const,
      make: (n: number) =>
        toEvent('Payment Received', {
          ...exampleDetails(orderRef(703))['Payment Received'],
          eventId: `paid-${n}`,
          amount: { amount: 1, currency: 'PLN' },
        }),
    },
  ])('one order’s $collection', ({ collection, make }) => {
    it('takes as many as the limit and refuses the next, storing nothing', async () => {
      // Prepare
      const limit = ORDER_LIMITS[collection];
      const events = Array.from({ length: limit + 1 }, (_, n) => make(n));
      const key = { shopId: SHOP_ID, orderId: (events[0] as OrderEvent).orderId };

      // Act
      for (const event of events.slice(0, limit)) await recordOrderEvent(deps(), event);
      const past = recordOrderEvent(deps(), events[limit] as OrderEvent);

      // Assess
      await expect(past).rejects.toThrow(
        `the order already has ${limit} ${collection}, the most one order may have (${limit}); nothing was stored`,
      );
      expect((await repository.load(key))?.events).toHaveLength(limit);
    });
  });
});
