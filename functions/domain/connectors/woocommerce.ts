/**
 * The WooCommerce connector's rules, pure: what a shop configures, how a webhook delivery is
 * authenticated, and how the order it carries becomes events of our contract. The webhook function
 * (functions/connector-webhooks) does the I/O around them. Setup: docs/connectors.md.
 *
 * What WooCommerce sends (its WC_Webhook class, REST API v3): a POST whose body is the order as
 * `GET /wc/v3/orders/<id>` returns it *when the delivery runs*, not when the change happened, signed in
 * `X-WC-Webhook-Signature` (base64 of the HMAC-SHA256 of the raw body under the webhook's secret), with
 * the topic in `X-WC-Webhook-Topic` and a delivery id in `X-WC-Webhook-Delivery-ID`. It does not retry a
 * failed delivery; it counts consecutive failures and disables the webhook after more than five. When a
 * webhook is created it POSTs `webhook_id=<n>` (form-encoded, unsigned) and expects a 200.
 *
 * A WooCommerce delivery is therefore a snapshot, not a change. The translation turns a snapshot into
 * events whose ids are a function of the fact they state and of the snapshot fields that date it
 * (`woocommerce-<id>-paid-<date_paid>`, `woocommerce-<id>-shipped-<tracking id>`), so a replayed or
 * repeated delivery yields the same ids (duplicates the ingest drops) and a real change a new one. The
 * delivery id is not the key: it is WordPress's hash of the webhook id and the current *second*, so two
 * deliveries in one second share it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { CancellationReasonSchema, type OrderEventType } from '../order-events.js';
import { isTimeZone } from '../time-zones.js';

/** The EventBridge `source` of the events the connector puts on the bus for the ingest. */
export const WOOCOMMERCE_SOURCE = 'order-notifications.connector.woocommerce';

/** What a WooCommerce status (or a custom one) means for the order. */
export const WOOCOMMERCE_ACTIONS = [
  'accepted',
  'preparing',
  'shipped',
  'out_for_delivery',
  'delivered',
  'cancelled',
  'ignore',
] as const;
export type WooCommerceAction = (typeof WOOCOMMERCE_ACTIONS)[number];

/**
 * The core statuses (WooCommerce's OrderStatus): `pending` and `on-hold` wait for a payment (a bank
 * transfer is on hold until the shop sees it), `failed` is a declined payment the customer may retry, so
 * none of them changes what the customer was told at placement. `refunded` comes with the refunds, which
 * are translated on their own. A shop overrides any of them and maps its custom statuses.
 */
export const DEFAULT_WOOCOMMERCE_STATUSES: Readonly<Record<string, WooCommerceAction>> = {
  pending: 'ignore',
  'on-hold': 'ignore',
  failed: 'ignore',
  processing: 'accepted',
  completed: 'shipped',
  cancelled: 'cancelled',
  refunded: 'ignore',
};

const STATUS_SLUG = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const PROVIDER_SLUG = /^[a-z0-9][a-z0-9_.-]{0,63}$/i;

const trackingUrlTemplate = z
  .string()
  .max(500)
  .regex(/^https:\/\/[^\s{}]+\{number\}[^\s{}]*$/, 'expected an https:// URL with {number} in it');

/** A shop's WooCommerce settings, in its registry entry (`connectors.woocommerce`). */
export const WooCommerceConnectorSchema = z.strictObject({
  statuses: z
    .record(
      z.string().regex(STATUS_SLUG, 'expected a WooCommerce status slug such as processing'),
      z.enum(WOOCOMMERCE_ACTIONS),
    )
    .default({})
    .describe(
      'What each WooCommerce status means, on top of the defaults (processing: accepted, completed: shipped, cancelled: cancelled, the rest ignored); custom statuses without "wc-", e.g. { "packed": "preparing" }.',
    ),
  cancellationReason: CancellationReasonSchema.default('other').describe(
    'The reason a cancelled WooCommerce order is told with (WooCommerce records none).',
  ),
  trackingUrls: z
    .record(z.string().regex(PROVIDER_SLUG, 'expected a tracking provider name'), trackingUrlTemplate)
    .default({})
    .describe(
      'Tracking page per Shipment Tracking provider, for items without their own link, e.g. { "inpost": "https://inpost.pl/sledzenie-przesylek?number={number}" }.',
    ),
  timeZone: z
    .string()
    .refine(isTimeZone, 'expected an IANA time zone such as Europe/Warsaw')
    .default('Europe/Warsaw')
    .describe("The customers' time zone (WooCommerce has none per order): quiet hours and dates."),
  smsToBillingPhone: z
    .boolean()
    .default(false)
    .describe(
      'Tell customers by SMS at the billing phone (only if the shop’s checkout asks for that consent).',
    ),
});
export type WooCommerceConnector = z.output<typeof WooCommerceConnectorSchema>;

/** The action of a status for a shop: its own mapping, then the defaults; undefined when unmapped. */
export const actionOfStatus = (
  connector: WooCommerceConnector,
  status: string,
): WooCommerceAction | undefined =>
  Object.hasOwn(connector.statuses, status)
    ? connector.statuses[status]
    : Object.hasOwn(DEFAULT_WOOCOMMERCE_STATUSES, status)
      ? DEFAULT_WOOCOMMERCE_STATUSES[status]
      : undefined;

/* ------------------------------------------------------------------------------------------------ */
/* Authentication                                                                                    */
/* ------------------------------------------------------------------------------------------------ */

/**
 * Whether `signature` (the X-WC-Webhook-Signature header) is the base64 HMAC-SHA256 of the raw body under
 * one of `keys` (the shop's secret and, during a change of secret, the previous one). The comparison is
 * constant-time over the 32 digest bytes, and a header of any other shape fails before any key is tried.
 */
export const verifyWooCommerceSignature = (
  rawBody: Uint8Array,
  signature: string | undefined,
  keys: readonly string[],
): boolean => {
  if (!signature || !/^[A-Za-z0-9+/]{43}=$/.test(signature)) return false;
  const given = Buffer.from(signature, 'base64');
  if (given.length !== 32) return false;
  let matched = false;
  // Every key is tried, so the time taken does not say which one matched.
  for (const key of keys) {
    const expected = createHmac('sha256', key).update(rawBody).digest();
    if (timingSafeEqual(expected, given)) matched = true;
  }
  return matched;
};

/** The ping WooCommerce sends when a webhook is created: `webhook_id=<n>`, unsigned. */
export const isWooCommercePing = (rawBody: string, signature: string | undefined): boolean =>
  signature === undefined && /^webhook_id=\d{1,20}$/.test(rawBody.trim());

/** The topics whose payload is an order; every other one is counted and ignored. */
export const WOOCOMMERCE_ORDER_TOPICS = ['order.created', 'order.updated'] as const;

/* ------------------------------------------------------------------------------------------------ */
/* The payload                                                                                       */
/* ------------------------------------------------------------------------------------------------ */

/** WooCommerce's dates without a zone: `2026-11-30T09:15:02` (the `_gmt` ones are UTC). */
const gmtDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/, 'expected a date as YYYY-MM-DDTHH:MM:SS');
const decimal = z.string().regex(/^-?\d{1,12}(\.\d{1,6})?$/, 'expected a decimal amount such as 129.99');
const text = z.string().max(10_000);

const AddressSchema = z.looseObject({
  first_name: text.optional(),
  last_name: text.optional(),
  company: text.optional(),
  city: text.optional(),
  postcode: text.optional(),
  country: text.optional(),
  email: text.optional(),
  phone: text.optional(),
});

const MetaSchema = z.looseObject({ key: z.string().max(255), value: z.unknown() });

/** The order as WooCommerce's REST API v3 gives it: the fields read, the rest passed over. */
export const WooCommerceOrderSchema = z.looseObject({
  id: z.int().min(1).max(Number.MAX_SAFE_INTEGER),
  number: z.union([z.string().max(64), z.int()]).optional(),
  status: z.string().regex(STATUS_SLUG, 'expected a WooCommerce status slug'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code'),
  date_created_gmt: gmtDate,
  date_modified_gmt: gmtDate,
  date_paid_gmt: gmtDate.nullable().optional(),
  date_completed_gmt: gmtDate.nullable().optional(),
  total: decimal,
  shipping_total: decimal.default('0'),
  shipping_tax: decimal.default('0'),
  payment_method: text.default(''),
  payment_method_title: text.default(''),
  billing: AddressSchema.default({}),
  shipping: AddressSchema.default({}),
  line_items: z
    .array(
      z.looseObject({
        id: z.int(),
        name: text,
        product_id: z.int().optional(),
        variation_id: z.int().optional(),
        quantity: z.int().min(1).max(10_000),
        subtotal: decimal,
        subtotal_tax: decimal.default('0'),
        sku: z.string().max(255).nullable().optional(),
      }),
    )
    .max(200),
  shipping_lines: z
    .array(z.looseObject({ method_id: text.default(''), method_title: text.default('') }))
    .default([]),
  fee_lines: z.array(z.looseObject({ total: decimal, total_tax: decimal.default('0') })).default([]),
  refunds: z
    .array(z.looseObject({ id: z.int().min(1), total: decimal, reason: text.nullable().optional() }))
    .default([]),
  meta_data: z.array(MetaSchema).default([]),
});
export type WooCommerceOrder = z.output<typeof WooCommerceOrderSchema>;

/** The meta key WooCommerce Shipment Tracking (and Advanced Shipment Tracking, for compatibility) writes. */
export const SHIPMENT_TRACKING_META = '_wc_shipment_tracking_items';

const TrackingItemSchema = z.looseObject({
  tracking_provider: z.string().max(100).default(''),
  custom_tracking_provider: z.string().max(100).default(''),
  custom_tracking_link: z.string().max(2048).default(''),
  tracking_number: z.string().min(1).max(64),
  date_shipped: z.union([z.string().regex(/^\d{1,12}$/), z.int().min(0)]).optional(),
  tracking_id: z.string().regex(/^[A-Za-z0-9]{1,64}$/, 'expected the tracking item id'),
});

/* ------------------------------------------------------------------------------------------------ */
/* Translation                                                                                       */
/* ------------------------------------------------------------------------------------------------ */

/** One event of our contract, before validation (the ingest validates it again). */
export interface TranslatedEvent {
  readonly type: OrderEventType;
  readonly detail: Record<string, unknown>;
  /** Where the fields of `detail` came from in the WooCommerce order, to name them in a refusal. */
  readonly sources: Readonly<Record<string, string>>;
}

export type WooCommerceTranslation =
  | {
      readonly kind: 'events';
      readonly events: readonly TranslatedEvent[];
      /** What was passed over and why (an unmapped status, a phone number that is not one). */
      readonly notes: readonly string[];
    }
  | { readonly kind: 'untranslatable'; readonly field: string; readonly problem: string };

export interface TranslationContext {
  readonly shopId: string;
  readonly language: 'pl' | 'en';
  readonly connector: WooCommerceConnector;
  /** What our store holds of the order, if anything: events it already states are not sent again. */
  readonly stored?: StoredOrderFacts | undefined;
}

/** The few facts of a stored order the connector compares a snapshot with. */
export interface StoredOrderFacts {
  readonly status?: string | undefined;
  /** The refund ids recorded on the order. */
  readonly refundIds: readonly string[];
  /** The event ids of the payments recorded on the order. */
  readonly paymentEventIds: readonly string[];
}

class Untranslatable extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

/** The digits after the point of a currency's minor unit (PLN 2, JPY 0, KWD 3). */
const minorDigits = (currency: string): number => {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
};

/** A decimal string in minor units, exactly (no floating point): "129.99" -> 12999. */
export const toMinorUnits = (amount: string, currency: string, field: string): number => {
  const digits = minorDigits(currency);
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount);
  if (!match) throw new Untranslatable(field, 'expected a decimal amount');
  const [, sign, whole = '0', fraction = ''] = match;
  if (fraction.length > digits && /[^0]/.test(fraction.slice(digits))) {
    throw new Untranslatable(field, `has more than ${digits} decimal places for ${currency}`);
  }
  const value = Number(whole + fraction.slice(0, digits).padEnd(digits, '0'));
  return sign === '-' ? -value : value;
};

const isoOf = (gmt: string): string => `${gmt}Z`;
const unixOf = (gmt: string): number => Math.floor(Date.parse(isoOf(gmt)) / 1000);

/** A single-line text as the contract takes it: whitespace runs joined, cut to `max` characters. */
const oneLine = (value: string | undefined, max: number): string => {
  const joined = (value ?? '').replace(/\s+/g, ' ').trim();
  return joined.length > max ? `${joined.slice(0, max - 1)}…` : joined;
};

const SKU = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;

const PAYMENT_METHODS: readonly [RegExp, string][] = [
  [/^bacs$/, 'bank_transfer'],
  [/^cod$/, 'cash_on_delivery'],
  [/blik/, 'blik'],
  [/przelewy24|^p24|payu|tpay|dotpay|paynow|imoje|autopay|bluemedia/, 'online_transfer'],
  [/stripe|card|braintree|square|adyen/, 'card'],
];

const paymentMethodOf = (id: string): string =>
  PAYMENT_METHODS.find(([pattern]) => pattern.test(id.toLowerCase()))?.[1] ?? 'other';

type DeliveryMethod = 'courier' | 'post' | 'parcel_locker' | 'pickup_point' | 'store_pickup';

const deliveryMethodOf = (methodId: string, title: string): DeliveryMethod => {
  const id = `${methodId} ${title}`.toLowerCase();
  if (/local_pickup|pickup_location|odbi[oó]r osobisty/.test(id)) return 'store_pickup';
  if (/paczkomat|locker|inpost|easypack|orlen|automat/.test(id)) return 'parcel_locker';
  if (/pickup_point|punkt|point|żabka|zabka|ruch/.test(id)) return 'pickup_point';
  if (/poczta|pocztex|post/.test(id)) return 'post';
  return 'courier';
};

const nameOf = (order: WooCommerceOrder): string =>
  oneLine(
    [order.billing.first_name, order.billing.last_name].filter(Boolean).join(' ') ||
      [order.shipping.first_name, order.shipping.last_name].filter(Boolean).join(' ') ||
      order.billing.company ||
      '',
    200,
  );

const PHONE = /^\+?[0-9][0-9 ()-]{5,30}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const placedOf = (
  order: WooCommerceOrder,
  base: Record<string, unknown>,
  context: TranslationContext,
  notes: string[],
): TranslatedEvent => {
  const { currency } = order;
  const name = nameOf(order);
  if (!name)
    throw new Untranslatable('billing.first_name', 'the order has no customer name (billing or shipping)');
  const email = order.billing.email?.trim() || undefined;
  const rawPhone = order.billing.phone?.trim() || undefined;
  const phone = rawPhone && PHONE.test(rawPhone) ? rawPhone : undefined;
  if (rawPhone && !phone) notes.push('billing.phone is not a phone number; the customer is not told by SMS');
  if (email && !EMAIL.test(email) && !phone) {
    throw new Untranslatable('billing.email', 'is not an e-mail address, and the order has no phone number');
  }
  if (order.line_items.length === 0) throw new Untranslatable('line_items', 'the order has no items');

  const lines = order.line_items.map((item, index) => {
    const gross =
      toMinorUnits(item.subtotal, currency, `line_items[${index}].subtotal`) +
      toMinorUnits(item.subtotal_tax, currency, `line_items[${index}].subtotal_tax`);
    const sku = item.sku?.trim();
    return {
      sku:
        sku && SKU.test(sku)
          ? sku
          : `product-${item.product_id ?? item.id}${item.variation_id ? `-${item.variation_id}` : ''}`,
      name: oneLine(item.name, 200) || `#${item.product_id ?? item.id}`,
      quantity: item.quantity,
      // Gross, as Polish shops show prices; a line whose gross does not divide by its quantity is rounded
      // per unit, and the difference goes into the shipping or the discount so the total stays exact.
      unitPrice: Math.max(0, Math.round(gross / item.quantity)),
    };
  });
  const subtotal = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
  const total = toMinorUnits(order.total, currency, 'total');
  let shipping =
    toMinorUnits(order.shipping_total, currency, 'shipping_total') +
    toMinorUnits(order.shipping_tax, currency, 'shipping_tax') +
    order.fee_lines.reduce(
      (sum, fee, index) =>
        sum +
        toMinorUnits(fee.total, currency, `fee_lines[${index}].total`) +
        toMinorUnits(fee.total_tax, currency, `fee_lines[${index}].total_tax`),
      0,
    );
  if (total < 0) throw new Untranslatable('total', 'must not be negative');
  let discount = subtotal + shipping - total;
  if (discount < 0) {
    shipping -= discount;
    discount = 0;
  }
  if (shipping < 0) {
    discount -= shipping;
    shipping = 0;
  }

  const address = order.shipping.country ? order.shipping : order.billing;
  const country = (address.country ?? '').toUpperCase();
  if (!/^[A-Z]{2}$/.test(country)) {
    throw new Untranslatable('shipping.country', 'the order has no delivery or billing country');
  }
  const shippingLine = order.shipping_lines[0];
  const method = paymentMethodOf(order.payment_method);
  return {
    type: 'Order Placed',
    detail: {
      ...base,
      eventId: `woocommerce-${order.id}-placed`,
      occurredAt: isoOf(order.date_created_gmt),
      customer: {
        name,
        ...(email ? { email } : {}),
        ...(phone ? { phone } : {}),
        locale: context.language,
        timeZone: context.connector.timeZone,
        channels: {
          email: Boolean(email),
          sms: Boolean(phone) && context.connector.smsToBillingPhone,
          push: false,
        },
      },
      lines,
      totals: { currency, subtotal, shipping, discount, total },
      payment: { method, status: 'awaiting' },
      delivery: {
        method: deliveryMethodOf(shippingLine?.method_id ?? '', shippingLine?.method_title ?? ''),
        ...(shippingLine?.method_title ? { carrier: oneLine(shippingLine.method_title, 100) } : {}),
        city: oneLine(address.city, 100) || '-',
        postcode: oneLine(address.postcode, 16) || '-',
        country,
      },
    },
    sources: {
      'detail.customer.name': 'billing.first_name',
      'detail.customer.email': 'billing.email',
      'detail.customer.phone': 'billing.phone',
      'detail.lines': 'line_items',
      'detail.totals': 'total',
      'detail.delivery': 'shipping',
      'detail.orderNumber': 'number',
    },
  };
};

/** A zod issue's path as it follows a field name: `.line_items[0].name`. */
const pathSuffix = (path: readonly PropertyKey[]): string =>
  path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');

const trackingItemsOf = (order: WooCommerceOrder) => {
  const meta = order.meta_data.find((entry) => entry.key === SHIPMENT_TRACKING_META);
  if (!meta) return [];
  const parsed = z.array(TrackingItemSchema).max(20).safeParse(meta.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Untranslatable(
      `meta_data.${SHIPMENT_TRACKING_META}${pathSuffix(issue?.path ?? [])}`,
      issue?.message ?? 'is not a list of tracking items',
    );
  }
  return parsed.data;
};

const shippedOf = (
  order: WooCommerceOrder,
  base: Record<string, unknown>,
  context: TranslationContext,
): TranslatedEvent[] =>
  trackingItemsOf(order).map((item, index) => {
    const field = `meta_data.${SHIPMENT_TRACKING_META}[${index}]`;
    const provider = item.custom_tracking_provider || item.tracking_provider;
    const template = Object.hasOwn(context.connector.trackingUrls, item.tracking_provider)
      ? context.connector.trackingUrls[item.tracking_provider]
      : undefined;
    const trackingUrl =
      item.custom_tracking_link || template?.replace('{number}', encodeURIComponent(item.tracking_number));
    if (!trackingUrl) {
      throw new Untranslatable(
        `${field}.custom_tracking_link`,
        `no tracking link, and connectors.woocommerce.trackingUrls has none for ${
          // Named when it is a provider's name; anything else is not echoed.
          PROVIDER_SLUG.test(item.tracking_provider) ? `provider ${item.tracking_provider}` : 'its provider'
        }`,
      );
    }
    const shippedAt =
      item.date_shipped !== undefined && Number(item.date_shipped) > 0
        ? new Date(Number(item.date_shipped) * 1000).toISOString()
        : isoOf(order.date_completed_gmt ?? order.date_modified_gmt);
    const shippingLine = order.shipping_lines[0];
    const method = deliveryMethodOf(
      `${shippingLine?.method_id ?? ''} ${provider}`,
      shippingLine?.method_title ?? '',
    );
    return {
      type: 'Order Shipped' as const,
      detail: {
        ...base,
        eventId: `woocommerce-${order.id}-shipped-${item.tracking_id}`,
        occurredAt: shippedAt,
        method: method === 'store_pickup' ? 'courier' : method,
        carrier: oneLine(provider, 100) || '-',
        trackingNumber: oneLine(item.tracking_number, 64),
        trackingUrl,
      },
      sources: {
        'detail.trackingUrl': `${field}.custom_tracking_link`,
        'detail.trackingNumber': `${field}.tracking_number`,
        'detail.carrier': `${field}.tracking_provider`,
      },
    };
  });

/** Our status after an event of each action, to leave out what the store already says. */
const STATUS_OF_ACTION: Partial<Record<WooCommerceAction, string>> = {
  accepted: 'accepted',
  preparing: 'preparing',
  out_for_delivery: 'out_for_delivery',
  delivered: 'delivered',
  cancelled: 'cancelled',
};

const statusEventOf = (
  action: WooCommerceAction,
  order: WooCommerceOrder,
  base: Record<string, unknown>,
  context: TranslationContext,
): TranslatedEvent | undefined => {
  const stamp = order.date_modified_gmt;
  const id = (what: string, at: string) => `woocommerce-${order.id}-${what}-${unixOf(at)}`;
  switch (action) {
    case 'accepted': {
      const at = order.date_paid_gmt ?? order.date_created_gmt;
      return {
        type: 'Order Accepted',
        detail: { ...base, eventId: id('accepted', at), occurredAt: isoOf(at) },
        sources: {},
      };
    }
    case 'preparing':
      return {
        type: 'Order Preparing',
        detail: { ...base, eventId: id('preparing', stamp), occurredAt: isoOf(stamp) },
        sources: {},
      };
    case 'out_for_delivery':
      return {
        type: 'Order Out For Delivery',
        detail: { ...base, eventId: id('out-for-delivery', stamp), occurredAt: isoOf(stamp) },
        sources: {},
      };
    case 'delivered': {
      const at = order.date_completed_gmt ?? stamp;
      return {
        type: 'Order Delivered',
        detail: { ...base, eventId: id('delivered', at), occurredAt: isoOf(at) },
        sources: {},
      };
    }
    case 'cancelled':
      return {
        type: 'Order Cancelled',
        detail: {
          ...base,
          eventId: id('cancelled', stamp),
          occurredAt: isoOf(stamp),
          cancelledBy: 'shop',
          reason: context.connector.cancellationReason,
        },
        sources: {},
      };
    default:
      return undefined;
  }
};

/**
 * The events one delivery of an order states, for the shop's settings and what the store already holds.
 * An order the store does not hold yet gets its Order Placed from the snapshot (whichever topic brought
 * it), so an order.created that never arrived costs nothing. A snapshot that cannot be translated names
 * the WooCommerce field.
 */
export const translateWooCommerceOrder = (
  payload: unknown,
  context: TranslationContext,
): WooCommerceTranslation => {
  const parsed = WooCommerceOrderSchema.safeParse(payload, { reportInput: false });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      kind: 'untranslatable',
      field: pathSuffix(issue?.path ?? []).replace(/^\./, '') || 'body',
      problem: issue?.message ?? 'is not a WooCommerce order',
    };
  }
  const order = parsed.data;
  const notes: string[] = [];
  try {
    const base = {
      schemaVersion: 1,
      shopId: context.shopId,
      orderId: String(order.id),
      orderNumber: oneLine(String(order.number ?? order.id), 64),
    };
    const events: TranslatedEvent[] = [];
    const stored = context.stored?.status;
    if (stored === undefined || stored === 'awaiting_placement')
      events.push(placedOf(order, base, context, notes));

    const paidId = order.date_paid_gmt
      ? `woocommerce-${order.id}-paid-${unixOf(order.date_paid_gmt)}`
      : undefined;
    if (order.date_paid_gmt && paidId && !context.stored?.paymentEventIds.includes(paidId)) {
      events.push({
        type: 'Payment Received',
        detail: {
          ...base,
          eventId: paidId,
          occurredAt: isoOf(order.date_paid_gmt),
          amount: { amount: toMinorUnits(order.total, order.currency, 'total'), currency: order.currency },
          ...(order.payment_method_title ? { method: oneLine(order.payment_method_title, 64) } : {}),
        },
        sources: { 'detail.amount': 'total', 'detail.method': 'payment_method_title' },
      });
    }

    const action = actionOfStatus(context.connector, order.status);
    if (action === undefined) {
      notes.push(
        `status ${order.status} has no mapping in connectors.woocommerce.statuses; it was not translated`,
      );
    }
    const shipments = action === 'cancelled' ? [] : shippedOf(order, base, context);
    if (action === 'shipped' && shipments.length === 0) {
      throw new Untranslatable(
        `meta_data.${SHIPMENT_TRACKING_META}`,
        `status ${order.status} means shipped, but the order has no tracking number; add one (WooCommerce Shipment Tracking) or map ${order.status} to delivered in connectors.woocommerce.statuses`,
      );
    }
    events.push(...shipments);
    const statusEvent = action ? statusEventOf(action, order, base, context) : undefined;
    if (statusEvent && !(action && stored !== undefined && STATUS_OF_ACTION[action] === stored)) {
      events.push(statusEvent);
    }

    for (const refund of order.refunds) {
      const refundId = `woocommerce-refund-${refund.id}`;
      if (context.stored?.refundIds.includes(refundId)) continue;
      events.push({
        type: 'Refund Issued',
        detail: {
          ...base,
          // WooCommerce gives a refund no date in the order; the snapshot's is the best there is. Two
          // snapshots sent before the first is stored give two ids for one refund id, which the
          // lifecycle counts once.
          eventId: `woocommerce-${order.id}-refund-${refund.id}-${unixOf(order.date_modified_gmt)}`,
          occurredAt: isoOf(order.date_modified_gmt),
          refundId,
          amount: {
            amount: Math.abs(toMinorUnits(refund.total, order.currency, `refunds[${refund.id}].total`)),
            currency: order.currency,
          },
        },
        sources: { 'detail.amount': `refunds[${refund.id}].total` },
      });
    }
    return { kind: 'events', events, notes };
  } catch (error) {
    if (error instanceof Untranslatable)
      return { kind: 'untranslatable', field: error.field, problem: error.problem };
    throw error;
  }
};

/** The WooCommerce field a problem of our contract came from, else the contract's own path. */
export const sourceFieldOf = (event: TranslatedEvent, contractPath: string): string => {
  const match = Object.keys(event.sources)
    .filter(
      (prefix) =>
        contractPath === prefix ||
        contractPath.startsWith(`${prefix}.`) ||
        contractPath.startsWith(`${prefix}[`),
    )
    .sort((a, b) => b.length - a.length)[0];
  return match ? (event.sources[match] ?? contractPath) : `${contractPath} (of the translated ${event.type})`;
};
