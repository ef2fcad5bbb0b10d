import { createHmac } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, EventBridgeEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lambdaContext } from '../../fixtures/lambda.js';
import { SHOP_ID } from '../../fixtures/order-events.js';
import { DynamoDbNotificationLog } from '../../functions/adapters/dynamodb-notification-log.js';
import { DynamoDbOrderRepository } from '../../functions/adapters/dynamodb-order-repository.js';
import { DynamoDbSuppressionList } from '../../functions/adapters/dynamodb-suppression-list.js';
import { EventBridgeOutcomePublisher } from '../../functions/adapters/eventbridge-outcome-publisher.js';
import { encodeTag } from '../../functions/adapters/ses-email-sender.js';
import type { NotificationRecord } from '../../functions/domain/notification-log.js';
import { parseShopConfigs } from '../../functions/domain/shop-config.js';
import { staticShopDirectory } from '../../functions/domain/shop-registry.js';
import { signSubscription } from '../../functions/domain/signed-links.js';
import { type FeedbackDeps, makeFeedbackHandler } from '../../functions/email-feedback/feedback.js';
import { makeUnsubscribeHandler } from '../../functions/unsubscribe/unsubscribe.js';
import { createOrderTable, type TestTable } from '../support/dynamodb.js';
import { type OutcomeBus, startOutcomeBus } from '../support/outcome-bus.js';

const SECRET = 'unsubscribe-secret-for-tests-only-0123456789';
const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
let table: TestTable;
/** The local bus the outcome events go to, with a rule that hands them back. */
let outcomes: OutcomeBus;

const shops = staticShopDirectory(
  parseShopConfigs([
    { shopId: SHOP_ID, name: 'Sklep Pod Dębem', statusPage: { baseUrl: 'https://status.example.pl' } },
  ]),
);
const log = () => new DynamoDbNotificationLog(table.documents, table.tableName);
const suppressions = () => new DynamoDbSuppressionList(table.documents, table.tableName);

beforeAll(async () => {
  [table, outcomes] = await Promise.all([createOrderTable(), startOutcomeBus('orders')]);
});
afterAll(async () => {
  await Promise.all([table.drop(), outcomes.stop()]);
});
afterEach(() => {
  outcomes.clear();
});

describe('Handler: e-mail feedback', () => {
  const deps = (): FeedbackDeps => ({
    orders: new DynamoDbOrderRepository(table.documents, table.tableName),
    notifications: log(),
    suppressions: suppressions(),
    outcomes: new EventBridgeOutcomePublisher(outcomes.client, 'orders'),
    clock: { now: () => new Date('2026-11-20T12:00:00Z') },
    logger,
  });

  const sent = (orderId: string): NotificationRecord => ({
    shopId: SHOP_ID,
    orderId,
    eventId: `${orderId}:placed/1`,
    eventType: 'Order Placed',
    channel: 'email',
    template: 'order-placed',
    language: 'pl',
    outcome: 'sent',
    attempts: 1,
    createdAt: '2026-11-20T11:00:00.000Z',
    updatedAt: '2026-11-20T11:00:00.000Z',
  });

  const sesEvent = (
    record: NotificationRecord,
    detail: Record<string, unknown>,
  ): EventBridgeEvent<string, unknown> => ({
    version: '0',
    id: 'ses-1',
    'detail-type': 'Email Bounced',
    source: 'aws.ses',
    account: '123456789012',
    time: '2026-11-20T12:00:00Z',
    region: 'eu-central-1',
    resources: [],
    detail: {
      mail: {
        messageId: 'ses-message-1',
        tags: {
          shop: [record.shopId],
          order: [encodeTag(record.orderId)],
          event: [encodeTag(record.eventId)],
        },
      },
      ...detail,
    },
  });

  it('marks a permanent bounce and suppresses the address for the shop', async () => {
    // Prepare
    const record = sent('ord-fb-1');
    await log().create(record);

    // Act
    const result = await makeFeedbackHandler(deps())(
      sesEvent(record, {
        eventType: 'Bounce',
        bounce: {
          bounceType: 'Permanent',
          bounceSubType: 'General',
          bouncedRecipients: [{ emailAddress: 'gone@example.pl' }],
        },
      }),
      lambdaContext('feedback'),
    );

    // Assess
    expect(result).toEqual({ result: 'recorded', outcome: 'bounced' });
    expect(await log().get(record)).toMatchObject({
      outcome: 'bounced',
      reason: 'permanent bounce (General)',
    });
    expect(await suppressions().check(SHOP_ID, 'email', 'GONE@example.pl')).toBe(
      'suppressed after a permanent bounce',
    );
    expect(await outcomes.delivered()).toMatchObject([
      {
        source: 'order-notifications',
        'detail-type': 'Notification Failed',
        detail: { orderId: 'ord-fb-1', outcome: 'bounced', reason: 'permanent bounce (General)' },
      },
    ]);
  });

  it('marks a complaint even after a delivery report, and ignores transient bounces', async () => {
    // Prepare
    const record = sent('ord-fb-2');
    await log().create(record);
    const handler = makeFeedbackHandler(deps());

    // Act
    const transient = await handler(
      sesEvent(record, { eventType: 'Bounce', bounce: { bounceType: 'Transient', bouncedRecipients: [] } }),
      lambdaContext('feedback'),
    );
    const delivered = await handler(
      sesEvent(record, { eventType: 'Delivery', delivery: {} }),
      lambdaContext('feedback'),
    );
    const complained = await handler(
      sesEvent(record, {
        eventType: 'Complaint',
        complaint: {
          complainedRecipients: [{ emailAddress: 'angry@example.pl' }],
          complaintFeedbackType: 'abuse',
        },
      }),
      lambdaContext('feedback'),
    );

    // Assess
    expect(transient.result).toBe('ignored: Transient bounce (SES retries)');
    expect(delivered).toEqual({ result: 'recorded', outcome: 'delivered' });
    expect(complained).toEqual({ result: 'recorded', outcome: 'complained' });
    expect(await suppressions().check(SHOP_ID, 'email', 'angry@example.pl')).toBe(
      'suppressed after a complaint',
    );
    // A transient bounce and a delivery report put no outcome event; the complaint does
    expect((await outcomes.delivered()).map((event) => event.detail.outcome)).toEqual(['complained']);
  });

  it('ignores e-mails the notifier did not send', async () => {
    // Act
    const result = await makeFeedbackHandler(deps())(
      { ...sesEvent(sent('x'), {}), detail: { eventType: 'Delivery', mail: { messageId: 'other' } } },
      lambdaContext('feedback'),
    );

    // Assess
    expect(result.result).toBe('ignored: the e-mail was not sent by the notifier');
    expect(await outcomes.delivered()).toEqual([]);
  });
});

describe('Handler: unsubscribe', () => {
  const handler = (options: { now?: Date; acceptLegacyUntil?: Date } = {}) =>
    makeUnsubscribeHandler({
      secret: SECRET,
      suppressions: suppressions(),
      shops,
      logger,
      clock: { now: () => options.now ?? new Date() },
      acceptLegacyUntil: options.acceptLegacyUntil,
    });
  const request = (method: string, token: string, language = 'pl-PL'): APIGatewayProxyEventV2 =>
    ({
      version: '2.0',
      routeKey: `${method} /v1/unsubscribe`,
      rawPath: '/v1/unsubscribe',
      rawQueryString: `token=${token}`,
      headers: { 'accept-language': language },
      queryStringParameters: { token },
      requestContext: { http: { method, path: '/v1/unsubscribe', sourceIp: '203.0.113.9' } },
      isBase64Encoded: false,
      body: method === 'POST' ? 'List-Unsubscribe=One-Click' : undefined,
    }) as unknown as APIGatewayProxyEventV2;
  const call = async (event: APIGatewayProxyEventV2, handle = handler()) =>
    (await handle(event, lambdaContext('unsubscribe'))) as APIGatewayProxyStructuredResultV2;

  it('asks before unsubscribing on GET, so link scanners unsubscribe nobody', async () => {
    // Prepare
    const token = signSubscription(SECRET, { shopId: SHOP_ID, channel: 'email', address: 'scan@example.pl' });

    // Act
    const response = await call(request('GET', token));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<form method="post"');
    expect(response.body).toContain('Sklep Pod Dębem');
    expect(await suppressions().check(SHOP_ID, 'email', 'scan@example.pl')).toBeUndefined();
  });

  it('unsubscribes on the one-click POST (RFC 8058)', async () => {
    // Prepare
    const token = signSubscription(SECRET, {
      shopId: SHOP_ID,
      channel: 'email',
      address: 'leave@example.pl',
    });

    // Act
    const response = await call(request('POST', token, 'en'));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('will no longer send you order notifications');
    expect(response.headers?.['referrer-policy']).toBe('no-referrer');
    expect(await suppressions().check(SHOP_ID, 'email', 'leave@example.pl')).toBe(
      'unsubscribed by the customer',
    );
  });

  it('refuses a forged or damaged link with a clear page, and suppresses nothing', async () => {
    // Prepare
    const forged = signSubscription('another-secret-another-secret-0000', {
      shopId: SHOP_ID,
      channel: 'email',
      address: 'victim@example.pl',
    });

    // Act
    const response = await call(request('POST', forged));
    const garbage = await call(request('GET', '<script>alert(1)</script>'));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Ten link jest nieprawidłowy');
    expect(garbage.statusCode).toBe(400);
    expect(garbage.body).not.toContain('<script>');
    expect(await suppressions().check(SHOP_ID, 'email', 'victim@example.pl')).toBeUndefined();
  });

  it('answers HEAD like GET without a body, and other methods with 405 and Allow', async () => {
    // Prepare
    const token = signSubscription(SECRET, { shopId: SHOP_ID, channel: 'sms', address: '+48601234567' });

    // Act
    const get = await call(request('GET', token));
    const head = await call(request('HEAD', token));
    const refused = await Promise.all(
      ['PUT', 'DELETE', 'PATCH', 'OPTIONS'].map((m) => call(request(m, token))),
    );

    // Assess
    expect(head.statusCode).toBe(get.statusCode);
    expect(head.headers).toEqual(get.headers);
    expect(head.body).toBe('');
    for (const response of refused) {
      expect(response.statusCode).toBe(405);
      expect(response.headers?.allow).toBe('GET, HEAD, POST');
      expect(response.body).toContain('Tej strony nie można otworzyć w ten sposób');
    }
    expect(await suppressions().check(SHOP_ID, 'sms', '+48601234567')).toBeUndefined();
  });

  it('keeps one-click working until the link expires, and refuses it after', async () => {
    // Prepare
    const sentAt = new Date('2026-01-10T08:00:00Z');
    const address = 'expiring@example.pl';
    const token = signSubscription(
      SECRET,
      { shopId: SHOP_ID, channel: 'email', address },
      { now: sentAt, ttlDays: 60 },
    );
    const dayAfter = (days: number) => handler({ now: new Date(sentAt.getTime() + days * 86_400_000) });

    // Act
    const expired = await call(request('POST', token), dayAfter(60));
    const stillValid = await call(request('POST', token), dayAfter(59.9));

    // Assess
    expect(expired.statusCode).toBe(400);
    expect(stillValid.statusCode).toBe(200);
    expect(await suppressions().check(SHOP_ID, 'email', address)).toBe('unsubscribed by the customer');
  });

  it('refuses first-format links (address in clear) unless accepted until a date', async () => {
    // Prepare
    const address = 'legacy@example.pl';
    const payload = Buffer.from(JSON.stringify([SHOP_ID, 'email', address])).toString('base64url');
    const legacy = `${payload}.${createHmac('sha256', SECRET).update(payload).digest('base64url')}`;
    const now = new Date('2026-11-21T12:00:00Z');

    // Act
    const byDefault = await call(request('POST', legacy), handler({ now }));
    const afterTransition = await call(
      request('POST', legacy),
      handler({ now, acceptLegacyUntil: new Date('2026-11-01T00:00:00Z') }),
    );
    const suppressedBefore = await suppressions().check(SHOP_ID, 'email', address);
    const inTransition = await call(
      request('POST', legacy),
      handler({ now, acceptLegacyUntil: new Date('2027-01-01T00:00:00Z') }),
    );

    // Assess
    expect([byDefault.statusCode, afterTransition.statusCode, inTransition.statusCode]).toEqual([
      400, 400, 200,
    ]);
    expect(suppressedBefore).toBeUndefined();
    expect(await suppressions().check(SHOP_ID, 'email', address)).toBe('unsubscribed by the customer');
  });
});
