/**
 * Blocks that several messages share and that read the same in every language apart from their labels:
 * the order summary, delivery, bank transfer details, shipment facts, contact and after-sales links.
 */
import type { Language } from '../i18n.js';
import type { OrderEventOf } from '../order-events.js';
import type { OrderState } from '../order-lifecycle.js';
import type { ShopConfig } from '../shop-config.js';
import type { Block, ContactDetails, Fact, Link, SharedContext } from './copy-model.js';
import { type AfterSalesLink, LABELS } from './texts.js';

const AFTER_SALES_ORDER: readonly AfterSalesLink[] = [
  'returns',
  'complaints',
  'warranty',
  'productCare',
  'servicePoints',
  'knowledgeBase',
  'documentation',
];

/** The after-sales links the shop configured, in a fixed order, labelled in the customer's language. */
export const afterSalesLinks = (
  shop: ShopConfig,
  language: Language,
  only: readonly AfterSalesLink[] = AFTER_SALES_ORDER,
): Link[] =>
  AFTER_SALES_ORDER.filter((key) => only.includes(key)).flatMap((key) => {
    const href = shop.links[key];
    return href ? [{ label: LABELS[language].afterSales[key], href }] : [];
  });

/** The shop's general contact, with the opening hours in the customer's language. */
export const shopContact = (shop: ShopConfig, language: Language): ContactDetails => ({
  phone: shop.contact.phone,
  email: shop.contact.email,
  chatUrl: shop.contact.chatUrl,
  contactFormUrl: shop.contact.contactFormUrl,
  hours: shop.contact.hours?.[language],
});

/** How many pieces the lines add up to: "3 produkty" counts pieces, not lines. */
export const pieces = (lines: ReadonlyArray<{ readonly quantity: number }>): number =>
  lines.reduce((sum, line) => sum + line.quantity, 0);

export const productName = (state: OrderState, sku: string): string =>
  state.lines?.find((line) => line.sku === sku)?.name ?? sku;

/** The lines and totals of the order; prices are fine in an e-mail, which only the customer reads. */
export const orderSummary = ({ state, language, formats }: SharedContext): Block[] => {
  const { lines, totals } = state;
  if (!lines || !totals) return [];
  const labels = LABELS[language].summary;
  const money = (amount: number) => formats.money({ amount, currency: totals.currency });
  const rows: Fact[] = [{ label: labels.subtotal, value: money(totals.subtotal) }];
  rows.push({
    label: labels.shipping,
    value: totals.shipping > 0 ? money(totals.shipping) : labels.freeShipping,
  });
  if (totals.discount > 0) rows.push({ label: labels.discount, value: `−${money(totals.discount)}` });
  rows.push({ label: labels.total, value: money(totals.total), strong: true });
  return [
    {
      kind: 'items',
      title: labels.title(pieces(lines)),
      items: lines.map((line) => ({
        name: line.name,
        detail: line.personalisation && `${labels.personalisation}: ${line.personalisation}`,
        quantity: labels.quantity(line.quantity),
      })),
    },
    { kind: 'facts', rows },
  ];
};

export const deliveryFacts = ({ state, language }: SharedContext): Block[] => {
  const delivery = state.delivery;
  if (!delivery) return [];
  const labels = LABELS[language];
  const method = labels.deliveryMethod[delivery.method];
  const rows: Fact[] = [
    {
      label: labels.summary.deliveryMethod,
      value: delivery.carrier ? `${method} (${delivery.carrier})` : method,
    },
    {
      label: labels.summary.deliverTo,
      value: [state.customer?.name, `${delivery.postcode} ${delivery.city}`].filter(Boolean).join(', '),
    },
  ];
  if (delivery.pickupPointId) rows.push({ label: labels.summary.pickupPoint, value: delivery.pickupPointId });
  return [{ kind: 'facts', title: labels.summary.deliveryTitle, rows }];
};

/** "PL61109010140000071219812874" -> "PL61 1090 1014 0000 0712 1981 2874", as banks print it. */
export const groupIban = (iban: string): string => iban.replace(/(.{4})(?=.)/g, '$1 ');

/** The transfer details; the amount is what is still due (the total until a part of it arrived). */
export const bankTransferFacts = ({ state, shop, language, formats, facts }: SharedContext): Fact[] => {
  const instructions = state.payment.instructions;
  const labels = LABELS[language].facts;
  const rows: Fact[] = [{ label: labels.recipient, value: shop.name }];
  if (instructions?.bankAccount)
    rows.push({ label: labels.account, value: groupIban(instructions.bankAccount) });
  rows.push({ label: labels.transferTitle, value: instructions?.transferTitle ?? facts.orderNumber });
  if (state.totals) {
    rows.push({
      label: labels.amount,
      value:
        facts.amountDue || formats.money({ amount: state.totals.total, currency: state.totals.currency }),
      strong: true,
    });
  }
  if (instructions?.dueBy) rows.push({ label: labels.dueBy, value: formats.dateTime(instructions.dueBy) });
  return rows;
};

type Shipment = Pick<
  OrderEventOf<'Order Shipped'>,
  'carrier' | 'method' | 'trackingNumber' | 'trackingUrl' | 'expectedDeliveryDate'
>;

export const shipmentFacts = (
  { language, formats }: SharedContext,
  shipment: Shipment,
  extra: readonly Fact[] = [],
): Block => {
  const labels = LABELS[language];
  const rows: Fact[] = [
    { label: labels.facts.carrier, value: shipment.carrier },
    { label: labels.facts.deliveryMethod, value: labels.deliveryMethod[shipment.method] },
    { label: labels.facts.trackingNumber, value: shipment.trackingNumber, href: shipment.trackingUrl },
  ];
  if (shipment.expectedDeliveryDate) {
    rows.push({ label: labels.facts.expectedDelivery, value: formats.date(shipment.expectedDeliveryDate) });
  }
  return { kind: 'facts', rows: [...rows, ...extra] };
};

/** Drops the empty strings writers use for "nothing to say here". */
export const present = <T>(values: ReadonlyArray<T | '' | undefined | false>): T[] =>
  values.filter((value): value is T => value !== '' && value !== undefined && value !== false);
