/**
 * The notification pipeline end to end: events recorded in DynamoDB Local, the table's real stream read
 * back into the planner, jobs run through the sender, e-mails into the local SES (read back and parsed
 * as MIME), SMS and push into the project's local SNS, jobs and dead letters into its local SQS, outcome
 * events onto its local EventBridge, all with the real clients. Provider failures are the local SNS's own
 * (`failNext`, `optOut`, `disableEndpoint`); a fault proxy in front of SNS counts the Publish calls that
 * reached it, and one in front of SQS reads each accepted job's delay off the wire (a delayed message
 * cannot be received before its delay ends, and the test's clock is not SQS's).
 */
import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import {
  PurgeQueueCommand,
  type SendMessageBatchRequest,
  type SendMessageBatchResult,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { simpleParser } from 'mailparser';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { lambdaContext, sqsEvent } from '../../fixtures/lambda.js';
import { exampleDetails, lifecycleEvents, orderRef, SHOP_ID, toEvent } from '../../fixtures/order-events.js';
import { DynamoDbNotificationLog } from '../../functions/adapters/dynamodb-notification-log.js';
import { DynamoDbOrderRepository } from '../../functions/adapters/dynamodb-order-repository.js';
import { DynamoDbSuppressionList } from '../../functions/adapters/dynamodb-suppression-list.js';
import {
  EventBridgeIntegrationPublisher,
  EventBridgeOutcomePublisher,
} from '../../functions/adapters/eventbridge-outcome-publisher.js';
import { SesEmailSender } from '../../functions/adapters/ses-email-sender.js';
import { SnsPushSender } from '../../functions/adapters/sns-push-sender.js';
import { SnsSmsSender } from '../../functions/adapters/sns-sms-sender.js';
import { SqsDeadLetterSink } from '../../functions/adapters/sqs-dead-letters.js';
import { SqsJobQueue } from '../../functions/adapters/sqs-job-queue.js';
import {
  OrderEventRecordedDetailSchema,
  OrderStatusChangedDetailSchema,
} from '../../functions/domain/integration-events.js';
import { type NotificationJob, ORDER_WAIT } from '../../functions/domain/notification-planning.js';
import type { SettledMessage } from '../../functions/domain/notification-ports.js';
import type { OrderEvent } from '../../functions/domain/order-events.js';
import { recordOrderEvent } from '../../functions/domain/record-order-event.js';
import type { SendNotificationDeps } from '../../functions/domain/send-notification.js';
import { parseShopConfigs } from '../../functions/domain/shop-config.js';
import { staticShopDirectory } from '../../functions/domain/shop-registry.js';
import { signedLinks } from '../../functions/domain/signed-links.js';
import { generateTrackingToken } from '../../functions/domain/tracking-token.js';
import { makePlanHandler } from '../../functions/plan-notifications/plan.js';
import { makeSendHandler } from '../../functions/send-notifications/send.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local.js';
import { openStream, type StreamReader } from '../../local/dynamodb-stream.js';
import {
  type Exchange,
  type FaultProxy,
  type ProxiedResponse,
  snsActionOf,
  startFaultProxy,
} from '../../local/fault-proxy.js';
import { type SesLocal, startSesLocal } from '../../local/ses-local.js';
import { type SnsLocal, startSnsLocal } from '../../local/sns-local.js';
import { createOrderTable, type TestTable } from '../support/dynamodb.js';
import { drainQueue, type LocalSqs, startLocalSqs } from '../support/local-sqs.js';
import { type OutcomeBus, startOutcomeBus } from '../support/outcome-bus.js';

const MAX_RECEIVE_COUNT = 4;
const SECRET = 'unsubscribe-secret-for-tests-only-0123456789';
const NOON_IN_WARSAW = new Date('2026-11-20T11:00:00Z');

let table: TestTable;
let ses: SesLocal;
let stream: StreamReader;
let now: Date;

/** The local SQS for the file, a fault proxy in front of it (no faults: it records), fresh queues per test. */
let sqs: LocalSqs;
let sqsProxy: FaultProxy;
let sqsExchanges: Exchange[] = [];
let sqsClient: SQSClient;
let jobsQueue: { name: string; url: string };
let dlqUrl: string;
/** A fresh local SNS per test (opt-outs and disabled devices do not leak), behind its recording proxy. */
let sns: SnsLocal;
let snsProxy: FaultProxy;
let snsExchanges: Exchange[] = [];
let snsClient: SNSClient;
/** Answers the proxy gives the next Publish calls instead of SNS (a failure the local SNS cannot make). */
let publishFaults: ProxiedResponse[] = [];
let outcomes: OutcomeBus;

const [shop] = parseShopConfigs([
  {
    shopId: SHOP_ID,
    name: 'Sklep Pod Dębem',
    statusPage: { baseUrl: 'https://status.podebem.example.pl' },
    email: { from: 'Sklep Pod Dębem <zamowienia@podebem.example.pl>' },
    contact: { phone: '+48 12 345 67 89', email: 'pomoc@podebem.example.pl' },
    links: { returns: 'https://podebem.example.pl/zwroty' },
    sms: { senderId: 'PodDebem' },
  },
]);
if (!shop) throw new Error('fixture shop');

const repository = () => new DynamoDbOrderRepository(table.documents, table.tableName);
const notificationLog = () => new DynamoDbNotificationLog(table.documents, table.tableName);
const suppressions = () => new DynamoDbSuppressionList(table.documents, table.tableName);

const sendDeps = (overrides: Partial<SendNotificationDeps> = {}): SendNotificationDeps => {
  return {
    orders: repository(),
    notifications: notificationLog(),
    shops: staticShopDirectory([shop]),
    email: new SesEmailSender(
      new SESv2Client({ endpoint: ses.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
      'order-notifications',
    ),
    sms: new SnsSmsSender(snsClient),
    push: new SnsPushSender(snsClient, { fcm: 'arn:aws:sns:eu-central-1:123456789012:app/GCM/shop-app' }),
    suppressions: suppressions(),
    jobs: new SqsJobQueue(sqsClient, jobsQueue.url),
    outcomes: new EventBridgeOutcomePublisher(outcomes.client, 'orders'),
    links: signedLinks(SECRET),
    clock: { now: () => now },
    ...overrides,
  };
};

const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });

/**
 * Jobs the planner or the sender queued since the last call, with their delay: the entries of the
 * SendMessageBatch requests SQS answered as successful, as they went over the wire. The queue must hold
 * exactly those messages; it is purged afterwards, so the next call starts from an empty queue.
 */
const takeQueuedJobs = async (): Promise<Array<{ job: NotificationJob; delay: number }>> => {
  const accepted = sqsExchanges.splice(0).flatMap(({ request, response }) => {
    if (request.headers['x-amz-target'] !== 'AmazonSQS.SendMessageBatch') return [];
    const input = JSON.parse(request.body.toString('utf8')) as SendMessageBatchRequest;
    if (input.QueueUrl !== jobsQueue.url || response.status !== 200) return [];
    const result = JSON.parse(response.body.toString('utf8')) as SendMessageBatchResult;
    const successful = new Set((result.Successful ?? []).map((entry) => entry.Id));
    return (input.Entries ?? []).filter((entry) => successful.has(entry.Id));
  });
  expect(sqs.sqs.peek(jobsQueue.name).map((message) => message.body)).toEqual(
    accepted.map((entry) => entry.MessageBody),
  );
  await sqs.client.send(new PurgeQueueCommand({ QueueUrl: jobsQueue.url }));
  return accepted.map((entry) => ({
    job: JSON.parse(entry.MessageBody ?? '{}') as NotificationJob,
    delay: entry.DelaySeconds ?? 0,
  }));
};

/** Publish calls that reached SNS (through the proxy) in this test. */
const publishCalls = () => snsExchanges.filter((exchange) => snsActionOf(exchange.request) === 'Publish');

/** The SMS the local SNS took, oldest first. */
const smsSent = () => [...sns.sms()].reverse();

/** What reached the notification dead-letter queue in this test, received from it in arrival order. */
let deadLettered: Awaited<ReturnType<typeof drainQueue>> = [];
const deadLetters = async () => {
  deadLettered.push(...(await drainQueue(sqs.client, dlqUrl)));
  return deadLettered;
};

/**
 * SNS's Query error answer with a message of the test's choosing: the local SNS's `failNext` gives every
 * injected error the same message, and a provider message that names the phone number needs its own.
 */
const snsError = (code: string, status: number, message: string): ProxiedResponse => ({
  status,
  headers: { 'content-type': 'text/xml' },
  body:
    '<?xml version="1.0"?>\n<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error>' +
    `<Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${code}</Code><Message>${message}</Message>` +
    `</Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
});

const record = async (...events: OrderEvent[]) => {
  for (const event of events) {
    await recordOrderEvent(
      { orders: repository(), clock: { now: () => now }, newTrackingToken: generateTrackingToken },
      event,
    );
  }
};

/** Stream -> planner -> queued jobs. */
const plan = async (shops = staticShopDirectory([shop])): Promise<NotificationJob[]> => {
  const event = await stream.read();
  const response = await makePlanHandler({
    orders: repository(),
    shops,
    jobs: new SqsJobQueue(sqsClient, jobsQueue.url),
    integration: new EventBridgeIntegrationPublisher(outcomes.client, 'orders'),
    logger,
  })(event, lambdaContext('plan'));
  expect(response.batchItemFailures).toEqual([]);
  return (await takeQueuedJobs()).map((queued) => queued.job);
};

const send = async (jobs: readonly NotificationJob[], receiveCount = 1, deps = sendDeps()) =>
  makeSendHandler({
    send: deps,
    deadLetters: new SqsDeadLetterSink(sqsClient, dlqUrl),
    logger,
    maxReceiveCount: MAX_RECEIVE_COUNT,
  })(
    sqsEvent(
      jobs.map((job) => JSON.stringify(job)),
      receiveCount,
    ),
    lambdaContext('send'),
  );

/**
 * Sends, then again what the sender requeued to wait for an earlier message of its order (a few seconds
 * later, as SQS would), until only longer delays are left: those are returned.
 */
const sendSettled = async (jobs: readonly NotificationJob[]) => {
  await send(jobs);
  const later: Array<{ job: NotificationJob; delay: number }> = [];
  for (let round = 0; round < 30; round++) {
    const queued = await takeQueuedJobs();
    later.push(...queued.filter((entry) => entry.delay > ORDER_WAIT.stepSeconds));
    const waiting = queued.filter((entry) => entry.delay <= ORDER_WAIT.stepSeconds);
    if (waiting.length === 0) break;
    now = new Date(now.getTime() + ORDER_WAIT.stepSeconds * 1000);
    await send(waiting.map((entry) => entry.job));
  }
  return later;
};

/** The e-mail record of an order's placement as a worker leaves it when killed mid-job (lease 1 minute). */
const claimAsAStoppedWorker = (placed: OrderEvent, options: { calledProvider: boolean }) =>
  notificationLog().create({
    shopId: SHOP_ID,
    orderId: placed.orderId,
    eventId: placed.eventId,
    channel: 'email',
    eventType: 'Order Placed',
    template: 'order-placed',
    language: 'pl',
    outcome: 'sending',
    attempts: 1,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    leaseUntil: new Date(now.getTime() + 60_000).toISOString(),
    ...(options.calledProvider ? { providerCallAt: now.toISOString() } : {}),
  });

const logOf = (orderId: string) => notificationLog().list({ shopId: SHOP_ID, orderId });
const outcomeOf = async (orderId: string, eventSuffix: string, channel: string) =>
  (await logOf(orderId)).find((entry) => entry.eventId.endsWith(eventSuffix) && entry.channel === channel);
const emailsTo = async (orderNumber: string) =>
  (await ses.emails()).filter((email) => email.subject.includes(orderNumber));

beforeAll(async () => {
  [table, ses, sqs, outcomes] = await Promise.all([
    createOrderTable(),
    startSesLocal(),
    startLocalSqs(),
    startOutcomeBus('orders'),
  ]);
  sqsProxy = await startFaultProxy({
    target: sqs.sqs.endpoint,
    onExchange: (exchange) => sqsExchanges.push(exchange),
  });
  // No retries in the clients of the provider and the queue: one injected failure is one failed call,
  // which the handler sees at once (the SDK's retries are the production config's business, not this test's).
  sqsClient = new SQSClient({
    endpoint: sqsProxy.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  const streams = new DynamoDBStreamsClient({
    endpoint: inject('dynamoDbEndpoint'),
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  stream = await openStream(table.client, streams, table.tableName);
});

afterAll(async () => {
  sqsClient.destroy();
  await Promise.all([ses.stop(), sqsProxy.stop(), sqs.stop(), outcomes.stop(), table.drop()]);
});

beforeEach(async () => {
  now = NOON_IN_WARSAW;
  jobsQueue = { name: `notification-jobs-${randomUUID()}`, url: '' };
  jobsQueue.url = sqs.sqs.createQueue(jobsQueue.name).url;
  dlqUrl = sqs.newQueue('notification-dead-letters');
  sqsExchanges = [];
  deadLettered = [];
  sns = await startSnsLocal();
  snsExchanges = [];
  publishFaults = [];
  snsProxy = await startFaultProxy({
    target: sns.endpoint,
    decide: (request) => (snsActionOf(request) === 'Publish' ? publishFaults.shift() : undefined),
    onExchange: (exchange) => snsExchanges.push(exchange),
  });
  snsClient = new SNSClient({
    endpoint: snsProxy.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  await plan(); // drain what earlier tests left on the stream
  outcomes.clear();
});

afterEach(async () => {
  vi.restoreAllMocks();
  snsClient.destroy();
  await snsProxy.stop();
  await sns.stop();
});

describe('Notification pipeline', () => {
  it('confirms a placed order by e-mail with the tracking link, unsubscribe headers and payment instructions', async () => {
    // Prepare
    const ref = orderRef(201);
    const [placed] = lifecycleEvents(ref, 'happyPath') as [OrderEvent];
    await record(placed);

    // Act
    const jobs = await plan();
    const response = await send(jobs);

    // Assess
    expect(jobs).toEqual([
      { shopId: SHOP_ID, orderId: ref.orderId, eventId: placed.eventId, channel: 'email' },
    ]);
    expect(response.batchItemFailures).toEqual([]);
    const [email] = await emailsTo(ref.orderNumber);
    expect(email?.destination.to).toEqual(['zofia.wasowska@example.pl']);
    const token = (await repository().load({ shopId: SHOP_ID, orderId: ref.orderId }))?.trackingToken;
    const mime = await simpleParser(await ses.rawEmail(email?.messageId ?? ''));
    expect(mime.html).toContain(`https://status.podebem.example.pl/t/${token}?lang=pl`);
    expect(mime.text).toContain(`https://status.podebem.example.pl/t/${token}?lang=pl`);
    expect(mime.text).toContain('PL61 1090 1014 0000 0712 1981 2874');
    // The headers as handed to SES (the emulator's MIME rebuild keeps only some of them)
    const headers = Object.fromEntries((email?.headers ?? []).map((header) => [header.name, header.value]));
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(headers['List-Unsubscribe']).toMatch(
      /^<https:\/\/status\.podebem\.example\.pl\/v1\/unsubscribe\?token=[\w-]+>$/,
    );
    // The token is opaque: the address cannot be read out of the link
    const linkToken = /token=([\w-]+)/.exec(headers['List-Unsubscribe'] ?? '')?.[1] ?? '';
    expect(Buffer.from(linkToken, 'base64url').toString('latin1')).not.toContain('zofia.wasowska');
    expect(await outcomeOf(ref.orderId, '-placed', 'email')).toMatchObject({
      outcome: 'sent',
      address: 'z***@example.pl',
      template: 'order-placed',
      language: 'pl',
    });
    const published = (await outcomes.delivered()).filter((event) =>
      event['detail-type'].startsWith('Notification'),
    );
    expect(published).toMatchObject([
      { source: 'order-notifications', 'detail-type': 'Notification Sent', detail: { outcome: 'sent' } },
    ]);
    expect(JSON.stringify(published[0]?.detail)).not.toContain('zofia');
  });

  it('puts each status change on the bus for the shop’s systems, without contact data unless the shop opts in', async () => {
    // Prepare
    const ref = orderRef(240);
    const [placed, paid, accepted] = lifecycleEvents(ref, 'happyPath') as [
      OrderEvent,
      OrderEvent,
      OrderEvent,
    ];
    const sharing = staticShopDirectory([
      { ...shop, integrationEvents: { statusChanges: true, timeline: true, customerContact: true } },
    ]);
    const busEvents = async () => {
      const delivered = (await outcomes.delivered()).filter((event) =>
        event['detail-type'].startsWith('Order'),
      );
      outcomes.clear();
      return delivered;
    };

    // Act
    await record(placed);
    await plan();
    const afterPlaced = await busEvents();
    await record(paid);
    await plan();
    const afterPaid = await busEvents();
    await record(accepted);
    await plan(sharing);
    const afterAccepted = await busEvents();

    // Assess: placed, then no status change for the payment (the status stays placed)…
    expect(afterPlaced).toMatchObject([
      {
        source: 'order-notifications',
        'detail-type': 'Order Status Changed',
        detail: {
          id: `${SHOP_ID}/${ref.orderId}/v1`,
          version: 1,
          status: 'placed',
          paymentStatus: 'awaiting',
          causedBy: [{ eventId: placed.eventId, eventType: 'Order Placed' }],
        },
      },
    ]);
    expect(afterPlaced[0]?.detail).not.toHaveProperty('previousStatus');
    expect(JSON.stringify(afterPlaced)).not.toMatch(/zofia|@example\.pl|\+48/i);
    expect(OrderStatusChangedDetailSchema.safeParse(afterPlaced[0]?.detail).success).toBe(true);
    expect(afterPaid).toEqual([]);
    // …then, for a shop that shares its timeline and contact data, the entry and the change with the customer
    expect(afterAccepted.map((event) => event['detail-type'])).toEqual([
      'Order Event Recorded',
      'Order Status Changed',
    ]);
    expect(afterAccepted[1]?.detail).toMatchObject({
      version: 3,
      status: 'accepted',
      previousStatus: 'placed',
      paymentStatus: 'paid',
      customer: { name: expect.any(String), email: 'zofia.wasowska@example.pl' },
    });
    expect(afterAccepted[0]?.detail).toMatchObject({ eventId: accepted.eventId, status: 'accepted' });
    expect(OrderEventRecordedDetailSchema.safeParse(afterAccepted[0]?.detail).success).toBe(true);
    expect(OrderStatusChangedDetailSchema.safeParse(afterAccepted[1]?.detail).success).toBe(true);
  });

  it('tells every status change on the shop’s channels once, and nothing for preparation', async () => {
    // Prepare
    const ref = orderRef(202);
    const events = lifecycleEvents(ref, 'happyPath');

    // Act: each change planned and sent as it happens
    const jobs: NotificationJob[] = [];
    for (const event of events) {
      await record(event);
      const planned = await plan();
      jobs.push(...planned);
      await send(planned);
    }

    // Assess
    const log = await logOf(ref.orderId);
    const summary = log.map((entry) => `${entry.eventType}/${entry.channel}/${entry.outcome}`).sort();
    expect(summary).toEqual(
      [
        'Order Placed/email/sent',
        'Payment Received/email/sent',
        'Order Accepted/email/sent',
        'Order Shipped/email/sent',
        'Order Shipped/sms/sent',
        'Order Shipped/push/skipped',
        'Order Out For Delivery/sms/sent',
        'Order Out For Delivery/push/skipped',
        'Order Delivered/email/sent',
        'Order Delivered/push/skipped',
      ].sort(),
    );
    expect(log.find((entry) => entry.channel === 'push')?.reason).toBe('the customer did not choose push');
    const emails = await emailsTo(ref.orderNumber);
    expect(emails).toHaveLength(5);
    const token = (await repository().load({ shopId: SHOP_ID, orderId: ref.orderId }))?.trackingToken;
    for (const email of emails) {
      // Every e-mail, as MIME: both parts, the tracking link, the order number, Polish, the shop's name
      const mime = await simpleParser(await ses.rawEmail(email.messageId));
      const trackingLink = `https://status.podebem.example.pl/t/${token}?lang=pl`;
      expect(mime.html, email.subject).toContain(`href="${trackingLink}"`);
      expect(mime.html).toMatch(/<html[^>]* lang="pl"/);
      expect(mime.text).toContain(trackingLink);
      expect(mime.text).toContain(ref.orderNumber);
      expect(mime.text).toContain('Sklep Pod Dębem');
      expect(mime.html).not.toMatch(/<script/i);
    }
    const sms = smsSent();
    expect(sms).toHaveLength(2);
    expect(sms[0]).toMatchObject({
      phoneNumber: '+48601234567',
      smsType: 'Transactional',
      senderId: 'PodDebem',
      delivered: true,
    });
  });

  it('sends exactly once under redelivery and concurrent workers', async () => {
    // Prepare
    const ref = orderRef(203);
    const [placed] = lifecycleEvents(ref, 'happyPath') as [OrderEvent];
    await record(placed);
    const jobs = await plan();

    // Act: the same job three times in one batch and in a second batch at once; a worker that finds the
    // record claimed by another fails the message, and SQS delivers it again
    const concurrent = await Promise.allSettled([send([...jobs, ...jobs, ...jobs]), send(jobs, 2)]);
    const redelivered = await send(jobs, 3);

    // Assess
    expect(concurrent.some((result) => result.status === 'fulfilled')).toBe(true);
    expect(redelivered.batchItemFailures).toEqual([]);
    expect(await emailsTo(ref.orderNumber)).toHaveLength(1);
    expect((await logOf(ref.orderId)).map((entry) => [entry.outcome, entry.attempts])).toEqual([['sent', 1]]);
  });

  it('supersedes a message about a status the order has already left', async () => {
    // Prepare: shipped and delivered both stored before the sender gets to the shipped job
    const ref = orderRef(204);
    const events = lifecycleEvents(ref, 'happyPath');
    await record(...events.slice(0, 5));
    await sendSettled(await plan());
    await record(...events.slice(5));

    // Act
    await sendSettled(await plan());

    // Assess
    expect(await outcomeOf(ref.orderId, '-out', 'sms')).toMatchObject({
      outcome: 'superseded',
      reason: 'the order has moved on to delivered',
    });
    expect(await outcomeOf(ref.orderId, '-delivered', 'email')).toMatchObject({ outcome: 'sent' });
  });

  it('holds SMS in the customer’s quiet hours and sends it in the morning', async () => {
    // Prepare: shipped at 23:30 in Warsaw
    const ref = orderRef(205);
    const events = lifecycleEvents(ref, 'happyPath');
    await record(...events.slice(0, 5));
    now = new Date('2026-11-20T22:30:00Z');

    // Act: the e-mails go at once (in lifecycle order), the SMS waits for the morning
    const requeued = await sendSettled(await plan());
    now = new Date('2026-11-21T07:00:30Z');
    const settled: SettledMessage[] = [];
    await send(
      requeued.map((queued) => queued.job),
      1,
      sendDeps({ metrics: { settled: (message) => settled.push(message) } }),
    );

    // Assess
    expect(requeued.map((queued) => [queued.job.channel, queued.delay])).toEqual([['sms', 900]]);
    expect(await outcomeOf(ref.orderId, '-shipped', 'sms')).toMatchObject({ outcome: 'sent', attempts: 2 });
    // Timed from the end of quiet hours (08:00 in Warsaw), not from the evening it was stored
    const shipped = events[4] as OrderEvent;
    expect(settled).toEqual([
      {
        channel: 'sms',
        eventType: 'Order Shipped',
        outcome: 'sent',
        sinceStoredMs: 30_000,
        sinceOccurredMs: Date.parse('2026-11-21T07:00:30Z') - Date.parse(shipped.occurredAt),
      },
    ]);
    expect(await outcomeOf(ref.orderId, '-shipped', 'email')).toMatchObject({ outcome: 'sent' });
  });

  it('sends the messages of one order on one channel in lifecycle order: a hold after its confirmation', async () => {
    // Prepare: placement and hold stored together; the hold's e-mail job reaches the sender first
    const ref = orderRef(215);
    const events = lifecycleEvents(ref, 'engravingHold');
    const placed = events.find((event) => event.type === 'Order Placed') as OrderEvent;
    const hold = events.find((event) => event.type === 'Order On Hold') as OrderEvent;
    await record(placed, hold);
    const jobs = await plan();
    const holdEmail = jobs.filter((job) => job.eventId === hold.eventId && job.channel === 'email');
    const placedEmail = jobs.filter((job) => job.eventId === placed.eventId);

    // Act
    await send(holdEmail);
    const waited = await outcomeOf(ref.orderId, '-hold', 'email');
    await sendSettled(placedEmail);
    now = new Date(now.getTime() + ORDER_WAIT.stepSeconds * 1000);
    await sendSettled(holdEmail);

    // Assess
    expect(jobs.map((job) => job.eventId)).toEqual([
      placed.eventId,
      ...jobs.filter((job) => job.eventId === hold.eventId).map(() => hold.eventId),
    ]);
    expect(waited).toMatchObject({
      outcome: 'deferred',
      reason: 'waiting for the Order Placed message to go first',
    });
    const subjects = (await emailsTo(ref.orderNumber)).map((email) => email.subject);
    expect(subjects).toHaveLength(2);
    expect(subjects[0]).toMatch(/Dziękujemy za zamówienie/);
    expect(await outcomeOf(ref.orderId, '-hold', 'email')).toMatchObject({ outcome: 'sent' });
  });

  it('waits at most a minute for an earlier message that never comes', async () => {
    // Prepare: the placement's job was lost; only the hold's e-mail job runs
    const ref = orderRef(216);
    const events = lifecycleEvents(ref, 'engravingHold');
    const placed = events.find((event) => event.type === 'Order Placed') as OrderEvent;
    const hold = events.find((event) => event.type === 'Order On Hold') as OrderEvent;
    await record(placed, hold);
    const holdEmail = (await plan()).filter((job) => job.eventId === hold.eventId && job.channel === 'email');
    const start = now.getTime();

    // Act
    await sendSettled(holdEmail);

    // Assess
    const holdRecord = await outcomeOf(ref.orderId, '-hold', 'email');
    expect(holdRecord).toMatchObject({ outcome: 'sent' });
    expect(Date.parse(holdRecord?.sentAt ?? '') - start).toBeGreaterThanOrEqual(ORDER_WAIT.limitMs);
    expect(Date.parse(holdRecord?.sentAt ?? '') - start).toBeLessThan(ORDER_WAIT.limitMs + 10_000);
    expect(await outcomeOf(ref.orderId, '-placed', 'email')).toBeUndefined();
  });

  it('drops a deferred SMS whose status the order left during the night', async () => {
    // Prepare
    const ref = orderRef(206);
    const events = lifecycleEvents(ref, 'happyPath');
    await record(...events.slice(0, 5));
    now = new Date('2026-11-20T22:30:00Z');
    await send(await plan());
    const requeued = (await takeQueuedJobs()).map((queued) => queued.job);

    // Act: delivered before the customer woke up
    await record(...events.slice(5));
    now = new Date('2026-11-21T07:00:30Z');
    await send(requeued);

    // Assess
    expect(await outcomeOf(ref.orderId, '-shipped', 'sms')).toMatchObject({ outcome: 'superseded' });
    expect(publishCalls()).toHaveLength(0);
  });

  it('retries a throttled provider and records the attempts', async () => {
    // Prepare
    const ref = orderRef(207);
    const events = lifecycleEvents(ref, 'happyPath');
    await record(...events.slice(0, 5));
    const jobs = (await plan()).filter((job) => job.eventId.endsWith('-shipped') && job.channel === 'sms');
    sns.failNext('Publish', 'Throttled');

    // Act
    const first = await send(jobs, 1).catch((error: Error) => error);
    const afterFirst = await outcomeOf(ref.orderId, '-shipped', 'sms');
    const second = await send(jobs, 2);

    // Assess
    expect(first).toBeInstanceOf(Error);
    expect(afterFirst).toMatchObject({
      outcome: 'retrying',
      reason: 'Throttled (injected by the local SNS)',
    });
    expect(second.batchItemFailures).toEqual([]);
    expect(await outcomeOf(ref.orderId, '-shipped', 'sms')).toMatchObject({ outcome: 'sent', attempts: 2 });
  });

  it('fails a job for good on its last delivery, dead-letters it, and sends it when redriven', async () => {
    // Prepare
    const ref = orderRef(208);
    const events = lifecycleEvents(ref, 'happyPath');
    await record(...events.slice(0, 5));
    const jobs = (await plan()).filter((job) => job.channel === 'sms');
    sns.failNext('Publish', 'InternalError');

    // Act
    const last = await send(jobs, MAX_RECEIVE_COUNT);
    const failed = await outcomeOf(ref.orderId, '-shipped', 'sms');
    const dead = await deadLetters();
    await send(jobs, 1);

    // Assess
    expect(last.batchItemFailures).toEqual([]);
    expect(failed).toMatchObject({
      outcome: 'failed',
      retriable: true,
      reason: 'gave up after the last attempt: InternalError (injected by the local SNS)',
    });
    expect(dead).toHaveLength(1);
    expect(dead[0]?.MessageAttributes?.reason?.StringValue).toBe(
      `gave up after ${MAX_RECEIVE_COUNT} deliveries: InternalError (injected by the local SNS)`,
    );
    expect(JSON.parse(dead[0]?.Body ?? '{}')).toEqual(jobs[0]);
    expect(smsSent()).toHaveLength(1);
    expect(await outcomeOf(ref.orderId, '-shipped', 'sms')).toMatchObject({
      outcome: 'sent',
      providerMessageId: smsSent()[0]?.messageId,
    });
  });

  it('falls back to e-mail when an SMS is refused for good', async () => {
    // Prepare: out for delivery is told by SMS and push only
    const ref = orderRef(209);
    await record(...lifecycleEvents(ref, 'happyPath').slice(0, 6));
    const outSms = (await plan()).filter((job) => job.eventId.endsWith('-out') && job.channel === 'sms');
    sns.failNext('Publish', 'InvalidParameter');

    // Act
    await send(outSms);
    const fallbacks = (await takeQueuedJobs()).map((queued) => queued.job);
    await send(fallbacks);

    // Assess
    expect(fallbacks).toEqual([
      {
        shopId: SHOP_ID,
        orderId: ref.orderId,
        eventId: `${ref.orderId}-out`,
        channel: 'email',
        fallbackFor: 'sms',
      },
    ]);
    expect(await outcomeOf(ref.orderId, '-out', 'sms')).toMatchObject({ outcome: 'failed' });
    expect(await outcomeOf(ref.orderId, '-out', 'email')).toMatchObject({
      outcome: 'sent',
      fallbackFor: 'sms',
    });
    expect(await takeQueuedJobs()).toEqual([]);
  });

  it('honours opt-outs: an unsubscribed e-mail address and a number that replied STOP', async () => {
    // Prepare
    const ref = orderRef(210);
    const events = lifecycleEvents(ref, 'happyPath');
    await suppressions().suppress(
      SHOP_ID,
      'email',
      'Zofia.Wasowska@example.pl',
      'unsubscribed by the customer',
    );
    sns.optOut('+48601234567');
    await record(...events.slice(0, 5));

    // Act
    await send((await plan()).filter((job) => job.eventId.endsWith('-shipped')));

    // Assess
    expect(await outcomeOf(ref.orderId, '-shipped', 'email')).toMatchObject({
      outcome: 'skipped',
      reason: 'unsubscribed by the customer',
    });
    expect(await outcomeOf(ref.orderId, '-shipped', 'sms')).toMatchObject({
      outcome: 'skipped',
      reason: 'the number opted out of SMS (STOP)',
    });
    expect(await suppressions().check(SHOP_ID, 'sms', '+48601234567')).toBe(
      'the number opted out of SMS (STOP)',
    );
    expect(await emailsTo(ref.orderNumber)).toHaveLength(0);
    expect(publishCalls()).toHaveLength(0);
  });

  it('records a push device SNS reports disabled and never uses it again', async () => {
    // Prepare
    const ref = orderRef(211);
    const details = exampleDetails(ref);
    const placed = toEvent('Order Placed', {
      ...details['Order Placed'],
      customer: {
        ...details['Order Placed'].customer,
        channels: { email: true, sms: false, push: true },
        pushTargets: [{ platform: 'fcm', deviceToken: 'fcm-device-token-0001' }],
      },
    });
    const shipped = toEvent('Order Shipped', details['Order Shipped']);
    const delivered = toEvent('Order Delivered', details['Order Delivered']);
    sns.disableEndpoint('fcm-device-token-0001');
    await record(placed, shipped);
    await send((await plan()).filter((job) => job.channel === 'push'));

    // Act
    await record(delivered);
    await send((await plan()).filter((job) => job.channel === 'push'));

    // Assess
    expect(await outcomeOf(ref.orderId, '-shipped', 'push')).toMatchObject({ outcome: 'failed' });
    expect(await outcomeOf(ref.orderId, '-delivered', 'push')).toMatchObject({
      outcome: 'skipped',
      reason: 'every push device of the order is disabled',
    });
    expect(publishCalls()).toHaveLength(1);
    expect(sns.pushes()).toEqual([]);
  });

  it('closes a record abandoned during the provider call as failed with an unknown outcome, never sending twice', async () => {
    // Prepare: a worker claimed the record, called the provider and stopped before recording the outcome
    const ref = orderRef(212);
    const [placed] = lifecycleEvents(ref, 'happyPath') as [OrderEvent];
    await record(placed);
    const jobs = await plan();
    await claimAsAStoppedWorker(placed, { calledProvider: true });

    // Act
    const whileLeased = await send(jobs, 2).catch((error: Error) => error);
    now = new Date(now.getTime() + 120_000);
    await send(jobs, 3);

    // Assess
    expect(whileLeased).toBeInstanceOf(Error);
    expect(await outcomeOf(ref.orderId, '-placed', 'email')).toMatchObject({
      outcome: 'failed',
      reason: expect.stringContaining('outcome unknown'),
    });
    expect(await emailsTo(ref.orderNumber)).toHaveLength(0);
  });

  it('takes over a record abandoned before the provider call and sends it once', async () => {
    // Prepare: a worker claimed the record and stopped before it called the provider
    const ref = orderRef(214);
    // (its own address: an earlier test unsubscribed the fixture customer's)
    const details = exampleDetails(ref)['Order Placed'];
    const placed = toEvent('Order Placed', {
      ...details,
      customer: { ...details.customer, email: 'takeover@example.pl' },
    });
    await record(placed);
    const jobs = await plan();
    await claimAsAStoppedWorker(placed, { calledProvider: false });

    // Act
    const whileLeased = await send(jobs, 2).catch((error: Error) => error);
    now = new Date(now.getTime() + 120_000);
    await send(jobs, 3);

    // Assess
    expect(whileLeased).toBeInstanceOf(Error);
    expect(await outcomeOf(ref.orderId, '-placed', 'email')).toMatchObject({ outcome: 'sent', attempts: 2 });
    expect(await emailsTo(ref.orderNumber)).toHaveLength(1);
  });

  describe('a job that dies on its last delivery (issue 11, item 14)', () => {
    /** Its own customer address per order: earlier tests suppress the fixture customer's. */
    const placedFor = (n: number) => {
      const ref = orderRef(n);
      const details = exampleDetails(ref)['Order Placed'];
      return {
        ref,
        placed: toEvent('Order Placed', {
          ...details,
          customer: { ...details.customer, email: `dlq-${n}@example.pl` },
        }),
      };
    };
    const deadLetterReasons = async () =>
      (await deadLetters()).map((message) => message.MessageAttributes?.reason?.StringValue);

    it('closes its record as failed when the store fails after the claim, and a redrive sends it', async () => {
      // Prepare
      const { ref, placed } = placedFor(231);
      await record(placed);
      const jobs = (await plan()).filter((job) => job.channel === 'email');
      const failingSuppressions = suppressions();
      vi.spyOn(failingSuppressions, 'check').mockRejectedValue(
        Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ThrottlingException' }),
      );

      // Act
      const settled: SettledMessage[] = [];
      const last = await send(
        jobs,
        MAX_RECEIVE_COUNT,
        sendDeps({
          suppressions: failingSuppressions,
          metrics: { settled: (message) => settled.push(message) },
        }),
      );
      const closed = await outcomeOf(ref.orderId, '-placed', 'email');
      await send(jobs, 1);

      // Assess
      expect(last.batchItemFailures).toEqual([]);
      expect(await deadLetterReasons()).toEqual([
        `gave up after ${MAX_RECEIVE_COUNT} deliveries: Throughput exceeds the current capacity`,
      ]);
      expect(closed).toMatchObject({
        outcome: 'failed',
        retriable: true,
        reason: 'dead-lettered after the last delivery: Throughput exceeds the current capacity',
      });
      expect(closed?.leaseUntil).toBeUndefined();
      // Counted once as failed (the dead-letter hook finds it closed already), not timed
      expect(settled).toEqual([{ channel: 'email', eventType: 'Order Placed', outcome: 'failed' }]);
      expect(await outcomeOf(ref.orderId, '-placed', 'email')).toMatchObject({
        outcome: 'sent',
        attempts: 2,
      });
      expect(await emailsTo(ref.orderNumber)).toHaveLength(1);
    });

    it('closes a record a stopped worker left `sending` when the job dies before it can claim it', async () => {
      // Prepare: the stopped worker's lease ran out; the last delivery fails to read the order
      const { ref, placed } = placedFor(232);
      await record(placed);
      const jobs = (await plan()).filter((job) => job.channel === 'email');
      await claimAsAStoppedWorker(placed, { calledProvider: false });
      now = new Date(now.getTime() + 120_000);
      const orders = repository();
      vi.spyOn(orders, 'load').mockRejectedValue(new Error('connection reset'));

      // Act
      await send(jobs, MAX_RECEIVE_COUNT, sendDeps({ orders }));
      const closed = await outcomeOf(ref.orderId, '-placed', 'email');
      await send(jobs, 1);

      // Assess
      expect(closed).toMatchObject({
        outcome: 'failed',
        retriable: true,
        reason: `dead-lettered after the last delivery: gave up after ${MAX_RECEIVE_COUNT} deliveries: connection reset`,
      });
      expect(await outcomeOf(ref.orderId, '-placed', 'email')).toMatchObject({ outcome: 'sent' });
      expect(await emailsTo(ref.orderNumber)).toHaveLength(1);
    });

    it('closes it as outcome unknown, never to be sent, when the stopped worker may have called the provider', async () => {
      // Prepare
      const { ref, placed } = placedFor(233);
      await record(placed);
      const jobs = (await plan()).filter((job) => job.channel === 'email');
      await claimAsAStoppedWorker(placed, { calledProvider: true });
      now = new Date(now.getTime() + 120_000);
      const orders = repository();
      vi.spyOn(orders, 'load').mockRejectedValue(new Error('connection reset'));

      // Act
      await send(jobs, MAX_RECEIVE_COUNT, sendDeps({ orders }));
      const closed = await outcomeOf(ref.orderId, '-placed', 'email');
      await send(jobs, 1);

      // Assess
      expect(closed).toMatchObject({ outcome: 'failed', reason: expect.stringContaining('outcome unknown') });
      expect(closed?.retriable).toBeUndefined();
      expect(await outcomeOf(ref.orderId, '-placed', 'email')).toMatchObject({ outcome: 'failed' });
      expect(await emailsTo(ref.orderNumber)).toHaveLength(0);
    });

    it('leaves a record a live worker holds alone and comes back when its lease ends', async () => {
      // Prepare
      const { ref, placed } = placedFor(234);
      await record(placed);
      const jobs = (await plan()).filter((job) => job.channel === 'email');
      await claimAsAStoppedWorker(placed, { calledProvider: false });

      // Act
      const last = await send(jobs, MAX_RECEIVE_COUNT);
      const requeued = await takeQueuedJobs();
      const meanwhile = await outcomeOf(ref.orderId, '-placed', 'email');
      now = new Date(now.getTime() + 120_000);
      await send(
        requeued.map((queued) => queued.job),
        1,
      );

      // Assess
      expect(last.batchItemFailures).toEqual([]);
      expect(await deadLetterReasons()).toEqual([]);
      expect(requeued).toEqual([{ job: jobs[0], delay: 60 }]);
      expect(meanwhile).toMatchObject({ outcome: 'sending' });
      expect(await outcomeOf(ref.orderId, '-placed', 'email')).toMatchObject({ outcome: 'sent' });
      expect(await emailsTo(ref.orderNumber)).toHaveLength(1);
    });

    it('keeps a provider message that names the address out of the record and the dead letter', async () => {
      // Prepare: its own number (an earlier test made the fixture's reply STOP)
      const ref = orderRef(235);
      const events = lifecycleEvents(ref, 'happyPath').slice(0, 5);
      const [placed, ...rest] = events as [OrderEvent, ...OrderEvent[]];
      if (placed.type !== 'Order Placed') throw new Error('fixture');
      await record({ ...placed, customer: { ...placed.customer, phone: '+48605111222' } }, ...rest);
      const jobs = (await plan()).filter((job) => job.channel === 'sms');
      publishFaults.push(
        snsError(
          'InternalError',
          500,
          'Invalid parameter: PhoneNumber Reason: +48605111222 is not reachable',
        ),
      );

      // Act
      await send(jobs, MAX_RECEIVE_COUNT);

      // Assess
      const closed = await outcomeOf(ref.orderId, '-shipped', 'sms');
      expect(closed).toMatchObject({ outcome: 'failed', retriable: true });
      const reasons = [closed?.reason, ...(await deadLetterReasons())];
      expect(reasons).toHaveLength(2);
      for (const text of reasons) {
        expect(text).toContain('PhoneNumber Reason: [phone] is not reachable');
        expect(text).not.toContain('605111222');
      }
    });
  });

  it('notifies events applied late, when their Order Placed arrives after them', async () => {
    // Prepare
    const ref = orderRef(213);
    const events = lifecycleEvents(ref, 'happyPath');
    const shipped = events[4] as OrderEvent;
    await record(shipped);
    const beforePlacement = await plan();

    // Act
    await record(events[0] as OrderEvent);
    const afterPlacement = await plan();

    // Assess
    expect(beforePlacement).toEqual([]);
    expect(
      afterPlacement.map((job) => `${job.eventId.replace(`${ref.orderId}-`, '')}/${job.channel}`).sort(),
    ).toEqual(['placed/email', 'shipped/email', 'shipped/push', 'shipped/sms'].sort());
  });
});
