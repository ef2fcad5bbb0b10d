/**
 * Message inputs for every event type: the order replayed from the shared Polish fixtures up to the
 * event, so `state` is what the pipeline would hand over. `worstCase` swaps in the long values the SMS
 * limits are measured with (see functions/domain/messages/worst-case.ts).
 */
import type { Language } from '../../../functions/domain/i18n.js';
import {
  type MessageInput,
  PARTIAL_PAYMENT_TEMPLATE,
  templateIdOf,
} from '../../../functions/domain/messages/index.js';
import { WORST_CASE } from '../../../functions/domain/messages/worst-case.js';
import {
  ORDER_EVENT_TYPES,
  type OrderEventDetailInput,
  type OrderEventType,
} from '../../../functions/domain/order-events.js';
import { replay } from '../../../functions/domain/order-lifecycle.js';
import { parseShopConfigs, type ShopConfigInput } from '../../../functions/domain/shop-config.js';
import { exampleDetails, orderRef, toEvent } from '../../fixtures/order-events.js';

export const TRACKING_URL = 'https://status.podebem.example.pl/t/Zk3hR9mQ2xLw7VbN4cTy8PaEu1Io';
export const UNSUBSCRIBE_URL = 'https://status.podebem.example.pl/unsubscribe?token=eyJzIjoic2tsZXAifQ.c2ln';

export const shopInput = (overrides: Partial<ShopConfigInput> = {}): ShopConfigInput => ({
  shopId: 'sklep-pod-debem',
  name: 'Sklep Pod Dębem',
  brand: { primaryColor: '#2e5e3a', logoUrl: 'https://podebem.example.pl/logo.png' },
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
    productCare: 'https://podebem.example.pl/pielegnacja',
  },
  statusPage: { baseUrl: 'https://status.podebem.example.pl' },
  sms: { senderId: 'PodDebem' },
  ...overrides,
});

/** A shop as the config parser makes it, so defaults and override validation apply. */
export const shop = (overrides: Partial<ShopConfigInput> = {}) => {
  const [parsed] = parseShopConfigs([shopInput(overrides)]);
  if (!parsed) throw new Error('unreachable: parseShopConfigs returned no shop');
  return parsed;
};

const DELIVERED: OrderEventType[] = [
  'Order Placed',
  'Payment Received',
  'Order Accepted',
  'Order Preparing',
  'Order Shipped',
  'Order Out For Delivery',
  'Order Delivered',
];

/** The events that lead to each type, ending with it. */
export const PATHS: Readonly<Record<OrderEventType, readonly OrderEventType[]>> = {
  'Order Placed': ['Order Placed'],
  'Payment Received': ['Order Placed', 'Payment Received'],
  'Order Accepted': ['Order Placed', 'Payment Received', 'Order Accepted'],
  'Order On Hold': ['Order Placed', 'Payment Received', 'Order Accepted', 'Order On Hold'],
  'Order Resumed': ['Order Placed', 'Payment Received', 'Order Accepted', 'Order On Hold', 'Order Resumed'],
  'Order Preparing': ['Order Placed', 'Payment Received', 'Order Accepted', 'Order Preparing'],
  'Order Shipped': DELIVERED.slice(0, 5),
  'Order Out For Delivery': DELIVERED.slice(0, 6),
  'Order Delivered': DELIVERED,
  'Order Cancelled': [
    'Order Placed',
    'Payment Received',
    'Order Accepted',
    'Order On Hold',
    'Order Cancelled',
  ],
  'Return Requested': [...DELIVERED, 'Return Requested'],
  'Return Received': [...DELIVERED, 'Return Requested', 'Return Received'],
  'Refund Issued': [...DELIVERED, 'Return Requested', 'Return Received', 'Refund Issued'],
  'Complaint Opened': [...DELIVERED, 'Complaint Opened'],
  'Complaint Resolved': [...DELIVERED, 'Complaint Opened', 'Complaint Resolved'],
};

export type Details = ReturnType<typeof exampleDetails>;

export interface InputOptions {
  readonly language?: Language;
  readonly shop?: MessageInput['shop'];
  readonly trackingUrl?: string;
  /** Changes to the fixture details before they are validated and replayed. */
  readonly details?: (details: Details) => void;
}

export const messageInput = (type: OrderEventType, options: InputOptions = {}): MessageInput => {
  const details = exampleDetails(orderRef(42));
  options.details?.(details);
  const events = PATHS[type].map((step) =>
    toEvent(step, details[step] as OrderEventDetailInput<typeof step>),
  );
  const { state, timeline } = replay(events);
  const last = timeline.at(-1);
  if (last?.outcome.kind !== 'applied') {
    throw new Error(`fixture path for ${type} does not apply: ${JSON.stringify(last?.outcome)}`);
  }
  return {
    shop: options.shop ?? shop(),
    language: options.language ?? 'pl',
    timeZone: 'Europe/Warsaw',
    state,
    event: last.event,
    trackingUrl: options.trackingUrl ?? TRACKING_URL,
    unsubscribeUrl: UNSUBSCRIBE_URL,
  };
};

/** Long values everywhere the SMS texts use them. */
export const worstCaseDetails = (details: Details): void => {
  const orderNumber = WORST_CASE.orderNumber;
  for (const detail of Object.values(details)) detail.orderNumber = orderNumber;
  const placed = details['Order Placed'];
  placed.lines = [
    { sku: 'KUB-GRAW-01', name: 'Kubek ceramiczny z grawerem', quantity: 1, unitPrice: WORST_CASE.amount },
  ];
  placed.totals = {
    currency: 'PLN',
    subtotal: WORST_CASE.amount,
    shipping: 0,
    discount: 0,
    total: WORST_CASE.amount,
  };
  placed.payment = { ...placed.payment, dueBy: WORST_CASE.dateTime };
  placed.delivery = { ...placed.delivery, carrier: WORST_CASE.carrier };
  details['Payment Received'].amount = { amount: WORST_CASE.amount, currency: 'PLN' };
  details['Order Accepted'].expectedShipBy = WORST_CASE.date;
  details['Order On Hold'].contactBy = WORST_CASE.dateTime;
  details['Order On Hold'].contact = { phone: WORST_CASE.phone };
  Object.assign(details['Order Shipped'], {
    carrier: WORST_CASE.carrier,
    trackingNumber: WORST_CASE.trackingNumber,
    trackingUrl: WORST_CASE.carrierTrackingUrl,
    expectedDeliveryDate: WORST_CASE.date,
  });
  details['Order Out For Delivery'].expectedBetween = {
    from: '2026-09-30T10:00:00+02:00',
    to: '2026-09-30T14:00:00+02:00',
  };
  details['Order Cancelled'].refund = {
    amount: { amount: WORST_CASE.amount, currency: 'PLN' },
    expectedBy: WORST_CASE.date,
  };
  details['Refund Issued'].amount = { amount: WORST_CASE.amount, currency: 'PLN' };
  details['Return Requested'].lines = [{ sku: 'KUB-GRAW-01', quantity: 1 }];
};

/** The order of an English customer, with no Polish in its data, to check the English templates. */
export const englishDetails = (details: Details): void => {
  const placed = details['Order Placed'];
  placed.customer = { ...placed.customer, name: 'Jane Smith', locale: 'en-GB', timeZone: 'Europe/London' };
  placed.lines = [
    {
      sku: 'KUB-GRAW-01',
      name: 'Engraved ceramic mug',
      quantity: 2,
      unitPrice: 4999,
      personalisation: 'For Gran',
    },
    { sku: 'PUD-PREZ-S', name: 'Gift box', quantity: 1, unitPrice: 1200 },
  ];
  placed.payment = { ...placed.payment, transferTitle: 'Order ZAM/2026/11/0042' };
  placed.delivery = { ...placed.delivery, city: 'Krakow' };
  details['Order On Hold'].toConfirm = 'Please confirm the engraving text: "For Gran".';
  details['Order On Hold'].contact = { phone: '+48 12 345 67 89', email: 'studio@podebem.example.pl' };
  details['Order Resumed'].note = 'Engraving confirmed by phone.';
  details['Order Cancelled'].note = 'Wrong size ordered.';
  details['Return Requested'].reason = 'The mug is cracked at the handle.';
  details['Complaint Opened'].subject = 'The engraving on the second mug is hard to read.';
  details['Complaint Resolved'].note = 'We will send a new mug with a corrected engraving.';
};

/** A shop whose own name and labels have no Polish letters, for the English checks. */
export const englishShop = () =>
  shop({
    name: 'Oak Tree Shop',
    contact: { phone: '+48 12 345 67 89', hours: { en: 'Mon-Fri 9:00-17:00' } },
  });

/** A payment of about half the total: the order stays partly paid (the partial-payment message). */
export const partialPaymentDetails = (details: Details): void => {
  const total = details['Order Placed'].totals.total;
  details['Payment Received'].amount = { amount: Math.ceil(total / 2), currency: 'PLN' };
};

/** Every template: an event type, and the changes to the fixtures that make its message the one told. */
export interface TemplateCase {
  readonly template: string;
  readonly type: OrderEventType;
  readonly details?: (details: Details) => void;
}

export const TEMPLATE_CASES: readonly TemplateCase[] = ORDER_EVENT_TYPES.flatMap((type): TemplateCase[] =>
  type === 'Payment Received'
    ? [
        { template: templateIdOf(type), type },
        { template: PARTIAL_PAYMENT_TEMPLATE, type, details: partialPaymentDetails },
      ]
    : [{ template: templateIdOf(type), type }],
);

/** The input of one template case, the case's changes applied after `options.details`. */
export const templateInput = (templateCase: TemplateCase, options: InputOptions = {}): MessageInput =>
  messageInput(templateCase.type, {
    ...options,
    details: (details) => {
      options.details?.(details);
      templateCase.details?.(details);
    },
  });
