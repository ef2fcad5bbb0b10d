/**
 * The erasure through the contact index, on DynamoDB Local, proved by reading the whole table: after a
 * customer is erased no item anywhere holds their name, e-mail, phone, address or engraving, including a
 * placement of somebody else's order that carried their data (as stored before second placements were
 * refused, found after `order reindex`), while every other customer's data is intact.
 */
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LifecycleName, lifecycleEvents } from '../../fixtures/order-events.js';
import { DynamoDbErasureStore } from '../../functions/adapters/dynamodb-erasure.js';
import { DynamoDbNotificationLog } from '../../functions/adapters/dynamodb-notification-log.js';
import { DynamoDbOrderRepository } from '../../functions/adapters/dynamodb-order-repository.js';
import { reindexOrderTable } from '../../functions/adapters/dynamodb-store-reindex.js';
import { DynamoDbSuppressionList } from '../../functions/adapters/dynamodb-suppression-list.js';
import { EVENT_SK_PREFIX, orderPk } from '../../functions/adapters/table-keys.js';
import type { CustomerContact } from '../../functions/domain/contact.js';
import { eraseCustomer } from '../../functions/domain/erasure.js';
import type { OrderEvent } from '../../functions/domain/order-events.js';
import { recordOrderEvent } from '../../functions/domain/record-order-event.js';
import { generateTrackingToken } from '../../functions/domain/tracking-token.js';
import { createOrderTable, type TestTable } from '../support/dynamodb.js';

let table: TestTable;

beforeAll(async () => {
  table = await createOrderTable();
});

afterAll(async () => {
  await table.drop();
});

interface Person {
  readonly name: string;
  readonly email: string;
  /** National (9 digits) and as the order wrote it. */
  readonly national: string;
  readonly phone: string;
  readonly city: string;
  readonly postcode: string;
  readonly engraving: string;
}

const personOf = (run: number, k: number): Person => {
  const national = `60${String(run).padStart(4, '0')}${k}${k}${k}`;
  return {
    name: `Osoba${k} Nazwisko${run}x${k}`,
    email: `osoba${k}.r${run}@example.pl`,
    national,
    phone: `+48 ${national.slice(0, 3)} ${national.slice(3, 6)} ${national.slice(6)}`,
    city: `Miasto${run}x${k}`,
    postcode: `${10 + k}-${String(run).padStart(3, '0')}`,
    engraving: `Grawer${run}x${k} dla Kasi`,
  };
};

/** Every form the person's data is written in, to look for anywhere in the table. */
const tracesOf = (person: Person): string[] => [
  person.name,
  person.email,
  person.phone,
  `+48${person.national}`,
  person.national,
  person.city,
  person.postcode,
  person.engraving,
];

/** The forms the orders store the person's data in (as sent). */
const writtenOf = (person: Person): string[] =>
  tracesOf(person).filter((trace) => trace !== `+48${person.national}`);

/** The lifecycle's events for one order of `person` in `shopId`. */
const orderOf = (shopId: string, orderId: string, person: Person, name: LifecycleName): OrderEvent[] =>
  lifecycleEvents({ orderId, orderNumber: `NR/${orderId}` }, name).map((event) =>
    event.type === 'Order Placed' ? placementFor(event, person, shopId) : { ...event, shopId },
  );

const placementFor = (
  event: Extract<OrderEvent, { type: 'Order Placed' }>,
  person: Person,
  shopId: string,
): OrderEvent => ({
  ...event,
  shopId,
  customer: {
    ...event.customer,
    name: person.name,
    email: person.email,
    phone: person.phone,
    pushTargets: [{ platform: 'fcm', deviceToken: `device-${person.national}` }],
  },
  delivery: { ...event.delivery, city: person.city, postcode: person.postcode },
  lines: event.lines.map((line) =>
    line.personalisation === undefined ? line : { ...line, personalisation: person.engraving },
  ),
});

const scanAll = async (): Promise<string[]> => {
  const items: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table.documents.send(
      new ScanCommand({ TableName: table.tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
    );
    for (const item of page.Items ?? []) items.push(JSON.stringify(item).toLowerCase());
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
};

const found = (items: readonly string[], traces: readonly string[]): string[] =>
  traces.filter((trace) => items.some((item) => item.includes(trace.toLowerCase())));

describe('Erasure through the contact index, on DynamoDB Local', () => {
  it('leaves no trace of the erased customer in any item, and every other customer whole', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 }),
        fc.constantFrom<LifecycleName>('happyPath', 'engravingHold', 'complaint'),
        fc.constantFrom('email', 'email-variant', 'phone-national', 'phone-e164'),
        async (ownOrders, lifecycle, namedBy) => {
          // Prepare: A (erased) with her orders; B whose order also stored a placement carrying A's
          // data; C in the same shop; A again in another shop
          run += 1;
          const shopId = `erase-${run}`;
          const otherShop = `other-${run}`;
          const [a, b, c] = [personOf(run, 1), personOf(run, 2), personOf(run, 3)];
          const orders = new DynamoDbOrderRepository(table.documents, table.tableName);
          const record = (event: OrderEvent) =>
            recordOrderEvent(
              {
                orders,
                clock: { now: () => new Date('2026-11-20T12:00:00Z') },
                newTrackingToken: generateTrackingToken,
              },
              event,
            );
          const events = [
            ...Array.from({ length: ownOrders }, (_, i) => orderOf(shopId, `a-${run}-${i}`, a, lifecycle)),
            orderOf(shopId, `b-${run}`, b, 'happyPath'),
            orderOf(shopId, `c-${run}`, c, lifecycle),
            orderOf(otherShop, `a-elsewhere-${run}`, a, 'happyPath'),
          ].flat();
          for (const event of events) await record(event);
          const bPlaced = events.find(
            (event) => event.orderId === `b-${run}` && event.type === 'Order Placed',
          );
          if (bPlaced?.type !== 'Order Placed') throw new Error('fixture');
          const legacy = {
            ...placementFor(bPlaced, a, shopId),
            eventId: `b-${run}-placed-again`,
            occurredAt: '2026-11-21T09:00:00.000Z',
          };
          await table.documents.send(
            new PutCommand({
              TableName: table.tableName,
              Item: {
                pk: orderPk({ shopId, orderId: bPlaced.orderId }),
                sk: `${EVENT_SK_PREFIX}${legacy.eventId}`,
                type: legacy.type,
                occurredAt: legacy.occurredAt,
                event: legacy,
                receivedAt: '2026-11-21T09:00:01.000Z',
              },
            }),
          );
          await reindexOrderTable(table.documents, table.tableName);
          const contact: CustomerContact = namedBy.startsWith('email')
            ? { kind: 'email', email: namedBy === 'email' ? a.email : ` ${a.email.toUpperCase()} ` }
            : { kind: 'phone', phone: namedBy === 'phone-national' ? a.national : `+48${a.national}` };

          // Act
          const report = await eraseCustomer(
            {
              store: new DynamoDbErasureStore(table.documents, table.tableName),
              notifications: new DynamoDbNotificationLog(table.documents, table.tableName),
              suppressions: new DynamoDbSuppressionList(table.documents, table.tableName),
              clock: { now: () => new Date('2026-11-26T10:00:00Z') },
            },
            { shopId, contact, dryRun: false },
          );

          // Assess: nothing of A in the shop; B and C whole; A in the other shop untouched
          expect(report.orders.map((order) => order.orderId).sort()).toEqual(
            [...Array.from({ length: ownOrders }, (_, i) => `a-${run}-${i}`), `b-${run}`].sort(),
          );
          const items = await scanAll();
          const shopItems = items.filter((item) => !item.includes(otherShop));
          expect(found(shopItems, tracesOf(a))).toEqual([]);
          expect(found(items, writtenOf(b))).toEqual(writtenOf(b));
          expect(found(items, writtenOf(c))).toEqual(writtenOf(c));
          expect(
            found(
              items.filter((item) => item.includes(otherShop)),
              [a.name, a.email, a.city],
            ),
          ).toEqual([a.name, a.email, a.city]);
          const bOrder = await orders.load({ shopId, orderId: `b-${run}` });
          expect(bOrder?.erasedAt).toBeUndefined();
          // The erasure's search is one index Query per contact form: it read A's entries only.
          expect(report.search.readItems).toBe(ownOrders + 1);
          // A second run finds nothing left.
          const again = await eraseCustomer(
            {
              store: new DynamoDbErasureStore(table.documents, table.tableName),
              notifications: new DynamoDbNotificationLog(table.documents, table.tableName),
              suppressions: new DynamoDbSuppressionList(table.documents, table.tableName),
              clock: { now: () => new Date('2026-11-26T10:05:00Z') },
            },
            { shopId, contact, dryRun: false },
          );
          expect(again).toMatchObject({ orders: [], alreadyErased: true });
        },
      ),
      { numRuns: 6 },
    );
  }, 120_000);
});
