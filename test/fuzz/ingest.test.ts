/**
 * Fuzzing the event ingest handler (functions/ingest-order-events/ingest.ts) with a real DynamoDB Local
 * table and a dead-letter sink that records: malformed JSON, envelopes that are not EventBridge's, unknown
 * detail-types, details with fields missing, mistyped, hostile (injection, unicode edge cases) or huge.
 *
 * Properties: the handler never throws and never asks for a retry; every invalid message becomes exactly
 * one dead letter whose reason names the field path (or `body`) without echoing the value; invalid input
 * writes nothing. And valid events carrying hostile text are stored exactly as sent: read back equal, and
 * recognised as duplicates when delivered again.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaContext, sqsEvent } from '../../fixtures/lambda.js';
import { eventBridgeEnvelope, exampleDetails, orderRef, SHOP_ID } from '../../fixtures/order-events.js';
import { DynamoDbOrderRepository } from '../../functions/adapters/dynamodb-order-repository.js';
import type { DeadLetter, DeadLetterSink } from '../../functions/adapters/sqs-dead-letters.js';
import { contactKeysOf } from '../../functions/domain/contact.js';
import {
  type OrderEvent,
  type OrderEventType,
  parseOrderEvent,
} from '../../functions/domain/order-events.js';
import { generateTrackingToken } from '../../functions/domain/tracking-token.js';
import { makeIngestHandler } from '../../functions/ingest-order-events/ingest.js';
import { fixtureShops } from '../fixtures/shops.js';
import { createOrderTable, type TestTable } from '../support/dynamodb.js';
import { FuzzTally } from './fuzz-tally.js';
import { FUZZ_RUNS, hostileString, hugeString, malformedJson, wrongType } from './hostile-input.js';

class RecordingDeadLetters implements DeadLetterSink {
  letters: DeadLetter[] = [];
  async send(letter: DeadLetter): Promise<void> {
    this.letters.push(letter);
  }
}

type FieldKind = 'string' | 'number' | 'object' | 'array' | 'identifier' | 'shopId' | 'timestamp';

/** Fields of each detail-type the contract requires, with their kind (paths as reasons name them). */
const COMMON: ReadonlyArray<readonly [string, FieldKind]> = [
  ['eventId', 'identifier'],
  ['shopId', 'shopId'],
  ['orderId', 'identifier'],
  ['orderNumber', 'string'],
  ['occurredAt', 'timestamp'],
];
const REQUIRED: Partial<Record<OrderEventType, ReadonlyArray<readonly [string, FieldKind]>>> = {
  'Order Placed': [
    ['customer', 'object'],
    ['customer.name', 'string'],
    ['customer.timeZone', 'string'],
    ['lines', 'array'],
    ['lines[0].sku', 'identifier'],
    ['lines[0].quantity', 'number'],
    ['lines[0].unitPrice', 'number'],
    ['totals', 'object'],
    ['totals.total', 'number'],
    ['payment', 'object'],
    ['delivery', 'object'],
    ['delivery.city', 'string'],
  ],
  'Payment Received': [
    ['amount', 'object'],
    ['amount.amount', 'number'],
  ],
  'Order On Hold': [
    ['toConfirm', 'string'],
    ['contactBy', 'timestamp'],
  ],
  'Order Shipped': [
    ['carrier', 'string'],
    ['trackingNumber', 'string'],
    ['trackingUrl', 'string'],
  ],
  'Order Cancelled': [['cancelledBy', 'string']],
  'Return Requested': [
    ['returnId', 'identifier'],
    ['lines', 'array'],
  ],
  'Refund Issued': [
    ['refundId', 'identifier'],
    ['amount', 'object'],
  ],
  'Complaint Opened': [
    ['complaintId', 'identifier'],
    ['subject', 'string'],
  ],
};

/** Free-text fields: any text is valid there, so hostile text must be stored exactly. */
const FREE_TEXT: ReadonlyArray<readonly [OrderEventType, string]> = [
  ['Order Placed', 'customer.name'],
  ['Order Placed', 'lines[0].name'],
  ['Order Placed', 'lines[0].personalisation'],
  ['Order Placed', 'payment.transferTitle'],
  ['Order Placed', 'delivery.city'],
  ['Order Placed', 'orderNumber'],
  ['Payment Received', 'reference'],
  ['Order On Hold', 'toConfirm'],
  ['Order Resumed', 'note'],
  ['Order Shipped', 'carrier'],
  ['Order Shipped', 'trackingNumber'],
  ['Order Cancelled', 'note'],
  ['Return Requested', 'reason'],
  ['Complaint Opened', 'subject'],
  ['Complaint Resolved', 'note'],
];

const segmentsOf = (path: string): Array<string | number> =>
  path.split('.').flatMap((part) => {
    const match = /^(\w+)\[(\d+)\]$/.exec(part);
    return match ? [match[1] as string, Number(match[2])] : [part];
  });

/** A deep copy of `detail` with the field at `path` replaced (or removed, for `undefined`). */
const withField = (detail: unknown, path: string, value: unknown): Record<string, unknown> => {
  const copy = structuredClone(detail) as Record<string, unknown>;
  const segments = segmentsOf(path);
  let node = copy as Record<string | number, unknown>;
  for (const segment of segments.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
  const last = segments.at(-1) as string | number;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
};

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/;
const SHOP_ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

/** A value the contract cannot accept for a field of this kind. */
const invalidValue = (kind: FieldKind): fc.Arbitrary<unknown> => {
  const notString = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}));
  switch (kind) {
    case 'string':
      return fc.oneof(notString, fc.constantFrom('', '   ', '\t\n'), hugeString(2049, 300_000));
    case 'number':
      return fc.oneof(
        fc.string({ maxLength: 10 }),
        fc.boolean(),
        fc.constant(null),
        fc.double({ noInteger: true }),
        fc.integer({ max: -1 }),
        fc.constant(1e16),
      );
    case 'object':
      return fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.constant(null), fc.constant([]));
    case 'array':
      return fc.oneof(
        fc.string({ maxLength: 10 }),
        fc.integer(),
        fc.constant(null),
        fc.constant({}),
        fc.constant([]),
      );
    case 'identifier':
      return fc.oneof(
        notString,
        hostileString().filter((text) => !IDENTIFIER.test(text) || text.length > 64),
        hugeString(200, 50_000),
      );
    case 'shopId':
      return fc.oneof(
        notString,
        hostileString().filter((text) => !SHOP_ID_PATTERN.test(text) || text.length > 64),
      );
    case 'timestamp':
      return fc.oneof(
        notString,
        hostileString(),
        fc.constantFrom(
          '2026-13-45T25:61:00Z',
          '2026-11-20T09:00:00',
          '20.11.2026 09:00',
          '1763629200',
          'now',
        ),
      );
  }
};

interface Mutation {
  readonly kind: string;
  readonly body: string;
  /** The path the dead letter's reason must name. */
  readonly path: string;
  /** A value the reason must not echo. */
  readonly secret?: string;
}

const TYPES = Object.keys(exampleDetails()) as OrderEventType[];

/** The SQS body the bus rule delivers: an EventBridge event around the detail. */
const envelopeBody = (type: unknown, detail: unknown) =>
  JSON.stringify({
    version: '0',
    id: 'eb-fuzz',
    'detail-type': type,
    source: 'shop.orders',
    account: '123456789012',
    time: '2026-11-20T09:00:00Z',
    region: 'eu-central-1',
    resources: [],
    detail,
  });

const mutation = (): fc.Arbitrary<Mutation> => {
  const validBody = JSON.stringify(
    eventBridgeEnvelope({ type: 'Order Shipped', ...exampleDetails()['Order Shipped'] }),
  );
  const fieldMutation = fc.constantFrom(...TYPES).chain((type) =>
    fc.constantFrom(...COMMON, ...(REQUIRED[type] ?? [])).chain(([path, kind]) =>
      fc
        .oneof(
          fc.constant({ kind: 'missing field', value: undefined as unknown }),
          invalidValue(kind).map((value) => ({ kind: `invalid ${kind}`, value })),
        )
        .map(({ kind: mutationKind, value }) => ({
          kind: mutationKind,
          body: envelopeBody(type, withField(exampleDetails()[type], path, value)),
          path: `detail.${path}`,
          secret: typeof value === 'string' && value.length > 1000 ? value : undefined,
        })),
    ),
  );
  return fc.oneof(
    { arbitrary: fieldMutation, weight: 6 },
    malformedJson(validBody).map((body) => ({ kind: 'not JSON', body, path: 'body' })),
    fc
      .oneof(fc.json({ maxDepth: 2 }), fc.constant('[]'), fc.constant('{}'), fc.constant('null'))
      .filter((json) => {
        const value = JSON.parse(json) as unknown;
        return (
          typeof value !== 'object' || value === null || Array.isArray(value) || !('detail-type' in value)
        );
      })
      .map((body) => ({ kind: 'not an EventBridge event', body, path: '' })),
    fc
      .oneof(
        hostileString(),
        fc.constantFrom('Order Teleported', 'order placed', 'Order Placed ', ''),
        wrongType(),
      )
      .map((type) => ({
        kind: 'unknown detail-type',
        body: envelopeBody(type, exampleDetails()['Order Placed']),
        path: 'detail-type',
      })),
    fc.tuple(fc.constantFrom(...TYPES), fc.oneof(hostileString(), wrongType())).map(([type, detail]) => ({
      kind: 'detail not an object',
      body: envelopeBody(type, detail),
      path: 'detail',
    })),
    fc.tuple(fc.constantFrom(...TYPES), hugeString(100_000, 400_000)).map(([type, huge]) => ({
      kind: 'huge text',
      body: envelopeBody(type, withField(exampleDetails()[type], 'orderNumber', huge)),
      path: 'detail.orderNumber',
      secret: huge,
    })),
  );
};

const logger = new Logger({ serviceName: 'fuzz-ingest', logLevel: 'SILENT' });
let invalidTable: TestTable;
let validTable: TestTable;

beforeAll(async () => {
  [invalidTable, validTable] = await Promise.all([createOrderTable(), createOrderTable()]);
});

afterAll(async () => {
  await Promise.all([invalidTable?.drop(), validTable?.drop()]);
});

/** Every item of the table (a COUNT scan answers per 1 MB page, so it is paged through). */
const itemCount = async (table: TestTable): Promise<number> => {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table.documents.send(
      new ScanCommand({
        TableName: table.tableName,
        Select: 'COUNT',
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
};

describe('Fuzz: ingest order events', () => {
  it('turns every invalid message into one dead letter naming the field, and writes nothing', async () => {
    // Prepare
    const tally = new FuzzTally('ingest: invalid events', FUZZ_RUNS);
    const deadLetters = new RecordingDeadLetters();
    const handler = makeIngestHandler({
      record: {
        orders: new DynamoDbOrderRepository(invalidTable.documents, invalidTable.tableName),
        clock: { now: () => new Date('2026-11-20T12:00:00Z') },
        newTrackingToken: generateTrackingToken,
      },
      shops: fixtureShops,
      deadLetters,
      logger,
      maxReceiveCount: 5,
    });

    // Act & Assess
    await fc.assert(
      fc.asyncProperty(fc.array(mutation(), { minLength: 1, maxLength: 5 }), async (mutations) => {
        deadLetters.letters = [];
        tally.inputs += mutations.length;
        let response: unknown;
        try {
          response = await handler(sqsEvent(mutations.map((m) => m.body)), lambdaContext());
        } catch (error) {
          tally.crashes += 1;
          throw error;
        }
        expect(response).toEqual({ batchItemFailures: [] });
        expect(deadLetters.letters).toHaveLength(mutations.length);
        for (const [index, m] of mutations.entries()) {
          const letter =
            deadLetters.letters.find((candidate) => candidate.body === m.body) ?? deadLetters.letters[index];
          const reason = letter?.reason ?? '';
          tally.reject(m.kind);
          expect(letter?.errorType).toBe('InvalidEventError');
          expect(reason).toMatch(
            /^invalid order event: (body|detail-type|detail|id|source|version)\b[^:]*: \S/,
          );
          if (m.path) expect(reason, m.body.slice(0, 300)).toContain(`${m.path}`);
          if (m.secret) expect(reason).not.toContain(m.secret.slice(0, 50));
        }
        const written = await itemCount(invalidTable);
        tally.writesFromRejected = written;
        expect(written).toBe(0);
      }),
      { numRuns: FUZZ_RUNS },
    );
    tally.save();
  }, 600_000);

  it('stores valid events carrying hostile text exactly as sent, and knows them again', async () => {
    // Prepare
    const tally = new FuzzTally('ingest: valid events with hostile text', FUZZ_RUNS);
    const deadLetters = new RecordingDeadLetters();
    const repository = new DynamoDbOrderRepository(validTable.documents, validTable.tableName);
    const handler = makeIngestHandler({
      record: {
        orders: repository,
        clock: { now: () => new Date('2026-11-20T12:00:00Z') },
        newTrackingToken: generateTrackingToken,
      },
      shops: fixtureShops,
      deadLetters,
      logger,
      maxReceiveCount: 5,
    });
    let n = 0;
    /** Order numbers a placement of an earlier run claimed: one order per number and shop. */
    const claimed = new Set<string>();

    // Act & Assess
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...FREE_TEXT), hostileString(), async ([type, path], text) => {
        deadLetters.letters = [];
        tally.inputs += 1;
        const ref = orderRef(700_000 + n++);
        const detail = withField(exampleDetails(ref)[type], path, text);
        const body = envelopeBody(type, detail);
        const parsed = parseOrderEvent(type, detail);
        const response = await handler(sqsEvent([body]), lambdaContext());
        expect(response).toEqual({ batchItemFailures: [] });
        const stored = await repository.load({ shopId: SHOP_ID, orderId: ref.orderId });
        // Items in the order's partition: its state and its events (the whole table is counted at the end).
        const written = stored ? stored.events.length + 1 : 0;
        if (!parsed.ok) {
          // Text the contract refuses here (blank after trimming, too long): a dead letter naming the field.
          tally.reject(`text the contract refuses (${reasonKind(deadLetters.letters[0]?.reason ?? '')})`);
          expect(deadLetters.letters.map((letter) => letter.reason)).toEqual([
            expect.stringContaining(`detail.${path}`),
          ]);
          expect(stored).toBeUndefined();
          tally.writesFromRejected += written;
          expect(written).toBe(0);
          return;
        }
        if (parsed.event.type === 'Order Placed' && claimed.has(parsed.event.orderNumber)) {
          // The same hostile order number twice: the second order is refused, nothing of it stored.
          tally.reject('order number held by another order');
          expect(deadLetters.letters.map((letter) => letter.reason)).toEqual([
            expect.stringContaining('already held by another order'),
          ]);
          expect(stored).toBeUndefined();
          return;
        }
        tally.accepted += 1;
        // A placement also writes its order number's claim and its customer's contact index entries.
        const outside =
          parsed.event.type === 'Order Placed'
            ? 1 + contactKeysOf(SHOP_ID, [parsed.event as OrderEvent]).length
            : 0;
        if (parsed.event.type === 'Order Placed') claimed.add(parsed.event.orderNumber);
        tally.writesFromAccepted += written + outside;
        expect(deadLetters.letters.map((letter) => letter.reason)).toEqual([]);
        expect(stored?.events.map((item) => item.event)).toEqual([parsed.event as OrderEvent]);

        // Delivered again: the same event, so a duplicate, not a conflict.
        const again = await handler(sqsEvent([body], 2), lambdaContext());
        expect(again).toEqual({ batchItemFailures: [] });
        expect(deadLetters.letters.map((letter) => letter.reason)).toEqual([]);
        expect((await repository.load({ shopId: SHOP_ID, orderId: ref.orderId }))?.version).toBe(1);
      }),
      {
        numRuns: FUZZ_RUNS,
        // Always: lone surrogates, NUL, right-to-left override, zero-width and emoji, and a query.
        examples: [
          [['Order Placed', 'customer.name'], 'Zofia \uD800 Wąsowska'],
          [['Order Placed', 'lines[0].personalisation'], 'Dla \uDC00Babci\u0000'],
          [['Order On Hold', 'toConfirm'], '\u202Eexe.sgnirts\u200B 👩‍👩‍👧‍👦'],
          [['Complaint Opened', 'subject'], "'; DROP TABLE orders; -- <script>alert(1)</script>"],
        ],
      },
    );
    // Nothing was written anywhere else: each accepted event wrote its state item and its event item, a
    // placement its claim and contact index entries too.
    expect(await itemCount(validTable)).toBe(tally.writesFromAccepted);
    tally.save();
  }, 600_000);
});

/** The reason without values: its field paths, e.g. `detail.customer.name` or `body`. */
const reasonKind = (reason: string): string => {
  const paths = [...reason.replace(/^invalid order event: /, '').matchAll(/(?:^|; )([^:;]+):/g)].map(
    (match) => (match[1] ?? '').replace(/\[\d+\]/g, '[]'),
  );
  return [...new Set(paths)].slice(0, 2).join(', ') || reason.slice(0, 40);
};
