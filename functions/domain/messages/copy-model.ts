/**
 * What a message says, before it is laid out for a channel: the writers (texts-pl.ts, texts-en.ts) produce
 * it, the e-mail, SMS and push renderers lay it out. All strings here are plain text.
 */
import type { Language } from '../i18n.js';
import type { OrderEventOf, OrderEventType } from '../order-events.js';
import type { OrderState } from '../order-lifecycle.js';
import type { ShopConfig } from '../shop-config.js';
import type { Formats, MessageFacts } from './facts.js';

export interface Fact {
  readonly label: string;
  readonly value: string;
  /** Makes the value a link (dropped unless https). */
  readonly href?: string | undefined;
  readonly strong?: boolean;
}

export interface Item {
  readonly name: string;
  readonly detail?: string | undefined;
  readonly quantity: string;
}

export interface Link {
  readonly label: string;
  readonly href: string;
}

export type Block =
  | { readonly kind: 'paragraph'; readonly text: string }
  /** Set apart, in the brand colour: what the customer must act on or should not miss. */
  | { readonly kind: 'notice'; readonly title?: string | undefined; readonly text: string }
  | { readonly kind: 'facts'; readonly title?: string | undefined; readonly rows: readonly Fact[] }
  | { readonly kind: 'items'; readonly title: string; readonly items: readonly Item[] }
  | { readonly kind: 'links'; readonly title?: string | undefined; readonly links: readonly Link[] }
  | { readonly kind: 'button'; readonly label: string; readonly href: string };

export interface ContactDetails {
  readonly phone?: string | undefined;
  readonly email?: string | undefined;
  readonly chatUrl?: string | undefined;
  readonly contactFormUrl?: string | undefined;
  readonly hours?: string | undefined;
}

export interface MessageCopy {
  readonly subject: string;
  /** The preview line inboxes show after the subject. */
  readonly preheader: string;
  readonly heading: string;
  readonly blocks: readonly Block[];
  /**
   * Contact details the customer is asked to use (an order on hold): shown in the body, under `title`,
   * instead of the shop's general contact in the footer.
   */
  readonly contact?: { readonly title: string; readonly details: ContactDetails } | undefined;
  /** The body already lists the after-sales links (Delivered): the footer does not repeat them. */
  readonly afterSalesInBody?: boolean;
  /** SMS texts without the sender, richest first: the SMS renderer takes the first that fits. */
  readonly sms: readonly string[];
  readonly pushTitle: string;
  readonly pushBody: string;
}

export interface CopyContext<T extends OrderEventType = OrderEventType> {
  readonly event: OrderEventOf<T>;
  readonly state: OrderState;
  readonly shop: ShopConfig;
  readonly language: Language;
  readonly facts: MessageFacts;
  readonly formats: Formats;
  /**
   * The last day to withdraw (YYYY-MM-DD), for the delivered message of a shop that shows consumer
   * rights (functions/domain/consumer-deadlines.ts); undefined otherwise.
   */
  readonly withdrawalUntil?: string | undefined;
}

/** What the blocks every message shares need: the context without the event's own fields. */
export type SharedContext = Omit<CopyContext, 'event'>;

/** One language's writer: a function per event type. */
export type Writer = { readonly [T in OrderEventType]: (context: CopyContext<T>) => MessageCopy };
