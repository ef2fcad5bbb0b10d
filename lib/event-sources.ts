/**
 * The CDK event sources of lib/wiring.ts's settings: the constructs read the settings from there, so
 * the deployed mappings and the local stack's (local/stack-workers.ts) are built from the same data.
 */
import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { QueueEventSource, StreamEventSource } from './wiring.js';

const STARTING_POSITIONS = {
  TRIM_HORIZON: StartingPosition.TRIM_HORIZON,
  LATEST: StartingPosition.LATEST,
} as const;

/** An SQS event source with the settings of `wiring`. */
export const sqsEventSource = (queue: IQueue, wiring: QueueEventSource): SqsEventSource =>
  new SqsEventSource(queue, {
    batchSize: wiring.batchSize,
    ...(wiring.maxBatchingWindowSeconds
      ? { maxBatchingWindow: Duration.seconds(wiring.maxBatchingWindowSeconds) }
      : {}),
    reportBatchItemFailures: wiring.reportBatchItemFailures,
    maxConcurrency: wiring.maxConcurrency,
  });

/** A DynamoDB stream event source with the settings of `wiring`, failing over to `onFailure`. */
export const streamEventSource = (
  table: ITableV2,
  wiring: StreamEventSource,
  onFailure: IQueue,
): DynamoEventSource =>
  new DynamoEventSource(table, {
    startingPosition: STARTING_POSITIONS[wiring.startingPosition],
    batchSize: wiring.batchSize,
    filters: wiring.filters.map((filter) => FilterCriteria.filter(filter as Record<string, unknown>)),
    reportBatchItemFailures: wiring.reportBatchItemFailures,
    bisectBatchOnError: wiring.bisectBatchOnError,
    retryAttempts: wiring.retryAttempts,
    maxRecordAge: Duration.seconds(wiring.maxRecordAgeSeconds),
    onFailure: new SqsDlq(onFailure),
  });
