import { Duration, Validations } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IAlarm,
  type Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { Grant } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FUNCTION_TIMEOUT_SECONDS } from '../functions/commons/function-timeouts.js';
import { orderEventPattern, producerSourceProblem } from './event-patterns.js';
import { sqsEventSource } from './event-sources.js';
import { ServiceFunction } from './service-function.js';
import type { ShopRegistry } from './shop-registry.js';
import {
  DEFAULT_MAX_RECEIVE_COUNT,
  EVENT_SOURCES,
  FUNCTION_SERVICE_NAMES,
  functionEnvironment,
  MESSAGE_RETENTION_SECONDS,
  VISIBILITY_TIMEOUT_FACTOR,
} from './wiring.js';

/**
 * What the ingest does to the order table, and nothing more: Query (ConsistentRead) to load an order,
 * and TransactWriteItems of conditional Puts (the event, the state; for a placement also the order
 * number's claim and the contact index entries), which DynamoDB authorises as PutItem plus
 * ConditionCheckItem. No index, no Scan, no Delete.
 */
export const INGEST_TABLE_ACTIONS = ['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:ConditionCheckItem'];

export interface OrderIngestProps {
  /** The order table the events are recorded in. */
  readonly table: ITable;
  /** The bus the shop platforms put order events on. */
  readonly eventBus: IEventBus;
  /**
   * The `source`s of the order events to accept, one per producer (a shop platform), e.g.
   * `shop.orders`. Which shops each may write is the shop registry's binding (`producers`), checked by
   * the ingest; which source each producer may put is its IAM policy's `events:source` condition.
   */
  readonly eventSources: readonly string[];
  /** The shops served: the ingest refuses an event for any other before it stores anything. */
  readonly shopRegistry: ShopRegistry;
  /**
   * Deliveries of a message before it counts as exhausted. The queue's redrive policy and the handler
   * (which dead-letters with a reason on the last delivery) both use this number.
   * @default DEFAULT_MAX_RECEIVE_COUNT (5, lib/wiring.ts)
   */
  readonly maxReceiveCount?: number;
  /**
   * The ingest function's timeout; the queue's visibility timeout is six times this.
   * @default Duration.seconds(30) (FUNCTION_TIMEOUT_SECONDS in functions/commons/function-timeouts.ts)
   */
  readonly functionTimeout?: Duration;
  /**
   * How long the ingest function's logs are kept.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * Where the alarms notify.
   * @default - the alarms change state without notifying anyone
   */
  readonly alarmTopic?: ITopic;
}

/**
 * Order events from EventBridge into the order table: a rule on the bus feeds an SQS queue, and the
 * ingest function records each event, dead-lettering what it cannot record with the reason.
 *
 *   bus -> OrderEventsRule -> OrderEventsQueue -> IngestFunction -> order table
 *                 |                  |                 |
 *      RuleDeadLetterQueue           +---> OrderEventsDeadLetterQueue (redrive, and the handler's own sends)
 */
export class OrderIngest extends Construct {
  readonly queue: Queue;
  /** Events the ingest gave up on: invalid, conflicting, or still failing after `maxReceiveCount` tries. */
  readonly deadLetterQueue: Queue;
  /** Events EventBridge could not deliver to `queue` within its retry policy. */
  readonly ruleDeadLetterQueue: Queue;
  readonly rule: Rule;
  readonly ingestFunction: ServiceFunction;
  readonly maxReceiveCount: number;
  readonly deadLetterQueueAlarm: Alarm;
  readonly ruleDeadLetterQueueAlarm: Alarm;
  readonly functionErrorsAlarm: Alarm;
  readonly functionThrottlesAlarm: Alarm;
  readonly alarms: readonly IAlarm[];

  constructor(scope: Construct, id: string, props: OrderIngestProps) {
    super(scope, id);

    this.maxReceiveCount = props.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT;
    if (!Number.isInteger(this.maxReceiveCount) || this.maxReceiveCount < 1 || this.maxReceiveCount > 1000) {
      throw new Error(
        `${this.node.path}: maxReceiveCount must be an integer from 1 to 1000, got ${this.maxReceiveCount}`,
      );
    }
    const sources = props.eventSources;
    if (sources.length === 0 || new Set(sources).size !== sources.length) {
      throw new Error(
        `${this.node.path}: eventSources must list each producer's source once, got ${JSON.stringify(sources)}`,
      );
    }
    for (const source of sources) {
      const sourceProblem = producerSourceProblem(source);
      if (sourceProblem) throw new Error(`${this.node.path}: eventSources: ${sourceProblem}`);
    }
    const functionTimeout =
      props.functionTimeout ?? Duration.seconds(FUNCTION_TIMEOUT_SECONDS['ingest-order-events']);
    if (functionTimeout.toSeconds() < 1 || functionTimeout.toSeconds() > 900) {
      throw new Error(
        `${this.node.path}: functionTimeout must be from 1 to 900 seconds, got ${functionTimeout.toSeconds()}`,
      );
    }

    this.deadLetterQueue = new Queue(this, 'OrderEventsDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.seconds(MESSAGE_RETENTION_SECONDS),
    });
    this.queue = new Queue(this, 'OrderEventsQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's advice for Lambda event sources (six times the timeout): a message stays hidden while a
      // batch holding it may still be running or being retried.
      visibilityTimeout: Duration.seconds(functionTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR),
      // The maximum, so events wait out a long outage of the function instead of expiring unrecorded.
      retentionPeriod: Duration.seconds(MESSAGE_RETENTION_SECONDS),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: this.maxReceiveCount },
    });
    this.ruleDeadLetterQueue = new Queue(this, 'RuleDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.seconds(MESSAGE_RETENTION_SECONDS),
    });
    // OrderEventsDeadLetterQueue passes SQS3 as the redrive target of OrderEventsQueue; this one is the
    // rule target's dead-letter queue, which cdk-nag cannot see from the queue's side.
    Validations.of(this.ruleDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue (for events EventBridge could not deliver), read by ' +
        'operators; a dead-letter queue behind it would only move the same events one hop further away.',
    });

    const pattern = orderEventPattern(sources);
    this.rule = new Rule(this, 'OrderEventsRule', {
      eventBus: props.eventBus,
      description: `Order events from ${sources.join(', ')} to the ingest queue`,
      // The source alone: a misspelt detail-type still reaches the ingest, which dead-letters it with
      // the known types (see orderEventPattern).
      eventPattern: { source: [...pattern.source] },
      targets: [
        new SqsQueue(this.queue, {
          // EventBridge's maximum: a queue outage of up to a day loses nothing, then the DLQ takes over.
          maxEventAge: Duration.hours(24),
          retryAttempts: 185,
          deadLetterQueue: this.ruleDeadLetterQueue,
        }),
      ],
    });

    this.ingestFunction = new ServiceFunction(this, 'IngestFunction', {
      entry: 'functions/ingest-order-events/index.ts',
      // The name the handler's Logger is constructed with, so the two cannot disagree.
      serviceName: FUNCTION_SERVICE_NAMES['ingest-order-events'],
      description: 'Records order events from the ingest queue on their orders',
      timeout: functionTimeout,
      logRetention: props.logRetention,
      environment: functionEnvironment('ingest-order-events', {
        ORDERS_TABLE_NAME: props.table.tableName,
        DEAD_LETTER_QUEUE_URL: this.deadLetterQueue.queueUrl,
        MAX_RECEIVE_COUNT: String(this.maxReceiveCount),
        ...props.shopRegistry.environment(),
      }),
    });
    // Batches, window and concurrency: lib/wiring.ts, which the local stack reads too.
    this.ingestFunction.function.addEventSource(
      sqsEventSource(this.queue, EVENT_SOURCES['ingest-order-events']),
    );

    props.shopRegistry.grantRead(this.ingestFunction);
    // Not table.grant(): it adds `<table>/index/*` for a table with indexes, and the ingest reads none.
    Grant.addToPrincipal({
      grantee: this.ingestFunction,
      actions: INGEST_TABLE_ACTIONS,
      resourceArns: [props.table.tableArn],
    });
    // sqs:SendMessage alone: grantSendMessages() would add GetQueueAttributes and GetQueueUrl, which the
    // dead-letter sink never calls (it has the URL).
    Grant.addToPrincipal({
      grantee: this.ingestFunction,
      actions: ['sqs:SendMessage'],
      resourceArns: [this.deadLetterQueue.queueArn],
    });

    const atLeastOne = (alarmId: string, metric: Metric, description: string): Alarm => {
      const alarm = new Alarm(this, alarmId, {
        metric,
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      if (props.alarmTopic) {
        alarm.addAlarmAction(new SnsAction(props.alarmTopic));
        alarm.addOkAction(new SnsAction(props.alarmTopic));
      }
      return alarm;
    };
    const fiveMinutes = Duration.minutes(5);
    this.deadLetterQueueAlarm = atLeastOne(
      'OrderEventsDeadLetterQueueAlarm',
      this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: fiveMinutes,
        statistic: 'Maximum',
      }),
      'Order events were dead-lettered by the ingest: the reason is in each message attribute "reason".',
    );
    this.ruleDeadLetterQueueAlarm = atLeastOne(
      'RuleDeadLetterQueueAlarm',
      this.ruleDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: fiveMinutes,
        statistic: 'Maximum',
      }),
      'EventBridge could not deliver order events to the ingest queue: check the queue policy and its state.',
    );
    this.functionErrorsAlarm = atLeastOne(
      'IngestFunctionErrorsAlarm',
      this.ingestFunction.function.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
      'The ingest function failed whole invocations (not single records): see its logs.',
    );
    this.functionThrottlesAlarm = atLeastOne(
      'IngestFunctionThrottlesAlarm',
      this.ingestFunction.function.metricThrottles({ period: fiveMinutes, statistic: 'Sum' }),
      'The ingest function was throttled: the account or its reserved concurrency is exhausted.',
    );
    this.alarms = [
      this.deadLetterQueueAlarm,
      this.ruleDeadLetterQueueAlarm,
      this.functionErrorsAlarm,
      this.functionThrottlesAlarm,
    ];
  }
}
