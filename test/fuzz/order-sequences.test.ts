/**
 * Stateful fuzz: hostile and careless producers sending whole sequences about one to three orders
 * (order-sequences.ts), through the real pipeline: the ingest handler on DynamoDB Local with its dead
 * letters on the local SQS, the table's stream into the planner, the sender with the local SES and SNS,
 * and the status API on the same table.
 *
 * After every batch: every message is stored or dead-lettered once, with a reason that the stored order
 * bears out; the stored events are exactly the accepted ones and the state item is their replay; the
 * customer, once placed, never changes; nothing of a refused placement is kept. After every plan-and-send:
 * every message went to the order's own customer, about a step the order is still at, from a record that
 * is closed; every applied event was planned on its shop's channels. After every sequence: both public
 * routes answer every order in every language below 500, and the lookup finds the order for its customer
 * only.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { lambdaContext, sqsEvent } from '../../fixtures/lambda.js';
import { apiEvent, SHOP_INPUT } from '../../fixtures/status-api.js';
import { DynamoDbNotificationLog } from '../../functions/adapters/dynamodb-notification-log.js';
import { DynamoDbOrderRepository } from '../../functions/adapters/dynamodb-order-repository.js';
import { DynamoDbRateLimiter } from '../../functions/adapters/dynamodb-rate-limiter.js';
import { DynamoDbSuppressionList } from '../../functions/adapters/dynamodb-suppression-list.js';
import { SesEmailSender } from '../../functions/adapters/ses-email-sender.js';
import { SnsPushSender } from '../../functions/adapters/sns-push-sender.js';
import { SnsSmsSender } from '../../functions/adapters/sns-sms-sender.js';
import { SqsDeadLetterSink } from '../../functions/adapters/sqs-dead-letters.js';
import { contactPk, orderPk, STATE_SK } from '../../functions/adapters/table-keys.js';
import { contactKeysOf } from '../../functions/domain/contact.js';
import { InvalidEventError } from '../../functions/domain/errors.js';
import { LANGUAGES } from '../../functions/domain/i18n.js';
import type { NotificationRecord } from '../../functions/domain/notification-log.js';
import type { NotificationJob } from '../../functions/domain/notification-planning.js';
import type { JobQueue } from '../../functions/domain/notification-ports.js';
import type { OrderEvent } from '../../functions/domain/order-events.js';
import { type OrderHistory, replay, sameEvent } from '../../functions/domain/order-lifecycle.js';
import { ORDER_LIMITS } from '../../functions/domain/order-limits.js';
import { channelsFor, parseShopConfigs, type ShopConfig } from '../../functions/domain/shop-config.js';
import type { ShopDirectory } from '../../functions/domain/shop-registry.js';
import { signedLinks } from '../../functions/domain/signed-links.js';
import { generateTrackingToken } from '../../functions/domain/tracking-token.js';
import { makeIngestHandler, parseMessage } from '../../functions/ingest-order-events/ingest.js';
import { makePlanHandler } from '../../functions/plan-notifications/plan.js';
import { makeSendHandler } from '../../functions/send-notifications/send.js';
import type { HttpResponse } from '../../functions/status-api/http.js';
import { makeStatusApiHandler } from '../../functions/status-api/status-api.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local.js';
import { openStream, type StreamReader } from '../../local/dynamodb-stream.js';
import { type SesLocal, type StoredEmail, startSesLocal } from '../../local/ses-local.js';
import { type SnsLocal, startSnsLocal } from '../../local/sns-local.js';
import { type SqsLocal, startSqsLocal } from '../../local/sqs-local.js';
import { createOrderTable, type TestTable } from '../support/dynamodb.js';
import { FuzzTally } from './fuzz-tally.js';
import {
  type BuiltSequence,
  buildSequence,
  type Customer,
  type ProducerMessage,
  sequenceScript,
} from './order-sequences.js';

/**
 * Sequences per run: a handful in `npm test`, without floods; `npm run fuzz` sets
 * FUZZ_SEQUENCES and floods orders past every per-order count.
 */
const FUZZING = process.env.FUZZ_SEQUENCES !== undefined;
const SEQUENCES = FUZZING ? Number(process.env.FUZZ_SEQUENCES) : 4;
const MAX_RECEIVE_COUNT = 5;
const SECRET = 'fuzz-sequences-unsubscribe-secret-0123456789';
const INGEST_CLOCK = { now: () => new Date('2026-11-20T12:00:00Z') };
const STATUS_CLOCK = { now: () => new Date('2026-11-21T12:00:00Z') };
/** Noon in Warsaw: no quiet hours hold an SMS. */
const SEND_START = new Date('2026-11-20T11:00:00Z');

const logger = new Logger({ serviceName: 'fuzz-sequences', logLevel: 'SILENT' });

let table: TestTable;
let ses: SesLocal;
let sns: SnsLocal;
let sqs: SqsLocal;
let stream: StreamReader;
let sqsClient: SQSClient;
let snsClient: SNSClient;
let now = SEND_START;

/** The shops of this deployment: each run configures one of its own, so runs never meet. */
const shops = new Map<string, ShopConfig>();
const directory: ShopDirectory = {
  get: async (shopId) => {
    const config = shops.get(shopId);
    return (
      config && {
        config,
        state: 'active',
        version: 1,
        updatedAt: '2026-01-01T00:00:00.000Z',
        updatedBy: 'test',
      }
    );
  },
};

/** The notification queue: the sender's requeues come back with their delay, on the test's clock. */
class RecordingJobQueue implements JobQueue {
  queued: Array<{ job: NotificationJob; delay: number }> = [];
  async enqueue(jobs: readonly NotificationJob[], delaySeconds = 0): Promise<void> {
    this.queued.push(...jobs.map((job) => ({ job, delay: delaySeconds })));
  }
  take() {
    const taken = this.queued;
    this.queued = [];
    return taken;
  }
}
const jobs = new RecordingJobQueue();

const repository = () => new DynamoDbOrderRepository(table.documents, table.tableName);
const notificationLog = () => new DynamoDbNotificationLog(table.documents, table.tableName);

beforeAll(async () => {
  [table, ses, sns, sqs] = await Promise.all([
    createOrderTable(),
    startSesLocal(),
    startSnsLocal({ logSize: 100_000 }),
    startSqsLocal(),
  ]);
  sqs.createQueue('order-events-dlq');
  sqs.createQueue('notification-dlq');
  sqsClient = new SQSClient({ endpoint: sqs.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  snsClient = new SNSClient({ endpoint: sns.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const streams = new DynamoDBStreamsClient({
    endpoint: inject('dynamoDbEndpoint'),
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  stream = await openStream(table.client, streams, table.tableName);
}, 60_000);

afterAll(async () => {
  await Promise.all([ses?.stop(), sns?.stop(), sqs?.stop()]);
  sqsClient?.destroy();
  snsClient?.destroy();
  await table?.drop();
});

const ingest = () =>
  makeIngestHandler({
    record: { orders: repository(), clock: INGEST_CLOCK, newTrackingToken: generateTrackingToken },
    shops: directory,
    deadLetters: new SqsDeadLetterSink(sqsClient, sqs.queueUrl('order-events-dlq')),
    logger,
    maxReceiveCount: MAX_RECEIVE_COUNT,
  });

const planner = () =>
  makePlanHandler({
    orders: repository(),
    shops: directory,
    jobs,
    integration: { publish: async () => undefined },
    logger,
  });

const sender = () =>
  makeSendHandler({
    send: {
      orders: repository(),
      notifications: notificationLog(),
      shops: directory,
      email: new SesEmailSender(
        new SESv2Client({ endpoint: ses.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
        undefined,
      ),
      sms: new SnsSmsSender(snsClient),
      push: new SnsPushSender(snsClient, { fcm: 'arn:aws:sns:eu-central-1:000000000000:app/GCM/fuzz-app' }),
      suppressions: new DynamoDbSuppressionList(table.documents, table.tableName),
      jobs,
      outcomes: { publish: async () => undefined },
      links: signedLinks(SECRET),
      clock: { now: () => now },
    },
    deadLetters: new SqsDeadLetterSink(sqsClient, sqs.queueUrl('notification-dlq')),
    logger,
    maxReceiveCount: 4,
  });

const statusApi = () =>
  makeStatusApiHandler({
    orders: repository(),
    notifications: notificationLog(),
    shops: directory,
    clock: STATUS_CLOCK,
    rateLimiter: new DynamoDbRateLimiter(
      table.documents,
      table.tableName,
      'fuzz-salt-0123456789',
      STATUS_CLOCK,
    ),
    rateLimits: {
      token: { limit: 1_000_000, windowSeconds: 3600 },
      lookup: { limit: 1_000_000, windowSeconds: 3600 },
      lookupPerOrder: { limit: 1_000_000, windowSeconds: 3600 },
    },
    logger,
  });

/* ------------------------------------------------------------------------------------------------ */
/* What the test knows of one run                                                                   */
/* ------------------------------------------------------------------------------------------------ */

interface Letter {
  readonly message: ProducerMessage;
  readonly reason: string;
  readonly errorType: string;
}

interface RunState {
  readonly built: BuiltSequence;
  /** Accepted events per order key (`shopId#orderId`), by event id. */
  readonly accepted: Map<string, Map<string, OrderEvent>>;
  readonly letters: Letter[];
  /** The customer each order got at its placement. */
  readonly owners: Map<string, OrderEvent & { type: 'Order Placed' }>;
  /** Placements that were dead-lettered: their customers must be nowhere. */
  readonly refusedCustomers: Customer[];
  readonly seenEmails: Set<string>;
  readonly seenSms: Set<string>;
  readonly checkedRecords: Set<string>;
  /** The latest state version of each order the stream has shown. */
  readonly streamed: Map<string, number>;
}

const keyOf = (event: { shopId: string; orderId: string }) => `${event.shopId}#${event.orderId}`;

const tryParse = (
  body: string,
): { ok: true; event: OrderEvent } | { ok: false; error: InvalidEventError } => {
  try {
    return { ok: true, event: parseMessage(body).event };
  } catch (error) {
    if (error instanceof InvalidEventError) return { ok: false, error };
    throw error;
  }
};

const byId = (events: Iterable<OrderEvent>) =>
  [...events].sort((a, b) => (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));

/** Order keys of the run: the configured shop's orders (the unknown shop never gets one). */
const orderKeys = (run: RunState) =>
  run.built.orders.map((order) => ({ shopId: run.built.shopId, orderId: order.ref.orderId }));

const letterKind = (letter: Letter): string => {
  if (letter.errorType === 'InvalidEventError') {
    const path = /^invalid order event: ([^:;]+)/.exec(letter.reason)?.[1] ?? 'body';
    return `invalid: ${path.replace(/\[\d+\]/g, '[]')}`;
  }
  if (/already has a placement/.test(letter.reason)) return 'refused: second placement';
  if (/is not configured/.test(letter.reason)) return 'refused: unknown shop';
  if (/already held by another order/.test(letter.reason)) return 'refused: order number taken';
  if (/the most one order may/.test(letter.reason))
    return `refused: order full (${/already (?:holds|has) \d+ (\w+)/.exec(letter.reason)?.[1] ?? '?'})`;
  if (/already used for a different event/.test(letter.reason)) return 'conflict: reused event id';
  return `other: ${letter.errorType}`;
};

/* ------------------------------------------------------------------------------------------------ */
/* Ingest                                                                                           */
/* ------------------------------------------------------------------------------------------------ */

let lettersSeen = 0;

const deliver = async (run: RunState, batch: readonly ProducerMessage[], tally: FuzzTally) => {
  const event = sqsEvent(batch.map((message) => message.body));
  const messageOf = new Map(
    event.Records.map((record, index) => [record.messageId, batch[index] as ProducerMessage]),
  );
  let pending = event.Records;
  for (let receive = 1; pending.length > 0; receive++) {
    expect(receive, 'a message kept failing without reaching the dead letters').toBeLessThanOrEqual(
      MAX_RECEIVE_COUNT,
    );
    const records = pending.map((record) => ({
      ...record,
      attributes: { ...record.attributes, ApproximateReceiveCount: String(receive) },
    }));
    let response: SQSBatchResponse;
    try {
      response = await ingest()({ Records: records }, lambdaContext());
    } catch (error) {
      tally.crashes += 1;
      throw error;
    }
    const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
    pending = records.filter((record) => failed.has(record.messageId));
  }

  const letters = sqs.peek('order-events-dlq').slice(lettersSeen);
  lettersSeen += letters.length;
  const lettered = new Set<ProducerMessage>();
  for (const queued of letters) {
    const message = messageOf.get(queued.messageAttributes.sourceMessageId?.StringValue ?? '');
    expect(message, 'a dead letter of a message not in this batch').toBeDefined();
    if (!message) continue;
    expect(lettered.has(message), `${message.label}: dead-lettered twice`).toBe(false);
    expect(queued.body).toBe(message.body);
    lettered.add(message);
    const letter = {
      message,
      reason: queued.messageAttributes.reason?.StringValue ?? '',
      errorType: queued.messageAttributes.errorType?.StringValue ?? '',
    };
    run.letters.push(letter);
    tally.reject(letterKind(letter));
    if (message.customer) run.refusedCustomers.push(message.customer);
  }
  tally.deadLettered += letters.length;

  // Everything not dead-lettered is a valid event of a configured shop, now accepted.
  for (const message of batch) {
    if (lettered.has(message)) continue;
    const parsed = tryParse(message.body);
    expect(parsed.ok, `${message.label}: invalid, yet not dead-lettered`).toBe(true);
    if (!parsed.ok) continue;
    expect(shops.has(parsed.event.shopId), `${message.label}: unknown shop, yet not dead-lettered`).toBe(
      true,
    );
    const known = run.accepted.get(keyOf(parsed.event)) ?? new Map<string, OrderEvent>();
    run.accepted.set(keyOf(parsed.event), known);
    const earlier = known.get(parsed.event.eventId);
    if (earlier)
      expect(sameEvent(earlier, parsed.event), `${message.label}: a reused event id was accepted`).toBe(true);
    else tally.accepted += 1;
    known.set(parsed.event.eventId, parsed.event);
  }
  return { lettered };
};

/** Each dead letter's reason, borne out by what the store holds. */
const checkLetters = (run: RunState, letters: readonly Letter[]) => {
  for (const letter of letters) {
    const parsed = tryParse(letter.message.body);
    const label = `${letter.message.label}: ${letter.reason}`;
    if (!parsed.ok) {
      expect(letter.errorType, label).toBe('InvalidEventError');
      expect(letter.reason).toBe(parsed.error.message);
      continue;
    }
    const event = parsed.event;
    expect(letter.errorType, label).toMatch(/^(EventRefusedError|EventIdConflictError)$/);
    if (!shops.has(event.shopId)) {
      expect(letter.reason, label).toBe(
        `shop ${event.shopId} is not configured in this deployment; nothing was stored`,
      );
      continue;
    }
    const stored = run.accepted.get(keyOf(event)) ?? new Map<string, OrderEvent>();
    const kind = letterKind(letter);
    switch (kind) {
      case 'refused: second placement': {
        const placement = [...stored.values()].find((other) => other.type === 'Order Placed');
        expect(event.type, label).toBe('Order Placed');
        expect(placement && placement.eventId !== event.eventId, label).toBe(true);
        break;
      }
      case 'conflict: reused event id': {
        const same = stored.get(event.eventId);
        expect(same && !sameEvent(same, event), label).toBe(true);
        break;
      }
      case 'refused: order number taken': {
        expect(event.type, label).toBe('Order Placed');
        const holders = [...run.accepted.entries()].filter(
          ([key, events]) =>
            key !== keyOf(event) &&
            [...events.values()].some(
              (other) => other.type === 'Order Placed' && other.orderNumber === event.orderNumber,
            ),
        );
        expect(holders, label).toHaveLength(1);
        break;
      }
      default: {
        expect(kind, label).toMatch(/^refused: order full/);
        const events = [...stored.values()];
        const count = (pick: (e: OrderEvent) => string | undefined) =>
          new Set(events.map(pick).filter((id) => id !== undefined)).size;
        const counts: Record<string, number> = {
          events: events.length,
          complaints: count((e) => (e.type === 'Complaint Opened' ? e.complaintId : undefined)),
          returns: count((e) => (e.type === 'Return Requested' ? e.returnId : undefined)),
          refunds: count((e) => (e.type === 'Refund Issued' ? e.refundId : undefined)),
          payments: count((e) => (e.type === 'Payment Received' ? e.eventId : undefined)),
        };
        const collection = /already (?:holds|has) \d+ (\w+)/.exec(letter.reason)?.[1] ?? '';
        expect(counts[collection], label).toBe(ORDER_LIMITS[collection as keyof typeof ORDER_LIMITS]);
      }
    }
  }
};

/* ------------------------------------------------------------------------------------------------ */
/* The store                                                                                        */
/* ------------------------------------------------------------------------------------------------ */

const partition = async (key: { shopId: string; orderId: string }) =>
  (
    await table.documents.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': orderPk(key) },
        ConsistentRead: true,
      }),
    )
  ).Items ?? [];

/** The stored order is exactly the accepted events, its state their replay; its customer never changes. */
const checkStore = async (run: RunState, tally: FuzzTally) => {
  for (const key of orderKeys(run)) {
    const accepted = run.accepted.get(keyOf(key));
    const snapshot = await repository().load(key);
    if (!accepted || accepted.size === 0) {
      expect(snapshot, `${key.orderId}: stored, though every event was dead-lettered`).toBeUndefined();
      expect(await partition(key)).toEqual([]);
      continue;
    }
    const events = snapshot?.events.map((stored) => stored.event) ?? [];
    expect(byId(events)).toEqual(byId(accepted.values()));
    expect(snapshot?.version).toBe(accepted.size);
    const history = replay(events);
    const item = await table.documents.send(
      new GetCommand({
        TableName: table.tableName,
        Key: { pk: orderPk(key), sk: STATE_SK },
        ConsistentRead: true,
      }),
    );
    expect(item.Item?.state).toEqual(JSON.parse(JSON.stringify(history.state)));
    expect(item.Item?.appliedEventIds).toEqual(
      history.timeline
        .filter((entry) => entry.outcome.kind === 'applied')
        .map((entry) => entry.event.eventId),
    );
    expect((await partition(key)).length).toBe(accepted.size + 1);
    const placements = events.filter((event) => event.type === 'Order Placed');
    expect(placements.length).toBeLessThanOrEqual(1);
    const owner = run.owners.get(keyOf(key));
    if (owner) {
      // A second placement never changes the customer.
      expect(placements).toEqual([owner]);
      expect(history.state.customer).toEqual(owner.customer);
    } else if (placements[0]?.type === 'Order Placed') {
      run.owners.set(keyOf(key), placements[0]);
    }
  }
  // Nothing of a refused placement is kept: not in any order, not in the contact index.
  const owners = new Set([...run.owners.values()].map((placement) => placement.customer.email));
  const refused = run.refusedCustomers.filter((customer) => !owners.has(customer.email));
  if (refused.length === 0) return;
  const stored = JSON.stringify(await Promise.all(orderKeys(run).map(partition)));
  for (const customer of refused) {
    for (const secret of [customer.email, customer.name, customer.phone.slice(3)]) {
      if (stored.includes(secret)) tally.writesFromRejected += 1;
      expect(stored, 'a refused placement left personal data').not.toContain(secret);
    }
  }
  for (const letter of run.letters) {
    const parsed = tryParse(letter.message.body);
    if (!parsed.ok || parsed.event.type !== 'Order Placed' || owners.has(parsed.event.customer.email))
      continue;
    for (const contact of contactKeysOf(parsed.event.shopId, [parsed.event])) {
      const entries = await table.documents.send(
        new QueryCommand({
          TableName: table.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': contactPk(parsed.event.shopId, contact) },
        }),
      );
      expect(entries.Items ?? [], 'a refused placement entered the contact index').toEqual([]);
    }
  }
};

/* ------------------------------------------------------------------------------------------------ */
/* Plan and send                                                                                    */
/* ------------------------------------------------------------------------------------------------ */

const send = async (queued: readonly NotificationJob[]) => {
  let pending = [...queued];
  for (let receive = 1; pending.length > 0; receive++) {
    expect(receive, 'a notification job kept failing').toBeLessThanOrEqual(4);
    const failed: NotificationJob[] = [];
    for (let i = 0; i < pending.length; i += 10) {
      const chunk = pending.slice(i, i + 10);
      const event = sqsEvent(
        chunk.map((job) => JSON.stringify(job)),
        receive,
      );
      const response = await sender()(event, lambdaContext('send'));
      const ids = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
      for (const [index, record] of event.Records.entries()) {
        if (ids.has(record.messageId)) failed.push(chunk[index] as NotificationJob);
      }
    }
    pending = failed;
  }
};

/** Stream, planner, sender, and again what the sender requeued to keep an order's messages in order. */
const planAndSend = async (run: RunState) => {
  // The stream up to the latest version of every order of the run (DynamoDB Local may lag a moment).
  const expected = new Map(
    orderKeys(run)
      .map((key) => [orderPk(key), run.accepted.get(keyOf(key))?.size ?? 0] as const)
      .filter(([pk, version]) => version > (run.streamed.get(pk) ?? 0)),
  );
  for (let read = 0; ; read++) {
    const records = await stream.read();
    if (records.Records.length > 0) {
      const response = await planner()(records, lambdaContext('plan'));
      expect(response.batchItemFailures).toEqual([]);
    }
    for (const record of records.Records) {
      const image = record.dynamodb?.NewImage;
      const pk = image?.pk?.S;
      if (!pk || image?.sk?.S !== STATE_SK) continue;
      const version = Number(image.version?.N);
      run.streamed.set(pk, Math.max(version, run.streamed.get(pk) ?? 0));
      if (version >= (expected.get(pk) ?? Number.POSITIVE_INFINITY)) expected.delete(pk);
    }
    if (expected.size === 0) break;
    const waiting = [...expected].map(([pk, version]) => `${pk} v${version}, seen v${run.streamed.get(pk)}`);
    expect(read, `the stream never showed the latest version of ${waiting.join('; ')}`).toBeLessThan(100);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (let round = 0; round < 40; round++) {
    const queued = jobs.take();
    if (queued.length === 0) return;
    expect(
      queued.every((entry) => entry.delay <= 60),
      'a message was held for hours at noon',
    ).toBe(true);
    if (round > 0) now = new Date(now.getTime() + Math.max(...queued.map((entry) => entry.delay), 1) * 1000);
    await send(queued.map((entry) => entry.job));
  }
  throw new Error('the sender kept requeueing');
};

const STATUS_OF: Partial<Record<OrderEvent['type'], string>> = {
  'Order Accepted': 'accepted',
  'Order On Hold': 'on_hold',
  'Order Preparing': 'preparing',
  'Order Shipped': 'shipped',
  'Order Out For Delivery': 'out_for_delivery',
};

/** A sent message is about a step the order is still at, as the order stood when it went out. */
const checkFresh = (record: NotificationRecord, history: OrderHistory) => {
  const { state } = history;
  const entry = history.timeline.find((candidate) => candidate.event.eventId === record.eventId);
  const label = `${record.eventType}/${record.channel} sent`;
  expect(entry?.outcome.kind, `${label} for an event that did not apply`).toBe('applied');
  const event = entry?.event as OrderEvent;
  const expected = STATUS_OF[event.type];
  if (expected) expect(state.status, `${label}: the order has left that step`).toBe(expected);
  switch (event.type) {
    case 'Order Placed':
      expect(state.status, label).not.toBe('cancelled');
      break;
    case 'Order Resumed':
      expect(['placed', 'accepted', 'preparing'], label).toContain(state.status);
      break;
    case 'Payment Received':
      expect(state.payment.refunded, `${label} after a refund`).toBe(0);
      expect(record.template, label).toBe(
        state.payment.status === 'partially_paid' ? 'partial-payment-received' : 'payment-received',
      );
      expect(['paid', 'partially_paid'], label).toContain(state.payment.status);
      break;
    case 'Complaint Opened':
      expect(state.complaints.find((c) => c.complaintId === event.complaintId)?.status, label).toBe('open');
      break;
    case 'Complaint Resolved': {
      // Never "complaint accepted" (or rejected) for a complaint never opened.
      const opened = history.timeline.find(
        (candidate) =>
          candidate.event.type === 'Complaint Opened' &&
          candidate.event.complaintId === event.complaintId &&
          candidate.outcome.kind === 'applied',
      );
      expect(opened, `${label} for complaint ${event.complaintId}, never opened`).toBeDefined();
      expect(state.complaints.find((c) => c.complaintId === event.complaintId)).toMatchObject({
        status: 'resolved',
        outcome: event.outcome,
      });
      break;
    }
    case 'Return Requested':
      expect(state.returns.find((r) => r.returnId === event.returnId)?.status, label).toBe('requested');
      break;
    case 'Return Received':
      expect(state.returns.find((r) => r.returnId === event.returnId)?.status, label).toBe('received');
      break;
    default:
      break;
  }
};

const checkMessages = async (run: RunState, tally: FuzzTally) => {
  const emails = (await ses.emails()).filter((email) => !run.seenEmails.has(email.messageId));
  const sms = sns.sms().filter((message) => !run.seenSms.has(message.messageId));
  const records = new Map<string, { record: NotificationRecord; history: OrderHistory }>();
  const refused = run.refusedCustomers.filter(
    (customer) => ![...run.owners.values()].some((owner) => owner.customer.email === customer.email),
  );
  for (const key of orderKeys(run)) {
    const snapshot = await repository().load(key);
    const log = await notificationLog().list(key);
    if (!snapshot) {
      expect(log).toEqual([]);
      continue;
    }
    const history = replay(snapshot.events.map((stored) => stored.event));
    for (const record of log) {
      // Every job ends closed: nothing left sending, waiting or retrying.
      expect(
        ['sent', 'skipped', 'superseded'],
        `${record.eventType}/${record.channel}: ${record.reason}`,
      ).toContain(record.outcome);
      if (record.providerMessageId) records.set(record.providerMessageId, { record, history });
      const id = `${record.eventId}/${record.channel}`;
      if (record.outcome === 'sent' && !run.checkedRecords.has(id)) {
        run.checkedRecords.add(id);
        checkFresh(record, history);
      }
    }
    // Every applied event was planned on each of its shop's channels.
    const shop = shops.get(key.shopId) as ShopConfig;
    for (const entry of history.timeline.filter((candidate) => candidate.outcome.kind === 'applied')) {
      for (const channel of channelsFor(shop, entry.event.type)) {
        expect(
          log.some((record) => record.eventId === entry.event.eventId && record.channel === channel),
          `${entry.event.type} on ${channel} was never planned`,
        ).toBe(true);
      }
    }
  }
  const ownerOf = (orderId: string) => run.owners.get(`${run.built.shopId}#${orderId}`)?.customer;
  const noRefusedData = (text: string, what: string) => {
    for (const customer of refused) {
      expect(text, `${what} carries a refused placement's data`).not.toContain(customer.email);
      expect(text, `${what} carries a refused placement's data`).not.toContain(customer.name);
    }
  };
  for (const email of emails as StoredEmail[]) {
    run.seenEmails.add(email.messageId);
    const found = records.get(email.messageId);
    expect(found, `an e-mail no record of the run accounts for: ${email.subject}`).toBeDefined();
    expect(email.destination.to).toEqual([ownerOf(found?.record.orderId ?? '')?.email]);
    noRefusedData(`${email.subject}\n${email.body.text ?? ''}\n${email.body.html ?? ''}`, 'an e-mail');
    tally.messagesSent += 1;
  }
  for (const message of sms) {
    run.seenSms.add(message.messageId);
    const found = records.get(message.messageId);
    expect(found, 'an SMS no record of the run accounts for').toBeDefined();
    expect(message.phoneNumber).toBe(ownerOf(found?.record.orderId ?? '')?.phone);
    noRefusedData(message.text, 'an SMS');
    tally.messagesSent += 1;
  }
  expect(sqs.peek('notification-dlq'), 'a notification job was dead-lettered').toEqual([]);
};

/* ------------------------------------------------------------------------------------------------ */
/* The public routes                                                                                */
/* ------------------------------------------------------------------------------------------------ */

const checkRoutes = async (run: RunState, tally: FuzzTally) => {
  const api = statusApi();
  const call = async (path: string, options: Parameters<typeof apiEvent>[1] = {}) => {
    tally.requests += 1;
    let response: HttpResponse;
    try {
      response = (await api(apiEvent(path, options), lambdaContext('status-api'))) as HttpResponse;
    } catch (error) {
      tally.crashes += 1;
      throw error;
    }
    if (response.statusCode >= 500) tally.serverErrors += 1;
    expect(
      response.statusCode,
      `${options.method ?? 'GET'} ${path}?${options.query ?? ''}: ${response.body.slice(0, 200)}`,
    ).toBeLessThan(500);
    return response;
  };
  const lookup = (orderNumber: string, contact: string, shopId = run.built.shopId) =>
    call('/v1/lookup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ shopId, orderNumber, contact }),
    });
  const refused = run.refusedCustomers.filter(
    (customer) => ![...run.owners.values()].some((owner) => owner.customer.email === customer.email),
  );

  for (const [index, key] of orderKeys(run).entries()) {
    const order = run.built.orders[index];
    if (!order) continue;
    const snapshot = await repository().load(key);
    const owner = run.owners.get(keyOf(key));
    if (snapshot?.trackingToken) {
      const state = replay(snapshot.events.map((stored) => stored.event)).state;
      for (const language of [undefined, ...LANGUAGES]) {
        const query = language ? `lang=${language}` : '';
        const json = await call(`/v1/orders/${snapshot.trackingToken}`, { query });
        const page = await call(`/t/${snapshot.trackingToken}`, { query });
        expect(json.statusCode).toBe(200);
        expect(page.statusCode).toBe(200);
        const view = JSON.parse(json.body) as { orderNumber: string; status: { code: string } };
        expect(view.orderNumber).toBe(state.orderNumber);
        expect(view.status.code).toBe(state.status);
        for (const customer of refused) {
          for (const body of [json.body, page.body]) {
            expect(body).not.toContain(customer.name);
            expect(body).not.toContain(customer.email);
          }
        }
      }
      expect((await call(`/t/${snapshot.trackingToken}`, { method: 'HEAD' })).statusCode).toBe(200);
    } else {
      expect(owner, `${key.orderId} is placed but has no tracking token`).toBeUndefined();
    }
    // The lookup finds a placed order for its own customer, by e-mail or phone; nobody else's contact.
    if (owner) {
      for (const contact of [owner.customer.email, owner.customer.phone].filter((c) => c !== undefined)) {
        const found = await lookup(owner.orderNumber, contact);
        expect(found.statusCode, `lookup of ${key.orderId} by its customer`).toBe(200);
        expect(JSON.parse(found.body).trackingUrl).toContain(`/t/${snapshot?.trackingToken}`);
      }
    }
    for (const customer of refused) {
      expect((await lookup(order.ref.orderNumber, customer.email)).statusCode).toBe(404);
      expect((await lookup(order.ref.orderNumber, customer.phone)).statusCode).toBe(404);
    }
    expect(
      (await lookup(order.ref.orderNumber, order.honest.email, run.built.unknownShopId)).statusCode,
    ).toBe(404);
  }
};

/* ------------------------------------------------------------------------------------------------ */

describe('Fuzz: stateful producer sequences through ingest, planner, sender and the status API', () => {
  it('keeps every order whole, its messages its own customer’s and fresh, and its routes below 500', async () => {
    const tally = new FuzzTally('pipeline: stateful sequences', SEQUENCES);
    let runNumber = 0;
    await stream.read(); // nothing before the first sequence

    await fc.assert(
      fc.asyncProperty(sequenceScript({ floods: FUZZING, eventsFlood: FUZZING }), async (script) => {
        const built = buildSequence(script, runNumber++);
        const [shop] = parseShopConfigs([
          {
            ...SHOP_INPUT,
            shopId: built.shopId,
            email: { from: 'Sklep Pod Dębem <zamowienia@podebem.example.pl>' },
            sms: { senderId: 'PodDebem' },
          },
        ]);
        shops.set(built.shopId, shop as ShopConfig);
        const run: RunState = {
          built,
          accepted: new Map(),
          letters: [],
          owners: new Map(),
          refusedCustomers: [],
          seenEmails: new Set(),
          seenSms: new Set(),
          checkedRecords: new Set(),
          streamed: new Map(),
        };
        now = SEND_START;
        await ses.clear();
        sns.clear();
        tally.sequences += 1;
        tally.inputs += built.messages;

        for (const [index, batch] of built.batches.entries()) {
          const before = run.letters.length;
          await deliver(run, batch, tally);
          checkLetters(run, run.letters.slice(before));
          await checkStore(run, tally);
          if (built.settleAfter[index]) {
            await planAndSend(run);
            await checkMessages(run, tally);
          }
        }
        await checkRoutes(run, tally);
        if (FUZZING)
          process.stderr.write(
            `sequence ${tally.sequences}: ${built.messages} messages, ${run.letters.length} dead-lettered, ` +
              `${tally.deadLettered} so far\n`,
          );
      }),
      // A sequence takes seconds: a failure is reported as found (its script and seed), not shrunk.
      { numRuns: SEQUENCES, endOnFailure: true },
    );
    tally.save();
  }, 1_800_000);
});
