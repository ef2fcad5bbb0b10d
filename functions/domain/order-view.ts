/**
 * The public view of an order: what its customer sees on the tracking page and gets from
 * `GET /v1/orders/{token}`. Built from the order's history (the fold of its events), its notification
 * log and the shop's configuration, in one language, at one instant.
 *
 * What is left out on purpose (anyone holding the link sees this): the customer's surname, full e-mail
 * and phone (masked), any address beyond town and postcode, prices unless the shop shows them (except
 * what the customer must still pay, which a bank transfer cannot do without), free-text
 * notes written for the shop's staff (cancellation and resume notes, return reasons, complaint subjects),
 * personalisation texts, and timeline entries that changed nothing (superseded or rejected events).
 *
 * The zod schemas below are the response contract: docs/openapi.json is generated from them.
 *
 * Pure: no I/O, no clock (the instant is a parameter), no AWS.
 */

import * as z from 'zod';
import { complaintAnswerLastDay, isRunning, refundLastDay, withdrawalLastDay } from './consumer-deadlines.js';
import { isErasedCustomer } from './erased-customer.js';
import {
  formatDate,
  formatDateTime,
  formatMoney,
  LANGUAGES,
  type Language,
  labelOf,
  PAYMENT_LABELS,
  plural,
  STATUS_LABELS,
  usableTimeZone,
} from './i18n.js';
import { maskEmail, maskPhone, type NotificationRecord } from './notification-log.js';
import { supersededBy } from './notification-planning.js';
import { ORDER_EVENT_TYPES, type OrderEvent, type OrderEventType } from './order-events.js';
import {
  type OrderHistory,
  type OrderState,
  type PaymentStatus,
  paymentStanding,
} from './order-lifecycle.js';
import type { ShopConfig } from './shop-config.js';
import {
  AFTER_SALES_LINKS,
  fillText,
  type NextStepKey,
  STATUS_TEXTS,
  type StatusTexts,
  statusTexts,
} from './status-texts.js';
import { calendarDay } from './time-zones.js';

/* ------------------------------------------------------------------------------------------------ */
/* The contract                                                                                      */
/* ------------------------------------------------------------------------------------------------ */

/** The keys of a complete Record, as a zod enum tuple: the texts' Record types keep the enums whole. */
const keysOf = <K extends string>(record: Readonly<Record<K, unknown>>): [K, ...K[]] =>
  Object.keys(record) as [K, ...K[]];

const TEXTS = STATUS_TEXTS.en;

const labelled = <K extends string>(codes: [K, ...K[]], description: string) =>
  z
    .object({
      code: z.enum(codes).describe('Stable machine-readable value.'),
      label: z.string().describe('The value in the response language, for display.'),
    })
    .describe(description);

export const LocalizedDateTimeSchema = z.object({
  at: z.iso.datetime({ offset: true }).describe('The instant, ISO 8601, as the shop reported it.'),
  text: z.string().describe("The instant in the response language and the customer's time zone."),
});

/** A statutory deadline: its last day, and the sentence the customer reads about it. */
const DeadlineSchema = z.object({
  date: z.iso.date(),
  text: z.string(),
});

export const LocalizedDateSchema = z.object({
  date: z.iso.date().describe('A calendar date, YYYY-MM-DD.'),
  text: z.string().describe('The date in the response language.'),
});

export const MoneyViewSchema = z.object({
  amount: z.int().describe('In the minor unit of the currency (12999 = 129.99 PLN).'),
  currency: z.string().describe('ISO 4217 code.'),
  text: z.string().describe('Formatted in the response language, e.g. "129,99 zł".'),
});

export const ContactViewSchema = z.object({
  phone: z.string().optional(),
  email: z.string().optional(),
  chatUrl: z.string().optional(),
  contactFormUrl: z.string().optional(),
  hours: z.string().optional().describe('When the shop answers, in the response language where configured.'),
});

const ORDER_STATUSES = keysOf(STATUS_LABELS.en);
const PAYMENT_STATUSES = keysOf(PAYMENT_LABELS.en) as [PaymentStatus, ...PaymentStatus[]];

export const OrderViewSchema = z
  .object({
    language: z.enum(LANGUAGES).describe('The language of every label and text in this response.'),
    view: z
      .enum(['full', 'reduced'])
      .describe(
        '`reduced` once nothing has changed on the order for some time, whatever its status (the shop ' +
          'configures how long), or after its personal data was erased: status, dates and after-sales links only.',
      ),
    orderNumber: z.string(),
    placedAt: LocalizedDateTimeSchema,
    status: z.object({
      code: z.enum(ORDER_STATUSES),
      label: z.string(),
      since: LocalizedDateTimeSchema.optional().describe('When the order reached this status.'),
    }),
    nextStep: z.string().describe('What happens next, and what the customer may need to do.'),
    deliveredAt: LocalizedDateTimeSchema.optional(),
    notice: z.string().optional().describe('Why only a summary is shown (reduced view).'),
    shop: z.object({
      name: z.string(),
      logoUrl: z.string().optional(),
      primaryColor: z.string().describe('#RRGGBB'),
      contact: ContactViewSchema,
      links: z
        .array(
          z.object({
            kind: z.enum(AFTER_SALES_LINKS),
            label: z.string(),
            url: z.string(),
          }),
        )
        .describe('After-sales information: returns, complaints, warranty, product care, and so on.'),
    }),
    customer: z
      .object({
        firstName: z.string(),
        email: z.string().optional().describe('Masked, e.g. z***@example.pl.'),
        phone: z.string().optional().describe('Masked, e.g. +48 *** *** 567.'),
      })
      .optional(),
    payment: z
      .object({
        status: labelled(PAYMENT_STATUSES, 'Payment status.'),
        method: labelled(keysOf(TEXTS.paymentMethods), 'How the customer chose to pay.').optional(),
        received: MoneyViewSchema.optional().describe(
          'What has been received so far, while part of the total is still due (shown even when prices are hidden).',
        ),
        instructions: z
          .object({
            dueBy: LocalizedDateTimeSchema.optional(),
            paymentUrl: z.string().optional(),
            bankAccount: z.string().optional().describe("The shop's IBAN for a bank transfer."),
            transferTitle: z.string().optional(),
            amount: MoneyViewSchema.optional().describe(
              'What is still due (the total until part of it arrived), even when the shop hides its prices.',
            ),
          })
          .optional()
          .describe('How to pay; only while a payment (or the rest of it) is awaited.'),
      })
      .optional(),
    delivery: z
      .object({
        method: labelled(keysOf(TEXTS.deliveryMethods), 'How the order travels.'),
        city: z.string(),
        postcode: z.string(),
        country: z.string(),
      })
      .optional(),
    shipment: z
      .object({
        method: labelled(keysOf(TEXTS.deliveryMethods), 'How the parcel travels.'),
        carrier: z.string(),
        trackingNumber: z.string(),
        trackingUrl: z.string().describe("The carrier's tracking page for this parcel."),
        shippedAt: LocalizedDateTimeSchema,
        expectedDeliveryDate: LocalizedDateSchema.optional(),
        deliveryWindow: z
          .object({
            from: z.iso.datetime({ offset: true }),
            to: z.iso.datetime({ offset: true }),
            text: z.string(),
          })
          .optional()
          .describe('While out for delivery, when the carrier expects to arrive.'),
        deliveredTo: labelled(keysOf(TEXTS.deliveryLocations), 'Where the parcel was left.').optional(),
        withdrawalUntil: DeadlineSchema.optional().describe(
          'The last day to withdraw from the purchase without a reason (14 days from delivery), while it runs; only when the shop shows consumer rights.',
        ),
      })
      .optional(),
    hold: z
      .object({
        reason: labelled(keysOf(TEXTS.holdReasons), 'Why the order waits for the customer.'),
        toConfirm: z.string().describe('What the customer must confirm, written by the shop.'),
        contactBy: LocalizedDateTimeSchema,
        deadline: z.object({
          state: z.enum(['upcoming', 'today', 'passed']),
          text: z.string(),
        }),
        contact: ContactViewSchema.describe('How to reach the shop about this order.'),
      })
      .optional(),
    cancellation: z
      .object({
        at: LocalizedDateTimeSchema,
        by: labelled(['customer', 'shop'], 'Who cancelled.'),
        reason: labelled(keysOf(TEXTS.cancellationReasons), 'Why.'),
        refund: z
          .object({
            amount: MoneyViewSchema.optional().describe('Only when the shop shows prices.'),
            expectedBy: LocalizedDateSchema.optional(),
            refundedAt: LocalizedDateTimeSchema.optional().describe(
              'When the money was returned: the last refund issued, once all of it has been.',
            ),
            text: z.string().describe('Whether the money will return (by when) or was returned (when).'),
          })
          .optional(),
        costsRetained: MoneyViewSchema.optional().describe('Only when the shop shows prices.'),
      })
      .optional(),
    items: z
      .array(
        z.object({
          name: z.string(),
          quantity: z.int(),
          unitPrice: MoneyViewSchema.optional(),
          total: MoneyViewSchema.optional(),
        }),
      )
      .optional()
      .describe('The ordered products; prices only when the shop shows them.'),
    totals: z
      .object({
        subtotal: MoneyViewSchema,
        shipping: MoneyViewSchema,
        discount: MoneyViewSchema,
        total: MoneyViewSchema,
      })
      .optional()
      .describe('Only when the shop shows prices.'),
    timeline: z
      .array(
        z.object({
          type: z.enum(ORDER_EVENT_TYPES as [OrderEventType, ...OrderEventType[]]),
          label: z.string(),
          detail: z.string().optional(),
          at: LocalizedDateTimeSchema,
        }),
      )
      .optional()
      .describe('What happened to the order, oldest first: only the events that changed it.'),
    returns: z
      .array(
        z.object({
          id: z.string(),
          status: labelled(keysOf(TEXTS.returnStatuses), 'Where the return stands.'),
          items: z.string().describe('How many items are returned, e.g. "2 produkty".'),
          requestedAt: LocalizedDateTimeSchema,
          receivedAt: LocalizedDateTimeSchema.optional(),
          refundedAt: LocalizedDateTimeSchema.optional(),
          refundBy: DeadlineSchema.optional().describe(
            'By when the shop must refund (14 days from the request, not before it has the goods back); until refunded, when the shop shows consumer rights.',
          ),
        }),
      )
      .optional(),
    complaints: z
      .array(
        z.object({
          id: z.string(),
          kind: labelled(keysOf(TEXTS.complaintKinds), 'A complaint or a warranty claim.'),
          status: labelled(keysOf(TEXTS.complaintStatuses), 'Where the complaint stands.'),
          openedAt: LocalizedDateTimeSchema,
          resolvedAt: LocalizedDateTimeSchema.optional(),
          outcome: labelled(keysOf(TEXTS.complaintOutcomes), 'The decision.').optional(),
          remedy: labelled(keysOf(TEXTS.remedies), 'What the shop does about it.').optional(),
          answerBy: DeadlineSchema.optional().describe(
            'By when the shop must answer an open complaint (14 days), with what follows if it does not; not for warranty claims.',
          ),
        }),
      )
      .optional(),
    notifications: z
      .array(
        z.object({
          channel: labelled(keysOf(TEXTS.channels), 'Where the message went.'),
          about: labelled(
            ORDER_EVENT_TYPES as [OrderEventType, ...OrderEventType[]],
            'The change it told of.',
          ),
          template: z.string(),
          at: LocalizedDateTimeSchema.describe('When it was sent, or created if not sent yet.'),
          outcome: labelled(keysOf(TEXTS.notificationOutcomes), 'What became of it.'),
          arrived: z
            .boolean()
            .nullable()
            .describe('true: the provider reported delivery; false: it did not arrive; null: not known.'),
          address: z.string().optional().describe('Masked.'),
        }),
      )
      .optional()
      .describe('Messages about this order and whether they arrived; not sent on purpose ones are left out.'),
  })
  .describe('What the customer may see about their order.');

export type OrderView = z.output<typeof OrderViewSchema>;
type LocalizedDateTime = z.output<typeof LocalizedDateTimeSchema>;
type MoneyView = z.output<typeof MoneyViewSchema>;
type ContactView = z.output<typeof ContactViewSchema>;

/* ------------------------------------------------------------------------------------------------ */
/* Building the view                                                                                 */
/* ------------------------------------------------------------------------------------------------ */

export interface OrderViewInput {
  /** The fold of the order's events (`replay`): the state and the timeline. */
  readonly history: OrderHistory;
  readonly notifications: readonly NotificationRecord[];
  readonly shop: ShopConfig;
  readonly language: Language;
  readonly now: Date;
  /**
   * When the order last changed in the store (its state item's `updatedAt`): what the reduction counts
   * from. Left out only where there is no store (previews, pure tests): then the latest applied event.
   */
  readonly lastChangedAt?: string | undefined;
}

const DAY_MS = 86_400_000;
const DEFAULT_TIME_ZONE = 'Europe/Warsaw';

/** Outcomes that mean nothing was sent: the customer has nothing to look for. */
const NOT_SENT = new Set<NotificationRecord['outcome']>(['skipped', 'superseded']);
const ARRIVED: Partial<Record<NotificationRecord['outcome'], boolean>> = {
  delivered: true,
  complained: true,
  failed: false,
  bounced: false,
};

/**
 * The view is reduced once nothing has changed on the order for the shop's `reducedViewAfterDays`,
 * whatever its status: a delivered order, but also one stuck before delivery, stops showing its lines,
 * address and timeline to whoever holds the link. Counting from the last change in the store (not from
 * the delivery, nor from events' `occurredAt`, which the producer chooses) keeps a return or complaint
 * opened after delivery fully visible while it is under way. An order whose customer's personal data was
 * erased on request is always reduced.
 */
export const isReducedView = (
  history: OrderHistory,
  shop: ShopConfig,
  now: Date,
  lastChangedAt?: string,
): boolean => {
  if (isErasedCustomer(history.state.customer)) return true;
  const stored = lastChangedAt === undefined ? Number.NaN : Date.parse(lastChangedAt);
  const lastChange = Number.isFinite(stored)
    ? stored
    : Math.max(
        ...history.timeline
          .filter((entry) => entry.outcome.kind === 'applied')
          .map((entry) => Date.parse(entry.event.occurredAt)),
      );
  return now.getTime() - lastChange >= shop.statusPage.reducedViewAfterDays * DAY_MS;
};

/** Addresses in the log are masked when written; masked again here in case a writer forgot. */
export const maskAddress = (address: string | undefined): string | undefined => {
  if (address === undefined) return undefined;
  if (/[*…]/.test(address)) return address;
  if (address.includes('@')) return maskEmail(address);
  if ((address.match(/\d/g) ?? []).length >= 6) return maskPhone(address);
  return '***';
};

const firstName = (name: string): string => name.trim().split(/\s+/)[0] ?? '';

const daysBetween = (fromDay: string, toDay: string): number =>
  Math.round((Date.parse(`${toDay}T00:00:00Z`) - Date.parse(`${fromDay}T00:00:00Z`)) / DAY_MS);

const TIME_LOCALE: Record<Language, string> = { pl: 'pl-PL', en: 'en-GB' };

/** Builds the view; the caller has checked that the order is placed and belongs to `shop`. */
export const buildOrderView = (input: OrderViewInput): OrderView => {
  const { history, shop, language, now } = input;
  const { state } = history;
  const texts = statusTexts(language);
  const timeZone = usableTimeZone(state.customer?.timeZone, DEFAULT_TIME_ZONE);
  const showPrices = shop.statusPage.showPrices;

  const instant = (iso: string): LocalizedDateTime => ({
    at: iso,
    text: formatDateTime(iso, language, timeZone),
  });
  const day = (date: string) => ({ date, text: formatDate(date, language, timeZone) });
  const money = (amount: number, currency: string): MoneyView => ({
    amount,
    currency,
    text: formatMoney(amount, currency, language),
  });
  const time = (iso: string): string => {
    const at = new Date(iso);
    if (Number.isNaN(at.getTime())) return iso;
    return new Intl.DateTimeFormat(TIME_LOCALE[language], { timeStyle: 'short', timeZone }).format(at);
  };
  /**
   * A statutory deadline as shown: its last day and the sentence with the date in it. `onlyWhileRunning`:
   * left out once the day has passed (a withdrawal window that closed is no longer the customer's
   * concern); a refund or an answer that is overdue stays, since it is still owed.
   */
  const deadline = (lastDay: string | undefined, text: string, onlyWhileRunning = true) =>
    lastDay && (!onlyWhileRunning || isRunning(lastDay, now, timeZone))
      ? { date: lastDay, text: fillText(text, { date: formatDate(lastDay, language, timeZone) }) }
      : undefined;
  const applied = history.timeline.filter((entry) => entry.outcome.kind === 'applied');
  const reduced = isReducedView(history, shop, now, input.lastChangedAt);

  const shopView: OrderView['shop'] = {
    name: shop.name,
    logoUrl: shop.brand.logoUrl,
    primaryColor: shop.brand.primaryColor,
    contact: shopContact(shop, language),
    links: AFTER_SALES_LINKS.flatMap((kind) => {
      const url = shop.links[kind];
      return url ? [{ kind, label: labelOf(texts.links, kind), url }] : [];
    }),
  };

  const base: OrderView = {
    language,
    view: reduced ? 'reduced' : 'full',
    orderNumber: state.orderNumber,
    placedAt: instant(state.placedAt ?? applied[0]?.event.occurredAt ?? now.toISOString()),
    status: {
      code: state.status,
      label: labelOf(STATUS_LABELS[language], state.status),
      since: state.statusSince ? instant(state.statusSince) : undefined,
    },
    nextStep: labelOf(texts.nextSteps, nextStepOf(state)),
    deliveredAt: state.shipment?.deliveredAt ? instant(state.shipment.deliveredAt) : undefined,
    shop: shopView,
  };
  if (reduced) return { ...base, notice: texts.page.reducedNotice };

  const outForDelivery = [...applied]
    .reverse()
    .find((entry) => entry.event.type === 'Order Out For Delivery');
  const window =
    state.status === 'out_for_delivery' &&
    outForDelivery?.event.type === 'Order Out For Delivery' &&
    outForDelivery.event.expectedBetween;
  const deliveredEvent = applied.find((entry) => entry.event.type === 'Order Delivered')?.event;
  // When the cancelled order's money came back: the last refund that counted.
  const refundedAt =
    state.status === 'cancelled' && cancellationRefunded(state)
      ? applied.findLast((entry) => entry.event.type === 'Refund Issued')?.event.occurredAt
      : undefined;

  return {
    ...base,
    customer: state.customer && {
      firstName: firstName(state.customer.name),
      email: state.customer.email && maskEmail(state.customer.email),
      phone: state.customer.phone && maskPhone(state.customer.phone),
    },
    payment: paymentView(state, texts, language, instant, money),
    delivery: state.delivery && {
      method: { code: state.delivery.method, label: labelOf(texts.deliveryMethods, state.delivery.method) },
      city: state.delivery.city,
      postcode: state.delivery.postcode,
      country: state.delivery.country,
    },
    shipment: state.shipment && {
      method: { code: state.shipment.method, label: labelOf(texts.deliveryMethods, state.shipment.method) },
      carrier: state.shipment.carrier,
      trackingNumber: state.shipment.trackingNumber,
      trackingUrl: state.shipment.trackingUrl,
      shippedAt: instant(state.shipment.at),
      expectedDeliveryDate: state.shipment.expectedDeliveryDate
        ? day(state.shipment.expectedDeliveryDate)
        : undefined,
      deliveryWindow: window
        ? { ...window, text: `${formatDateTime(window.from, language, timeZone)}–${time(window.to)}` }
        : undefined,
      withdrawalUntil: deadline(
        shop.consumerRights.withdrawal && state.status === 'delivered' && state.shipment.deliveredAt
          ? withdrawalLastDay(state.shipment.deliveredAt, timeZone)
          : undefined,
        texts.page.withdrawalUntil,
      ),
      deliveredTo:
        deliveredEvent?.type === 'Order Delivered' && deliveredEvent.location
          ? {
              code: deliveredEvent.location,
              label: labelOf(texts.deliveryLocations, deliveredEvent.location),
            }
          : undefined,
    },
    hold:
      state.status === 'on_hold' && state.hold
        ? {
            reason: { code: state.hold.reason, label: labelOf(texts.holdReasons, state.hold.reason) },
            toConfirm: state.hold.toConfirm,
            contactBy: instant(state.hold.contactBy),
            deadline: deadlineOf(state.hold.contactBy, now, timeZone, texts, language),
            contact: state.hold.contact
              ? {
                  phone: state.hold.contact.phone,
                  email: state.hold.contact.email,
                  chatUrl: state.hold.contact.chatUrl,
                  hours: state.hold.contact.hours,
                }
              : shopContact(shop, language),
          }
        : undefined,
    cancellation: state.cancellation && {
      at: instant(state.cancellation.at),
      by: {
        code: state.cancellation.cancelledBy,
        label: labelOf(texts.cancelledBy, state.cancellation.cancelledBy),
      },
      reason: {
        code: state.cancellation.reason,
        label: labelOf(texts.cancellationReasons, state.cancellation.reason),
      },
      refund: state.cancellation.refund && {
        amount: showPrices
          ? money(state.cancellation.refund.amount.amount, state.cancellation.refund.amount.currency)
          : undefined,
        expectedBy: state.cancellation.refund.expectedBy
          ? day(state.cancellation.refund.expectedBy)
          : undefined,
        refundedAt: refundedAt ? instant(refundedAt) : undefined,
        text: refundedAt
          ? fillText(texts.page.refundReturned, { date: formatDate(refundedAt, language, timeZone) })
          : state.cancellation.refund.expectedBy
            ? fillText(texts.page.refundBy, {
                date: formatDate(state.cancellation.refund.expectedBy, language, timeZone),
              })
            : texts.page.refundPending,
      },
      costsRetained:
        showPrices && state.cancellation.costsRetained
          ? money(state.cancellation.costsRetained.amount, state.cancellation.costsRetained.currency)
          : undefined,
    },
    items: state.lines?.map((line) => ({
      name: line.name,
      quantity: line.quantity,
      unitPrice: showPrices && state.totals ? money(line.unitPrice, state.totals.currency) : undefined,
      total:
        showPrices && state.totals ? money(line.unitPrice * line.quantity, state.totals.currency) : undefined,
    })),
    totals:
      showPrices && state.totals
        ? {
            subtotal: money(state.totals.subtotal, state.totals.currency),
            shipping: money(state.totals.shipping, state.totals.currency),
            discount: money(state.totals.discount, state.totals.currency),
            total: money(state.totals.total, state.totals.currency),
          }
        : undefined,
    timeline: applied.map(({ event }) => ({
      type: event.type,
      label: labelOf(texts.events, event.type),
      detail: timelineDetail(event, texts, language, showPrices),
      at: instant(event.occurredAt),
    })),
    returns: state.returns.map((entry) => ({
      id: entry.returnId,
      status: { code: entry.status, label: labelOf(texts.returnStatuses, entry.status) },
      items: plural(
        entry.lines.reduce((sum, line) => sum + line.quantity, 0),
        texts.plurals.items,
        language,
      ),
      requestedAt: instant(entry.requestedAt),
      receivedAt: entry.receivedAt ? instant(entry.receivedAt) : undefined,
      refundedAt: entry.refundedAt ? instant(entry.refundedAt) : undefined,
      // While the refund is outstanding; once refunded, the date it happened says it all.
      refundBy:
        shop.consumerRights.withdrawal && entry.status !== 'refunded'
          ? deadline(
              refundLastDay(entry.requestedAt, entry.receivedAt, timeZone),
              texts.page.refundDueBy,
              false,
            )
          : undefined,
    })),
    complaints: state.complaints.map((complaint) => ({
      id: complaint.complaintId,
      kind: { code: complaint.kind, label: labelOf(texts.complaintKinds, complaint.kind) },
      status: { code: complaint.status, label: labelOf(texts.complaintStatuses, complaint.status) },
      openedAt: instant(complaint.openedAt),
      resolvedAt: complaint.resolvedAt ? instant(complaint.resolvedAt) : undefined,
      outcome: complaint.outcome && {
        code: complaint.outcome,
        label: labelOf(texts.complaintOutcomes, complaint.outcome),
      },
      answerBy:
        shop.consumerRights.complaintAnswer && complaint.kind === 'complaint' && complaint.status === 'open'
          ? deadline(
              complaintAnswerLastDay(complaint.openedAt, timeZone),
              texts.page.complaintAnswerBy,
              false,
            )
          : undefined,
      remedy:
        complaint.remedy && complaint.remedy !== 'none'
          ? { code: complaint.remedy, label: labelOf(texts.remedies, complaint.remedy) }
          : undefined,
    })),
    notifications: input.notifications
      .filter((record) => !NOT_SENT.has(record.outcome) && !willBeSuperseded(record, history))
      .map((record) => ({
        channel: { code: record.channel, label: labelOf(texts.channels, record.channel) },
        about: { code: record.eventType, label: labelOf(texts.events, record.eventType) },
        template: record.template,
        at: instant(record.sentAt ?? record.createdAt),
        outcome: { code: record.outcome, label: labelOf(texts.notificationOutcomes, record.outcome) },
        arrived: Object.hasOwn(ARRIVED, record.outcome) ? (ARRIVED[record.outcome] ?? null) : null,
        address: maskAddress(record.address),
      })),
  };
};

/** Outcomes of a message not handed to a provider yet: the sender still decides its fate. */
const PENDING = new Set<NotificationRecord['outcome']>(['deferred', 'sending', 'retrying']);

/**
 * Whether a message still waiting (held for quiet hours, or retrying) will be superseded when its turn
 * comes, by the planner's own rule (`supersededBy`): the order has moved on from the step it tells of,
 * or its event no longer applies. The customer is not shown such a message as "scheduled"; it will
 * never arrive, as the ones already superseded are not shown.
 */
const willBeSuperseded = (record: NotificationRecord, history: OrderHistory): boolean => {
  if (!PENDING.has(record.outcome)) return false;
  const entry = history.timeline.find((candidate) => candidate.event.eventId === record.eventId);
  if (!entry) return false;
  return entry.outcome.kind !== 'applied' || supersededBy(entry.event, history.state) !== undefined;
};

const shopContact = (shop: ShopConfig, language: Language): ContactView => ({
  phone: shop.contact.phone,
  email: shop.contact.email,
  chatUrl: shop.contact.chatUrl,
  contactFormUrl: shop.contact.contactFormUrl,
  hours: shop.contact.hours?.[language] ?? shop.contact.hours?.[shop.defaultLanguage],
});

/**
 * Whether the money of a cancelled order has come back: every refund the cancellation announced (or,
 * when it named no amount, everything received) has been issued.
 */
const cancellationRefunded = (state: OrderState): boolean => {
  const { payment } = state;
  if (payment.refunded <= 0) return false;
  if (payment.status === 'refunded') return true;
  const announced = state.cancellation?.refund?.amount.amount;
  return announced !== undefined && payment.refunded >= announced;
};

export const nextStepOf = (state: OrderState): NextStepKey => {
  if (state.status === 'cancelled') {
    if (cancellationRefunded(state)) return 'cancelled_refunded';
    return state.payment.paid && state.payment.paid.amount > 0 ? 'cancelled' : 'cancelled_unpaid';
  }
  if (state.status !== 'placed') return state.status;
  if (state.payment.method === 'cash_on_delivery') return 'placed_cash_on_delivery';
  if (state.payment.status === 'awaiting') return 'placed_awaiting_payment';
  return state.payment.status === 'partially_paid' ? 'placed_partially_paid' : 'placed_paid';
};

const paymentView = (
  state: OrderState,
  texts: StatusTexts,
  language: Language,
  instant: (iso: string) => LocalizedDateTime,
  money: (amount: number, currency: string) => MoneyView,
): OrderView['payment'] => {
  const { payment } = state;
  const instructions = payment.instructions;
  const partly = payment.status === 'partially_paid';
  const standing = paymentStanding(state);
  const awaited =
    (payment.status === 'awaiting' || partly) &&
    payment.method !== 'cash_on_delivery' &&
    state.status !== 'cancelled' &&
    instructions !== undefined;
  return {
    status: { code: payment.status, label: labelOf(PAYMENT_LABELS[language], payment.status) },
    method: payment.method && { code: payment.method, label: labelOf(texts.paymentMethods, payment.method) },
    received: partly && standing ? money(standing.received, standing.currency) : undefined,
    instructions: awaited
      ? {
          dueBy: instructions.dueBy ? instant(instructions.dueBy) : undefined,
          paymentUrl: instructions.paymentUrl,
          bankAccount: instructions.bankAccount,
          transferTitle: instructions.transferTitle,
          // What the customer must transfer is theirs to know, whatever the shop shows of its prices.
          amount: state.totals
            ? money(partly ? standing.due : state.totals.total, state.totals.currency)
            : undefined,
        }
      : undefined,
  };
};

const deadlineOf = (
  contactBy: string,
  now: Date,
  timeZone: string,
  texts: StatusTexts,
  language: Language,
): NonNullable<OrderView['hold']>['deadline'] => {
  const deadline = new Date(contactBy);
  // Not a date (only data stored before the contract checked it): say nothing the customer could act on.
  if (Number.isNaN(deadline.getTime())) return { state: 'passed', text: texts.page.holdDeadlinePassed };
  if (deadline.getTime() <= now.getTime()) return { state: 'passed', text: texts.page.holdDeadlinePassed };
  const days = daysBetween(calendarDay(now, timeZone), calendarDay(deadline, timeZone));
  if (days <= 0) return { state: 'today', text: texts.page.holdDeadlineToday };
  return {
    state: 'upcoming',
    text: fillText(texts.page.holdDeadlineIn, { days: plural(days, texts.plurals.days, language) }),
  };
};

/** A short detail for a timeline entry, from the event itself (never from free-text notes). */
const timelineDetail = (
  event: OrderEvent,
  texts: StatusTexts,
  language: Language,
  showPrices: boolean,
): string | undefined => {
  switch (event.type) {
    case 'Order Shipped':
      return `${event.carrier}, ${texts.page.trackingNumber.toLowerCase()} ${event.trackingNumber}`;
    case 'Order On Hold':
      return labelOf(texts.holdReasons, event.reason);
    case 'Order Cancelled':
      return labelOf(texts.cancellationReasons, event.reason);
    case 'Order Delivered':
      return event.location && labelOf(texts.deliveryLocations, event.location);
    case 'Return Requested':
    case 'Return Received':
      return fillText(texts.page.returnTitle, { id: event.returnId });
    case 'Complaint Opened':
      return fillText(texts.page.complaintTitle, {
        kind: labelOf(texts.complaintKinds, event.kind),
        id: event.complaintId,
      });
    case 'Complaint Resolved':
      return event.remedy === 'none'
        ? labelOf(texts.complaintOutcomes, event.outcome)
        : `${labelOf(texts.complaintOutcomes, event.outcome)}: ${labelOf(texts.remedies, event.remedy).toLowerCase()}`;
    case 'Payment Received':
    case 'Refund Issued':
      return showPrices ? formatMoney(event.amount.amount, event.amount.currency, language) : undefined;
    default:
      return undefined;
  }
};
