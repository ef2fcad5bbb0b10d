import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  type AlarmProps,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IAlarm,
  type IMetric,
  MathExpression,
  Metric,
  SingleValueWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { FilterPattern, MetricFilter } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  DELIVERY_METRIC_NAMES,
  DELIVERY_METRICS_NAMESPACE,
} from '../functions/adapters/powertools-delivery-metrics.js';
import { SERVICE_NAMES } from '../functions/commons/service-names.js';
import type { ServiceFunction } from './service-function.js';

/** A dead-letter queue to alarm on and chart. */
export interface WatchedDeadLetterQueue {
  /** Construct id prefix of its alarm, e.g. `NotificationDeadLetterQueue`. */
  readonly id: string;
  readonly queue: IQueue;
  /** What a message in it means and where to look: the alarm's description. */
  readonly description: string;
  /**
   * An alarm that already watches it (OrderIngest's own), charted instead of adding a second one.
   * @default - Monitoring creates the alarm
   */
  readonly existingAlarm?: IAlarm;
}

/** A function to alarm on (errors, throttles) and chart. */
export interface WatchedFunction {
  /** Construct id prefix of its alarms, e.g. `SenderFunction`. */
  readonly id: string;
  readonly function: ServiceFunction;
  /**
   * Alarms that already watch its errors and throttles (OrderIngest's own).
   * @default - Monitoring creates them
   */
  readonly existingAlarms?: readonly IAlarm[];
}

export interface MonitoringProps {
  /**
   * Where every alarm notifies, on alarm and on recovery.
   * @default - the alarms change state without notifying anyone
   */
  readonly alarmTopic?: ITopic;
  readonly deadLetterQueues: readonly WatchedDeadLetterQueue[];
  readonly functions: readonly WatchedFunction[];
  /** The planner on the table's stream: its iterator age says how far behind the notifications are. */
  readonly plannerFunction: ServiceFunction;
  /** The sender, whose "notification job done" log lines give the failure rate. */
  readonly senderFunction: ServiceFunction;
  /**
   * The notification queue: a fair queue (each job's MessageGroupId is its shop), whose quiet-group
   * metrics say whether shops without a backlog of their own are kept waiting.
   */
  readonly notificationQueue: IQueue;
  /** The public HTTP API. */
  readonly httpApi: IHttpApi;
  /**
   * The account's monthly SMS spend limit in USD (SNS `MonthlySpendLimit`, set outside CloudFormation;
   * see docs/deploy.md). The spend alarm fires at 80% of it, before SNS stops sending SMS at 100%.
   * @default 1 - the limit of a new account
   */
  readonly smsMonthlySpendLimitUsd?: number;
  /**
   * The failure rate of notification jobs, in percent, that raises the failure-rate alarm.
   * @default 10
   */
  readonly notificationFailureRatePercent?: number;
  /**
   * The p99 of the time from an event being stored to the provider's acceptance of its message (quiet
   * hours left out), in seconds, over 15 minutes, that raises the time-to-send alarm.
   * @default 120
   */
  readonly timeToProviderP99Seconds?: number;
}

/** Where the metric filters on the sender's log, and its EMF metrics, put their metrics. */
export const NOTIFICATION_METRICS_NAMESPACE = DELIVERY_METRICS_NAMESPACE;
/** The handled-message line of the sender (functions/send-notifications/send.ts, `handledMessage`). */
const JOB_DONE_MESSAGE = 'notification job done';

const FIVE_MINUTES = Duration.minutes(5);
const FIFTEEN_MINUTES = Duration.minutes(15);

/**
 * Alarms on every way a notification can be lost or late, and one dashboard:
 *
 * - every dead-letter queue holding a message;
 * - every function's errors (whole failed invocations) and throttles;
 * - the planner falling behind the stream (iterator age);
 * - the quiet shops' notification jobs waiting in the fair queue for 15 minutes on end;
 * - the p99 of the time from a stored event to the provider's acceptance of its message;
 * - the share of notification jobs that end as `failed` (metric filters on the sender's log);
 * - the month's SMS spend nearing the account's limit;
 * - the share of API requests answered with a 5xx.
 */
export class Monitoring extends Construct {
  readonly dashboard: Dashboard;
  /** The alarms created here (not the existing ones passed in). */
  readonly alarms: readonly Alarm[];
  readonly notificationFailureRateAlarm: Alarm;
  readonly smsSpendAlarm: Alarm;
  readonly apiServerErrorRateAlarm: Alarm;
  readonly plannerIteratorAgeAlarm: Alarm;
  readonly quietShopsBacklogAlarm: Alarm;
  readonly timeToProviderAlarm: Alarm;
  /** Notification jobs done, and those done as `failed`, counted from the sender's log. */
  readonly notificationJobsDone: Metric;
  readonly notificationJobsFailed: Metric;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);

    const smsLimit = props.smsMonthlySpendLimitUsd ?? 1;
    if (!(Number.isFinite(smsLimit) && smsLimit > 0)) {
      throw new Error(
        `${this.node.path}: smsMonthlySpendLimitUsd must be a positive number, got ${smsLimit}`,
      );
    }
    const failureRate = props.notificationFailureRatePercent ?? 10;
    if (!(Number.isFinite(failureRate) && failureRate > 0 && failureRate <= 100)) {
      throw new Error(
        `${this.node.path}: notificationFailureRatePercent must be above 0 and at most 100, got ${failureRate}`,
      );
    }

    const timeToSendSeconds = props.timeToProviderP99Seconds ?? 120;
    if (!(Number.isFinite(timeToSendSeconds) && timeToSendSeconds > 0)) {
      throw new Error(
        `${this.node.path}: timeToProviderP99Seconds must be a positive number, got ${timeToSendSeconds}`,
      );
    }

    const created: Alarm[] = [];
    const alarm = (
      alarmId: string,
      config: Omit<AlarmProps, 'evaluationPeriods'> & { readonly evaluationPeriods?: number },
    ) => {
      const result = new Alarm(this, alarmId, {
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        ...config,
      });
      if (props.alarmTopic) {
        result.addAlarmAction(new SnsAction(props.alarmTopic));
        result.addOkAction(new SnsAction(props.alarmTopic));
      }
      created.push(result);
      return result;
    };
    const atLeastOne = (alarmId: string, metric: IMetric, description: string) =>
      alarm(alarmId, {
        metric,
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        alarmDescription: description,
      });

    const charted: IAlarm[] = [];
    for (const watched of props.deadLetterQueues) {
      charted.push(
        watched.existingAlarm ??
          atLeastOne(
            `${watched.id}Alarm`,
            watched.queue.metricApproximateNumberOfMessagesVisible({
              period: FIVE_MINUTES,
              statistic: 'Maximum',
            }),
            watched.description,
          ),
      );
    }
    for (const watched of props.functions) {
      if (watched.existingAlarms) {
        charted.push(...watched.existingAlarms);
        continue;
      }
      const fn = watched.function.function;
      charted.push(
        atLeastOne(
          `${watched.id}ErrorsAlarm`,
          fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
          `${watched.id} failed whole invocations (not single records): see its logs.`,
        ),
        atLeastOne(
          `${watched.id}ThrottlesAlarm`,
          fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
          `${watched.id} was throttled: the account's or its own concurrency is exhausted.`,
        ),
      );
    }

    const iteratorAge = props.plannerFunction.function.metric('IteratorAge', {
      period: FIVE_MINUTES,
      statistic: 'Maximum',
    });
    this.plannerIteratorAgeAlarm = alarm('PlannerIteratorAgeAlarm', {
      metric: iteratorAge,
      threshold: Duration.minutes(5).toMilliseconds(),
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      alarmDescription:
        'The planner is more than 5 minutes behind the order table stream: notifications are late, and ' +
        'records older than 12 hours go to the planner failure queue.',
    });

    // SQS's fair-queue metrics (the queue is standard, every job carries its shop as MessageGroupId): a
    // flash sale makes its shop a noisy group, which is expected and only charted; the alarm is on what
    // fairness is for, the other (quiet) shops' jobs. Visible ones are ready and not yet received, so a
    // deferred job (quiet hours: a delayed message) does not count, nor one a sender is working on. A
    // minimum of at least one in each of three 5-minute periods means their backlog never emptied for
    // 15 minutes: the sender as a whole is short of capacity, not one shop being loud.
    const queueMetric = (metricName: string, statistic: string) =>
      new Metric({
        namespace: 'AWS/SQS',
        metricName,
        dimensionsMap: { QueueName: props.notificationQueue.queueName },
        statistic,
        period: FIVE_MINUTES,
      });
    const quietVisible = queueMetric('ApproximateNumberOfMessagesVisibleInQuietGroups', 'Minimum');
    const quietOldest = queueMetric('ApproximateAgeOfOldestMessageInQuietGroups', 'Maximum');
    const noisyGroups = queueMetric('ApproximateNumberOfNoisyGroups', 'Maximum');
    this.quietShopsBacklogAlarm = alarm('QuietShopsBacklogAlarm', {
      metric: quietVisible,
      threshold: 1,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      alarmDescription:
        "Notification jobs of shops without a backlog of their own (the fair queue's quiet groups) waited in " +
        'the notification queue for 15 minutes on end: the sender is short of capacity for everyone, not ' +
        "one shop being loud. See the sender's concurrency (senderMaxConcurrency), throttles and duration.",
    });

    // The sender's EMF metrics (functions/adapters/powertools-delivery-metrics.ts), under its service and
    // function name. Quiet hours are left out of the time, so a morning's held SMS do not raise it.
    // No label: a labelled metric becomes a metric-math alarm; the dashboard labels its own copies.
    const timeToProviderP99 = new Metric({
      namespace: NOTIFICATION_METRICS_NAMESPACE,
      metricName: DELIVERY_METRIC_NAMES.timeToProvider,
      dimensionsMap: {
        service: SERVICE_NAMES.sender,
        FunctionName: props.senderFunction.function.functionName,
      },
      statistic: 'p99',
      period: FIFTEEN_MINUTES,
    });
    this.timeToProviderAlarm = alarm('TimeToProviderP99Alarm', {
      metric: timeToProviderP99,
      threshold: timeToSendSeconds * 1000,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      alarmDescription:
        `The p99 of the time from a stored order event to the provider's acceptance of its message reached ` +
        `${timeToSendSeconds} s over 15 minutes (quiet hours left out): customers hear late. See the planner's ` +
        'iterator age, the notification queue (QuietShopsBacklogAlarm) and provider throttling in the sender log.',
    });

    // Two metric filters on the sender's "notification job done" lines, beside its EMF metrics: they count
    // every finished job, dead-lettered ones included, which is what the failure rate is a share of.
    // The function's name (a field Powertools adds to every line) is the dimension, which keeps two
    // deployments in one account apart.
    const sender = props.senderFunction;
    const dimensions = { FunctionName: '$.function_name' };
    new MetricFilter(this, 'NotificationJobsDoneFilter', {
      logGroup: sender.logGroup,
      filterPattern: FilterPattern.all(
        FilterPattern.stringValue('$.message', '=', JOB_DONE_MESSAGE),
        FilterPattern.exists('$.outcome'),
      ),
      metricNamespace: NOTIFICATION_METRICS_NAMESPACE,
      metricName: 'NotificationJobsDone',
      dimensions,
    });
    new MetricFilter(this, 'NotificationJobsFailedFilter', {
      logGroup: sender.logGroup,
      filterPattern: FilterPattern.all(
        FilterPattern.stringValue('$.message', '=', JOB_DONE_MESSAGE),
        FilterPattern.stringValue('$.outcome', '=', 'failed'),
      ),
      metricNamespace: NOTIFICATION_METRICS_NAMESPACE,
      metricName: 'NotificationJobsFailed',
      dimensions,
    });
    const jobsMetric = (metricName: string) =>
      new Metric({
        namespace: NOTIFICATION_METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { FunctionName: sender.function.functionName },
        statistic: 'Sum',
        period: FIFTEEN_MINUTES,
      });
    this.notificationJobsDone = jobsMetric('NotificationJobsDone');
    this.notificationJobsFailed = jobsMetric('NotificationJobsFailed');
    const failurePercent = new MathExpression({
      // Below 10 jobs in the window a single failure is no trend: the rate counts as 0.
      expression: 'IF(done >= 10, 100 * FILL(failed, 0) / done, 0)',
      usingMetrics: { done: this.notificationJobsDone, failed: this.notificationJobsFailed },
      label: 'Failed notification jobs (%)',
      period: FIFTEEN_MINUTES,
    });
    this.notificationFailureRateAlarm = alarm('NotificationFailureRateAlarm', {
      metric: failurePercent,
      threshold: failureRate,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      alarmDescription:
        `At least ${failureRate}% of the notification jobs of the last 15 minutes ended as failed: look up ` +
        'the reasons in the sender log ("notification job done", outcome "failed") or the notification log.',
    });

    // Account-wide, no dimensions: SNS publishes it for the account's SMS in the region.
    const smsSpend = new Metric({
      namespace: 'AWS/SNS',
      metricName: 'SMSMonthToDateSpentUSD',
      statistic: 'Maximum',
      period: FIVE_MINUTES,
    });
    this.smsSpendAlarm = alarm('SmsSpendAlarm', {
      metric: smsSpend,
      threshold: Math.round(smsLimit * 0.8 * 100) / 100,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      alarmDescription:
        `This month's SMS spend reached 80% of the ${smsLimit} USD limit; at the limit SNS stops sending ` +
        'SMS until the month ends. Raise the limit (SNS text messaging preferences) or expect e-mail fallbacks.',
    });

    const apiMetric = (metricName: string) =>
      new Metric({
        namespace: 'AWS/ApiGateway',
        metricName,
        dimensionsMap: { ApiId: props.httpApi.apiId },
        statistic: 'Sum',
        period: FIVE_MINUTES,
      });
    const requests = apiMetric('Count');
    const serverErrors = apiMetric('5xx');
    const clientErrors = apiMetric('4xx');
    const serverErrorPercent = new MathExpression({
      expression: 'IF(requests >= 20, 100 * FILL(errors, 0) / requests, 0)',
      usingMetrics: { requests, errors: serverErrors },
      label: 'API 5xx (%)',
      period: FIVE_MINUTES,
    });
    this.apiServerErrorRateAlarm = alarm('ApiServerErrorRateAlarm', {
      metric: serverErrorPercent,
      threshold: 5,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      alarmDescription:
        'At least 5% of the status API requests of the last 5 minutes (of 20 or more) failed with a 5xx: see the ' +
        'access log (integrationError) and the status and unsubscribe function logs.',
    });
    this.alarms = created;

    const allFunctions = props.functions.map((watched) => watched.function.function);
    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.days(1) });
    this.dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'Alarms', alarms: [...charted, ...created], width: 24, height: 6 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Notification jobs',
        left: [this.notificationJobsDone, this.notificationJobsFailed],
        right: [failurePercent],
        width: 12,
      }),
      new GraphWidget({ title: 'Planner iterator age (ms)', left: [iteratorAge], width: 6 }),
      new SingleValueWidget({ title: 'SMS spend this month (USD)', metrics: [smsSpend], width: 6 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Time from stored event to provider (ms)',
        left: [
          timeToProviderP99.with({ statistic: 'p50', label: 'p50' }),
          timeToProviderP99.with({ label: 'p99' }),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: 'Notification queue fairness',
        left: [
          quietVisible.with({ label: 'Quiet shops: jobs waiting (min)' }),
          noisyGroups.with({ label: 'Noisy shops (max)' }),
        ],
        right: [quietOldest.with({ label: 'Quiet shops: oldest job (s)' })],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Function errors',
        left: allFunctions.map((fn) => fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' })),
        width: 12,
      }),
      new GraphWidget({
        title: 'Function duration p90 (ms)',
        left: allFunctions.map((fn) => fn.metricDuration({ period: FIVE_MINUTES, statistic: 'p90' })),
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Dead-letter queues (messages)',
        left: props.deadLetterQueues.map((watched) =>
          watched.queue.metricApproximateNumberOfMessagesVisible({
            period: FIVE_MINUTES,
            statistic: 'Maximum',
            label: watched.id,
          }),
        ),
        width: 12,
      }),
      new GraphWidget({
        title: 'Status API requests',
        left: [requests, clientErrors, serverErrors],
        right: [apiMetric('Latency').with({ statistic: 'p90', label: 'Latency p90 (ms)' })],
        width: 12,
      }),
    );
  }
}
