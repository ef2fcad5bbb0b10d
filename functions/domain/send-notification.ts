/**
 * The sender: one job (an order event on one channel) to exactly one outcome in the notification log.
 *
 * Exactly once: the log record for (event, channel) is created conditionally before anything is sent, and
 * every later move is conditional on the outcome it moves from; a redelivered or concurrent job finds the
 * record and stops. The one window no provider lets us close: a worker that stops after the provider
 * accepted the message but before the record says so. Such a record stays `sending`; when its lease runs
 * out it is closed as failed with "outcome unknown" rather than sent twice.
 */

import { resolveLanguage } from './i18n.js';
import { type MessageInput, renderEmail, renderPush, renderSms, templateIdFor } from './messages/index.js';
import type { NotificationLog, NotificationOutcome, NotificationRecord } from './notification-log.js';
import {
  type Address,
  addressKey,
  type DeliveryDecision,
  decideDelivery,
  fallbacksFor,
  messagesToGoFirst,
  type NotificationJob,
  ORDER_WAIT,
  SMS_OPTED_OUT,
  stillOnItsWay,
} from './notification-planning.js';
import {
  type DeliveryMetrics,
  type EmailSender,
  type JobQueue,
  type LinkBuilder,
  type OutcomePublisher,
  PermanentDeliveryError,
  type PushSender,
  type SettledMessage,
  type SmsSender,
  type SuppressionList,
} from './notification-ports.js';
import type { OrderEvent } from './order-events.js';
import { type OrderState, replay } from './order-lifecycle.js';
import type { Clock, OrderRepository } from './ports.js';
import { errorMessage } from './redaction.js';
import type { ShopConfig } from './shop-config.js';
import { type ShopDirectory, sendingShop } from './shop-registry.js';

export interface SendNotificationDeps {
  readonly orders: OrderRepository;
  readonly notifications: NotificationLog;
  readonly shops: ShopDirectory;
  readonly email: EmailSender;
  readonly sms: SmsSender;
  readonly push: PushSender;
  readonly suppressions: SuppressionList;
  readonly jobs: JobQueue;
  readonly outcomes: OutcomePublisher;
  /** @default none measured */
  readonly metrics?: DeliveryMetrics | undefined;
  readonly links: LinkBuilder;
  readonly clock: Clock;
  /** How long a worker may hold a record in `sending`. @default 5 minutes */
  readonly leaseMs?: number;
}

export type SendResult =
  | { readonly kind: 'recorded'; readonly outcome: NotificationOutcome; readonly reason?: string | undefined }
  | { readonly kind: 'duplicate'; readonly outcome: NotificationOutcome }
  | { readonly kind: 'requeued'; readonly until: string };

/** Another worker holds the record; the job is retried later (by which time it is done or abandoned). */
export class NotificationBusyError extends Error {
  constructor(job: NotificationJob) {
    super(`notification ${job.eventId}/${job.channel} is being sent by another worker`);
    this.name = 'NotificationBusyError';
  }
}

/** A job that can never be processed (its order or event does not exist). */
export class UnknownJobError extends Error {
  readonly permanent = true;
  constructor(reason: string) {
    super(reason);
    this.name = 'UnknownJobError';
  }
}

const TERMINAL: readonly NotificationOutcome[] = [
  'sent',
  'delivered',
  'failed',
  'skipped',
  'superseded',
  'bounced',
  'complained',
];
const SQS_MAX_DELAY_SECONDS = 900;

interface Context {
  readonly job: NotificationJob;
  readonly shop: ShopConfig | undefined;
  /** Why the shop may not send (not configured, suspended, deleted), when it may not. */
  readonly shopRefusal: string | undefined;
  readonly state: OrderState;
  readonly event: OrderEvent;
  readonly applied: { readonly ok: true } | { readonly ok: false; readonly reason: string };
  readonly trackingToken: string | undefined;
}

/** The shared delivery decision, with every check the sender makes (SNS's STOP list, quiet hours). */
const decide = (deps: SendNotificationDeps, context: Context): Promise<DeliveryDecision> =>
  decideDelivery(
    {
      shop: context.shop,
      shopRefusal: context.shopRefusal,
      shopId: context.job.shopId,
      event: context.event,
      state: context.state,
      channel: context.job.channel,
      applied: context.applied,
    },
    {
      disabledPushTokens: (tokens) => deps.suppressions.disabledPushTokens(context.job.shopId, tokens),
      suppressed: (channel, address) => deps.suppressions.check(context.job.shopId, channel, address),
      smsOptedOut: async (phoneNumber) => {
        const optedOut = await deps.sms.isOptedOut(phoneNumber);
        if (optedOut) await deps.suppressions.suppress(context.job.shopId, 'sms', phoneNumber, SMS_OPTED_OUT);
        return optedOut;
      },
      now: deps.clock.now(),
    },
  );

const messageInput = (
  deps: SendNotificationDeps,
  context: Context,
  shop: ShopConfig,
  address: Address,
): MessageInput => {
  const language = resolveLanguage(context.state.customer?.locale, shop.defaultLanguage);
  return {
    shop,
    language,
    timeZone: context.state.customer?.timeZone ?? 'Europe/Warsaw',
    state: context.state,
    event: context.event,
    trackingUrl: context.trackingToken
      ? deps.links.trackingUrl(shop.statusPage.baseUrl, context.trackingToken, language)
      : shop.statusPage.baseUrl,
    unsubscribeUrl: deps.links.unsubscribeUrl(shop.statusPage.baseUrl, {
      shopId: shop.shopId,
      channel: address.channel,
      address: addressKey(address),
    }),
  };
};

/** Hands the message to the provider; for push, to every device, succeeding if any device took it. */
const deliver = async (
  deps: SendNotificationDeps,
  input: MessageInput,
  address: Address,
  job: NotificationJob,
) => {
  switch (address.channel) {
    case 'email': {
      const { subject, html, text } = renderEmail(input);
      const unsubscribe = input.unsubscribeUrl;
      return deps.email.send({
        to: address.email,
        from: input.shop.email?.from ?? '',
        replyTo: input.shop.email?.replyTo,
        subject,
        html,
        text,
        headers: [
          { name: 'List-Unsubscribe', value: `<${unsubscribe}>` },
          { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
        ],
        reference: { shopId: job.shopId, orderId: job.orderId, eventId: job.eventId },
        identityArn: input.shop.email?.identityArn,
        configurationSet: input.shop.email?.configurationSet,
      });
    }
    case 'sms':
      return deps.sms.send({
        phoneNumber: address.phoneNumber,
        text: renderSms(input).text,
        senderId: input.shop.sms.senderId,
        originationNumber: input.shop.sms.originationNumber,
      });
    case 'push': {
      const message = renderPush(input);
      const ids: string[] = [];
      const refusals: PermanentDeliveryError[] = [];
      for (const target of address.targets) {
        try {
          const application = input.shop.push?.[target.platform];
          ids.push((await deps.push.send({ ...target, ...message, application })).messageId);
        } catch (error) {
          if (!(error instanceof PermanentDeliveryError)) throw error;
          if (error.disabledTarget) {
            await deps.suppressions.suppress(job.shopId, 'push', error.disabledTarget, error.message);
          }
          refusals.push(error);
        }
      }
      if (ids.length === 0)
        throw new PermanentDeliveryError(refusals.map((refusal) => refusal.message).join('; '));
      return { messageId: ids.join(',') };
    }
  }
};

export const processNotificationJob = async (
  deps: SendNotificationDeps,
  job: NotificationJob,
  options: { readonly finalAttempt: boolean },
): Promise<SendResult> => {
  const now = () => deps.clock.now().toISOString();
  const key = { shopId: job.shopId, orderId: job.orderId };
  const recordKey = { ...key, eventId: job.eventId, channel: job.channel };

  const snapshot = await deps.orders.load(key);
  if (!snapshot) throw new UnknownJobError(`order ${job.shopId}/${job.orderId} does not exist`);
  const history = replay(snapshot.events.map((stored) => stored.event));
  const entry = history.timeline.find((candidate) => candidate.event.eventId === job.eventId);
  if (!entry) throw new UnknownJobError(`event ${job.eventId} is not an event of order ${job.orderId}`);
  const { shop, refusal: shopRefusal } = await sendingShop(deps.shops, job.shopId);
  const context: Context = {
    job,
    shop,
    shopRefusal,
    state: history.state,
    event: entry.event,
    applied:
      entry.outcome.kind === 'applied' ? { ok: true } : { ok: false, reason: describeOutcome(entry.outcome) },
    trackingToken: snapshot.trackingToken,
  };
  const language = resolveLanguage(history.state.customer?.locale, shop?.defaultLanguage ?? 'pl');

  const finish = async (
    outcome: NotificationOutcome,
    changes: Partial<NotificationRecord>,
  ): Promise<SendResult> => {
    const moved = await deps.notifications.update(
      recordKey,
      ['sending'],
      { outcome, updatedAt: now(), leaseUntil: undefined, providerCallAt: undefined, ...changes },
      lease,
    );
    if (!moved)
      return { kind: 'duplicate', outcome: (await deps.notifications.get(recordKey))?.outcome ?? outcome };
    const record = await deps.notifications.get(recordKey);
    if (record) await deps.outcomes.publish(record, history.state.orderNumber);
    deps.metrics?.settled(
      settledMessage(record ?? { ...recordKey, eventType: entry.event.type, outcome, ...changes }),
    );
    return { kind: 'recorded', outcome, reason: changes.reason };
  };

  /** The measures of a settled record; times only for a sent one. */
  const settledMessage = (
    record: Pick<NotificationRecord, 'channel' | 'eventType' | 'outcome' | 'sentAt'>,
  ): SettledMessage => {
    const sentAt = record.outcome === 'sent' && record.sentAt ? Date.parse(record.sentAt) : undefined;
    if (sentAt === undefined)
      return { channel: record.channel, eventType: record.eventType, outcome: record.outcome };
    const storedAt = Date.parse(
      snapshot.events.find((stored) => stored.event.eventId === job.eventId)?.receivedAt ??
        entry.event.occurredAt,
    );
    // Held for the customer's quiet hours (a deferral without an order wait): timed from when they ended.
    const heldUntil =
      heldForQuietHours?.deliverAfter !== undefined ? Date.parse(heldForQuietHours.deliverAfter) : Number.NaN;
    const due = Number.isNaN(heldUntil) ? storedAt : Math.max(storedAt, heldUntil);
    return {
      channel: record.channel,
      eventType: record.eventType,
      outcome: record.outcome,
      sinceStoredMs: Math.max(0, sentAt - due),
      sinceOccurredMs: Math.max(0, sentAt - Date.parse(entry.event.occurredAt)),
    };
  };

  const requeue = async (until: Date): Promise<SendResult> => {
    const seconds = Math.ceil((until.getTime() - deps.clock.now().getTime()) / 1000);
    await deps.jobs.enqueue([job], Math.max(0, Math.min(SQS_MAX_DELAY_SECONDS, seconds)));
    return { kind: 'requeued', until: until.toISOString() };
  };

  const fallBack = async () => {
    if (!shop || job.fallbackFor) return;
    const channels = fallbacksFor(shop, job.channel);
    if (channels.length > 0) {
      await deps.jobs.enqueue(
        channels.map((channel) => ({ ...key, eventId: job.eventId, channel, fallbackFor: job.channel })),
      );
    }
  };

  // 1. Claim the record: create it, or take it over from a state that allows it. Every later move is
  // conditional on this worker's lease, so a worker that lost the record cannot overwrite it.
  const lease = new Date(deps.clock.now().getTime() + (deps.leaseMs ?? 300_000)).toISOString();
  let existing = await deps.notifications.get(recordKey);
  /** The record as this delivery found it, when it was waiting for the end of quiet hours. */
  const heldForQuietHours =
    existing?.outcome === 'deferred' && existing.waitingSince === undefined ? existing : undefined;
  if (!existing) {
    const created = await deps.notifications.create({
      ...recordKey,
      eventType: entry.event.type,
      template: templateIdFor(entry.event, history.state),
      language,
      outcome: 'sending',
      attempts: 1,
      createdAt: now(),
      updatedAt: now(),
      leaseUntil: lease,
      ...(job.fallbackFor ? { fallbackFor: job.fallbackFor } : {}),
    } as NotificationRecord);
    if (!created) existing = await deps.notifications.get(recordKey);
  }
  if (existing) {
    const retriable = existing.outcome === 'failed' && existing.retriable === true;
    if (TERMINAL.includes(existing.outcome) && !retriable)
      return { kind: 'duplicate', outcome: existing.outcome };
    if (existing.outcome === 'sending') {
      if (existing.leaseUntil && existing.leaseUntil > now()) {
        // On the job's last delivery, come back when the lease ends rather than die with the record
        // open: by then its worker has finished it, or stopped and the record can be taken over.
        if (options.finalAttempt) return requeue(new Date(existing.leaseUntil));
        throw new NotificationBusyError(job);
      }
      if (existing.providerCallAt) {
        // The worker stopped after handing the message to the provider, or during it: it may have gone
        // out. Closed as failed rather than risking a second message.
        const closed = await deps.notifications.update(
          recordKey,
          ['sending'],
          {
            outcome: 'failed',
            reason: 'outcome unknown: the worker stopped while sending; not sent again to avoid a duplicate',
            updatedAt: now(),
            leaseUntil: undefined,
          },
          existing.leaseUntil,
        );
        if (!closed) throw new NotificationBusyError(job);
        const record = await deps.notifications.get(recordKey);
        if (record) await deps.outcomes.publish(record, history.state.orderNumber);
        return { kind: 'recorded', outcome: 'failed', reason: record?.reason };
      }
      // The worker stopped before calling the provider: nothing went out, so the job may take it over.
    }
    if (existing.outcome === 'deferred' && existing.deliverAfter && existing.deliverAfter > now()) {
      return requeue(new Date(existing.deliverAfter));
    }
    const claimed = await deps.notifications.update(
      recordKey,
      [existing.outcome],
      {
        outcome: 'sending',
        attempts: existing.attempts + 1,
        updatedAt: now(),
        leaseUntil: lease,
        retriable: undefined,
      },
      existing.outcome === 'sending' ? existing.leaseUntil : undefined,
    );
    if (!claimed) throw new NotificationBusyError(job);
  }

  try {
    return await decideAndSend();
  } catch (error) {
    // The last delivery: the job goes to the dead-letter queue, so the record must not stay `sending`.
    if (options.finalAttempt && !(error instanceof NotificationBusyError))
      await closeForDeadLetter(deps, job, errorMessage(error), lease, history.state.orderNumber).catch(
        () => false,
      );
    throw error;
  }

  async function decideAndSend(): Promise<SendResult> {
    // 2. Decide with the order as it is now.
    const decision = await decide(deps, context);
    if (decision.kind === 'supersede') return finish('superseded', { reason: decision.reason });
    if (decision.kind === 'skip') {
      const result = await finish('skipped', { reason: decision.reason, address: decision.masked });
      if (decision.fallback && result.kind === 'recorded') await fallBack();
      return result;
    }
    if (decision.kind === 'defer') {
      const moved = await deps.notifications.update(
        recordKey,
        ['sending'],
        {
          outcome: 'deferred',
          deliverAfter: decision.until.toISOString(),
          address: decision.address.masked,
          reason: 'quiet hours in the customer’s time zone',
          updatedAt: now(),
          leaseUntil: undefined,
        },
        lease,
      );
      return moved ? requeue(decision.until) : { kind: 'duplicate', outcome: 'deferred' };
    }

    // 3. Lifecycle order: a message waits (a few seconds at a time, a minute at most) while an earlier
    // message of the order on the same channel is still on its way, so a hold does not overtake the
    // confirmation planned with it. Only the log is read, and only when there is an earlier one to wait for.
    if (shop && !job.fallbackFor) {
      const earlier = messagesToGoFirst(shop, history.timeline, history.state, job.eventId, job.channel);
      const blocking =
        earlier.length > 0
          ? stillOnItsWay(earlier, await deps.notifications.list(key), job.channel)
          : undefined;
      const waitingSince = existing?.waitingSince ?? now();
      if (blocking && deps.clock.now().getTime() - Date.parse(waitingSince) < ORDER_WAIT.limitMs) {
        const until = new Date(deps.clock.now().getTime() + ORDER_WAIT.stepSeconds * 1000);
        const moved = await deps.notifications.update(
          recordKey,
          ['sending'],
          {
            outcome: 'deferred',
            deliverAfter: until.toISOString(),
            reason: `waiting for the ${blocking.type} message to go first`,
            waitingSince,
            updatedAt: now(),
            leaseUntil: undefined,
          },
          lease,
        );
        return moved ? requeue(until) : { kind: 'duplicate', outcome: 'deferred' };
      }
    }

    // 4. Send, and record what happened. The mark just before the provider call is what tells a later
    // worker whether a stopped one may have sent the message.
    if (!shop) throw new Error('unreachable: a decision to send needs a shop');
    const input = messageInput(deps, context, shop, decision.address);
    const marked = await deps.notifications.update(recordKey, ['sending'], { providerCallAt: now() }, lease);
    if (!marked) throw new NotificationBusyError(job);
    try {
      const { messageId } = await deliver(deps, input, decision.address, job);
      return await finish('sent', {
        providerMessageId: messageId,
        sentAt: now(),
        address: decision.address.masked,
        reason: undefined,
        deliverAfter: undefined,
        waitingSince: undefined,
      });
    } catch (error) {
      // Provider messages can echo the address; the record keeps the reason with it masked.
      const message = errorMessage(error);
      if (error instanceof PermanentDeliveryError) {
        const result = await finish('failed', { reason: message, address: decision.address.masked });
        await fallBack();
        return result;
      }
      if (options.finalAttempt) {
        await finish('failed', {
          reason: `gave up after the last attempt: ${message}`,
          address: decision.address.masked,
          retriable: true,
        });
      } else {
        await deps.notifications.update(
          recordKey,
          ['sending'],
          {
            outcome: 'retrying',
            reason: message,
            updatedAt: now(),
            leaseUntil: undefined,
            providerCallAt: undefined,
          },
          lease,
        );
      }
      throw error;
    }
  }
};

/**
 * Closes the record of a job that goes to the dead-letter queue: `failed` with the reason, conditional
 * on the lease it was read with (`expectedLease`, else the one it holds if that has run out), so a live
 * worker is never overtaken. Nothing was handed to the provider: retriable, a redriven job takes it over
 * and sends. The provider may have been called: closed as outcome unknown and not sent again (at most
 * once). A `retrying` record is closed as retriable. Anything else is left as it is.
 */
export const closeForDeadLetter = async (
  deps: Pick<SendNotificationDeps, 'notifications' | 'outcomes' | 'clock' | 'metrics'>,
  job: NotificationJob,
  reason: string,
  expectedLease?: string,
  orderNumber = '',
): Promise<boolean> => {
  const recordKey = { shopId: job.shopId, orderId: job.orderId, eventId: job.eventId, channel: job.channel };
  const now = deps.clock.now().toISOString();
  const record = await deps.notifications.get(recordKey);
  if (!record || (record.outcome !== 'sending' && record.outcome !== 'retrying')) return false;
  let lease: string | undefined;
  if (record.outcome === 'sending') {
    lease = expectedLease ?? record.leaseUntil;
    if (lease !== record.leaseUntil) return false;
    if (!expectedLease && record.leaseUntil && record.leaseUntil > now) return false;
  }
  const unknown = record.outcome === 'sending' && record.providerCallAt !== undefined;
  const closed = await deps.notifications.update(
    recordKey,
    [record.outcome],
    {
      outcome: 'failed',
      reason: unknown
        ? `outcome unknown: dead-lettered while sending (${reason}); not sent again to avoid a duplicate`
        : `dead-lettered after the last delivery: ${reason}`,
      retriable: unknown ? undefined : true,
      updatedAt: now,
      leaseUntil: undefined,
      providerCallAt: undefined,
    },
    lease,
  );
  if (!closed) return false;
  const updated = await deps.notifications.get(recordKey);
  if (updated) await deps.outcomes.publish(updated, orderNumber).catch(() => undefined);
  // Counted like any failed message; not timed, as nothing reached the provider (or nobody knows).
  deps.metrics?.settled({ channel: record.channel, eventType: record.eventType, outcome: 'failed' });
  return true;
};

const describeOutcome = (outcome: { kind: string; reason?: string }): string =>
  outcome.reason
    ? `${outcome.kind.replaceAll('_', ' ')}: ${outcome.reason}`
    : outcome.kind.replaceAll('_', ' ');
