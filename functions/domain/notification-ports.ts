/** What the notification sender needs from the outside world; adapters implement these. */

import type { IntegrationEvent } from './integration-events.js';
import type { Channel, NotificationRecord } from './notification-log.js';
import type { NotificationJob } from './notification-planning.js';

export interface OutgoingEmail {
  readonly to: string;
  readonly from: string;
  readonly replyTo?: string | undefined;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  /** Extra headers, e.g. List-Unsubscribe (RFC 2369) and List-Unsubscribe-Post (RFC 8058). */
  readonly headers: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  /** Ties provider feedback (bounces, complaints) back to the notification. */
  readonly reference: { readonly shopId: string; readonly orderId: string; readonly eventId: string };
  /** The shop's own SES identity and configuration set; the deployment's when left out. */
  readonly identityArn?: string | undefined;
  readonly configurationSet?: string | undefined;
}

export interface OutgoingSms {
  readonly phoneNumber: string;
  readonly text: string;
  readonly senderId?: string | undefined;
  /** The shop's own origination identity (a number, or the ARN of a number, sender ID or pool). */
  readonly originationNumber?: string | undefined;
}

export interface OutgoingPush {
  readonly platform: 'apns' | 'apns_sandbox' | 'fcm';
  readonly deviceToken: string;
  readonly title: string;
  readonly body: string;
  readonly data: Readonly<Record<string, string>>;
  /** The shop's own SNS platform application for this platform; the deployment's when left out. */
  readonly application?: string | undefined;
}

export interface EmailSender {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}

export interface SmsSender {
  send(sms: OutgoingSms): Promise<{ messageId: string }>;
  /** Whether the number opted out by replying STOP (the provider keeps this list). */
  isOptedOut(phoneNumber: string): Promise<boolean>;
}

export interface PushSender {
  send(push: OutgoingPush): Promise<{ messageId: string }>;
}

/**
 * The provider refused this message for good (invalid address, rejected content, disabled endpoint):
 * sending it again cannot succeed.
 */
export class PermanentDeliveryError extends Error {
  constructor(
    message: string,
    /** For push: the device is gone; never use it again. */
    readonly disabledTarget?: string,
  ) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}

/** Addresses that must not be written to: unsubscribed, bounced, complained, disabled devices. */
export interface SuppressionList {
  /** The reason the address is suppressed for the shop and channel, or undefined. */
  check(shopId: string, channel: Channel, address: string): Promise<string | undefined>;
  suppress(shopId: string, channel: Channel, address: string, reason: string): Promise<void>;
  /** Device tokens of the given ones that are disabled. */
  disabledPushTokens(shopId: string, tokens: readonly string[]): Promise<Set<string>>;
}

export interface JobQueue {
  /** Queues jobs, optionally delayed (capped at the queue's maximum, 15 minutes on SQS). */
  enqueue(jobs: readonly NotificationJob[], delaySeconds?: number): Promise<void>;
}

/** One message settled by the sender: what the delivery metrics count and time. */
export interface SettledMessage {
  readonly channel: NotificationRecord['channel'];
  readonly eventType: NotificationRecord['eventType'];
  readonly outcome: NotificationRecord['outcome'];
  /**
   * Sent only: milliseconds from when the event was stored to the provider's acceptance, less any wait for
   * the customer's quiet hours (the pipeline's own latency, what the time-to-send alarm watches).
   */
  readonly sinceStoredMs?: number | undefined;
  /** Sent only: milliseconds from the event's occurredAt (the producer's clock) to the acceptance. */
  readonly sinceOccurredMs?: number | undefined;
}

/** Business metrics of the sender (Powertools Metrics, EMF): counted and timed, never per shop. */
export interface DeliveryMetrics {
  settled(message: SettledMessage): void;
}

/** The events for the shop's own systems (functions/domain/integration-events.ts), put on the bus. */
export interface IntegrationPublisher {
  publish(events: readonly IntegrationEvent[]): Promise<void>;
}

/** Notification Sent / Failed / Suppressed events for the shop's CRM and support tools. */
export interface OutcomePublisher {
  publish(record: NotificationRecord, orderNumber: string): Promise<void>;
}

export interface LinkBuilder {
  trackingUrl(baseUrl: string, token: string, language: string): string;
  unsubscribeUrl(
    baseUrl: string,
    subscription: { shopId: string; channel: Channel; address: string },
  ): string;
}
