/**
 * The values messages are made of, formatted for the customer's language and time zone. They are also the
 * placeholders a shop can use in its template overrides, so every one of them is plain text.
 */
import { formatDate, formatDateTime, formatMoney, type Language, statusLabel } from '../i18n.js';
import type { Money } from '../order-events.js';
import { paymentStanding } from '../order-lifecycle.js';
import type { MessageInput } from './message-input.js';
import { LABELS } from './texts.js';

/** The placeholders of template overrides, with what they hold (documented in docs/messages.md). */
export const PLACEHOLDERS = {
  shopName: "The shop's name.",
  orderNumber: 'The order number the customer sees.',
  customerName: "The customer's full name.",
  customerFirstName: "The customer's first name.",
  status: 'The order status now, e.g. "Wysłane" / "Shipped".',
  trackingUrl: "The order's tracking page.",
  carrier: 'The carrier, once shipped.',
  trackingNumber: 'The parcel number, once shipped.',
  carrierTrackingUrl: "The carrier's tracking page, once shipped.",
  deliveryMethod: 'How the parcel travels, e.g. "automat paczkowy" / "parcel locker".',
  expectedDeliveryDate: 'The expected delivery date, when the shop gave one.',
  total: 'The order total.',
  amount: 'The amount this message is about: the payment, the refund.',
  amountReceived: 'Everything received for the order so far.',
  amountDue: 'What is still to pay while a payment is awaited; empty when nothing is.',
  contactBy: 'The deadline to contact the shop about an order on hold.',
} as const;

export type PlaceholderName = keyof typeof PLACEHOLDERS;
export type MessageFacts = Readonly<Record<PlaceholderName, string>>;
export const PLACEHOLDER_NAMES = Object.keys(PLACEHOLDERS) as PlaceholderName[];

const INTL_LOCALE: Record<Language, string> = { pl: 'pl-PL', en: 'en-GB' };

/** Formatting bound to one customer's language and time zone. */
export interface Formats {
  readonly date: (iso: string) => string;
  readonly dateTime: (iso: string) => string;
  readonly time: (iso: string) => string;
  readonly money: (money: Money) => string;
  /** "25.11" / "25 Nov": the SMS date, where every character counts. */
  readonly shortDate: (iso: string) => string;
  /** "22.11 18:00" / "22 Nov 18:00". */
  readonly shortDateTime: (iso: string) => string;
}

export const formatsFor = (language: Language, timeZone: string): Formats => {
  const locale = INTL_LOCALE[language];
  const dateOnly = (iso: string) => /^\d{4}-\d{2}-\d{2}$/.test(iso);
  // A calendar date has no time zone: it is that day wherever the customer is (as in i18n.formatDate).
  const instant = (iso: string) => new Date(dateOnly(iso) ? `${iso}T12:00:00Z` : iso);
  const zone = (iso: string) => (dateOnly(iso) ? 'UTC' : timeZone);
  const shortDateOptions: Intl.DateTimeFormatOptions =
    language === 'pl' ? { day: '2-digit', month: '2-digit' } : { day: 'numeric', month: 'short' };
  const shortDate = (iso: string) =>
    new Intl.DateTimeFormat(locale, { ...shortDateOptions, timeZone: zone(iso) }).format(instant(iso));
  const time = (iso: string) =>
    new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone }).format(new Date(iso));
  return {
    date: (iso) => formatDate(iso, language, timeZone),
    dateTime: (iso) => formatDateTime(iso, language, timeZone),
    time,
    money: (money) => formatMoney(money.amount, money.currency, language),
    shortDate,
    shortDateTime: (iso) => `${shortDate(iso)} ${time(iso)}`,
  };
};

/**
 * The first word of a name, for a greeting; '' when it holds no letter (an erased customer's "—", a
 * stray punctuation mark), so the greeting falls back to the one without a name.
 */
const firstNameOf = (name: string): string => {
  const first = name.trim().split(/\s+/)[0] ?? '';
  return /\p{L}/u.test(first) ? first : '';
};

export const messageFacts = (input: MessageInput, formats: Formats): MessageFacts => {
  const { event, state, language, shop } = input;
  const labels = LABELS[language];
  const shipped = event.type === 'Order Shipped' ? event : state.shipment;
  const expectedDeliveryDate = shipped?.expectedDeliveryDate;
  const amount =
    event.type === 'Payment Received' || event.type === 'Refund Issued'
      ? event.amount
      : event.type === 'Order Cancelled'
        ? event.refund?.amount
        : undefined;
  const contactBy = event.type === 'Order On Hold' ? event.contactBy : state.hold?.contactBy;
  const method = shipped?.method ?? state.delivery?.method;
  // Every message tells the payments as they stand when it is sent.
  const standing = paymentStanding(state);
  const owing = state.payment.status === 'awaiting' || state.payment.status === 'partially_paid';
  const standingMoney = (amount: number) => formats.money({ amount, currency: standing.currency });
  return {
    shopName: shop.name,
    orderNumber: event.orderNumber,
    customerName: state.customer?.name ?? '',
    customerFirstName: firstNameOf(state.customer?.name ?? ''),
    status: state.status === 'awaiting_placement' ? '' : statusLabel(state.status, language),
    trackingUrl: input.trackingUrl,
    carrier: shipped?.carrier ?? state.delivery?.carrier ?? '',
    trackingNumber: shipped?.trackingNumber ?? '',
    carrierTrackingUrl: shipped?.trackingUrl ?? '',
    deliveryMethod: method ? labels.deliveryMethod[method] : '',
    expectedDeliveryDate: expectedDeliveryDate ? formats.date(expectedDeliveryDate) : '',
    total: state.totals ? formats.money({ amount: state.totals.total, currency: state.totals.currency }) : '',
    amount: amount ? formats.money(amount) : '',
    amountReceived: standing.received > 0 ? standingMoney(standing.received) : '',
    amountDue: standing.due > 0 && owing ? standingMoney(standing.due) : '',
    contactBy: contactBy ? formats.dateTime(contactBy) : '',
  };
};
