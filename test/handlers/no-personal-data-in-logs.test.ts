/**
 * Item 11: no switch makes a function log personal data. Every handler runs, through the loggers its
 * production wiring uses (functions/commons/logging.ts), with Powertools' documented switches on:
 * event logging, TRACE/DEBUG, dev mode, and a DEBUG sample rate of 1. Everything the process prints is
 * captured and searched for the customer's data and tokens, including on the failure paths, where SDK
 * and provider errors echo addresses.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEventV2, DynamoDBStreamEvent, EventBridgeEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext, sqsEvent } from '../../fixtures/lambda.js';
import { eventBridgeEnvelope, lifecycleEvents, orderRef, SHOP_ID } from '../../fixtures/order-events.js';
import { phpJson, wooHeaders, wooOrder } from '../../fixtures/woocommerce/index.js';
import { DynamoDbNotificationLog } from '../../functions/adapters/dynamodb-notification-log.js';
import { DynamoDbOrderRepository } from '../../functions/adapters/dynamodb-order-repository.js';
import { DynamoDbRateLimiter } from '../../functions/adapters/dynamodb-rate-limiter.js';
import { DynamoDbSuppressionList } from '../../functions/adapters/dynamodb-suppression-list.js';
import { encodeTag } from '../../functions/adapters/ses-email-sender.js';
import type { DeadLetter, DeadLetterSink } from '../../functions/adapters/sqs-dead-letters.js';
import { orderPk, STATE_SK } from '../../functions/adapters/table-keys.js';
import { createLogger, redactContacts, SERVICE_NAMES } from '../../functions/commons/logging.js';
import { makeWebhookHandler } from '../../functions/connector-webhooks/webhooks.js';
import type { NotificationJob } from '../../functions/domain/notification-planning.js';
import type { JobQueue, OutcomePublisher } from '../../functions/domain/notification-ports.js';
import { parseShopConfigs } from '../../functions/domain/shop-config.js';
import { staticShopDirectory } from '../../functions/domain/shop-registry.js';
import { signedLinks, signSubscription } from '../../functions/domain/signed-links.js';
import { generateTrackingToken } from '../../functions/domain/tracking-token.js';
import { makeFeedbackHandler } from '../../functions/email-feedback/feedback.js';
import { makeIngestHandler } from '../../functions/ingest-order-events/ingest.js';
import { makePlanHandler } from '../../functions/plan-notifications/plan.js';
import { makeSendHandler } from '../../functions/send-notifications/send.js';
import { makeStatusApiHandler } from '../../functions/status-api/status-api.js';
import { makeUnsubscribeHandler } from '../../functions/unsubscribe/unsubscribe.js';
import { fixtureShops } from '../fixtures/shops.js';
import { createOrderTable, type TestTable } from '../support/dynamodb.js';

const SECRET = 'unsubscribe-secret-for-tests-only-0123456789';
const NOW = new Date('2026-11-20T12:00:00Z');
const CUSTOMER_EMAIL = 'zofia.wasowska@example.pl';

/** What the order events hold about the customer, in every spelling a log could carry it. */
const PERSONAL_DATA = [
  'Zofia',
  'Wąsowska',
  'Wasowska',
  CUSTOMER_EMAIL,
  '601 234 567',
  '601234567',
  'Dla Babci',
  'Kraków',
  '30-001',
  'PL61109010140000071219812874',
  'Treść graweru',
  'zły rozmiar',
] as const;

const SWITCHES: ReadonlyArray<readonly [string, Record<string, string>]> = [
  ['POWERTOOLS_LOGGER_LOG_EVENT=true', { POWERTOOLS_LOGGER_LOG_EVENT: 'true' }],
  ['POWERTOOLS_LOG_LEVEL=TRACE', { POWERTOOLS_LOG_LEVEL: 'TRACE' }],
  ['POWERTOOLS_DEV=true, DEBUG', { POWERTOOLS_DEV: 'true', POWERTOOLS_LOG_LEVEL: 'DEBUG' }],
  ['POWERTOOLS_LOGGER_SAMPLE_RATE=1', { POWERTOOLS_LOGGER_SAMPLE_RATE: '1' }],
  [
    'all of them',
    {
      POWERTOOLS_LOGGER_LOG_EVENT: 'true',
      POWERTOOLS_LOG_LEVEL: 'TRACE',
      POWERTOOLS_DEV: 'true',
      POWERTOOLS_LOGGER_SAMPLE_RATE: '1',
    },
  ],
];

const [shop] = parseShopConfigs([
  {
    shopId: SHOP_ID,
    name: 'Sklep Pod Dębem',
    statusPage: { baseUrl: 'https://status.podebem.example.pl' },
    email: { from: 'Sklep Pod Dębem <zamowienia@podebem.example.pl>' },
    sms: { senderId: 'PodDebem' },
  },
]);
if (!shop) throw new Error('fixture shop');
const shops = staticShopDirectory([shop]);

let table: TestTable;
let printed: string[] = [];
let orderNumber = 700;

/** Captures everything written to stdout/stderr or the console, whichever Powertools picks. */
const capture = () => {
  printed = [];
  const keep = (chunk: unknown) => {
    printed.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(keep);
  vi.spyOn(process.stderr, 'write').mockImplementation(keep);
  for (const method of ['log', 'info', 'debug', 'trace', 'warn', 'error'] as const)
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    });
};

class MemoryDeadLetters implements DeadLetterSink {
  readonly sent: DeadLetter[] = [];
  async send(letter: DeadLetter): Promise<void> {
    this.sent.push(letter);
  }
}

class MemoryJobs implements JobQueue {
  readonly jobs: NotificationJob[] = [];
  async enqueue(jobs: readonly NotificationJob[]): Promise<void> {
    this.jobs.push(...jobs);
  }
}

const outcomes: OutcomePublisher = { publish: async () => undefined };

/** Runs every function on one order, on its happy and its failure paths, and returns what it printed. */
const runEveryHandler = async (): Promise<{
  output: string;
  deadLetters: DeadLetter[];
  tokens: string[];
}> => {
  const ref = orderRef(orderNumber++);
  const orders = new DynamoDbOrderRepository(table.documents, table.tableName);
  const notifications = new DynamoDbNotificationLog(table.documents, table.tableName);
  const suppressions = new DynamoDbSuppressionList(table.documents, table.tableName);
  const deadLetters = new MemoryDeadLetters();
  const [placed, ...rest] = lifecycleEvents(ref, 'happyPath');
  if (!placed) throw new Error('fixture events');

  // Ingest: the events, one malformed copy (its reason names fields, not values), and a DynamoDB that
  // fails on the last delivery with an error that echoes the item.
  const ingest = makeIngestHandler({
    record: { orders, clock: { now: () => NOW }, newTrackingToken: generateTrackingToken },
    shops: fixtureShops,
    deadLetters,
    logger: createLogger('ingest'),
    maxReceiveCount: 3,
  });
  const bodies = [placed, ...rest.slice(0, 3)].map((event) => JSON.stringify(eventBridgeEnvelope(event)));
  const broken = JSON.stringify({
    ...eventBridgeEnvelope(placed),
    detail: { ...eventBridgeEnvelope(placed).detail, customer: { name: 'Zofia Wąsowska', email: 42 } },
  });
  for (const body of [...bodies, broken]) await ingest(sqsEvent([body]), lambdaContext('ingest'));
  const leaky = Object.assign(new Error(`Item could not be written: ${CUSTOMER_EMAIL}, +48 601 234 567`), {
    name: 'InternalServerError',
    Item: { customer: { name: 'Zofia Wąsowska', email: CUSTOMER_EMAIL } },
    $metadata: { httpStatusCode: 500 },
  });
  const failing = makeIngestHandler({
    record: {
      orders: { load: () => Promise.reject(leaky), append: () => Promise.reject(leaky) },
      clock: { now: () => NOW },
      newTrackingToken: generateTrackingToken,
    },
    shops: fixtureShops,
    deadLetters,
    logger: createLogger('ingest'),
    maxReceiveCount: 3,
  });
  await failing(sqsEvent([bodies[1] ?? ''], 1), lambdaContext('ingest')).catch(() => undefined);
  await failing(sqsEvent([bodies[1] ?? ''], 3), lambdaContext('ingest')).catch(() => undefined);

  // Planner: the state item's stream image, customer and all, as DynamoDB Streams delivers it.
  const state = await table.documents.send(
    new GetCommand({
      TableName: table.tableName,
      Key: { pk: orderPk({ shopId: SHOP_ID, ...ref }), sk: STATE_SK },
    }),
  );
  const jobs = new MemoryJobs();
  const stream: DynamoDBStreamEvent = {
    Records: [
      {
        eventID: '1',
        eventName: 'MODIFY',
        eventSource: 'aws:dynamodb',
        dynamodb: {
          NewImage: marshall(state.Item ?? {}, { removeUndefinedValues: true }) as never,
          OldImage: marshall(
            { ...state.Item, appliedEventIds: [] },
            { removeUndefinedValues: true },
          ) as never,
        },
      },
    ],
  };
  await makePlanHandler({
    orders,
    shops,
    jobs,
    integration: { publish: async () => undefined },
    logger: createLogger('planner'),
  })(stream, lambdaContext('planner'));

  // Sender: e-mail accepted, SMS refused by a provider whose message echoes the number, and an e-mail
  // whose provider keeps failing with the address in its message until the last delivery.
  const send = (email: () => Promise<{ messageId: string }>) =>
    makeSendHandler({
      send: {
        orders,
        notifications,
        shops,
        email: { send: email },
        sms: {
          send: () =>
            Promise.reject(new Error('Invalid parameter: PhoneNumber Reason: +48601234567 is not valid')),
          isOptedOut: async () => false,
        },
        push: { send: async () => ({ messageId: 'p' }) },
        suppressions,
        jobs: new MemoryJobs(),
        outcomes,
        links: signedLinks(SECRET),
        clock: { now: () => NOW },
      },
      deadLetters,
      logger: createLogger('sender'),
      maxReceiveCount: 2,
    });
  const planned = jobs.jobs.map((job) => JSON.stringify(job));
  const refused = () =>
    Promise.reject(
      new Error(
        `Email address is not verified. The following identities failed the check: ${CUSTOMER_EMAIL}`,
      ),
    );
  for (const receiveCount of [1, 2])
    await send(refused)(sqsEvent(planned, receiveCount), lambdaContext('sender')).catch(() => undefined);
  // A redrive: the dead-lettered e-mails go out this time.
  await send(async () => ({ messageId: 'ses-1' }))(sqsEvent(planned), lambdaContext('sender')).catch(
    () => undefined,
  );

  // Feedback: a bounce report names the recipient.
  const record = (await notifications.list({ shopId: SHOP_ID, orderId: ref.orderId }))[0];
  const feedback: EventBridgeEvent<string, unknown> = {
    version: '0',
    id: 'ses-1',
    'detail-type': 'Email Bounced',
    source: 'aws.ses',
    account: '123456789012',
    time: NOW.toISOString(),
    region: 'eu-central-1',
    resources: [],
    detail: {
      eventType: 'Bounce',
      mail: {
        messageId: 'ses-1',
        destination: [CUSTOMER_EMAIL],
        tags: {
          shop: [SHOP_ID],
          order: [encodeTag(ref.orderId)],
          event: [encodeTag(record?.eventId ?? '')],
        },
      },
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [
          { emailAddress: CUSTOMER_EMAIL, diagnosticCode: `550 ${CUSTOMER_EMAIL} unknown` },
        ],
      },
    },
  };
  await makeFeedbackHandler({
    orders,
    notifications,
    suppressions,
    outcomes,
    clock: { now: () => NOW },
    logger: createLogger('feedback'),
  })(feedback, lambdaContext('feedback'));

  // Unsubscribe: the signed link, shown and used, and a tampered one.
  const unsubscribeToken = signSubscription(SECRET, {
    shopId: SHOP_ID,
    channel: 'email',
    address: CUSTOMER_EMAIL,
  });
  const unsubscribe = makeUnsubscribeHandler({
    secret: SECRET,
    suppressions,
    shops,
    logger: createLogger('unsubscribe'),
  });
  for (const [method, token] of [
    ['GET', unsubscribeToken],
    ['POST', unsubscribeToken],
    ['GET', `${unsubscribeToken}x`],
  ] as const) {
    await unsubscribe(
      {
        rawPath: '/v1/unsubscribe',
        rawQueryString: `token=${token}`,
        headers: { 'accept-language': 'pl' },
        queryStringParameters: { token },
        requestContext: { http: { method, path: '/v1/unsubscribe', sourceIp: '203.0.113.9' } },
        isBase64Encoded: false,
      } as unknown as APIGatewayProxyEventV2,
      lambdaContext('unsubscribe'),
    );
  }

  // Status API: the page, the JSON and a lookup by the customer's contact.
  const trackingToken = (await orders.load({ shopId: SHOP_ID, orderId: ref.orderId }))?.trackingToken ?? '';
  const clock = { now: () => NOW };
  const status = makeStatusApiHandler({
    orders,
    notifications,
    shops,
    clock,
    rateLimiter: new DynamoDbRateLimiter(
      table.documents,
      table.tableName,
      'salt-for-tests-0123456789',
      clock,
    ),
    logger: createLogger('statusApi'),
  });
  const api = (path: string, method = 'GET', body?: string) =>
    status(
      {
        version: '2.0',
        rawPath: path,
        rawQueryString: '',
        headers: { 'content-type': 'application/json', 'accept-language': 'pl' },
        requestContext: { http: { method, path, sourceIp: '203.0.113.10' } },
        body,
        isBase64Encoded: false,
      } as unknown as APIGatewayProxyEventV2,
      lambdaContext('status-api'),
    );
  // A store failing with an SDK-style error that carries the item and echoes the address.
  const brokenStatus = makeStatusApiHandler({
    orders: {
      load: () => Promise.reject(leaky),
      findByTrackingToken: () => Promise.reject(leaky),
      findByOrderNumber: () => Promise.reject(leaky),
      loadLookupFields: () => Promise.reject(leaky),
    },
    notifications,
    shops,
    clock,
    rateLimiter: new DynamoDbRateLimiter(
      table.documents,
      table.tableName,
      'salt-for-tests-0123456789',
      clock,
    ),
    logger: createLogger('statusApi'),
  });
  await brokenStatus(
    {
      version: '2.0',
      rawPath: `/v1/orders/${trackingToken}`,
      rawQueryString: '',
      headers: {},
      requestContext: {
        http: { method: 'GET', path: `/v1/orders/${trackingToken}`, sourceIp: '203.0.113.11' },
      },
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2,
    lambdaContext('status-api'),
  );
  await api(`/t/${trackingToken}`);
  await api(`/v1/orders/${trackingToken}`);
  await api(
    '/v1/lookup',
    'POST',
    JSON.stringify({ shopId: SHOP_ID, orderNumber: ref.orderNumber, contact: CUSTOMER_EMAIL }),
  );

  // Connector webhooks: a WooCommerce delivery of this customer accepted, forged, untranslatable, refused
  // by the contract, and one whose bus fails with an error that echoes the address.
  const wooSecret = 'woo-secret-for-tests-0123456789';
  const [wooShop] = parseShopConfigs([{ ...shop, shopId: 'sklep-woo', connectors: { woocommerce: {} } }]);
  if (!wooShop) throw new Error('fixture shop');
  let busFails = false;
  const webhooks = makeWebhookHandler({
    shops: staticShopDirectory([wooShop]),
    secrets: { keys: async () => ({ current: wooSecret, previous: [] }) },
    orders,
    bus: {
      put: async () => {
        if (busFails) throw leaky;
      },
    },
    deadLetters,
    logger: createLogger('connectors'),
  });
  const customer = {
    first_name: 'Zofia',
    last_name: 'Wąsowska',
    email: CUSTOMER_EMAIL,
    phone: '+48 601 234 567',
    city: 'Kraków',
    postcode: '30-001',
    country: 'PL',
  };
  const wooPayload = { ...wooOrder(), id: orderNumber, billing: customer, shipping: customer };
  const deliveries: [unknown, string, boolean?][] = [
    [wooPayload, wooSecret],
    [wooPayload, 'not-the-secret-0123456789'],
    [{ ...wooPayload, status: 'completed' }, wooSecret],
    [{ ...wooPayload, billing: { ...customer, email: `${CUSTOMER_EMAIL} x` } }, wooSecret],
    [wooPayload, wooSecret, true],
  ];
  for (const [payload, secret, failing] of deliveries) {
    busFails = failing ?? false;
    const body = phpJson(payload);
    await webhooks({
      version: '2.0',
      rawPath: '/v1/webhooks/woocommerce/sklep-woo',
      rawQueryString: '',
      headers: wooHeaders(body, secret),
      requestContext: {
        http: { method: 'POST', path: '/v1/webhooks/woocommerce/sklep-woo', sourceIp: '203.0.113.12' },
      },
      body,
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2);
  }

  return {
    output: printed.join('\n'),
    deadLetters: deadLetters.sent,
    tokens: [trackingToken, unsubscribeToken],
  };
};

// A table per run: the previous run's bounce and unsubscribe suppress the address for the shop.
beforeEach(async () => {
  table = await createOrderTable();
});
afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await table.drop();
});

describe('Logging: no personal data whatever the switches', () => {
  it.each(SWITCHES)('with %s, no function prints a customer field or token', async (_name, env) => {
    // Prepare
    for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
    capture();

    // Act
    const { output, deadLetters, tokens } = await runEveryHandler();
    vi.restoreAllMocks();

    // Assess: every function did log (the test is not vacuous), each under its own service name
    const services = new Set([...output.matchAll(/"service":\s*"([^"]+)"/g)].map((match) => match[1]));
    expect([...services].sort()).toEqual(Object.values(SERVICE_NAMES).sort());
    expect(output).not.toContain('service_undefined');
    for (const value of [...PERSONAL_DATA, ...tokens]) expect(output, value).not.toContain(value);
    expect(output).not.toContain('"Item"');
    // The sender's dead letters carry ids only, and their reasons are masked.
    const senderLetters = deadLetters.filter((letter) => letter.body.startsWith('{"shopId"'));
    expect(senderLetters.length).toBeGreaterThan(0);
    for (const letter of senderLetters)
      for (const value of PERSONAL_DATA) expect(`${letter.body} ${letter.reason}`).not.toContain(value);
  });
});

describe('Function: redactContacts', () => {
  it('masks e-mail addresses and phone numbers wherever they are in a text', () => {
    // Act & Assess
    expect(redactContacts(`failed the check: ${CUSTOMER_EMAIL}; PhoneNumber +48 601 234 567 invalid`)).toBe(
      'failed the check: [e-mail]; PhoneNumber [phone] invalid',
    );
    expect(redactContacts('order ord-000042 at 2026-11-20T12:00:00+01:00')).toBe(
      'order ord-000042 at 2026-11-20T12:00:00+01:00',
    );
  });
});
