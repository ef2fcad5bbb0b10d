/**
 * The event contract: the product's public API for shop platforms.
 *
 * Every order change is one EventBridge event whose `detail-type` names the change and whose `detail`
 * matches the schema below. These zod schemas are the single source of truth: the JSON Schema files in
 * `schemas/` and the field tables in `docs/events.md` are generated from them.
 */
import * as z from 'zod';
import { detailSizeProblem } from './order-limits.js';
import { multiLineText, refineSingleLine, singleLineText, textProblem } from './text-fields.js';
import { isTimeZone } from './time-zones.js';

export const EVENT_SCHEMA_VERSION = 1;

/** The `source` the rule patterns accept by default; shops may configure their own. */
export const DEFAULT_EVENT_SOURCE = 'shop.orders';

/** The `source` of the events the product itself puts on the bus (notification outcomes). */
export const OUTCOME_SOURCE = 'order-notifications';

/** EventBridge's limit on an event's `source`. */
const MAX_EVENT_SOURCE_LENGTH = 256;

/**
 * Why a `source` cannot be a producer's, or undefined when it can: the one rule the construct (its rule
 * patterns) and the shop registry (each shop's producers) check. The rule takes everything from a
 * producer source, so it must never be a source the product itself, or AWS, publishes on: the
 * notification outcomes would be fed back to the ingest, and `aws.*` sources are reserved for AWS
 * services (the Shopify partner source of the connectors is checked on its own).
 */
export const producerSourceProblem = (source: string): string | undefined => {
  if (typeof source !== 'string' || source.length === 0 || source.length > MAX_EVENT_SOURCE_LENGTH)
    return `must be 1-${MAX_EVENT_SOURCE_LENGTH} characters, got ${JSON.stringify(source)}`;
  const textual = textProblem(source, 'single-line');
  if (textual || source.trim() !== source)
    return `${textual ?? 'must have no surrounding spaces'}, got ${JSON.stringify(source)}`;
  if (source === OUTCOME_SOURCE || source.startsWith('aws.'))
    return `must not be "${OUTCOME_SOURCE}" (the source of the notification outcomes) or start with "aws.", got ${JSON.stringify(source)}`;
  return undefined;
};

/** One line of text (names, numbers, titles); see text-fields.ts for the characters refused. */
const text = singleLineText;
/** Text shown as a paragraph of its own, where line breaks are kept: notes and instructions. */
const paragraph = multiLineText;

/** Identifiers become parts of DynamoDB keys, so `#` and control characters are excluded. */
const identifier = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'use letters, digits and . _ : / - only');

/**
 * The one rule for a shop id, wherever one arrives (events, the shop registry, the lookup, the CLI): it
 * becomes part of table keys, so it holds no `#` and nothing a key could be confused by.
 */
export const SHOP_ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
export const SHOP_ID_MAX_LENGTH = 64;
export const SHOP_ID_MESSAGE = 'use lower-case letters, digits and - only';

export const ShopIdSchema = z.string().min(1).max(SHOP_ID_MAX_LENGTH).regex(SHOP_ID_PATTERN, SHOP_ID_MESSAGE);

const shopId = ShopIdSchema;

const timestamp = z.iso.datetime({
  offset: true,
  message: 'expected an ISO 8601 date-time with a time zone',
});
const calendarDate = z.iso.date({ message: 'expected a date as YYYY-MM-DD' });
const httpsUrl = z
  .string()
  // First: the URL check strips tabs and line breaks from the value, and they must be refused, not hidden.
  .superRefine(refineSingleLine)
  .url({ protocol: /^https$/, message: 'expected an https:// URL', abort: true })
  .max(2048)
  .regex(/^https:\/\//, 'expected an https:// URL')
  .meta({ format: 'uri' });

export const CurrencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code such as PLN or EUR');

/** Amounts are integers in the currency's minor unit (grosze, cents) so sums never round. */
const minorUnits = z.int().min(0).max(10_000_000_000); // 100 million in the major unit

export const MoneySchema = z.object({
  amount: minorUnits.describe('Amount in the minor unit of the currency (e.g. 12999 = 129.99 PLN).'),
  currency: CurrencySchema,
});

const timeZone = z
  .string()
  .min(1)
  .max(64)
  .refine(isTimeZone, 'expected an IANA time zone such as Europe/Warsaw')
  .describe('IANA time zone of the customer, used for quiet hours and dates in messages.');

const locale = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'expected a language tag such as pl, pl-PL or en-GB')
  .describe(
    'Preferred language of the customer. Texts exist in Polish and English; others fall back to the shop default.',
  );

const phone = z
  .string()
  .max(32)
  .regex(/^\+?[0-9][0-9 ()-]{5,30}$/, 'expected a phone number, preferably in E.164 form (+48601234567)');

/** A phone number as the contract takes it; the shop configuration's contact phone uses it too. */
export const PhoneNumberSchema = phone;

export const PushTargetSchema = z.object({
  platform: z.enum(['apns', 'apns_sandbox', 'fcm']),
  deviceToken: z
    .string()
    .min(8)
    .max(4096)
    .regex(/^[\x21-\x7E]+$/, 'expected a device token of printable ASCII characters without spaces'),
});

export const CustomerSchema = z.object({
  name: text(200),
  email: z.email({ message: 'expected an e-mail address' }).max(254).optional(),
  phone: phone.optional(),
  pushTargets: z.array(PushTargetSchema).max(10).default([]),
  locale,
  timeZone,
  channels: z
    .object({
      email: z.boolean().default(true),
      sms: z.boolean().default(false),
      push: z.boolean().default(false),
    })
    .default({ email: true, sms: false, push: false })
    .describe(
      'Channels the customer agreed to be told on. E-mail is on unless switched off; SMS and push are opt-in.',
    ),
});

export const OrderLineSchema = z.object({
  sku: identifier(64),
  name: text(200),
  quantity: z.int().min(1).max(10_000),
  unitPrice: minorUnits,
  personalisation: text(500).optional().describe('E.g. the text of an engraving.'),
});

export const TotalsSchema = z.object({
  currency: CurrencySchema,
  subtotal: minorUnits,
  shipping: minorUnits.default(0),
  discount: minorUnits.default(0),
  total: minorUnits,
});

export const PaymentInstructionsSchema = z.object({
  method: z.enum(['bank_transfer', 'card', 'blik', 'online_transfer', 'cash_on_delivery', 'other']),
  status: z
    .enum(['awaiting', 'paid'])
    .default('awaiting')
    .describe('`paid` when payment was taken at checkout.'),
  dueBy: timestamp.optional(),
  paymentUrl: httpsUrl.optional(),
  bankAccount: z
    .string()
    .regex(
      /^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$/,
      'expected an IBAN without spaces, e.g. PL61109010140000071219812874',
    )
    .optional()
    .describe('IBAN for a bank transfer.'),
  transferTitle: text(140).optional(),
});

export const DeliverySchema = z.object({
  method: z.enum(['courier', 'post', 'parcel_locker', 'pickup_point', 'store_pickup']),
  carrier: text(100).optional(),
  city: text(100),
  postcode: text(16),
  country: z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166 country code such as PL'),
  pickupPointId: text(64).optional(),
});

/** Fields every order event carries. */
export const EventBaseSchema = z.object({
  schemaVersion: z.literal(EVENT_SCHEMA_VERSION),
  eventId: identifier(128).describe('Unique id of this event; redelivery of the same id is a duplicate.'),
  shopId: shopId.describe('The shop this order belongs to.'),
  orderId: identifier(128).describe("The shop platform's internal order id."),
  orderNumber: text(64).describe('The order number the customer sees (e.g. ZAM/2026/11/0042).'),
  occurredAt: timestamp.describe('When the change happened at the shop.'),
  sequence: z
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .optional()
    .describe(
      'Per-order sequence number, where the producer has one; orders the timeline when the Order Placed has one.',
    ),
});

const orderPlaced = EventBaseSchema.extend({
  customer: CustomerSchema,
  lines: z.array(OrderLineSchema).min(1).max(200),
  totals: TotalsSchema,
  payment: PaymentInstructionsSchema,
  delivery: DeliverySchema,
}).superRefine((detail, ctx) => {
  const linesTotal = detail.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
  if (linesTotal !== detail.totals.subtotal) {
    ctx.addIssue({
      code: 'custom',
      path: ['totals', 'subtotal'],
      message: `must equal the sum of the lines (${linesTotal}), got ${detail.totals.subtotal}`,
    });
  }
  const expected = detail.totals.subtotal + detail.totals.shipping - detail.totals.discount;
  if (expected !== detail.totals.total) {
    ctx.addIssue({
      code: 'custom',
      path: ['totals', 'total'],
      message: `must equal subtotal + shipping - discount (${expected}), got ${detail.totals.total}`,
    });
  }
  const { email, phone: phoneNumber, pushTargets, channels } = detail.customer;
  if (!email && !phoneNumber && pushTargets.length === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['customer'],
      message: 'needs at least one of email, phone or pushTargets so the customer can be told',
    });
  }
  if (channels.sms && !phoneNumber) {
    ctx.addIssue({
      code: 'custom',
      path: ['customer', 'phone'],
      message: 'is required when channels.sms is true',
    });
  }
});

const paymentReceived = EventBaseSchema.extend({
  amount: MoneySchema,
  method: text(64).optional(),
  reference: text(128).optional(),
});

const orderAccepted = EventBaseSchema.extend({
  expectedShipBy: calendarDate.optional(),
});

export const HoldReasonSchema = z.enum([
  'personalisation',
  'made_to_measure',
  'limited_edition',
  'remote_delivery',
  'size_confirmation',
  'other',
]);

export const ShopContactSchema = z
  .object({
    phone: phone.optional(),
    email: z.email({ message: 'expected an e-mail address' }).max(254).optional(),
    chatUrl: httpsUrl.optional(),
    hours: text(200).optional().describe('When the shop answers, e.g. "Mon-Fri 9:00-17:00".'),
  })
  .refine((contact) => contact.phone || contact.email || contact.chatUrl, {
    message: 'needs at least one of phone, email or chatUrl',
  });

const orderOnHold = EventBaseSchema.extend({
  reason: HoldReasonSchema,
  toConfirm: paragraph(500).describe('What the customer must confirm, in their language.'),
  contactBy: timestamp.describe('Deadline for the contact; after it the shop may cancel.'),
  contact: ShopContactSchema.optional().describe(
    "How to reach the shop; defaults to the shop's configured contact.",
  ),
});

const orderResumed = EventBaseSchema.extend({
  note: paragraph(500).optional(),
});

const orderPreparing = EventBaseSchema.extend({});

const orderShipped = EventBaseSchema.extend({
  method: z.enum(['courier', 'post', 'parcel_locker', 'pickup_point']),
  carrier: text(100),
  trackingNumber: text(64),
  trackingUrl: httpsUrl.describe("The carrier's tracking page for this parcel."),
  expectedDeliveryDate: calendarDate.optional(),
});

const orderOutForDelivery = EventBaseSchema.extend({
  expectedBetween: z
    .object({ from: timestamp, to: timestamp })
    .refine((window) => Date.parse(window.from) <= Date.parse(window.to), {
      path: ['to'],
      message: 'must not be before from',
    })
    .optional(),
});

const orderDelivered = EventBaseSchema.extend({
  location: z.enum(['door', 'neighbour', 'parcel_locker', 'pickup_point', 'store']).optional(),
});

export const CancellationReasonSchema = z.enum([
  'customer_request',
  'payment_not_received',
  'out_of_stock',
  'no_customer_contact',
  'wrong_product_sent',
  'delivery_impossible',
  'fraud_suspected',
  'other',
]);

const orderCancelled = EventBaseSchema.extend({
  cancelledBy: z.enum(['customer', 'shop']),
  reason: CancellationReasonSchema,
  fault: z
    .enum(['shop', 'customer', 'none'])
    .default('none')
    .describe('Whose fault, which decides who bears the costs.'),
  note: paragraph(500).optional(),
  refund: z
    .object({ amount: MoneySchema, expectedBy: calendarDate.optional() })
    .optional()
    .describe('The refund the customer will get; omit when nothing was paid.'),
  costsRetained: MoneySchema.optional().describe('Costs already incurred that the customer bears.'),
});

const returnRequested = EventBaseSchema.extend({
  returnId: identifier(64),
  lines: z
    .array(z.object({ sku: identifier(64), quantity: z.int().min(1).max(10_000) }))
    .min(1)
    .max(200),
  reason: text(500).optional(),
});

const returnReceived = EventBaseSchema.extend({
  returnId: identifier(64),
  condition: z.enum(['as_new', 'used', 'damaged']).optional(),
});

const refundIssued = EventBaseSchema.extend({
  refundId: identifier(64),
  amount: MoneySchema,
  returnId: identifier(64).optional(),
  method: text(64).optional(),
});

const complaintOpened = EventBaseSchema.extend({
  complaintId: identifier(64),
  kind: z.enum(['complaint', 'warranty']),
  subject: text(500),
  sku: identifier(64).optional(),
});

const complaintResolved = EventBaseSchema.extend({
  complaintId: identifier(64),
  outcome: z.enum(['accepted', 'rejected']),
  remedy: z.enum(['repair', 'replacement', 'price_reduction', 'refund', 'none']).default('none'),
  note: paragraph(1000).optional(),
}).refine((detail) => detail.outcome === 'rejected' || detail.remedy !== 'none', {
  path: ['remedy'],
  message: 'an accepted complaint needs a remedy other than none',
});

/** detail-type -> detail schema. The keys are the EventBridge `detail-type` values. */
export const ORDER_EVENT_SCHEMAS = {
  'Order Placed': orderPlaced,
  'Payment Received': paymentReceived,
  'Order Accepted': orderAccepted,
  'Order On Hold': orderOnHold,
  'Order Resumed': orderResumed,
  'Order Preparing': orderPreparing,
  'Order Shipped': orderShipped,
  'Order Out For Delivery': orderOutForDelivery,
  'Order Delivered': orderDelivered,
  'Order Cancelled': orderCancelled,
  'Return Requested': returnRequested,
  'Return Received': returnReceived,
  'Refund Issued': refundIssued,
  'Complaint Opened': complaintOpened,
  'Complaint Resolved': complaintResolved,
} as const;

export type OrderEventType = keyof typeof ORDER_EVENT_SCHEMAS;
export const ORDER_EVENT_TYPES = Object.keys(ORDER_EVENT_SCHEMAS) as OrderEventType[];

type DetailOf<T extends OrderEventType> = z.output<(typeof ORDER_EVENT_SCHEMAS)[T]>;
/** The raw detail a producer sends for a given detail-type (before defaults are applied). */
export type OrderEventDetailInput<T extends OrderEventType> = z.input<(typeof ORDER_EVENT_SCHEMAS)[T]>;

/** A validated order event: the detail with defaults applied, tagged with its detail-type. */
export type OrderEvent = { [T in OrderEventType]: { type: T } & DetailOf<T> }[OrderEventType];
export type OrderEventOf<T extends OrderEventType> = Extract<OrderEvent, { type: T }>;
export type Money = z.output<typeof MoneySchema>;

export const isOrderEventType = (value: unknown): value is OrderEventType =>
  typeof value === 'string' && Object.hasOwn(ORDER_EVENT_SCHEMAS, value);

export interface EventProblem {
  /** Dotted path of the offending field, e.g. `detail.customer.email`; `detail-type` for the envelope. */
  readonly path: string;
  readonly message: string;
}

export type ParseResult = { ok: true; event: OrderEvent } | { ok: false; problems: EventProblem[] };

const formatPath = (path: readonly PropertyKey[]): string =>
  ['detail', ...path]
    .map((key) => (typeof key === 'number' ? `[${key}]` : String(key)))
    .join('.')
    .replace(/\.\[/g, '[');

/**
 * Validates one event. Messages name the field and the problem but never echo the value, so they can be
 * logged and sent to a dead-letter queue without leaking a customer's data.
 */
export const parseOrderEvent = (detailType: unknown, detail: unknown): ParseResult => {
  if (!isOrderEventType(detailType)) {
    return {
      ok: false,
      problems: [
        {
          path: 'detail-type',
          message: `is not an order event type; expected one of: ${ORDER_EVENT_TYPES.join(', ')}`,
        },
      ],
    };
  }
  const parsed = ORDER_EVENT_SCHEMAS[detailType].safeParse(detail, { reportInput: false });
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({
        path: formatPath(issue.path),
        message: issue.message,
      })),
    };
  }
  // Sized as stored, so every event item, and the state it grows, fits DynamoDB (see order-limits.ts).
  const tooBig = detailSizeProblem(detailType, parsed.data);
  if (tooBig) return { ok: false, problems: [{ path: formatPath(tooBig.path), message: tooBig.message }] };
  return { ok: true, event: { type: detailType, ...parsed.data } as OrderEvent };
};

export const describeProblems = (problems: readonly EventProblem[]): string =>
  problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ');
