import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext, sqsEvent } from '../../fixtures/lambda.js';
import {
  eventBridgeEnvelope,
  exampleDetails,
  LIFECYCLES,
  type LifecycleName,
  lifecycleEvents,
  orderRef,
  SHOP_ID,
} from '../../fixtures/order-events.js';
import { documentClient } from '../../functions/adapters/aws-clients.js';
import { DynamoDbOrderRepository } from '../../functions/adapters/dynamodb-order-repository.js';
import { SqsDeadLetterSink } from '../../functions/adapters/sqs-dead-letters.js';
import type { OrderEvent } from '../../functions/domain/order-events.js';
import { replay } from '../../functions/domain/order-lifecycle.js';
import { ORDER_LIMITS } from '../../functions/domain/order-limits.js';
import { generateTrackingToken } from '../../functions/domain/tracking-token.js';
import { type IngestDeps, makeIngestHandler } from '../../functions/ingest-order-events/ingest.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local.js';
import { fixtureShops } from '../fixtures/shops.js';
import { createOrderTable, type TestTable } from '../support/dynamodb.js';
import { drainQueue, type LocalSqs, startLocalSqs } from '../support/local-sqs.js';

const MAX_RECEIVE_COUNT = 5;

let table: TestTable;
let repository: DynamoDbOrderRepository;
/** The project's local SQS: the dead letters go to a real queue, a fresh one per test. */
let sqs: LocalSqs;
let dlqUrl: string;
let logs: string[];

const makeDeps = (overrides: Partial<IngestDeps['record']> = {}): IngestDeps => ({
  record: {
    orders: repository,
    clock: { now: () => new Date('2026-11-20T12:00:00Z') },
    newTrackingToken: generateTrackingToken,
    ...overrides,
  },
  shops: fixtureShops,
  deadLetters: new SqsDeadLetterSink(sqs.client, dlqUrl),
  logger: new Logger({ serviceName: 'order-ingest' }),
  maxReceiveCount: MAX_RECEIVE_COUNT,
});

const handle = (bodies: readonly string[], receiveCount = 1, deps = makeDeps()) =>
  makeIngestHandler(deps)(sqsEvent(bodies, receiveCount), lambdaContext());

const bodyOf = (event: OrderEvent | Record<string, unknown>) =>
  JSON.stringify(eventBridgeEnvelope(event as OrderEvent));

/** The keys of every item of the table whose keys or attributes mention `text`: a full scan, tests only. */
const itemsMentioning = async (text: string): Promise<string[]> => {
  const found: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table.documents.send(
      new ScanCommand({ TableName: table.tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
    );
    for (const item of page.Items ?? []) {
      if (JSON.stringify(item).includes(text)) found.push(`${item.pk} ${item.sk}`);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return found;
};

/** What reached the dead-letter queue so far in this test, received from it in arrival order. */
let received: Awaited<ReturnType<typeof drainQueue>> = [];
const deadLetters = async () => {
  received.push(...(await drainQueue(sqs.client, dlqUrl)));
  return received.map((message) => ({
    body: message.Body,
    reason: message.MessageAttributes?.reason?.StringValue,
    errorType: message.MessageAttributes?.errorType?.StringValue,
  }));
};

beforeAll(async () => {
  [table, sqs] = await Promise.all([createOrderTable(), startLocalSqs()]);
  repository = new DynamoDbOrderRepository(table.documents, table.tableName);
});

afterAll(async () => {
  await Promise.all([table.drop(), sqs.stop()]);
});

beforeEach(() => {
  dlqUrl = sqs.newQueue('order-events-dead-letters');
  received = [];
  logs = [];
  const capture = (chunk: string | Uint8Array) => {
    logs.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('Handler: ingest order events', () => {
  it('records a shuffled, duplicated lifecycle in one batch as if it had arrived in order', async () => {
    // Prepare
    const ref = orderRef(101);
    const lifecycle = lifecycleEvents(ref, 'engravingHold');
    const shuffled = [...lifecycle].reverse();
    const bodies = [...shuffled, lifecycle[2], lifecycle[5], lifecycle[0]].map((event) =>
      bodyOf(event as OrderEvent),
    );

    // Act
    const response = await handle(bodies);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const snapshot = await repository.load({ shopId: SHOP_ID, orderId: ref.orderId });
    expect(snapshot?.version).toBe(lifecycle.length);
    const stored = replay((snapshot?.events ?? []).map((entry) => entry.event));
    expect(stored).toEqual(replay(lifecycle));
    expect(stored.state.status).toBe('delivered');
    expect(await deadLetters()).toEqual([]);
  });

  it('changes nothing when a batch is delivered again', async () => {
    // Prepare
    const ref = orderRef(102);
    const bodies = lifecycleEvents(ref, 'happyPath').map(bodyOf);
    await handle(bodies);
    const before = await repository.load({ shopId: SHOP_ID, orderId: ref.orderId });

    // Act
    const response = await handle(bodies, 2);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(await repository.load({ shopId: SHOP_ID, orderId: ref.orderId })).toEqual(before);
  });

  it('records concurrent batches carrying the same order without losing or doubling an event', async () => {
    // Prepare: three Lambda invocations at once, each with an overlapping slice of the same order
    const ref = orderRef(103);
    const lifecycle = lifecycleEvents(ref, 'returnAndRefund');
    const slices = [lifecycle.slice(0, 5), lifecycle.slice(3), [...lifecycle].reverse()];

    // Act
    const responses = await Promise.all(slices.map((slice) => handle(slice.map(bodyOf))));

    // Assess
    expect(responses).toEqual([
      { batchItemFailures: [] },
      { batchItemFailures: [] },
      { batchItemFailures: [] },
    ]);
    const snapshot = await repository.load({ shopId: SHOP_ID, orderId: ref.orderId });
    expect(snapshot?.events).toHaveLength(lifecycle.length);
    expect(replay((snapshot?.events ?? []).map((entry) => entry.event))).toEqual(replay(lifecycle));
  });

  it('sends an invalid event to the dead letters with the field and the problem, and stores nothing', async () => {
    // Prepare
    const ref = orderRef(104);
    const placed = { type: 'Order Placed', ...exampleDetails(ref)['Order Placed'] };
    const invalid = { ...placed, customer: { ...placed.customer, email: 'not-an-address' } };
    const body = bodyOf(invalid);

    // Act
    const response = await handle([body]);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(await deadLetters()).toEqual([
      {
        body,
        reason: 'invalid order event: detail.customer.email: expected an e-mail address',
        errorType: 'InvalidEventError',
      },
    ]);
    expect(await repository.load({ shopId: SHOP_ID, orderId: ref.orderId })).toBeUndefined();
  });

  it.each([
    ['a body that is not JSON', '{"detail-type": "Order Placed", ', 'body: is not JSON'],
    ['a message that is not an EventBridge event', '{"hello": "world"}', 'detail-type: Invalid input'],
    [
      'an unknown detail-type',
      JSON.stringify({ ...eventBridgeEnvelope({ type: 'Order Teleported', eventId: 'x' }) }),
      'detail-type: is not an order event type',
    ],
  ])('dead-letters %s with a reason', async (_name, body, reason) => {
    // Act
    const response = await handle([body]);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect((await deadLetters())[0]?.reason).toContain(reason);
  });

  it('refuses every event of a shop this deployment does not serve, storing nothing of it', async () => {
    // Prepare: any well-formed shop id but the configured one, any event of any lifecycle
    const unknownShop = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/).filter((shopId) => shopId !== SHOP_ID);
    const anyEvent = fc
      .tuple(fc.constantFrom(...(Object.keys(LIFECYCLES) as LifecycleName[])), fc.nat({ max: 20 }))
      .map(([name, index]) => {
        const events = lifecycleEvents(orderRef(150), name);
        return events[index % events.length] as OrderEvent;
      });
    let run = 0;

    // Act & Assess
    await fc.assert(
      fc.asyncProperty(unknownShop, anyEvent, async (shopId, event) => {
        dlqUrl = sqs.newQueue('order-events-dead-letters');
        received = [];
        const body = bodyOf({ ...event, shopId, orderId: `unknown-shop-${run++}` });
        const response = await handle([body]);
        expect(response).toEqual({ batchItemFailures: [] });
        expect(await deadLetters()).toEqual([
          {
            body,
            reason: `shop ${shopId} is not configured in this deployment; nothing was stored`,
            errorType: 'EventRefusedError',
          },
        ]);
        expect(await itemsMentioning(`#${shopId}#`)).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });

  it('refuses a second order with an order number the shop already gave another order', async () => {
    // Prepare
    const first = orderRef(160);
    const second = { ...orderRef(161), orderNumber: first.orderNumber };
    const [placedFirst] = lifecycleEvents(first, 'happyPath') as [OrderEvent];
    const [placedSecond] = lifecycleEvents(second, 'happyPath') as [OrderEvent];
    await handle([bodyOf(placedFirst)]);

    // Act
    const response = await handle([bodyOf(placedSecond)]);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(await deadLetters()).toMatchObject([
      {
        errorType: 'EventRefusedError',
        reason: `order number of order ${second.orderId} is already held by another order of shop ${SHOP_ID}; nothing was stored`,
      },
    ]);
    expect(await itemsMentioning(second.orderId)).toEqual([]);
    expect(await repository.findByOrderNumber(SHOP_ID, first.orderNumber)).toEqual({
      shopId: SHOP_ID,
      orderId: first.orderId,
    });
  });

  it('dead-letters an event id reused for a different event, keeping the original', async () => {
    // Prepare
    const ref = orderRef(105);
    const [placed, paid] = lifecycleEvents(ref, 'happyPath') as [OrderEvent, OrderEvent];
    await handle([bodyOf(placed), bodyOf(paid)]);
    const reused = { ...paid, amount: { amount: 1, currency: 'PLN' } };

    // Act
    const response = await handle([bodyOf(reused)]);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(await deadLetters()).toMatchObject([
      {
        errorType: 'EventIdConflictError',
        reason: `event id ${paid.eventId} was already used for a different event`,
      },
    ]);
    const snapshot = await repository.load({ shopId: SHOP_ID, orderId: ref.orderId });
    expect(snapshot?.events.find((entry) => entry.event.eventId === paid.eventId)?.event).toEqual(paid);
  });

  it('dead-letters a second Order Placed with a reason and keeps none of its customer data', async () => {
    // Prepare: placed 09:10 and paid; then another producer places the order at 09:00 for someone else
    const ref = orderRef(106);
    const [placed, paid] = lifecycleEvents(ref, 'happyPath') as [OrderEvent, OrderEvent];
    await handle([bodyOf(placed), bodyOf(paid)]);
    const details = exampleDetails(ref)['Order Placed'];
    const takeover = {
      ...placed,
      eventId: 'takeover-1',
      occurredAt: '2026-11-20T08:00:00Z',
      customer: { ...details.customer, name: 'Ignacy Intruz', email: 'ignacy@attacker.example' },
    };

    // Act
    const response = await handle([bodyOf(takeover)]);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(await deadLetters()).toMatchObject([
      {
        errorType: 'EventRefusedError',
        reason: `order ${ref.orderId} already has a placement (event ${placed.eventId}); a second Order Placed is refused`,
      },
    ]);
    const snapshot = await repository.load({ shopId: SHOP_ID, orderId: ref.orderId });
    expect(snapshot?.events.map((entry) => entry.event.eventId).sort()).toEqual(
      [placed.eventId, paid.eventId].sort(),
    );
    expect(JSON.stringify(snapshot)).not.toContain('attacker.example');
    expect(logs.join('')).not.toContain('attacker.example');
  });

  it('dead-letters an event past a full order with the limit as the reason, storing nothing', async () => {
    // Prepare: an order that already holds its limit of distinct complaints
    const ref = orderRef(107);
    const [placed] = lifecycleEvents(ref, 'happyPath') as [OrderEvent];
    const complaint = (n: number) => ({
      type: 'Complaint Opened',
      ...exampleDetails(ref)['Complaint Opened'],
      eventId: `${ref.orderId}-complaint-${n}`,
      complaintId: `REK-${n}`,
    });
    const limit = ORDER_LIMITS.complaints;
    await handle([bodyOf(placed)]);
    await handle(Array.from({ length: limit }, (_, n) => bodyOf(complaint(n))));

    // Act
    const response = await handle([bodyOf(complaint(limit))]);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(await deadLetters()).toMatchObject([
      {
        errorType: 'EventRefusedError',
        reason: `the order already has ${limit} complaints, the most one order may have (${limit}); nothing was stored`,
      },
    ]);
    const snapshot = await repository.load({ shopId: SHOP_ID, orderId: ref.orderId });
    expect(snapshot?.events).toHaveLength(1 + limit);
  });

  it('records a transition the order refuses in its timeline, not in the dead letters', async () => {
    // Prepare
    const ref = orderRef(106);
    const lifecycle = lifecycleEvents(ref, 'cancelledAfterHold');
    const shipped = lifecycleEvents(ref, 'happyPath').find(
      (event) => event.type === 'Order Shipped',
    ) as OrderEvent;
    const lateShipped = { ...shipped, occurredAt: '2026-11-21T09:00:00.000Z' } as OrderEvent;

    // Act
    const response = await handle([...lifecycle, lateShipped].map(bodyOf));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(await deadLetters()).toEqual([]);
    const snapshot = await repository.load({ shopId: SHOP_ID, orderId: ref.orderId });
    const history = replay((snapshot?.events ?? []).map((entry) => entry.event));
    expect(history.state.status).toBe('cancelled');
    expect(history.timeline.at(-1)).toMatchObject({
      event: { type: 'Order Shipped' },
      outcome: { kind: 'rejected', reason: 'the order is cancelled' },
    });
  });

  describe('when the store fails', () => {
    const brokenDeps = () => {
      const client = new DynamoDBClient({
        endpoint: 'http://127.0.0.1:9',
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
        maxAttempts: 1,
      });
      return makeDeps({ orders: new DynamoDbOrderRepository(documentClient(client), table.tableName) });
    };

    it('reports only the failed message for another delivery, and dead-letters nothing yet', async () => {
      // Prepare
      const body = bodyOf(lifecycleEvents(orderRef(107), 'happyPath')[0] as OrderEvent);
      const event = sqsEvent([body], 1);

      // Act
      const response = await makeIngestHandler(brokenDeps())(event, lambdaContext()).catch(
        (error: Error) => error,
      );

      // Assess: a batch where every record failed is thrown whole, so Lambda retries it
      expect(response).toBeInstanceOf(Error);
      expect(await deadLetters()).toEqual([]);
    });

    it('keeps the good messages of a batch and returns the failed one for retry', async () => {
      // Prepare
      const good = bodyOf(lifecycleEvents(orderRef(108), 'happyPath')[0] as OrderEvent);
      const bad = bodyOf(lifecycleEvents(orderRef(109), 'happyPath')[0] as OrderEvent);
      const event = sqsEvent([good, bad], 1);
      const failing = makeDeps();
      const orders = failing.record.orders;
      const deps: IngestDeps = {
        ...failing,
        record: {
          ...failing.record,
          orders: {
            load: (key) =>
              key.orderId === orderRef(109).orderId ? brokenDeps().record.orders.load(key) : orders.load(key),
            append: (request) => orders.append(request),
          },
        },
      };

      // Act
      const response = await makeIngestHandler(deps)(event, lambdaContext());

      // Assess
      expect(response.batchItemFailures).toEqual([{ itemIdentifier: event.Records[1]?.messageId }]);
      expect((await repository.load({ shopId: SHOP_ID, orderId: orderRef(108).orderId }))?.version).toBe(1);
    });

    it('dead-letters with the last error on the final delivery instead of failing again', async () => {
      // Prepare
      const body = bodyOf(lifecycleEvents(orderRef(110), 'happyPath')[0] as OrderEvent);

      // Act
      const response = await handle([body], MAX_RECEIVE_COUNT, brokenDeps());

      // Assess
      expect(response).toEqual({ batchItemFailures: [] });
      expect(await deadLetters()).toHaveLength(1);
      expect((await deadLetters())[0]?.reason).toMatch(/^gave up after 5 deliveries: /);
      expect((await deadLetters())[0]?.body).toBe(body);
    });

    it('fails the message when even the dead-letter queue refuses it, so it is never dropped', async () => {
      // Prepare: the dead-letter queue is gone (SQS answers QueueDoesNotExist)
      dlqUrl = `${sqs.sqs.endpoint}/000000000000/deleted-dead-letters`;
      const body = bodyOf({ type: 'Order Placed', hello: 'world' });
      const event = sqsEvent([body, bodyOf(lifecycleEvents(orderRef(111), 'happyPath')[0] as OrderEvent)]);

      // Act
      const response = await makeIngestHandler(makeDeps())(event, lambdaContext());

      // Assess
      expect(response.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0]?.messageId }]);
    });
  });

  it('logs ids and outcomes but none of the customer data', async () => {
    // Prepare
    const ref = orderRef(112);
    const placed = lifecycleEvents(ref, 'happyPath')[0] as OrderEvent;
    const invalid = {
      ...placed,
      customer: { name: 'Zofia Wąsowska', email: 'zofia@', locale: 'pl', timeZone: 'Mars/Base' },
    };

    // Act
    await handle([bodyOf(placed), bodyOf(invalid)]);

    // Assess
    const output = logs.join('');
    expect(output).toContain(placed.eventId);
    expect(output).toContain('"result":"applied"');
    expect(output).toContain('message dead-lettered');
    for (const secret of [
      'Wąsowska',
      'Wasowska',
      'zofia',
      '601 234 567',
      'Kraków',
      'PL61109010140000071219812874',
    ]) {
      expect(output).not.toContain(secret);
    }
  });
});
