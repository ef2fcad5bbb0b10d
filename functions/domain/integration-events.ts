/**
 * The events this product puts on the bus for the shop's other systems (warehouse, accounting, CRM,
 * support): what became of each notification, and how each order changed. The zod schemas here are the
 * published contract (scripts/generate-event-schemas.ts writes their JSON Schemas, in draft 2020-12 and
 * in the OpenAPI 3 form the EventBridge Schema Registry takes); the builders are the one place their
 * details are made, so the contract and what is sent cannot differ.
 *
 * No customer contact data unless the shop opts in (`integrationEvents.customerContact`), and never a
 * push device token. Pure: no I/O, no clock.
 */
import * as z from 'zod';
import { CHANNELS, NOTIFICATION_OUTCOMES, type NotificationRecord } from './notification-log.js';
import { ORDER_EVENT_TYPES, type OrderEvent, OUTCOME_SOURCE } from './order-events.js';
import {
  FULFILMENT_STATUSES,
  type OrderState,
  type OrderStatus,
  PAYMENT_STATUSES,
} from './order-lifecycle.js';

export { OUTCOME_SOURCE as INTEGRATION_EVENT_SOURCE };

export const INTEGRATION_SCHEMA_VERSION = 1;

// An order waiting for its Order Placed is not an order to the shop's systems yet: only fulfilment statuses.

const isoTimestamp = z.string().describe('ISO 8601 timestamp.');
const ids = {
  schemaVersion: z.literal(INTEGRATION_SCHEMA_VERSION),
  shopId: z.string().describe('The shop the order belongs to.'),
  orderId: z.string().describe("The shop platform's order id."),
  orderNumber: z.string().describe('The order number the customer sees.'),
};

export const NotificationOutcomeDetailSchema = z
  .object({
    ...ids,
    eventId: z.string().describe('The order event the message was about.'),
    eventType: z.enum(ORDER_EVENT_TYPES),
    channel: z.enum(CHANNELS),
    template: z.string().describe('The message template, e.g. order-shipped.'),
    outcome: z.enum(NOTIFICATION_OUTCOMES),
    reason: z.string().optional().describe('Why it was not sent, or failed; never contact data.'),
    at: isoTimestamp.describe('When the outcome was recorded.'),
  })
  .describe('What became of one message about one order event on one channel.');
export type NotificationOutcomeDetail = z.output<typeof NotificationOutcomeDetailSchema>;

const CustomerContactSchema = z
  .object({
    name: z.string(),
    email: z.string().optional(),
    phone: z.string().optional(),
  })
  .describe("The customer's contact data: only for shops with integrationEvents.customerContact.");

const AppliedEventSchema = z.object({
  eventId: z.string(),
  eventType: z.enum(ORDER_EVENT_TYPES),
  occurredAt: isoTimestamp.describe('When it happened at the shop (the producer says).'),
});

export const OrderStatusChangedDetailSchema = z
  .object({
    ...ids,
    id: z
      .string()
      .describe(
        'Unique id of this change (shopId/orderId/v<version>): a redelivery carries the same id, so consumers deduplicate by it.',
      ),
    version: z.int().min(1).describe("The order's version after the change: later changes have higher ones."),
    status: z.enum(FULFILMENT_STATUSES),
    previousStatus: z.enum(FULFILMENT_STATUSES).optional().describe('Absent for a new order.'),
    paymentStatus: z.enum(PAYMENT_STATUSES),
    changedAt: isoTimestamp.describe('When the backend stored the change.'),
    statusSince: isoTimestamp.optional().describe('occurredAt of the event that set the status.'),
    causedBy: z
      .array(AppliedEventSchema)
      .describe('The order events this change applied, in lifecycle order.'),
    customer: CustomerContactSchema.optional(),
  })
  .describe("An order's status changed (placed, accepted, shipped, delivered, cancelled…).");
export type OrderStatusChangedDetail = z.output<typeof OrderStatusChangedDetailSchema>;

export const OrderEventRecordedDetailSchema = z
  .object({
    ...ids,
    id: z.string().describe('Unique id (shopId/orderId/<eventId>): consumers deduplicate by it.'),
    eventId: z.string(),
    eventType: z.enum(ORDER_EVENT_TYPES),
    occurredAt: isoTimestamp,
    recordedAt: isoTimestamp.describe('When the backend stored it.'),
    status: z.enum(FULFILMENT_STATUSES).describe("The order's status after it."),
    event: z
      .record(z.string(), z.unknown())
      .describe(
        "The order event's own fields as the producer sent them (docs/events.md), without the customer unless the shop opts in to contact data; push device tokens never.",
      ),
  })
  .describe(
    'An order event took effect on the order (every timeline entry: payments, returns, complaints too).',
  );
export type OrderEventRecordedDetail = z.output<typeof OrderEventRecordedDetailSchema>;

/** Every event the product emits, by detail-type: the published contract. */
export const EMITTED_EVENT_SCHEMAS = {
  'Notification Sent': NotificationOutcomeDetailSchema,
  'Notification Failed': NotificationOutcomeDetailSchema,
  'Notification Suppressed': NotificationOutcomeDetailSchema,
  'Order Status Changed': OrderStatusChangedDetailSchema,
  'Order Event Recorded': OrderEventRecordedDetailSchema,
} as const;
export type EmittedEventType = keyof typeof EMITTED_EVENT_SCHEMAS;

export interface IntegrationEvent {
  readonly detailType: EmittedEventType;
  readonly detail: Record<string, unknown>;
}

const OUTCOME_DETAIL_TYPE: Partial<Record<NotificationRecord['outcome'], EmittedEventType>> = {
  sent: 'Notification Sent',
  failed: 'Notification Failed',
  skipped: 'Notification Suppressed',
  superseded: 'Notification Suppressed',
  bounced: 'Notification Failed',
  complained: 'Notification Failed',
};

/** The outcome event of a notification record, or undefined for an outcome that is not final. */
export const notificationOutcomeEvent = (
  record: NotificationRecord,
  orderNumber: string,
): IntegrationEvent | undefined => {
  const detailType = OUTCOME_DETAIL_TYPE[record.outcome];
  if (!detailType) return undefined;
  const detail: NotificationOutcomeDetail = {
    schemaVersion: INTEGRATION_SCHEMA_VERSION,
    shopId: record.shopId,
    orderId: record.orderId,
    orderNumber,
    eventId: record.eventId,
    eventType: record.eventType,
    channel: record.channel,
    template: record.template,
    outcome: record.outcome,
    reason: record.reason,
    at: record.updatedAt,
  };
  return { detailType, detail };
};

/** What a shop publishes about its orders (its configuration's `integrationEvents`). */
export interface IntegrationSettings {
  /** Order Status Changed on every change of status. */
  readonly statusChanges: boolean;
  /** Order Event Recorded for every applied event. */
  readonly timeline: boolean;
  /** The customer's name, e-mail and phone in them. */
  readonly customerContact: boolean;
}

/** One stored change of an order, as the planner reads it from the table's stream. */
export interface StoredChange {
  /** The state before, undefined for a new order. */
  readonly before: { readonly status: OrderStatus } | undefined;
  readonly after: OrderState;
  readonly version: number;
  /** When the change was stored. */
  readonly changedAt: string;
  /** The events this change applied, in lifecycle order. */
  readonly applied: readonly OrderEvent[];
}

const contactOf = (state: OrderState) =>
  state.customer && {
    name: state.customer.name,
    email: state.customer.email,
    phone: state.customer.phone,
  };

/** The event's own fields for a consumer: the customer only with contact data opted in, no push tokens. */
const eventFields = (event: OrderEvent, customerContact: boolean): Record<string, unknown> => {
  const { type: _type, ...fields } = event as OrderEvent & Record<string, unknown>;
  if (!('customer' in fields)) return fields;
  const { customer, ...rest } = fields as { customer: OrderState['customer'] } & Record<string, unknown>;
  if (!customerContact || !customer) return rest;
  const { pushTargets: _tokens, ...contact } = customer;
  return { ...rest, customer: contact };
};

/** The integration events of one stored change, for a shop's settings. */
export const integrationEventsOf = (
  change: StoredChange,
  settings: IntegrationSettings,
): IntegrationEvent[] => {
  const { after } = change;
  if (after.status === 'awaiting_placement') return [];
  const previousStatus = change.before?.status === 'awaiting_placement' ? undefined : change.before?.status;
  const base = {
    schemaVersion: INTEGRATION_SCHEMA_VERSION,
    shopId: after.shopId,
    orderId: after.orderId,
    orderNumber: after.orderNumber,
  } as const;
  const events: IntegrationEvent[] = [];
  if (settings.timeline) {
    for (const event of change.applied) {
      const detail: OrderEventRecordedDetail = {
        ...base,
        id: `${after.shopId}/${after.orderId}/${event.eventId}`,
        eventId: event.eventId,
        eventType: event.type,
        occurredAt: event.occurredAt,
        recordedAt: change.changedAt,
        status: after.status,
        event: eventFields(event, settings.customerContact),
      };
      events.push({ detailType: 'Order Event Recorded', detail });
    }
  }
  if (settings.statusChanges && previousStatus !== after.status) {
    const customer = settings.customerContact ? contactOf(after) : undefined;
    const detail: OrderStatusChangedDetail = {
      ...base,
      id: `${after.shopId}/${after.orderId}/v${change.version}`,
      version: change.version,
      status: after.status,
      previousStatus,
      paymentStatus: after.payment.status,
      changedAt: change.changedAt,
      statusSince: after.statusSince,
      causedBy: change.applied.map((event) => ({
        eventId: event.eventId,
        eventType: event.type,
        occurredAt: event.occurredAt,
      })),
      ...(customer ? { customer } : {}),
    };
    events.push({ detailType: 'Order Status Changed', detail });
  }
  return events;
};
