/**
 * Send: notification jobs from SQS, each to exactly one outcome in the notification log (see
 * functions/domain/send-notification.ts). Provider throttling and outages are retried by SQS; on the last
 * delivery the job is dead-lettered with the reason and its record closed as failed: retriable (a redriven
 * job takes it over and sends) unless the provider may already have the message (at most once).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import * as z from 'zod';
import type { DeadLetterSink } from '../adapters/sqs-dead-letters.js';
import { makeSqsBatchHandler } from '../commons/sqs-batch.js';
import { CHANNELS } from '../domain/notification-log.js';
import type { NotificationJob } from '../domain/notification-planning.js';
import {
  closeForDeadLetter,
  processNotificationJob,
  type SendNotificationDeps,
  type SendResult,
  UnknownJobError,
} from '../domain/send-notification.js';

export interface SendDeps {
  readonly send: SendNotificationDeps;
  readonly deadLetters: DeadLetterSink;
  readonly logger: Logger;
  readonly maxReceiveCount: number;
}

const JobSchema = z.object({
  shopId: z.string().min(1),
  orderId: z.string().min(1),
  eventId: z.string().min(1),
  channel: z.enum(CHANNELS),
  fallbackFor: z.enum(CHANNELS).optional(),
});

export class InvalidJobError extends Error {
  readonly permanent = true;
  constructor(reason: string) {
    super(`invalid notification job: ${reason}`);
    this.name = 'InvalidJobError';
  }
}

export const parseJob = (body: string): NotificationJob => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new InvalidJobError('body is not JSON');
  }
  const parsed = JobSchema.safeParse(json);
  if (!parsed.success) {
    throw new InvalidJobError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
    );
  }
  return parsed.data;
};

const describeResult = (result: SendResult): Record<string, unknown> =>
  result.kind === 'requeued'
    ? { result: 'deferred', until: result.until }
    : {
        result: result.kind,
        outcome: result.outcome,
        ...(result.kind === 'recorded' && result.reason ? { reason: result.reason } : {}),
      };

export const makeSendHandler = (deps: SendDeps) =>
  makeSqsBatchHandler<NotificationJob>({
    logger: deps.logger,
    deadLetters: deps.deadLetters,
    maxReceiveCount: deps.maxReceiveCount,
    parse: parseJob,
    handle: async (job, delivery) =>
      describeResult(await processNotificationJob(deps.send, job, { finalAttempt: delivery.finalAttempt })),
    describe: (job) => ({
      shopId: job.shopId,
      orderId: job.orderId,
      eventId: job.eventId,
      channel: job.channel,
    }),
    isPermanent: (error) => error instanceof UnknownJobError || error instanceof InvalidJobError,
    handledMessage: 'notification job done',
    // A job that dies before the sender could close its record (a busy record whose worker stopped, a
    // store that failed) leaves it `sending` or `retrying`: closed here as failed, for a redrive to finish.
    onDeadLetter: (job, reason) => closeForDeadLetter(deps.send, job, reason),
  });
