import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { NotificationJob } from '../domain/notification-planning.js';
import type { JobQueue } from '../domain/notification-ports.js';

/**
 * Notification jobs on SQS, ten to a request; a partial failure fails the call so the caller retries.
 *
 * Each job's MessageGroupId is its shop: on a standard queue that makes the shop a fair-queue tenant, so
 * when one shop's burst builds a backlog SQS delivers the other shops' jobs first (no ordering promise,
 * still at least once; see docs/architecture.md, "Fairness between shops"). A shopId always fits
 * MessageGroupId's 128 characters of letters, digits and punctuation (the contract allows a-z, 0-9, -).
 */
export class SqsJobQueue implements JobQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(jobs: readonly NotificationJob[], delaySeconds = 0): Promise<void> {
    for (let i = 0; i < jobs.length; i += 10) {
      const batch = jobs.slice(i, i + 10);
      const result = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((job, index) => ({
            Id: String(index),
            MessageBody: JSON.stringify(job),
            DelaySeconds: delaySeconds,
            MessageGroupId: job.shopId,
          })),
        }),
      );
      if (result.Failed && result.Failed.length > 0) {
        const reasons = result.Failed.map((failure) => `${failure.Code}: ${failure.Message ?? ''}`).join(
          '; ',
        );
        throw new Error(`SQS did not take ${result.Failed.length} notification job(s): ${reasons}`);
      }
    }
  }
}
