/**
 * Ingest: order events from the EventBridge rule's SQS queue, recorded on their orders.
 *
 * Batches with partial failures: each message ends as recorded (applied, superseded, rejected with a
 * reason, or awaiting placement), a duplicate, a dead letter with its reason (invalid event, a shop this
 * deployment does not serve, an order number another order holds, reused event id, or retries exhausted), or a batch item failure that SQS delivers again. Nothing ends silently.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import * as z from 'zod';
import type { DeadLetterSink } from '../adapters/sqs-dead-letters.js';
import { makeSqsBatchHandler } from '../commons/sqs-batch.js';
import { InvalidEventError, OrderEventError } from '../domain/errors.js';
import { type OrderEvent, parseOrderEvent } from '../domain/order-events.js';
import {
  type RecordOrderEventDeps,
  type RecordResult,
  recordOrderEvent,
} from '../domain/record-order-event.js';
import { requireActiveShop, type ShopDirectory } from '../domain/shop-registry.js';

export interface IngestDeps {
  readonly record: RecordOrderEventDeps;
  /** The shops this deployment serves: an event for any other is refused before anything is stored. */
  readonly shops: ShopDirectory;
  readonly deadLetters: DeadLetterSink;
  readonly logger: Logger;
  /** The queue's maxReceiveCount: on the last delivery a failure goes to the dead letters with its reason. */
  readonly maxReceiveCount: number;
}

/** The parts of the EventBridge envelope the ingest reads; the rest is kept as sent. */
const EnvelopeSchema = z.object({
  id: z.string(),
  'detail-type': z.string(),
  source: z.string(),
  detail: z.unknown(),
});

/** Failures retrying cannot fix besides our own: a request DynamoDB refuses as malformed. */
const isPermanent = (error: unknown): boolean =>
  (error instanceof OrderEventError && error.permanent) ||
  (error instanceof Error && error.name === 'ValidationException');

/** An order event with the producer's `source` it came from. */
export interface ReceivedOrderEvent {
  readonly source: string;
  readonly event: OrderEvent;
}

export const parseMessage = (body: string): ReceivedOrderEvent => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new InvalidEventError([{ path: 'body', message: 'is not JSON' }]);
  }
  const envelope = EnvelopeSchema.safeParse(json);
  if (!envelope.success) {
    throw new InvalidEventError(
      envelope.error.issues.map((issue) => ({
        path: issue.path.length > 0 ? issue.path.join('.') : 'body',
        message: `${issue.message} (expected an EventBridge event)`,
      })),
    );
  }
  const parsed = parseOrderEvent(envelope.data['detail-type'], envelope.data.detail);
  if (!parsed.ok) throw new InvalidEventError(parsed.problems);
  return { source: envelope.data.source, event: parsed.event };
};

const describeResult = (result: RecordResult): Record<string, unknown> =>
  result.kind === 'duplicate'
    ? { result: 'duplicate', attempts: result.attempts }
    : {
        result: result.outcome.kind,
        ...('reason' in result.outcome ? { reason: result.outcome.reason } : {}),
        status: result.status,
        version: result.version,
        attempts: result.attempts,
      };

export const makeIngestHandler = (deps: IngestDeps) =>
  makeSqsBatchHandler<ReceivedOrderEvent>({
    logger: deps.logger,
    deadLetters: deps.deadLetters,
    maxReceiveCount: deps.maxReceiveCount,
    parse: parseMessage,
    handle: async ({ source, event }) => {
      await requireActiveShop(deps.shops, event.shopId, source);
      return describeResult(await recordOrderEvent(deps.record, event));
    },
    // Ids and types only: the event's customer data never reaches the logs.
    describe: ({ source, event }) => ({
      source,
      eventId: event.eventId,
      detailType: event.type,
      shopId: event.shopId,
      orderId: event.orderId,
    }),
    isPermanent,
    handledMessage: 'order event recorded',
  });
