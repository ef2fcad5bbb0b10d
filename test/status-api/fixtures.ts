/**
 * Shared set-up of the status API tests, the browser test and the benchmark: the shop, orders seeded
 * through the real use case, notification records, and API Gateway events.
 */
import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { DynamoDbNotificationLog } from '../../functions/adapters/dynamodb-notification-log.js';
import type { DynamoDbOrderRepository } from '../../functions/adapters/dynamodb-order-repository.js';
import type { NotificationRecord } from '../../functions/domain/notification-log.js';
import type { OrderEvent } from '../../functions/domain/order-events.js';
import { recordOrderEvent } from '../../functions/domain/record-order-event.js';
import {
  parseShopConfigs,
  type ShopConfig,
  type ShopConfigInput,
} from '../../functions/domain/shop-config.js';
import { generateTrackingToken } from '../../functions/domain/tracking-token.js';
import {
  exampleDetails,
  LIFECYCLES,
  type LifecycleName,
  lifecycleEvents,
  type OrderRef,
  SHOP_ID,
  toEvent,
} from '../fixtures/order-events.js';

export const SHOP_INPUT: ShopConfigInput = {
  shopId: SHOP_ID,
  name: 'Sklep Pod Dębem',
  defaultLanguage: 'pl',
  brand: { primaryColor: '#2e5e3a' },
  contact: {
    phone: '+48 12 345 67 89',
    email: 'pomoc@podebem.example.pl',
    chatUrl: 'https://podebem.example.pl/czat',
    hours: { pl: 'pn–pt 9:00–17:00', en: 'Mon–Fri 9:00–17:00' },
  },
  links: {
    returns: 'https://podebem.example.pl/zwroty',
    complaints: 'https://podebem.example.pl/reklamacje',
    warranty: 'https://podebem.example.pl/gwarancja',
    knowledgeBase: 'https://podebem.example.pl/pomoc',
  },
  statusPage: { baseUrl: 'https://status.podebem.example.pl', showPrices: false, reducedViewAfterDays: 30 },
};

export const shopConfig = (overrides: Partial<ShopConfigInput> = {}): ShopConfig => {
  const [shop] = parseShopConfigs([{ ...SHOP_INPUT, ...overrides }]);
  if (!shop) throw new Error('unreachable: one shop in, one shop out');
  return shop;
};

/** The customer's data that must never reach a response in full. */
export const CUSTOMER_SECRETS = [
  'zofia.wasowska@example.pl',
  'Wąsowska',
  'Wasowska',
  '601 234 567',
  '601234567',
  // free-text notes and personalisation, written for the shop's staff or about the customer
  'Dla Babci',
  'Klientka zamówiła zły rozmiar',
  'Treść graweru potwierdzona telefonicznie',
  'Kubek pęknięty przy uchu',
  'Grawer nieczytelny',
] as const;

/** Lifecycle events up to and including the first event of `type` (a held order: up to On Hold). */
export const eventsUntil = (ref: OrderRef, name: LifecycleName, type: OrderEvent['type']): OrderEvent[] => {
  const events = lifecycleEvents(ref, name);
  const index = LIFECYCLES[name].indexOf(type as never);
  if (index === -1) throw new Error(`${name} has no ${type}`);
  return events.slice(0, index + 1);
};

/** A late event that the order refuses: it must never show on the customer's timeline. */
export const lateHold = (ref: OrderRef): OrderEvent =>
  toEvent('Order On Hold', {
    ...exampleDetails(ref)['Order On Hold'],
    eventId: `${ref.orderId}-late-hold`,
    occurredAt: '2026-11-20T12:00:00.000Z',
  });

/** Records the events through the production use case; returns the order's tracking token. */
export const seedOrder = async (
  repository: DynamoDbOrderRepository,
  events: readonly OrderEvent[],
): Promise<string> => {
  const deps = {
    orders: repository,
    clock: { now: () => new Date('2026-11-20T12:00:00Z') },
    newTrackingToken: generateTrackingToken,
  };
  for (const event of events) await recordOrderEvent(deps, event);
  const first = events[0];
  if (!first) throw new Error('seedOrder needs events');
  const snapshot = await repository.load({ shopId: first.shopId, orderId: first.orderId });
  if (!snapshot?.trackingToken) throw new Error(`order ${first.orderId} has no tracking token`);
  return snapshot.trackingToken;
};

export const notification = (
  ref: OrderRef,
  overrides: Partial<NotificationRecord> & Pick<NotificationRecord, 'eventType' | 'channel'>,
): NotificationRecord => ({
  shopId: SHOP_ID,
  orderId: ref.orderId,
  eventId: `${ref.orderId}-${overrides.eventType.toLowerCase().replace(/\s+/g, '-')}`,
  template: overrides.eventType.toLowerCase().replace(/\s+/g, '-'),
  language: 'pl',
  outcome: 'sent',
  attempts: 1,
  createdAt: '2026-11-20T09:00:05.000Z',
  updatedAt: '2026-11-20T09:00:05.000Z',
  sentAt: '2026-11-20T09:00:06.000Z',
  ...overrides,
});

/** The messages a shipped order's customer got: e-mail delivered, SMS failed, push skipped. */
export const seedNotifications = async (log: DynamoDbNotificationLog, ref: OrderRef): Promise<void> => {
  await log.create(
    notification(ref, {
      eventType: 'Order Placed',
      channel: 'email',
      outcome: 'delivered',
      address: 'z***@example.pl',
    }),
  );
  await log.create(
    notification(ref, {
      eventType: 'Order Shipped',
      channel: 'sms',
      outcome: 'failed',
      address: '+48 *** *** 567',
      createdAt: '2026-11-20T09:20:05.000Z',
      sentAt: undefined,
      reason: 'provider refused: opted out at the carrier',
    }),
  );
  await log.create(
    notification(ref, {
      eventType: 'Order Shipped',
      channel: 'push',
      outcome: 'skipped',
      reason: 'no push target',
      createdAt: '2026-11-20T09:20:06.000Z',
    }),
  );
};

export const quietLogger = (): Logger => new Logger({ serviceName: 'order-status-api', logLevel: 'WARN' });

export interface RequestOptions {
  readonly method?: string;
  readonly query?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  readonly sourceIp?: string;
}

/** An HTTP API (payload 2.0) event as API Gateway sends it. */
export const apiEvent = (path: string, options: RequestOptions = {}): APIGatewayProxyEventV2 => ({
  version: '2.0',
  routeKey: '$default',
  rawPath: path,
  rawQueryString: options.query ?? '',
  headers: { host: 'status.podebem.example.pl', ...options.headers },
  requestContext: {
    accountId: '123456789012',
    apiId: 'api',
    domainName: 'status.podebem.example.pl',
    domainPrefix: 'status',
    http: {
      method: options.method ?? 'GET',
      path,
      protocol: 'HTTP/1.1',
      sourceIp: options.sourceIp ?? '203.0.113.10',
      userAgent: 'vitest',
    },
    requestId: randomUUID(),
    routeKey: '$default',
    stage: '$default',
    time: '20/Nov/2026:12:00:00 +0000',
    timeEpoch: Date.parse('2026-11-20T12:00:00Z'),
  },
  body: options.body,
  isBase64Encoded: options.isBase64Encoded ?? false,
});
