import type { Language } from '../i18n.js';
import { ORDER_EVENT_TYPES, type OrderEvent, type OrderEventType } from '../order-events.js';
import type { OrderState } from '../order-lifecycle.js';
import type { ShopConfig } from '../shop-config.js';

/** Everything one message needs; the renderers are pure functions of it. */
export interface MessageInput {
  readonly shop: ShopConfig;
  readonly language: Language;
  /** The customer's IANA time zone: dates and times in messages are the customer's. */
  readonly timeZone: string;
  /** The order as it is now. */
  readonly state: OrderState;
  /** The change this message is about; its own fields (the refund amount, the complaint id…) come first. */
  readonly event: OrderEvent;
  /** The order's tracking page. */
  readonly trackingUrl: string;
  /** One-click unsubscribe link for the e-mail footer. */
  readonly unsubscribeUrl: string;
}

/** 'Order Placed' -> 'order-placed': the id under which logs and shop overrides name a message. */
export const templateIdOf = (type: OrderEventType): string => type.toLowerCase().replaceAll(' ', '-');

/** A Payment Received that leaves part of the total due: its own message ("received X, Y still due"). */
export const PARTIAL_PAYMENT_TEMPLATE = 'partial-payment-received';

/**
 * Whether the message about `event` is the partial-payment one: part of the total is still due now. A
 * payment message tells the standing when it is sent, so no "still due" goes out once the order is paid.
 */
export const isPartialPayment = (event: OrderEvent, state: OrderState): boolean =>
  event.type === 'Payment Received' && state.payment.status === 'partially_paid';

/**
 * The template of the message about `event` for an order now in `state`: the event type's, except for a
 * payment while part of the total is still due. The sender decides it with the order as it reads it,
 * so the log, the overrides and the push data of one message agree.
 */
export const templateIdFor = (event: OrderEvent, state: OrderState): string =>
  isPartialPayment(event, state) ? PARTIAL_PAYMENT_TEMPLATE : templateIdOf(event.type);

export const TEMPLATE_IDS: readonly string[] = ORDER_EVENT_TYPES.flatMap((type) =>
  type === 'Payment Received' ? [templateIdOf(type), PARTIAL_PAYMENT_TEMPLATE] : [templateIdOf(type)],
);

export const eventTypeOfTemplate = (templateId: string): OrderEventType | undefined =>
  templateId === PARTIAL_PAYMENT_TEMPLATE
    ? 'Payment Received'
    : ORDER_EVENT_TYPES.find((type) => templateIdOf(type) === templateId);
