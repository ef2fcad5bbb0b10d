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

export const TEMPLATE_IDS: readonly string[] = ORDER_EVENT_TYPES.map(templateIdOf);

export const eventTypeOfTemplate = (templateId: string): OrderEventType | undefined =>
  ORDER_EVENT_TYPES.find((type) => templateIdOf(type) === templateId);
