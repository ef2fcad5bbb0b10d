/**
 * The notification log: one record per order, status change and channel. It is the exactly-once guard
 * (created conditionally before anything is sent) and what the status page and operators read.
 * Records hold no message body: the channel, the template, the outcome and a masked address only.
 */
import type { OrderEventType } from './order-events.js';
import type { OrderKey } from './ports.js';

export const CHANNELS = ['email', 'sms', 'push'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * - `sending`: claimed by a worker, the provider call is under way (or the worker stopped during it);
 * - `retrying`: the provider failed in a way that may pass (throttling, an outage); the job is retried;
 * - `deferred`: waiting for the end of the customer's quiet hours;
 * - `sent`: the provider accepted it; `delivered`: the provider reported delivery;
 * - `failed`: permanently refused, or retries exhausted, with the reason;
 * - `skipped`: not sent on purpose (no address, opted out, channel off for this status), with the reason;
 * - `superseded`: not sent because the order had already moved on;
 * - `bounced` / `complained`: the e-mail came back or was marked as spam after it was sent.
 */
export const NOTIFICATION_OUTCOMES = [
  'sending',
  'retrying',
  'deferred',
  'sent',
  'delivered',
  'failed',
  'skipped',
  'superseded',
  'bounced',
  'complained',
] as const;
export type NotificationOutcome = (typeof NOTIFICATION_OUTCOMES)[number];

export interface NotificationRecord {
  readonly shopId: string;
  readonly orderId: string;
  /** The event whose status change this notification is about. */
  readonly eventId: string;
  readonly eventType: OrderEventType;
  readonly channel: Channel;
  /** Template id, e.g. `order-shipped`. */
  readonly template: string;
  readonly language: string;
  readonly outcome: NotificationOutcome;
  readonly reason?: string | undefined;
  /** Masked: `z***@example.pl`, `+48 *** *** 567`, `fcm …a1b2`. */
  readonly address?: string | undefined;
  readonly attempts: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly sentAt?: string | undefined;
  readonly deliverAfter?: string | undefined;
  readonly providerMessageId?: string | undefined;
  /** While `sending`: until when the claiming worker owns the record. */
  readonly leaseUntil?: string | undefined;
  /** While `sending`: when the worker handed the message to the provider (it may have gone out). */
  readonly providerCallAt?: string | undefined;
  /** A `failed` record whose retries ran out: a redriven job may try it again. */
  readonly retriable?: boolean | undefined;
  /** Set when this notification stands in for another channel that could not be used. */
  readonly fallbackFor?: Channel | undefined;
  /** Since when it has waited for an earlier message of the order on its channel to go first. */
  readonly waitingSince?: string | undefined;
}

export interface NotificationLog {
  /** Every notification of an order, oldest first. */
  list(key: OrderKey): Promise<NotificationRecord[]>;
  /** Creates the record unless one exists for the same event and channel; false if it existed. */
  create(record: NotificationRecord): Promise<boolean>;
  /**
   * Moves a record on, only from one of the outcomes in `from` (so two workers cannot both move it);
   * false if the record was not in one of them.
   */
  update(
    record: Pick<NotificationRecord, 'shopId' | 'orderId' | 'eventId' | 'channel'>,
    from: readonly NotificationOutcome[],
    changes: Partial<Omit<NotificationRecord, 'shopId' | 'orderId' | 'eventId' | 'channel'>>,
    /** Also require the record's `leaseUntil` to be this one: the caller's claim still holds. */
    expectedLease?: string,
  ): Promise<boolean>;
  get(
    record: Pick<NotificationRecord, 'shopId' | 'orderId' | 'eventId' | 'channel'>,
  ): Promise<NotificationRecord | undefined>;
}

/** `z***@example.pl`: enough for the customer to recognise the address, useless to anyone else. */
export const maskEmail = (email: string): string => {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
};

/** `+48 *** *** 567`: the country code and the last three digits. */
export const maskPhone = (phone: string): string => {
  const digits = phone.replace(/[^0-9+]/g, '');
  const country = /^\+\d{2}/.exec(digits)?.[0] ?? '';
  return `${country ? `${country} ` : ''}*** *** ${digits.slice(-3)}`;
};
