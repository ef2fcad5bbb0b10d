import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Grant, type IGrantable, Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import {
  ConfigurationSet,
  EmailSendingEvent,
  EventDestination,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EMAIL_TAGS } from '../functions/adapters/ses-email-sender.js';
import { FUNCTION_TIMEOUT_SECONDS } from '../functions/commons/function-timeouts.js';
import { sesFeedbackPattern } from './event-patterns.js';
import { sqsEventSource, streamEventSource } from './event-sources.js';
import { grantSecretValue, secretEnvironment } from './function-secrets.js';
import { grantItemAccess, type ItemAccess } from './order-table-access.js';
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

/** SNS platform application ARNs for mobile push, by the platform names the sender uses. */
export interface PushPlatformApplications {
  /** APNs (production) platform application ARN. @default - no iOS push */
  readonly apns?: string;
  /** APNs sandbox platform application ARN, for development builds. @default - none */
  readonly apns_sandbox?: string;
  /** Firebase Cloud Messaging platform application ARN. @default - no Android push */
  readonly fcm?: string;
}

/** The SNS platform type each key of PushPlatformApplications must be (the `app/<type>/` in the ARN). */
const PLATFORM_TYPES: Readonly<Record<keyof PushPlatformApplications, string>> = {
  apns: 'APNS',
  apns_sandbox: 'APNS_SANDBOX',
  fcm: 'GCM',
};

/** What the planner does to the table: read an order's partition (state and events). */
export const PLANNER_TABLE_ACCESS: readonly ItemAccess[] = [
  { actions: ['dynamodb:Query'], partitions: ['orders'] },
];

/**
 * What the sender does to the table: read the order; create, read and move its notification record
 * (conditional Put, GetItem, conditional UpdateItem); check and add suppressions (GetItem, PutItem), and
 * look up disabled push tokens (BatchGetItem).
 */
export const SENDER_TABLE_ACCESS: readonly ItemAccess[] = [
  { actions: ['dynamodb:Query'], partitions: ['orders'] },
  { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], partitions: ['notifications', 'suppressions'] },
  { actions: ['dynamodb:UpdateItem'], partitions: ['notifications'] },
  { actions: ['dynamodb:BatchGetItem'], partitions: ['suppressions'] },
];

/** What the feedback function does: read the order and the record, move the record, suppress the address. */
export const FEEDBACK_TABLE_ACCESS: readonly ItemAccess[] = [
  { actions: ['dynamodb:Query'], partitions: ['orders'] },
  { actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], partitions: ['notifications'] },
  { actions: ['dynamodb:PutItem'], partitions: ['suppressions'] },
];

/** The SES event types of the configuration set's destination: those of SES_FEEDBACK_DETAIL_TYPES. */
const SES_FEEDBACK_EVENTS = [
  EmailSendingEvent.BOUNCE,
  EmailSendingEvent.COMPLAINT,
  EmailSendingEvent.DELIVERY,
];

/** The sender's timeout, which its job queue's visibility timeout is six times of. */
const SENDER_TIMEOUT = Duration.seconds(FUNCTION_TIMEOUT_SECONDS['send-notifications']);
const FOURTEEN_DAYS = Duration.seconds(MESSAGE_RETENTION_SECONDS);

/**
 * The tag a shop's own SES identity and configuration set carry, with this deployment's configuration set
 * name as its value, for the sender to be allowed to send through them (the same name the sender tags
 * each e-mail with for the feedback rule).
 */
export const SHOP_IDENTITY_TAG = EMAIL_TAGS.deployment;

export interface NotificationPipelineProps {
  /** The order table; its stream (new and old images) drives the planner. */
  readonly table: ITableV2;
  /** The bus notification outcomes are published on for the shops' CRM and support tools. */
  readonly eventBus: IEventBus;
  /** The shops served, read by the functions through their cache. */
  readonly shopRegistry: ShopRegistry;
  /** ARN of the SES identity (domain or address) every shop's sender belongs to. */
  readonly sesIdentityArn: string;
  /** Signs the unsubscribe links; the unsubscribe function verifies them with the same secret. */
  readonly unsubscribeSecret: ISecret;
  /**
   * SNS platform applications for push, created outside this stack.
   * @default - no push: push notifications are skipped with a reason and fall back as configured
   */
  readonly pushPlatformApplications?: PushPlatformApplications;
  /**
   * The most sender invocations at once. The sender takes one job per invocation, so this is also the
   * most messages being handed to SES and SNS at once: at a few hundred milliseconds per job, 5 keeps
   * the sender near SES's starting production quota of 14 e-mails a second and well under SNS's
   * default of 20 SMS a second. A throttled send is retried, so a higher quota is where to raise it.
   * @default 5
   */
  readonly senderMaxConcurrency?: number;
  /**
   * Deliveries of a notification job before it is closed as failed and dead-lettered. At least 3, so
   * that a job whose worker stopped mid-send outlives the 5-minute lease on its record (deliveries come
   * every 3 minutes: six times the 30-second timeout).
   * @default 5
   */
  readonly senderMaxReceiveCount?: number;
  /**
   * How long the functions' logs are kept.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
}

/**
 * From a stored order change to a message, and the e-mail feedback back:
 *
 *   table stream -(ORDER#…/STATE only)-> PlannerFunction -> NotificationQueue -> SenderFunction -> SES, SNS
 *        | records it gives up on                              | maxReceiveCount     | outcomes
 *        v                                                     v                     v
 *   PlannerFailureQueue                          NotificationDeadLetterQueue     order bus
 *
 *   SES bounces, complaints, deliveries -> default bus -> FeedbackRule -> FeedbackFunction
 *                                    undeliverable |          failed after Lambda's retries |
 *                                                  v                                        v
 *                                    FeedbackRuleDeadLetterQueue               FeedbackDeadLetterQueue
 */
export class NotificationPipeline extends Construct {
  readonly plannerFunction: ServiceFunction;
  /** Stream batches the planner gave up on (their stream coordinates, not the records). */
  readonly plannerFailureQueue: Queue;
  readonly notificationQueue: Queue;
  /** Jobs the sender gave up on, with the reason in the message attributes. */
  readonly notificationDeadLetterQueue: Queue;
  readonly senderFunction: ServiceFunction;
  readonly senderMaxConcurrency: number;
  readonly senderMaxReceiveCount: number;
  /** The sender's SNS statement on Resource "*", in a policy of its own. */
  readonly senderSnsPolicy: Policy;
  /** `ses:SendEmail` on the shops' own identities and configuration sets tagged for this deployment. */
  readonly senderShopIdentityPolicy: Policy;
  readonly configurationSet: ConfigurationSet;
  readonly feedbackRule: Rule;
  /** SES events EventBridge could not deliver to the feedback function. */
  readonly feedbackRuleDeadLetterQueue: Queue;
  /** SES events the feedback function failed on after Lambda's asynchronous retries. */
  readonly feedbackDeadLetterQueue: Queue;
  readonly feedbackFunction: ServiceFunction;
  /** Every dead-letter queue of the pipeline, for alarms. */
  readonly deadLetterQueues: readonly IQueue[];

  constructor(scope: Construct, id: string, props: NotificationPipelineProps) {
    super(scope, id);

    this.senderMaxConcurrency =
      props.senderMaxConcurrency ?? EVENT_SOURCES['send-notifications'].maxConcurrency;
    if (
      !Number.isInteger(this.senderMaxConcurrency) ||
      this.senderMaxConcurrency < 2 ||
      this.senderMaxConcurrency > 1000
    ) {
      throw new Error(
        `${this.node.path}: senderMaxConcurrency must be an integer from 2 to 1000 (the limits of an SQS event source), got ${this.senderMaxConcurrency}`,
      );
    }
    this.senderMaxReceiveCount = props.senderMaxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT;
    if (
      !Number.isInteger(this.senderMaxReceiveCount) ||
      this.senderMaxReceiveCount < 3 ||
      this.senderMaxReceiveCount > 1000
    ) {
      throw new Error(
        `${this.node.path}: senderMaxReceiveCount must be an integer from 3 to 1000, got ${this.senderMaxReceiveCount}`,
      );
    }
    const platformApplications = validatePlatformApplications(
      this.node.path,
      props.pushPlatformApplications ?? {},
    );
    const streamArn = props.table.tableStreamArn;
    if (!streamArn) throw new Error(`${this.node.path}: the order table has no stream to plan from`);

    const queue = (queueId: string) =>
      new Queue(this, queueId, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: FOURTEEN_DAYS,
      });

    // --- Planner: the table's stream -> notification jobs -------------------------------------------
    this.plannerFailureQueue = queue('PlannerFailureQueue');
    this.notificationDeadLetterQueue = queue('NotificationDeadLetterQueue');
    this.notificationQueue = new Queue(this, 'NotificationQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // A message stays hidden while a sender invocation holding it may still run or be retried.
      visibilityTimeout: Duration.seconds(SENDER_TIMEOUT.toSeconds() * VISIBILITY_TIMEOUT_FACTOR),
      // Nothing expires unsent during an outage: jobs wait, then the dead-letter queue takes over.
      retentionPeriod: FOURTEEN_DAYS,
      deadLetterQueue: {
        queue: this.notificationDeadLetterQueue,
        maxReceiveCount: this.senderMaxReceiveCount,
      },
    });

    this.plannerFunction = new ServiceFunction(this, 'PlannerFunction', {
      entry: 'functions/plan-notifications/index.ts',
      serviceName: FUNCTION_SERVICE_NAMES['plan-notifications'],
      description: 'Plans notification jobs from changes of order states on the order table stream',
      timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS['plan-notifications']),
      logRetention: props.logRetention,
      environment: functionEnvironment('plan-notifications', {
        ORDERS_TABLE_NAME: props.table.tableName,
        NOTIFICATION_QUEUE_URL: this.notificationQueue.queueUrl,
        EVENT_BUS_NAME: props.eventBus.eventBusName,
        ...props.shopRegistry.environment(),
      }),
    });
    // Starting position, batches, filter, retries, bisection, record age: lib/wiring.ts, which the local
    // stack's stream poller reads too.
    this.plannerFunction.function.addEventSource(
      streamEventSource(props.table, EVENT_SOURCES['plan-notifications'], this.plannerFailureQueue),
    );
    grantItemAccess(this.plannerFunction, props.table, PLANNER_TABLE_ACCESS);
    props.shopRegistry.grantRead(this.plannerFunction);
    grantSendMessage(this.plannerFunction, this.notificationQueue);
    // Order Status Changed / Order Event Recorded for the shops' own systems (docs/integration-events.md).
    grantPutEvents(this.plannerFunction, props.eventBus);

    // --- E-mail configuration set: feedback to EventBridge -------------------------------------------
    this.configurationSet = new ConfigurationSet(this, 'EmailConfigurationSet', {
      reputationMetrics: true,
      // Addresses that bounced or complained are also kept off by SES itself, across shops.
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    // SES publishes to the account's default bus only.
    const defaultBus = EventBus.fromEventBusName(this, 'DefaultEventBus', 'default');
    this.configurationSet.addEventDestination('FeedbackToEventBridge', {
      destination: EventDestination.eventBus(defaultBus),
      events: SES_FEEDBACK_EVENTS,
    });

    // --- Sender: jobs -> SES / SNS ---------------------------------------------------------------------
    this.senderFunction = new ServiceFunction(this, 'SenderFunction', {
      entry: 'functions/send-notifications/index.ts',
      serviceName: FUNCTION_SERVICE_NAMES['send-notifications'],
      description: 'Sends notification jobs by e-mail (SES), SMS and push (SNS), each exactly once',
      timeout: SENDER_TIMEOUT,
      logRetention: props.logRetention,
      environment: functionEnvironment('send-notifications', {
        ORDERS_TABLE_NAME: props.table.tableName,
        NOTIFICATION_QUEUE_URL: this.notificationQueue.queueUrl,
        DEAD_LETTER_QUEUE_URL: this.notificationDeadLetterQueue.queueUrl,
        MAX_RECEIVE_COUNT: String(this.senderMaxReceiveCount),
        EVENT_BUS_NAME: props.eventBus.eventBusName,
        ...props.shopRegistry.environment(),
        // The ARN only: the function reads the value at cold start and after a rotation.
        ...secretEnvironment('UNSUBSCRIBE_SECRET', props.unsubscribeSecret),
        SES_CONFIGURATION_SET: this.configurationSet.configurationSetName,
        PUSH_PLATFORM_APPLICATIONS: JSON.stringify(platformApplications),
      }),
    });
    // One job per invocation, so maxConcurrency is the number of sends in flight (lib/wiring.ts).
    this.senderFunction.function.addEventSource(
      sqsEventSource(this.notificationQueue, {
        ...EVENT_SOURCES['send-notifications'],
        maxConcurrency: this.senderMaxConcurrency,
      }),
    );
    grantItemAccess(this.senderFunction, props.table, SENDER_TABLE_ACCESS);
    grantSecretValue(this.senderFunction, props.unsubscribeSecret);
    props.shopRegistry.grantRead(this.senderFunction);
    // Its own queue too: a job held for the customer's quiet hours is sent back with a delay.
    grantSendMessage(this.senderFunction, this.notificationQueue);
    grantSendMessage(this.senderFunction, this.notificationDeadLetterQueue);
    grantPutEvents(this.senderFunction, props.eventBus);
    Grant.addToPrincipal({
      grantee: this.senderFunction,
      actions: ['ses:SendEmail'],
      resourceArns: [
        props.sesIdentityArn,
        Stack.of(this).formatArn({
          service: 'ses',
          resource: 'configuration-set',
          resourceName: this.configurationSet.configurationSetName,
        }),
      ],
    });
    // A shop's own identity and configuration set (the registry's email.identityArn/configurationSet):
    // any in the account and region that carries this deployment's tag, so onboarding a shop needs a
    // tag, not a deploy (docs/deploy.md, "Onboarding a shop").
    this.senderShopIdentityPolicy = new Policy(this, 'SenderShopIdentityPolicy', {
      roles: [this.senderFunction.role],
      statements: [
        new PolicyStatement({
          actions: ['ses:SendEmail'],
          resources: [
            Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: '*' }),
            Stack.of(this).formatArn({ service: 'ses', resource: 'configuration-set', resourceName: '*' }),
          ],
          conditions: {
            StringEquals: {
              [`aws:ResourceTag/${SHOP_IDENTITY_TAG}`]: this.configurationSet.configurationSetName,
            },
          },
        }),
      ],
    });
    Validations.of(this.senderShopIdentityPolicy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/*]',
      reason:
        'Shops are onboarded without a deploy, so the identities they send from cannot be listed here; the ' +
        'statement allows only identities tagged for this deployment (aws:ResourceTag condition, SES v2 ' +
        'tag-based authorization), which an operator tags when onboarding the shop.',
    });
    Validations.of(this.senderShopIdentityPolicy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:configuration-set/*]',
      reason:
        'As for the identities: a shop’s own configuration set is allowed only when tagged for this deployment.',
    });
    const platformArns = Object.values(platformApplications);
    if (platformArns.length > 0) {
      Grant.addToPrincipal({
        grantee: this.senderFunction,
        actions: ['sns:CreatePlatformEndpoint'],
        resourceArns: platformArns,
      });
    }
    // In a policy of its own, so that its acknowledged Resource "*" cannot hide another statement's.
    this.senderSnsPolicy = new Policy(this, 'SenderSnsPolicy', {
      roles: [this.senderFunction.role],
      statements: [
        new PolicyStatement({
          actions: ['sns:Publish', 'sns:CheckIfPhoneNumberIsOptedOut'],
          resources: ['*'],
        }),
      ],
    });
    Validations.of(this.senderSnsPolicy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'An SMS is published to a phone number, which has no ARN, so sns:Publish for SMS can only be granted ' +
        'on Resource "*" (the same statement covers Publish to the push endpoints, whose ARNs are created at ' +
        'run time); sns:CheckIfPhoneNumberIsOptedOut supports no resource-level permissions at all.',
    });

    // --- Feedback: SES events -> notification log and suppressions ---------------------------------
    this.feedbackRuleDeadLetterQueue = queue('FeedbackRuleDeadLetterQueue');
    this.feedbackDeadLetterQueue = queue('FeedbackDeadLetterQueue');
    this.feedbackFunction = new ServiceFunction(this, 'FeedbackFunction', {
      entry: 'functions/email-feedback/index.ts',
      serviceName: FUNCTION_SERVICE_NAMES['email-feedback'],
      description: 'Records SES deliveries, bounces and complaints and suppresses bad addresses',
      timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS['email-feedback']),
      logRetention: props.logRetention,
      environment: functionEnvironment('email-feedback', {
        ORDERS_TABLE_NAME: props.table.tableName,
        EVENT_BUS_NAME: props.eventBus.eventBusName,
      }),
    });
    // EventBridge invokes asynchronously: the rule's retry policy and dead-letter queue cover delivery
    // to Lambda; a failing invocation is retried by Lambda and then goes to this destination.
    this.feedbackFunction.function.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.feedbackDeadLetterQueue),
    });
    const feedbackPattern = sesFeedbackPattern(this.configurationSet.configurationSetName);
    this.feedbackRule = new Rule(this, 'FeedbackRule', {
      description: 'SES bounces, complaints and deliveries of the notification e-mails',
      eventPattern: {
        source: [...feedbackPattern.source],
        detailType: [...feedbackPattern['detail-type']],
        detail: feedbackPattern.detail,
      },
      targets: [
        new LambdaFunction(this.feedbackFunction.function, {
          maxEventAge: Duration.hours(24),
          retryAttempts: 185,
          deadLetterQueue: this.feedbackRuleDeadLetterQueue,
        }),
      ],
    });
    grantItemAccess(this.feedbackFunction, props.table, FEEDBACK_TABLE_ACCESS);
    grantPutEvents(this.feedbackFunction, props.eventBus);

    for (const [deadLetterQueue, what] of [
      [this.plannerFailureQueue, 'the on-failure destination of the planner’s stream mapping'],
      [this.feedbackRuleDeadLetterQueue, 'the dead-letter queue of the feedback rule’s target'],
      [this.feedbackDeadLetterQueue, 'the on-failure destination of the feedback function'],
    ] as const) {
      // cdk-nag recognises a dead-letter queue only as the redrive target of another queue.
      Validations.of(deadLetterQueue).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason:
          `This queue is itself a dead-letter queue (${what}), read by operators and alarmed on; a ` +
          'dead-letter queue behind it would only move the same messages one hop further away.',
      });
    }

    this.deadLetterQueues = [
      this.plannerFailureQueue,
      this.notificationDeadLetterQueue,
      this.feedbackRuleDeadLetterQueue,
      this.feedbackDeadLetterQueue,
    ];
  }
}

/** sqs:SendMessage alone (SendMessageBatch is authorised as SendMessage); not grantSendMessages(), which adds GetQueueAttributes and GetQueueUrl. */
const grantSendMessage = (grantee: IGrantable, queue: IQueue): void => {
  Grant.addToPrincipal({ grantee, actions: ['sqs:SendMessage'], resourceArns: [queue.queueArn] });
};

const grantPutEvents = (grantee: IGrantable, eventBus: IEventBus): void => {
  Grant.addToPrincipal({ grantee, actions: ['events:PutEvents'], resourceArns: [eventBus.eventBusArn] });
};

const PLATFORM_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:app\/([A-Z_]+)\/[A-Za-z0-9_.-]+$/;

const validatePlatformApplications = (
  path: string,
  applications: PushPlatformApplications,
): Record<string, string> => {
  const valid: Record<string, string> = {};
  for (const [key, arn] of Object.entries(applications) as [string, string | undefined][]) {
    if (arn === undefined) continue;
    const expected = PLATFORM_TYPES[key as keyof PushPlatformApplications];
    if (!expected) {
      throw new Error(`${path}: pushPlatformApplications.${key} is not a platform (apns, apns_sandbox, fcm)`);
    }
    const type = PLATFORM_ARN.exec(arn)?.[1];
    if (type !== expected) {
      throw new Error(
        `${path}: pushPlatformApplications.${key} must be the ARN of an SNS ${expected} platform application (arn:aws:sns:<region>:<account>:app/${expected}/<name>), got ${JSON.stringify(arn)}`,
      );
    }
    valid[key] = arn;
  }
  return valid;
};
