/**
 * The SQS batch contract every queue-fed function here follows: each message ends as handled, as a
 * dead letter with its reason (when retrying cannot help, or on its last delivery), or as a batch item
 * failure that SQS delivers again. Nothing ends silently, and nothing is dropped: if even the dead-letter
 * send fails, the message fails and comes back.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { DeadLetterSink } from '../adapters/sqs-dead-letters.js';
import { errorMessage, logLambdaContext } from './logging.js';

export interface SqsBatchOptions<T> {
  readonly logger: Logger;
  readonly deadLetters: DeadLetterSink;
  /** The queue's maxReceiveCount: the delivery that reaches it is the last one. */
  readonly maxReceiveCount: number;
  /** Turns a message body into the work item; throws a permanent error for a body that can never work. */
  parse(body: string): T;
  /** Does the work; returns what to log about it (ids and outcomes, never personal data). */
  handle(
    item: T,
    delivery: { readonly receiveCount: number; readonly finalAttempt: boolean },
  ): Promise<Record<string, unknown>>;
  /** Ids of an item for the logs. */
  describe(item: T): Record<string, unknown>;
  /** Whether retrying cannot help. */
  isPermanent(error: unknown): boolean;
  /** The log message for a handled item. */
  readonly handledMessage: string;
  /**
   * Called once the item's message is in the dead-letter queue, to close what the item left open (the
   * sender's `sending` record). A failure here is logged; the message is dead-lettered either way.
   */
  onDeadLetter?(item: T, reason: string): Promise<unknown>;
}

export const makeSqsBatchHandler = <T>(options: SqsBatchOptions<T>) => {
  const { logger } = options;
  const processor = new BatchProcessor(EventType.SQS);

  const processRecord = async (record: SQSRecord): Promise<void> => {
    const receiveCount = Number(record.attributes.ApproximateReceiveCount) || 1;
    const finalAttempt = receiveCount >= options.maxReceiveCount;
    let item: T | undefined;
    try {
      item = options.parse(record.body);
      const outcome = await options.handle(item, { receiveCount, finalAttempt });
      logger.info(options.handledMessage, { ...options.describe(item), ...outcome });
    } catch (error) {
      const permanent = options.isPermanent(error);
      // Provider and SDK messages can echo an address: the reason and the logs get it masked.
      const message = errorMessage(error);
      const ids = item === undefined ? {} : options.describe(item);
      if (!permanent && !finalAttempt) {
        logger.warn('message failed; SQS will deliver it again', {
          messageId: record.messageId,
          receiveCount,
          ...ids,
          error: message,
        });
        throw error;
      }
      const reason = permanent ? message : `gave up after ${receiveCount} deliveries: ${message}`;
      const errorType = error instanceof Error ? error.name : 'UnknownError';
      await options.deadLetters.send({
        body: record.body,
        reason,
        errorType,
        sourceMessageId: record.messageId,
        receiveCount,
      });
      logger.error('message dead-lettered', { messageId: record.messageId, ...ids, errorType, reason });
      if (item !== undefined && options.onDeadLetter) {
        await options.onDeadLetter(item, reason).catch((closeError: unknown) =>
          logger.warn('could not close what the dead-lettered message left open', {
            messageId: record.messageId,
            ...ids,
            error: errorMessage(closeError),
          }),
        );
      }
    }
  };

  return middy(
    async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
      processPartialResponse(event, processRecord, processor, { context }),
  ).use(logLambdaContext(logger));
};
