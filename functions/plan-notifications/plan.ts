/**
 * Plan: from the order table's stream, one notification job per newly applied event and channel.
 *
 * Driven by the stored change itself, so a change that was stored is always notified and one that was
 * not, never. The state item carries the ids of its applied events; the difference between the old and
 * new image is what is new (a late Order Placed can apply several events at once).
 *
 * The same change goes on the bus for the shop's own systems (functions/domain/integration-events.ts):
 * Order Status Changed, and Order Event Recorded where the shop asks for them, after the jobs are queued.
 * A failure to publish fails the record, which is retried: the jobs again (the notification log lets each
 * out once) and the events again (with the same ids, for consumers to deduplicate).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { orderOfStreamImage } from '../adapters/table-keys.js';
import { logLambdaContext } from '../commons/logging.js';
import { integrationEventsOf } from '../domain/integration-events.js';
import { newlyApplied, planJobs } from '../domain/notification-planning.js';
import type { IntegrationPublisher, JobQueue } from '../domain/notification-ports.js';
import { type OrderState, type OrderStatus, replay } from '../domain/order-lifecycle.js';
import type { OrderRepository } from '../domain/ports.js';
import { type ShopDirectory, sendingShop } from '../domain/shop-registry.js';

export interface PlanDeps {
  readonly orders: OrderRepository;
  readonly shops: ShopDirectory;
  readonly jobs: JobQueue;
  readonly integration: IntegrationPublisher;
  readonly logger: Logger;
}

interface StateImage {
  readonly appliedEventIds?: string[];
  readonly status?: OrderStatus;
  readonly version?: number;
  readonly updatedAt?: string;
  readonly state?: OrderState;
}

const imageOf = (image: Record<string, unknown> | undefined): StateImage | undefined =>
  image ? (unmarshall(image as Record<string, AttributeValue>) as StateImage) : undefined;

export const makePlanHandler = (deps: PlanDeps) => {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);

  const processRecord = async (record: DynamoDBRecord): Promise<void> => {
    // Order state items only (the mapping's filter says the same): which order is the key's to say.
    const key = orderOfStreamImage(record.dynamodb?.NewImage);
    const after = imageOf(record.dynamodb?.NewImage);
    if (!key || !after) return;
    const before = imageOf(record.dynamodb?.OldImage);
    const fresh = newlyApplied(before?.appliedEventIds, after.appliedEventIds ?? []);
    if (fresh.length === 0) return;

    const snapshot = await deps.orders.load(key);
    const wanted = new Set(fresh);
    const stored = (snapshot?.events ?? []).map((item) => item.event);
    // Jobs in lifecycle order (the order's timeline), so a confirmation is queued before a hold stored
    // with it; the sender keeps that order for messages on one channel (see docs/notifications.md).
    const events =
      stored.length > 0
        ? replay(stored)
            .timeline.map((entry) => entry.event)
            .filter((event) => wanted.has(event.eventId))
        : [];
    const { shop, refusal } = await sendingShop(deps.shops, key.shopId);
    // E-mail jobs still go out for such a shop, so the sender records why nothing was sent.
    if (refusal)
      deps.logger.warn('order of a shop that may not send', { reason: refusal, orderId: key.orderId });
    const jobs = planJobs(shop, events);
    await deps.jobs.enqueue(jobs);
    const published =
      shop && after.state && after.version !== undefined && after.updatedAt
        ? integrationEventsOf(
            {
              before: before?.status ? { status: before.status } : undefined,
              after: after.state,
              version: after.version,
              changedAt: after.updatedAt,
              applied: events,
            },
            shop.integrationEvents,
          )
        : [];
    await deps.integration.publish(published);
    deps.logger.info('notifications planned', {
      shopId: key.shopId,
      orderId: key.orderId,
      events: events.map((event) => event.type),
      jobs: jobs.length,
      integrationEvents: published.length,
    });
  };

  return middy(
    async (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> =>
      // One record after the other: records of one shard are the order's changes in the order they were
      // stored, and their jobs are queued in that order.
      processPartialResponse(event, processRecord, processor, { context, processInParallel: false }),
  ).use(logLambdaContext(deps.logger));
};
