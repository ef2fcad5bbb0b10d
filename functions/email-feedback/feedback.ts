/**
 * E-mail feedback: SES delivery, bounce and complaint events (configuration set -> EventBridge) mark the
 * notification and, for permanent bounces and complaints, suppress the address for the shop.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import * as z from 'zod';
import { decodeTag, EMAIL_TAGS } from '../adapters/ses-email-sender.js';
import { logLambdaContext } from '../commons/logging.js';
import type { NotificationLog, NotificationOutcome } from '../domain/notification-log.js';
import type { OutcomePublisher, SuppressionList } from '../domain/notification-ports.js';
import type { Clock, OrderRepository } from '../domain/ports.js';

export interface FeedbackDeps {
  readonly orders: OrderRepository;
  readonly notifications: NotificationLog;
  readonly suppressions: SuppressionList;
  readonly outcomes: OutcomePublisher;
  readonly clock: Clock;
  readonly logger: Logger;
}

const tag = z.array(z.string()).min(1);
const SesEventSchema = z.object({
  eventType: z.enum([
    'Send',
    'Delivery',
    'Bounce',
    'Complaint',
    'Reject',
    'Open',
    'Click',
    'DeliveryDelay',
    'RenderingFailure',
    'Subscription',
  ]),
  mail: z.object({
    messageId: z.string(),
    tags: z
      .object({ [EMAIL_TAGS.shop]: tag, [EMAIL_TAGS.order]: tag, [EMAIL_TAGS.event]: tag })
      .partial()
      .default({}),
  }),
  bounce: z
    .object({
      bounceType: z.string(),
      bounceSubType: z.string().optional(),
      bouncedRecipients: z.array(z.object({ emailAddress: z.string() })).default([]),
    })
    .optional(),
  complaint: z
    .object({
      complainedRecipients: z.array(z.object({ emailAddress: z.string() })).default([]),
      complaintFeedbackType: z.string().optional(),
    })
    .optional(),
  delivery: z.object({ timestamp: z.string().optional() }).optional(),
});

export type FeedbackResult = { readonly result: string; readonly outcome?: NotificationOutcome };

export const handleFeedback = async (deps: FeedbackDeps, detail: unknown): Promise<FeedbackResult> => {
  const parsed = SesEventSchema.safeParse(detail);
  if (!parsed.success)
    throw new Error(
      `not an SES event: ${parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')}`,
    );
  const event = parsed.data;
  const [shopId] = event.mail.tags.shop ?? [];
  const [order] = event.mail.tags.order ?? [];
  const [eventTag] = event.mail.tags.event ?? [];
  if (!shopId || !order || !eventTag) return { result: 'ignored: the e-mail was not sent by the notifier' };
  const key = { shopId, orderId: decodeTag(order), eventId: decodeTag(eventTag), channel: 'email' as const };
  const now = deps.clock.now().toISOString();

  let outcome: NotificationOutcome;
  let reason: string | undefined;
  let suppress: string[] = [];
  switch (event.eventType) {
    case 'Delivery':
      outcome = 'delivered';
      break;
    case 'Bounce':
      if (event.bounce?.bounceType !== 'Permanent')
        return { result: `ignored: ${event.bounce?.bounceType ?? 'unknown'} bounce (SES retries)` };
      outcome = 'bounced';
      reason = `permanent bounce${event.bounce.bounceSubType ? ` (${event.bounce.bounceSubType})` : ''}`;
      suppress = event.bounce.bouncedRecipients.map((recipient) => recipient.emailAddress);
      break;
    case 'Complaint':
      outcome = 'complained';
      reason = `the recipient marked the e-mail as spam${event.complaint?.complaintFeedbackType ? ` (${event.complaint.complaintFeedbackType})` : ''}`;
      suppress = event.complaint?.complainedRecipients.map((recipient) => recipient.emailAddress) ?? [];
      break;
    default:
      return { result: `ignored: ${event.eventType}` };
  }

  for (const address of suppress) {
    await deps.suppressions.suppress(
      shopId,
      'email',
      address,
      `suppressed after a ${outcome === 'bounced' ? 'permanent bounce' : 'complaint'}`,
    );
  }
  // A complaint or bounce may follow a delivery report: both move on from `delivered` as well.
  const from: NotificationOutcome[] = outcome === 'delivered' ? ['sent'] : ['sent', 'delivered'];
  const moved = await deps.notifications.update(key, from, {
    outcome,
    updatedAt: now,
    ...(reason ? { reason } : {}),
  });
  if (!moved) return { result: 'unchanged: the notification is not in a state this feedback applies to' };
  if (outcome !== 'delivered') {
    const record = await deps.notifications.get(key);
    const snapshot = await deps.orders.load(key);
    const placed = snapshot?.events.find((stored) => stored.event.type === 'Order Placed');
    if (record)
      await deps.outcomes.publish(
        record,
        placed?.event.orderNumber ?? snapshot?.events[0]?.event.orderNumber ?? '',
      );
  }
  return { result: 'recorded', outcome };
};

export const makeFeedbackHandler = (deps: FeedbackDeps) =>
  middy(async (event: EventBridgeEvent<string, unknown>, _context: Context): Promise<FeedbackResult> => {
    const result = await handleFeedback(deps, event.detail);
    deps.logger.info('e-mail feedback', { detailType: event['detail-type'], ...result });
    return result;
  }).use(logLambdaContext(deps.logger));
