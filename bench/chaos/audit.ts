/**
 * What the chaos run checks once the pipeline has settled, from three independent views: what was
 * generated (the workload), what was stored (a consistent scan of the table, the dead-letter queues), and
 * what the providers accepted (SES's accepted e-mails with their tags, recorded by the fault proxy; the
 * local SNS's SMS and push records), joined through the SDK calls each sender invocation made.
 *
 * Definitions:
 * - wrong final state: the stored state item differs from `replay` of the order's events in lifecycle
 *   order (or the stored timeline differs from the replayed one).
 * - missing / extra timeline entries: a generated event neither stored nor dead-lettered / a stored event
 *   never generated, or a state version that does not count the stored events (a write applied twice).
 * - duplicate send: more than one provider message for one (order, event, channel).
 * - stale send: a provider message about an event whose status (or side-track step: a payment followed by
 *   a later payment or a refund, a return received or refunded, a complaint resolved) the order had left
 *   *in the state the
 *   sender decided on* (its consistent read of the order in the same invocation), or whose superseding
 *   change had been stored before that read began (a read that missed a write). A change stored while the
 *   message was between the sender's read and the provider is counted apart, as a race, with its window.
 * - unaccounted event: generated, not stored, not in the dead-letter queue with a reason.
 * - unaccounted notification: an applied event's planned (event, channel) without a log record or a
 *   dead-lettered job; a record left unfinished without its job in the dead-letter queue; a skipped,
 *   superseded or failed record without a reason; a `sent` record whose message the provider does not
 *   have; a provider message that no record accounts for.
 */
import { isDeepStrictEqual } from 'node:util';
import { paginateScan } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../functions/adapters/aws-clients.js';
import {
  orderPk,
  parseEventSk,
  parseNotificationsPk,
  parseOrderPk,
  STATE_SK,
} from '../../functions/adapters/table-keys.js';
import { eventTypeOfTemplate } from '../../functions/domain/messages/index.js';
import type { NotificationRecord } from '../../functions/domain/notification-log.js';
import type { NotificationJob } from '../../functions/domain/notification-planning.js';
import { supersededBy } from '../../functions/domain/notification-planning.js';
import type { OrderEvent } from '../../functions/domain/order-events.js';
import { type OrderHistory, replay } from '../../functions/domain/order-lifecycle.js';
import { channelsFor, parseShopConfigs } from '../../functions/domain/shop-config.js';
import type { StreamBatchFailure } from '../../local/lambda-runner.js';
import type { SdkCall } from '../../local/sdk-trace.js';
import { type LocalServices, QUEUE_NAMES } from '../../local/stack-services.js';
import type { ChaosOrder } from './workload.js';

export interface AcceptedEmail {
  readonly messageId: string;
  readonly orderId: string;
  readonly eventId: string;
  /** When SES had accepted it (epoch ms). */
  readonly at: number;
}

export interface AuditInput {
  readonly services: LocalServices;
  readonly orders: readonly ChaosOrder[];
  /** SendEmail calls SES accepted, as the proxy in front of it saw them. */
  readonly emails: AcceptedEmail[];
  /** E-mails in the local SES's store (must equal the accepted ones). */
  readonly storedEmails: number;
  readonly sdkCalls: ReadonlyArray<SdkCall & { readonly functionName: string }>;
  /** Sender invocation (request id) -> its job: the sender takes one job per invocation. */
  readonly senderJobs: ReadonlyMap<string, NotificationJob>;
  readonly plannerFailures: readonly StreamBatchFailure[];
}

export interface AuditCheck {
  readonly name: string;
  readonly count: number;
  /** A few instances, for the report. */
  readonly examples: readonly string[];
}

export interface ChaosAudit {
  /** Every one must be zero. */
  readonly checks: readonly AuditCheck[];
  /** What happened, for the report: label -> value. */
  readonly facts: ReadonlyArray<readonly [string, string | number]>;
  readonly ok: boolean;
}

type Channel = NotificationRecord['channel'];

interface StoredEventItem {
  readonly event: OrderEvent;
  readonly receivedAt: number;
}

interface ProviderMessage {
  readonly channel: Channel;
  readonly messageId: string;
  readonly orderId: string;
  readonly at: number;
  /** Known from the message itself: an e-mail's tag, a push's template. */
  readonly eventIdFromContent?: string | undefined;
}

const normalise = (value: unknown): unknown => JSON.parse(JSON.stringify(value ?? null));

class Check {
  count = 0;
  readonly examples: string[] = [];
  constructor(readonly name: string) {}
  add(example: string, count = 1) {
    this.count += count;
    if (this.examples.length < 5) this.examples.push(example);
  }
  toJSON(): AuditCheck {
    return { name: this.name, count: this.count, examples: this.examples };
  }
}

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))] ?? Number.NaN;
};

/** The side tracks' events whose messages can go stale (see supersededBy). */
const SIDE_TRACK: ReadonlySet<OrderEvent['type']> = new Set([
  'Payment Received',
  'Return Requested',
  'Return Received',
  'Complaint Opened',
]);

const isStale = (history: OrderHistory, event: OrderEvent): boolean => {
  const entry = history.timeline.find((candidate) => candidate.event.eventId === event.eventId);
  return entry?.outcome.kind !== 'applied' || supersededBy(event, history.state) !== undefined;
};

export const auditChaosRun = async (input: AuditInput): Promise<ChaosAudit> => {
  const { services } = input;
  const shops = new Map(parseShopConfigs(services.shops).map((shop) => [shop.shopId, shop]));
  const shopOf = (order: { readonly shopId: string; readonly orderId: string }) => {
    const shop = shops.get(order.shopId);
    if (!shop)
      throw new Error(
        `chaos order ${order.orderId} belongs to shop ${order.shopId}, which the run did not configure`,
      );
    return shop;
  };

  // --- What was stored ----------------------------------------------------------------------------
  const documents = documentClient(services.dynamo);
  const states = new Map<string, Record<string, unknown>>();
  const storedEvents = new Map<string, StoredEventItem[]>();
  const records = new Map<string, Map<string, NotificationRecord>>();
  /** The shops each order's items were stored under: exactly its own in a sound run. */
  const storedShops = new Map<string, Set<string>>();
  for await (const page of paginateScan(
    { client: documents },
    { TableName: services.tableName, ConsistentRead: true },
  )) {
    for (const item of page.Items ?? []) {
      const pk = String(item.pk);
      const sk = String(item.sk);
      const order = parseOrderPk(pk);
      const notified = parseNotificationsPk(pk);
      const orderId = order?.orderId ?? notified?.orderId ?? '';
      const itemShop = order?.shopId ?? notified?.shopId;
      if (itemShop !== undefined) {
        const seen = storedShops.get(orderId) ?? new Set<string>();
        seen.add(itemShop);
        storedShops.set(orderId, seen);
      }
      if (order && sk === STATE_SK) states.set(orderId, item);
      else if (order && parseEventSk(sk) !== undefined) {
        const list = storedEvents.get(orderId) ?? [];
        list.push({ event: item.event as OrderEvent, receivedAt: Date.parse(String(item.receivedAt)) });
        storedEvents.set(orderId, list);
      } else if (notified) {
        const map = records.get(orderId) ?? new Map<string, NotificationRecord>();
        map.set(sk, item as unknown as NotificationRecord);
        records.set(orderId, map);
      }
    }
  }
  const eventDeadLetters = services.sqs.peek(QUEUE_NAMES.orderEventsDeadLetters).map((message) => {
    let eventId = '?';
    try {
      const body = JSON.parse(message.body) as { detail?: { eventId?: string } };
      eventId = body.detail?.eventId ?? '?';
    } catch {
      // not an envelope: cannot be one of the run's events
    }
    return { eventId, reason: message.messageAttributes.reason?.StringValue ?? '' };
  });
  const jobDeadLetters = services.sqs.peek(QUEUE_NAMES.jobsDeadLetters).map((message) => {
    let job: Partial<NotificationJob> = {};
    try {
      job = JSON.parse(message.body) as NotificationJob;
    } catch {
      // reported below as a dead letter that is not a job
    }
    return { job, reason: message.messageAttributes.reason?.StringValue ?? '' };
  });
  const deadLetteredEvents = new Map(eventDeadLetters.map((letter) => [letter.eventId, letter.reason]));
  const deadLetteredJobs = new Map(
    jobDeadLetters.map((letter) => [
      `${letter.job.orderId}|${letter.job.eventId}#${letter.job.channel}`,
      letter.reason,
    ]),
  );
  const plannerGaveUpOn = new Set(
    input.plannerFailures.flatMap((failure) =>
      failure.records.map((record) =>
        String(record.dynamodb?.Keys?.pk?.S ?? '')
          .split('#')
          .slice(2)
          .join('#'),
      ),
    ),
  );

  // --- What the providers accepted -------------------------------------------------------------------
  const orderByPhone = new Map(
    input.orders.flatMap((order) => (order.phoneE164 ? [[order.phoneE164, order]] : [])),
  );
  const orderByDevice = new Map(
    input.orders.flatMap((order) => (order.deviceToken ? [[order.deviceToken, order]] : [])),
  );
  const ordersById = new Map(input.orders.map((order) => [order.orderId, order]));
  const provider: ProviderMessage[] = [
    ...input.emails.map((email) => ({
      channel: 'email' as const,
      messageId: email.messageId,
      orderId: email.orderId,
      at: email.at,
      eventIdFromContent: email.eventId,
    })),
    ...services.sns.sms().map((sms) => ({
      channel: 'sms' as const,
      messageId: sms.messageId,
      orderId: orderByPhone.get(sms.phoneNumber)?.orderId ?? `unknown phone ${sms.phoneNumber}`,
      at: Date.parse(sms.at),
    })),
    ...services.sns.pushes().map((push) => {
      const order = orderByDevice.get(push.token);
      const data = JSON.stringify(push.payload).match(/"templateId\\?":\\?"([a-z-]+)/)?.[1];
      const event = order?.events.find((candidate) => eventTypeOfTemplate(data ?? '') === candidate.type);
      return {
        channel: 'push' as const,
        messageId: push.messageId,
        orderId: order?.orderId ?? `unknown device ${push.token}`,
        at: Date.parse(push.at),
        eventIdFromContent: event?.eventId,
      };
    }),
  ];
  const providerIds = new Set(provider.map((message) => message.messageId));

  // --- The sender's calls: which invocation sent which message, and what it had read -----------------
  const senderCalls = new Map<string, SdkCall[]>();
  const callByMessageId = new Map<string, SdkCall>();
  const commitEnd = new Map<string, number>();
  for (const call of input.sdkCalls) {
    if (call.functionName === 'send-notifications' && call.invocation) {
      const list = senderCalls.get(call.invocation) ?? [];
      list.push(call);
      senderCalls.set(call.invocation, list);
      if (call.messageId && call.service !== 'DynamoDB') callByMessageId.set(call.messageId, call);
    }
    if (
      call.functionName === 'ingest-order-events' &&
      call.command.startsWith('TransactWrite') &&
      !call.error
    ) {
      for (const key of call.keys ?? []) {
        const eventId = parseEventSk(key.split('|')[1]);
        if (eventId) commitEnd.set(eventId, call.end);
      }
    }
  }

  // --- Checks ------------------------------------------------------------------------------------------
  const wrongState = new Check('orders whose stored state or timeline differs from replay of their events');
  const missingEvents = new Check('events neither stored nor dead-lettered (missing timeline entries)');
  const extraEvents = new Check('stored events never sent, or state versions not counting the stored events');
  const duplicates = new Check('duplicate sends: one (order, event, channel) sent more than once');
  const stale = new Check(
    'stale sends (main track): the sender had read (or could have) that the order left the status',
  );
  const staleSideTrack = new Check(
    'stale sends (side tracks): a payment, return or complaint message about a step the order had left',
  );
  const staleOf = (event: OrderEvent) => (SIDE_TRACK.has(event.type) ? staleSideTrack : stale);
  const missedReads = new Check('consistent reads that missed an event stored before they began');
  const unaccountedNotifications = new Check(
    'notifications not accounted for (no record, unfinished outside the DLQ, no reason, lost or stray sends)',
  );
  const deadLettersWithoutReason = new Check('dead letters without a reason');
  const storeMismatch = new Check('e-mails SES accepted vs e-mails in its store (difference)');
  const invalidNotRefused = new Check('invalid events not dead-lettered with a reason naming the field');

  const tally = new Map<string, number>();
  const count = (label: string, by = 1) => tally.set(label, (tally.get(label) ?? 0) + by);
  const raceWindows: number[] = [];

  for (const letter of [...eventDeadLetters, ...jobDeadLetters]) {
    if (!letter.reason.trim()) deadLettersWithoutReason.add(JSON.stringify(letter).slice(0, 120));
  }
  const difference = Math.abs(input.emails.length - input.storedEmails);
  if (difference > 0)
    storeMismatch.add(`${input.emails.length} accepted, ${input.storedEmails} stored`, difference);

  for (const order of input.orders) {
    if (order.invalid) {
      const reason = deadLetteredEvents.get(order.invalid.event.eventId);
      if (reason?.includes(order.invalid.path))
        count('invalid events dead-lettered, the reason naming the field');
      else invalidNotRefused.add(`${order.orderId}: ${reason ?? 'not dead-lettered'}`);
    }
    const stored = (storedEvents.get(order.orderId) ?? []).sort((a, b) => a.receivedAt - b.receivedAt);
    const storedIds = new Set(stored.map((item) => item.event.eventId));
    const generatedIds = new Set(order.events.map((event) => event.eventId));
    const deadLettered = order.events.filter((event) => deadLetteredEvents.has(event.eventId));
    count('events dead-lettered (with a reason)', deadLettered.length);
    for (const event of order.events) {
      if (!storedIds.has(event.eventId) && !deadLetteredEvents.has(event.eventId)) {
        missingEvents.add(`${order.orderId}: ${event.type}`);
      }
    }
    for (const item of stored) {
      if (!generatedIds.has(item.event.eventId)) extraEvents.add(`${order.orderId}: ${item.event.eventId}`);
    }
    const state = states.get(order.orderId);
    if (stored.length === 0) {
      if (state) extraEvents.add(`${order.orderId}: a state item without events`);
      continue;
    }
    if (Number(state?.version) !== stored.length) {
      extraEvents.add(
        `${order.orderId}: version ${String(state?.version)} for ${stored.length} stored events`,
      );
    }

    // The stored order against the order its events define (without those that were dead-lettered).
    const kept = order.events.filter((event) => !deadLetteredEvents.has(event.eventId));
    const expected = replay(kept);
    const history = replay(stored.map((item) => item.event));
    const timelineOf = (h: OrderHistory) => h.timeline.map((entry) => [entry.event.eventId, entry.outcome]);
    const applied = history.timeline
      .filter((entry) => entry.outcome.kind === 'applied')
      .map((entry) => entry.event.eventId);
    if (
      !isDeepStrictEqual(normalise(state?.state), normalise(expected.state)) ||
      !isDeepStrictEqual(normalise(timelineOf(history)), normalise(timelineOf(expected))) ||
      !isDeepStrictEqual(normalise(state?.appliedEventIds), normalise(applied))
    ) {
      wrongState.add(
        `${order.orderId} (${order.lifecycle}): stored ${String(state?.status)}, expected ${expected.state.status}`,
      );
    }
    for (const entry of history.timeline) {
      count(`events ${entry.outcome.kind.replaceAll('_', ' ')}`);
      if (
        (entry.outcome.kind === 'superseded' || entry.outcome.kind === 'rejected') &&
        !entry.outcome.reason
      ) {
        missingEvents.add(`${order.orderId}: ${entry.event.type} ${entry.outcome.kind} without a reason`);
      }
    }

    // Notifications: every planned (event, channel) reached an outcome or a dead-letter queue.
    const log = records.get(order.orderId) ?? new Map<string, NotificationRecord>();
    const eventsById = new Map(stored.map((item) => [item.event.eventId, item.event]));
    for (const entry of history.timeline) {
      if (entry.outcome.kind !== 'applied') continue;
      for (const channel of channelsFor(shopOf(order), entry.event.type)) {
        const key = `${entry.event.eventId}#${channel}`;
        if (log.has(key)) continue;
        if (deadLetteredJobs.has(`${order.orderId}|${key}`))
          count('planned jobs dead-lettered before a record');
        else if (plannerGaveUpOn.has(order.orderId))
          count('planned jobs lost with a planner failure (in its queue)');
        else
          unaccountedNotifications.add(`${order.orderId}: no record for ${entry.event.type} by ${channel}`);
      }
    }
    for (const [key, record] of log) {
      if (!eventsById.has(record.eventId)) {
        unaccountedNotifications.add(`${order.orderId}: a record for an unknown event ${key}`);
        continue;
      }
      const channelLabel = `${record.channel}${record.fallbackFor ? ` (fallback for ${record.fallbackFor})` : ''}`;
      switch (record.outcome) {
        case 'sent':
        case 'delivered': {
          count(`notifications sent: ${channelLabel}`);
          const ids = (record.providerMessageId ?? '').split(',').filter(Boolean);
          if (ids.length === 0 || ids.some((id) => !providerIds.has(id))) {
            unaccountedNotifications.add(
              `${order.orderId}: ${key} recorded as sent, but the provider has no ${record.providerMessageId}`,
            );
          }
          break;
        }
        case 'skipped':
        case 'superseded':
        case 'failed':
        case 'bounced':
        case 'complained':
          if (!record.reason?.trim())
            unaccountedNotifications.add(`${order.orderId}: ${key} ${record.outcome} without a reason`);
          else count(`notifications ${record.outcome}: ${reasonKind(record.reason)}`);
          break;
        default:
          if (deadLetteredJobs.has(`${order.orderId}|${key}`)) {
            count(
              `notifications left '${record.outcome}', job in the DLQ: ${reasonKind(deadLetteredJobs.get(`${order.orderId}|${key}`) ?? '')}`,
            );
          } else {
            unaccountedNotifications.add(
              `${order.orderId}: ${key} left '${record.outcome}' and its job is not in the DLQ`,
            );
          }
      }
    }
  }

  // Provider messages: each one to its (order, event, channel); then duplicates, strays and staleness.
  const sentBy = new Map<string, string[]>();
  const unattributed = new Map<string, ProviderMessage[]>();
  for (const message of provider) {
    const order = ordersById.get(message.orderId);
    if (!order) {
      unaccountedNotifications.add(
        `a ${message.channel} message for no order of the run (${message.orderId})`,
      );
      continue;
    }
    const log = records.get(order.orderId) ?? new Map<string, NotificationRecord>();
    const fromLog = [...log.values()].find((record) =>
      (record.providerMessageId ?? '').split(',').includes(message.messageId),
    );
    const call = callByMessageId.get(message.messageId);
    const job = call?.invocation ? input.senderJobs.get(call.invocation) : undefined;
    const eventId = fromLog?.eventId ?? job?.eventId ?? message.eventIdFromContent;
    if (!eventId) {
      const list = unattributed.get(`${order.orderId}|${message.channel}`) ?? [];
      list.push(message);
      unattributed.set(`${order.orderId}|${message.channel}`, list);
      continue;
    }
    const key = `${order.orderId}|${eventId}#${message.channel}`;
    sentBy.set(key, [...(sentBy.get(key) ?? []), message.messageId]);

    const record = log.get(`${eventId}#${message.channel}`);
    if (!fromLog) {
      if (
        record?.outcome === 'sending' ||
        (record?.outcome === 'failed' && record.reason?.includes('outcome unknown'))
      ) {
        count(
          'messages the provider took while the worker was killed (record left sending / outcome unknown)',
        );
      } else if (!record) {
        unaccountedNotifications.add(
          `${order.orderId}: a ${message.channel} message for ${eventId} without a record`,
        );
      }
      // A record that says `sent` with another message id: that is a duplicate, counted below.
    }

    // Staleness, against the order as stored when the provider took the message.
    const event = order.events.find((candidate) => candidate.eventId === eventId);
    const stored = storedEvents.get(order.orderId) ?? [];
    if (!event) continue;
    const before = stored.filter((item) => item.receivedAt < message.at).map((item) => item.event);
    if (before.length === 0 || !isStale(replay(before), event)) continue;
    const read = call?.invocation
      ? (senderCalls.get(call.invocation) ?? [])
          .filter(
            (candidate) =>
              candidate.command === 'QueryCommand' &&
              candidate.keys?.[0] === `${orderPk({ shopId: order.shopId, orderId: order.orderId })}|*` &&
              candidate.end <= call.start,
          )
          .at(-1)
      : undefined;
    if (!read?.eventIds) {
      count('stale at the provider, decision not traced (worker killed)');
      continue;
    }
    const seen = new Set(read.eventIds);
    const decidedOn = stored.filter((item) => seen.has(item.event.eventId)).map((item) => item.event);
    if (decidedOn.length === 0 || isStale(replay(decidedOn), event)) {
      staleOf(event).add(
        `${order.orderId}: ${event.type} by ${message.channel} sent on a state that had left it`,
      );
      continue;
    }
    const unseen = stored.filter((item) => !seen.has(item.event.eventId));
    for (const item of unseen) {
      const committed = commitEnd.get(item.event.eventId);
      if (committed !== undefined && committed < read.start) {
        missedReads.add(
          `${order.orderId}: ${item.event.type} stored ${(read.start - committed).toFixed(0)} ms before the read`,
        );
        staleOf(event).add(
          `${order.orderId}: ${event.type} by ${message.channel}: the read missed a stored change`,
        );
      }
    }
    const change = Math.min(
      ...unseen.filter((item) => item.receivedAt < message.at).map((item) => item.receivedAt),
    );
    count('race: the change was stored between the sender’s read and the provider');
    raceWindows.push(message.at - read.end);
    if (Number.isFinite(change))
      count('race: ms between the change and the provider (sum)', message.at - change);
  }
  for (const [key, ids] of sentBy) {
    if (ids.length > 1) duplicates.add(`${key}: ${ids.length} messages`, ids.length - 1);
  }
  // Messages with no event in them (an SMS whose invocation died): each needs an unfinished record of its
  // order and channel that no other message accounts for; any more than that are duplicates.
  for (const [key, messages] of unattributed) {
    const [orderId = '', channel = ''] = key.split('|');
    const candidates = [...(records.get(orderId)?.values() ?? [])].filter(
      (record) =>
        record.channel === channel &&
        !sentBy.has(`${orderId}|${record.eventId}#${channel}`) &&
        (record.outcome === 'sending' ||
          (record.outcome === 'failed' && record.reason?.includes('outcome unknown'))),
    );
    count(
      'messages the provider took while the worker was killed (record left sending / outcome unknown)',
      Math.min(messages.length, candidates.length),
    );
    if (messages.length > candidates.length) {
      duplicates.add(
        `${key}: ${messages.length - candidates.length} message(s) no record accounts for`,
        messages.length - candidates.length,
      );
    }
  }

  const wrongShop = new Check('orders with items stored under another shop than their own');
  for (const order of input.orders) {
    const other = [...(storedShops.get(order.orderId) ?? [])].filter((shopId) => shopId !== order.shopId);
    if (other.length > 0)
      wrongShop.add(`${order.orderId} of ${order.shopId}: also under ${other.join(', ')}`);
  }
  tally.set('shops', shops.size);

  const checks = [
    wrongState,
    wrongShop,
    missingEvents,
    extraEvents,
    duplicates,
    stale,
    staleSideTrack,
    missedReads,
    unaccountedNotifications,
    deadLettersWithoutReason,
    invalidNotRefused,
    storeMismatch,
  ].map((check) => check.toJSON());

  const raceSum = tally.get('race: ms between the change and the provider (sum)') ?? 0;
  tally.delete('race: ms between the change and the provider (sum)');
  const facts: Array<readonly [string, string | number]> = [
    ['provider messages: e-mails accepted by SES', input.emails.length],
    ['provider messages: SMS', services.sns.sms().length],
    ['provider messages: push', services.sns.pushes().length],
    ...[...tally.entries()].sort(([a], [b]) => a.localeCompare(b)),
    ['planner batches given up (failure destination)', input.plannerFailures.length],
    ['EventBridge deliveries given up (rule dead letters)', services.eventBridge.deadLetters().length],
  ];
  if (raceWindows.length > 0) {
    facts.push([
      'race window (sender’s read to provider), ms: p50 / max',
      `${percentile(raceWindows, 0.5).toFixed(0)} / ${Math.max(...raceWindows).toFixed(0)}`,
    ]);
    facts.push(['race: mean ms from the change to the provider', (raceSum / raceWindows.length).toFixed(0)]);
  }
  return { checks, facts, ok: checks.every((check) => check.count === 0) };
};

/** A reason without its specifics (ids, numbers), to group outcomes by what happened. */
const reasonKind = (reason: string): string =>
  reason
    .replace(/notification \S+ is being sent/, 'notification … is being sent')
    .replace(/\d+/g, 'N')
    .replace(/: [^:]*$/, (tail) => (tail.length > 60 ? ': …' : tail))
    .slice(0, 110);
