/**
 * The template change preview behind `order replay`: the order's stored events run through the current
 * channel matrix, planning rules and templates, nothing sent, and compared with the notification log.
 *
 * Each applied event is judged as the sender judges a job that runs right after it: against the order as
 * it was once that event was folded in, with the same planning functions (planJobs, supersededBy,
 * addressFor, fallbacksFor) and the suppression list. Two checks of the sender are left out: quiet hours
 * (they delay, never drop) and the SMS opt-out list, which lives in SNS.
 *
 * The log stores template ids, languages and outcomes, never message bodies: "same template" means the
 * same id and language; the wording may still differ if the texts or the shop's overrides changed.
 */
import { type Language, resolveLanguage } from '../functions/domain/i18n.js';
import {
  type MessageInput,
  renderEmail,
  renderPush,
  renderSms,
  templateIdFor,
} from '../functions/domain/messages/index.js';
import type {
  Channel,
  NotificationOutcome,
  NotificationRecord,
} from '../functions/domain/notification-log.js';
import { decideDelivery, fallbacksFor, planJobs } from '../functions/domain/notification-planning.js';
import type { OrderEvent } from '../functions/domain/order-events.js';
import { type OrderState, replay } from '../functions/domain/order-lifecycle.js';
import type { ShopConfig } from '../functions/domain/shop-config.js';
import { signedLinks } from '../functions/domain/signed-links.js';

export interface PreviewDeps {
  /** The reason an address is suppressed for the shop and channel, as the sender checks it. */
  suppressed(channel: Channel, address: string): Promise<string | undefined>;
  disabledPushTokens(tokens: readonly string[]): Promise<ReadonlySet<string>>;
}

export type PreviewMessage =
  | { readonly channel: 'email'; readonly subject: string; readonly text: string }
  | { readonly channel: 'sms'; readonly text: string; readonly segments: number; readonly encoding: string }
  | { readonly channel: 'push'; readonly title: string; readonly body: string };

export type PreviewDecision =
  | { readonly action: 'send'; readonly address: string; readonly message: PreviewMessage }
  | { readonly action: 'skip'; readonly reason: string; readonly fallback: readonly Channel[] }
  | { readonly action: 'supersede'; readonly reason: string }
  /** The log has a record on a channel the matrix does not name for this event now (a fallback, say). */
  | { readonly action: 'not_planned'; readonly reason: string };

export interface PreviewRow {
  readonly eventId: string;
  readonly eventType: OrderEvent['type'];
  readonly occurredAt: string;
  readonly channel: Channel;
  readonly template: string;
  readonly language: Language;
  /** Fields of this template the shop overrides now, in this language, that this channel uses. */
  readonly overrides: readonly string[];
  readonly now: PreviewDecision;
  readonly logged?:
    | Pick<
        NotificationRecord,
        'outcome' | 'reason' | 'template' | 'language' | 'address' | 'updatedAt' | 'fallbackFor'
      >
    | undefined;
  readonly comparison: string;
}

/** The override fields each channel's message uses. */
const OVERRIDES_OF: Readonly<Record<Channel, readonly string[]>> = {
  email: ['subject', 'intro'],
  sms: ['sms'],
  push: ['pushTitle', 'pushBody'],
};

/** The log's outcomes that mean the message went out. */
const SENT: readonly NotificationOutcome[] = ['sent', 'delivered', 'bounced', 'complained'];

const PREVIEW_LINKS = signedLinks('preview: the tracking link needs no secret');

const render = (input: MessageInput, channel: Channel): PreviewMessage => {
  switch (channel) {
    case 'email': {
      const { subject, text } = renderEmail(input);
      return { channel, subject, text };
    }
    case 'sms': {
      const { text, segments, encoding } = renderSms(input);
      return { channel, text, segments, encoding };
    }
    case 'push': {
      const { title, body } = renderPush(input);
      return { channel, title, body };
    }
  }
};

/** The sender's own decision (decideDelivery), without SNS's STOP list and quiet hours. */
const decide = async (
  deps: PreviewDeps,
  shop: ShopConfig | undefined,
  event: OrderEvent,
  state: OrderState,
  channel: Channel,
  input: (shop: ShopConfig) => MessageInput,
): Promise<PreviewDecision> => {
  const decision = await decideDelivery(
    { shop, shopId: event.shopId, event, state, channel, applied: { ok: true } },
    {
      suppressed: deps.suppressed,
      disabledPushTokens: async (tokens) => new Set(await deps.disabledPushTokens(tokens)),
    },
  );
  switch (decision.kind) {
    case 'supersede':
      return { action: 'supersede', reason: decision.reason };
    case 'skip':
      return {
        action: 'skip',
        reason: decision.reason,
        fallback: decision.fallback && shop ? fallbacksFor(shop, channel) : [],
      };
    case 'defer':
    case 'send':
      if (!shop) throw new Error('unreachable: a decision to send needs a shop');
      try {
        return { action: 'send', address: decision.address.masked, message: render(input(shop), channel) };
      } catch (error) {
        return {
          action: 'skip',
          reason: `the message cannot be rendered: ${error instanceof Error ? error.message : String(error)}`,
          fallback: [],
        };
      }
  }
};

const verb = (action: PreviewDecision['action']): string =>
  action === 'skip' ? 'skipped' : action === 'supersede' ? 'superseded' : 'sent';

/** How what would happen now compares with what the log says happened. */
export const compare = (
  now: PreviewDecision,
  logged: PreviewRow['logged'],
  template: string,
  language: Language,
): string => {
  const reasonOfNow = 'reason' in now ? now.reason : '';
  if (now.action === 'not_planned') {
    return logged?.fallbackFor
      ? `logged as a fallback for ${logged.fallbackFor}: ${logged.outcome}`
      : `logged (${logged?.outcome}), but ${reasonOfNow}`;
  }
  if (!logged) {
    return now.action === 'send'
      ? 'not in the notification log; would send now'
      : `not in the notification log; would be ${verb(now.action)} now: ${reasonOfNow}`;
  }
  const was = `${logged.outcome}${logged.reason ? `: ${logged.reason}` : ''}`;
  if (now.action === 'send') {
    if (SENT.includes(logged.outcome)) {
      return logged.template === template && logged.language === language
        ? `same template, would send again${logged.outcome === 'sent' || logged.outcome === 'delivered' ? '' : ` (it ${logged.outcome})`}`
        : `template changed since sending: was ${logged.template} (${logged.language}), now ${template} (${language})`;
    }
    if (logged.outcome === 'skipped' || logged.outcome === 'superseded' || logged.outcome === 'failed') {
      return `was ${was}, would now send`;
    }
    return `in progress (${logged.outcome}); would send`;
  }
  if (SENT.includes(logged.outcome))
    return `was ${logged.outcome}, would now be ${verb(now.action)}: ${reasonOfNow}`;
  if (
    logged.outcome === (now.action === 'skip' ? 'skipped' : 'superseded') &&
    logged.reason === reasonOfNow
  ) {
    return `still ${verb(now.action)}, for the same reason`;
  }
  return `was ${was}; would now be ${verb(now.action)}: ${reasonOfNow}`;
};

const loggedView = (record: NotificationRecord | undefined): PreviewRow['logged'] =>
  record && {
    outcome: record.outcome,
    reason: record.reason,
    template: record.template,
    language: record.language,
    address: record.address,
    updatedAt: record.updatedAt,
    fallbackFor: record.fallbackFor,
  };

export const previewNotifications = async (
  deps: PreviewDeps,
  request: {
    readonly shop: ShopConfig | undefined;
    readonly events: readonly OrderEvent[];
    readonly trackingToken: string | undefined;
    readonly records: readonly NotificationRecord[];
  },
): Promise<PreviewRow[]> => {
  const { shop } = request;
  const history = replay(request.events);
  const sorted = history.timeline.map((entry) => entry.event);
  const records = new Map(request.records.map((record) => [`${record.eventId}#${record.channel}`, record]));
  const rows: PreviewRow[] = [];
  for (const [index, entry] of history.timeline.entries()) {
    const { event } = entry;
    const logged = request.records.filter((record) => record.eventId === event.eventId);
    if (entry.outcome.kind !== 'applied' && logged.length === 0) continue;
    // The order as it was right after this event: what a job running then would have seen.
    const state = replay(sorted.slice(0, index + 1)).state;
    const language = resolveLanguage(state.customer?.locale, shop?.defaultLanguage ?? 'pl');
    const template = templateIdFor(event, state);
    const overridden = Object.keys(shop?.templates?.[template]?.[language] ?? {});
    const input = (configured: ShopConfig): MessageInput => ({
      shop: configured,
      language,
      timeZone: state.customer?.timeZone ?? 'Europe/Warsaw',
      state,
      event,
      trackingUrl: request.trackingToken
        ? PREVIEW_LINKS.trackingUrl(configured.statusPage.baseUrl, request.trackingToken, language)
        : configured.statusPage.baseUrl,
      unsubscribeUrl: `${configured.statusPage.baseUrl.replace(/\/$/, '')}/v1/unsubscribe?token=(signed-when-sent)`,
    });
    const planned =
      entry.outcome.kind === 'applied'
        ? planJobs(shop, [event]).map((job) => job.channel)
        : ([] as Channel[]);
    const base = {
      eventId: event.eventId,
      eventType: event.type,
      occurredAt: event.occurredAt,
      template,
      language,
    };
    const overrides = (channel: Channel) =>
      overridden.filter((field) => OVERRIDES_OF[channel].includes(field));
    for (const channel of planned) {
      const now = await decide(deps, shop, event, state, channel, input);
      const record = loggedView(records.get(`${event.eventId}#${channel}`));
      rows.push({
        ...base,
        channel,
        overrides: overrides(channel),
        now,
        logged: record,
        comparison: compare(now, record, template, language),
      });
    }
    for (const record of logged.filter((candidate) => !planned.includes(candidate.channel))) {
      const now: PreviewDecision = {
        action: 'not_planned',
        reason:
          entry.outcome.kind === 'applied'
            ? `the shop's channel matrix does not name ${record.channel} for ${event.type} now`
            : `the event no longer applies (${entry.outcome.kind})`,
      };
      const view = loggedView(record);
      rows.push({
        ...base,
        channel: record.channel,
        overrides: overrides(record.channel),
        now,
        logged: view,
        comparison: compare(now, view, template, language),
      });
    }
  }
  return rows;
};
