import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { EventBus, type IEventBus } from 'aws-cdk-lib/aws-events';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { DEFAULT_EVENT_SOURCE } from '../functions/domain/order-events.js';
import { Monitoring } from './monitoring.js';
import { NotificationPipeline, type PushPlatformApplications } from './notification-pipeline.js';
import { OrderIngest } from './order-ingest.js';
import { OrderStore } from './order-store.js';
import { PlatformConnectors } from './platform-connectors.js';
import { ShopRegistry, type ShopRegistryProps } from './shop-registry.js';
import { StatusApi, type StatusApiThrottling } from './status-api.js';
import { CONNECTOR_SOURCES } from './wiring.js';

export interface OrderNotificationsProps {
  /**
   * The bus the shop platforms put order events on; notification outcomes are published on it too.
   * @default - a new bus, `OrderEventBus`
   */
  readonly eventBus?: IEventBus;
  /**
   * The `source`s of the order events to accept: one per producer (shop platform). Each shop in the
   * registry names the producers that may write its orders (`producers`); each producer's IAM policy
   * allows it to put its own source only (`events:source`, docs/shop-registry.md).
   * @default ['shop.orders']
   */
  readonly eventSources?: readonly string[];
  /**
   * The shop registry: its cache time (how soon a `shops put` is live) and retention. The shops
   * themselves are written with the CLI (`npm run cli -- shops put`), not deployed.
   * @default - a cache of 60 seconds, retained
   */
  readonly shopRegistry?: Omit<ShopRegistryProps, 'removalPolicy'>;
  /**
   * The deployment's default SES identity: a domain (`platform.example`), an address, or the ARN of
   * either, verified in SES in the stack's region. A shop without its own `email.identityArn` sends
   * through it, so its `email.from` must belong to it; a shop with its own identity sends through that
   * (allowed when tagged for this deployment, docs/deploy.md).
   */
  readonly sesIdentity: string;
  /**
   * SNS platform applications for mobile push, by ARN (created outside the stack: they hold the APNs
   * and FCM credentials). `sns:CreatePlatformEndpoint` is allowed on these only.
   * @default - no push
   */
  readonly pushPlatformApplications?: PushPlatformApplications;
  /**
   * Where alarms notify.
   * @default - a new topic when `alarmEmail` is given, otherwise none
   */
  readonly alarmTopic?: ITopic;
  /**
   * An address subscribed to the alarm topic (it confirms the subscription once).
   * @default - no e-mail subscription
   */
  readonly alarmEmail?: string;
  /**
   * How long the functions' logs and the API's access logs are kept.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * Origins allowed to call the status API from a browser (CORS).
   * @default - none
   */
  readonly corsAllowedOrigins?: readonly string[];
  /**
   * Throttling of the status API for all clients together (each client is also limited on its own).
   * @default - 50 requests a second, bursts of 100: ten times the peak of a large shop, and a cap on
   * what a flood can cost (see `DEFAULT_STATUS_API_THROTTLING`)
   */
  readonly statusApiThrottling?: StatusApiThrottling;
  /**
   * The account's monthly SMS spend limit in USD, for the spend alarm (80% of it).
   * @default 1 - the limit of a new account
   */
  readonly smsMonthlySpendLimitUsd?: number;
  /**
   * Most notification sends in flight at once (see `NotificationPipelineProps.senderMaxConcurrency`).
   * @default 5
   */
  readonly senderMaxConcurrency?: number;
  /**
   * What happens to the stateful resources (the order table, the unsubscribe secret and the rate-limit
   * salt) when they leave the stack. DESTROY is for throw-away test deployments only: the table holds
   * the shops' orders, and a new unsubscribe secret breaks every unsubscribe link already sent.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The whole order-notification backend in one construct: order events in (OrderIngest), the order
 * table (OrderStore), notifications out by e-mail, SMS and push with the e-mail feedback
 * (NotificationPipeline), the public status API and unsubscribe page (StatusApi), and alarms with a
 * dashboard (Monitoring).
 *
 * Construct ids are a contract: renaming `OrderStore`, `OrderIngest`, `UnsubscribeSecret` or
 * `RateLimitSalt` replaces what they hold.
 */
export class OrderNotifications extends Construct {
  readonly store: OrderStore;
  readonly eventBus: IEventBus;
  readonly alarmTopic?: ITopic;
  readonly ingest: OrderIngest;
  /** Signs and verifies the unsubscribe links. */
  readonly unsubscribeSecret: Secret;
  /** Keys the HMAC of client addresses in the status API's rate-limit counters. */
  readonly rateLimitSalt: Secret;
  readonly pipeline: NotificationPipeline;
  readonly statusApi: StatusApi;
  /** The shop platforms' webhooks in (WooCommerce). */
  readonly connectors: PlatformConnectors;
  readonly monitoring: Monitoring;
  /** The shops served: the registry the functions read and the CLI writes. */
  readonly shopRegistry: ShopRegistry;
  /** The ARN `ses:SendEmail` is allowed on. */
  readonly sesIdentityArn: string;

  constructor(scope: Construct, id: string, props: OrderNotificationsProps) {
    super(scope, id);

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const sesIdentity = parseSesIdentity(this.node.path, props.sesIdentity);
    this.sesIdentityArn =
      sesIdentity.arn ??
      Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: sesIdentity.name });
    const eventSources = props.eventSources ?? [DEFAULT_EVENT_SOURCE];
    // Checked here as well as in OrderIngest, which gets the connectors' sources on top of these.
    if (eventSources.length === 0 || new Set(eventSources).size !== eventSources.length) {
      throw new Error(
        `${this.node.path}: eventSources must list each producer's source once, got ${JSON.stringify(eventSources)}`,
      );
    }
    if (props.alarmEmail !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(props.alarmEmail)) {
      throw new Error(
        `${this.node.path}: alarmEmail must be an e-mail address, got ${JSON.stringify(props.alarmEmail)}`,
      );
    }

    this.store = new OrderStore(this, 'OrderStore', { removalPolicy });
    this.shopRegistry = new ShopRegistry(this, 'ShopRegistry', { ...props.shopRegistry, removalPolicy });

    this.eventBus =
      props.eventBus ??
      new EventBus(this, 'OrderEventBus', { description: 'Order events from the shop platforms' });

    let alarmTopic = props.alarmTopic;
    if (!alarmTopic && props.alarmEmail) {
      // No KMS key: alarm messages carry alarm names and metric values, no order or customer data, and
      // CloudWatch cannot publish to a topic under the AWS managed SNS key.
      alarmTopic = new Topic(this, 'AlarmTopic', {
        displayName: 'Order notifications alarms',
        enforceSSL: true,
      });
    }
    if (alarmTopic && props.alarmEmail) alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));
    this.alarmTopic = alarmTopic;

    this.ingest = new OrderIngest(this, 'OrderIngest', {
      table: this.store.table,
      eventBus: this.eventBus,
      // The connectors put what they translate on the bus under their own sources, for this same ingest.
      eventSources: [
        ...eventSources,
        ...CONNECTOR_SOURCES.filter((source) => !eventSources.includes(source)),
      ],
      shopRegistry: this.shopRegistry,
      logRetention: props.logRetention,
      alarmTopic,
    });

    this.unsubscribeSecret = new Secret(this, 'UnsubscribeSecret', {
      description: 'Signs the unsubscribe links of the order notifications (HMAC-SHA256 key)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy,
    });
    Validations.of(this.unsubscribeSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Not rotated by a Lambda on a schedule: the functions read it at run time and accept the previous ' +
        'keys the secret lists, so an operator rotates it without a deploy and without breaking the links ' +
        'already sent (docs/deploy.md, "Rotating the secrets"); a scheduled rotation that dropped old keys ' +
        'would break every unsubscribe link in mailboxes, which mailbox providers expect to keep working.',
    });
    this.rateLimitSalt = new Secret(this, 'RateLimitSalt', {
      description: 'Keys the HMAC of client addresses in the status API rate-limit counters',
      generateSecretString: { passwordLength: 32, excludePunctuation: true, includeSpace: false },
      removalPolicy,
    });
    Validations.of(this.rateLimitSalt).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Not rotated on a schedule: it only pseudonymises client addresses in rate-limit counters that ' +
        'live for minutes; the status function reads it at run time, so an operator replaces it without a ' +
        'deploy (docs/deploy.md, "Rotating the secrets"), which restarts the counters.',
    });

    this.pipeline = new NotificationPipeline(this, 'NotificationPipeline', {
      table: this.store.table,
      eventBus: this.eventBus,
      shopRegistry: this.shopRegistry,
      sesIdentityArn: this.sesIdentityArn,
      unsubscribeSecret: this.unsubscribeSecret,
      pushPlatformApplications: props.pushPlatformApplications,
      senderMaxConcurrency: props.senderMaxConcurrency,
      logRetention: props.logRetention,
    });

    this.statusApi = new StatusApi(this, 'StatusApi', {
      table: this.store.table,
      shopRegistry: this.shopRegistry,
      unsubscribeSecret: this.unsubscribeSecret,
      rateLimitSalt: this.rateLimitSalt,
      throttling: props.statusApiThrottling,
      corsAllowedOrigins: props.corsAllowedOrigins,
      logRetention: props.logRetention,
    });

    this.connectors = new PlatformConnectors(this, 'PlatformConnectors', {
      table: this.store.table,
      eventBus: this.eventBus,
      shopRegistry: this.shopRegistry,
      httpApi: this.statusApi.httpApi,
      stage: this.statusApi.stage,
      logRetention: props.logRetention,
    });

    const { ingest, pipeline, statusApi, connectors } = this;
    this.monitoring = new Monitoring(this, 'Monitoring', {
      alarmTopic,
      deadLetterQueues: [
        {
          id: 'OrderEventsDeadLetterQueue',
          queue: ingest.deadLetterQueue,
          description: 'Order events the ingest dead-lettered.',
          existingAlarm: ingest.deadLetterQueueAlarm,
        },
        {
          id: 'RuleDeadLetterQueue',
          queue: ingest.ruleDeadLetterQueue,
          description: 'Order events EventBridge could not deliver.',
          existingAlarm: ingest.ruleDeadLetterQueueAlarm,
        },
        {
          id: 'PlannerFailureQueue',
          queue: pipeline.plannerFailureQueue,
          description:
            'The planner gave up on order table stream records: each message names the shard and sequence ' +
            'numbers; the changes in them were not notified.',
        },
        {
          id: 'NotificationDeadLetterQueue',
          queue: pipeline.notificationDeadLetterQueue,
          description:
            'Notification jobs the sender gave up on: the reason is in each message attribute "reason".',
        },
        {
          id: 'ConnectorDeadLetterQueue',
          queue: connectors.deadLetterQueue,
          description:
            'Shop platform webhook deliveries that could not be translated: the platform field and the ' +
            'problem are in each message attribute "reason" (docs/connectors.md).',
        },
        {
          id: 'FeedbackRuleDeadLetterQueue',
          queue: pipeline.feedbackRuleDeadLetterQueue,
          description: 'SES feedback events EventBridge could not deliver to the feedback function.',
        },
        {
          id: 'FeedbackDeadLetterQueue',
          queue: pipeline.feedbackDeadLetterQueue,
          description:
            'SES feedback events the feedback function failed on after its retries: bounces or complaints ' +
            'may not be recorded or suppressed.',
        },
      ],
      functions: [
        {
          id: 'IngestFunction',
          function: ingest.ingestFunction,
          existingAlarms: [ingest.functionErrorsAlarm, ingest.functionThrottlesAlarm],
        },
        { id: 'PlannerFunction', function: pipeline.plannerFunction },
        { id: 'SenderFunction', function: pipeline.senderFunction },
        { id: 'FeedbackFunction', function: pipeline.feedbackFunction },
        { id: 'StatusFunction', function: statusApi.statusFunction },
        { id: 'UnsubscribeFunction', function: statusApi.unsubscribeFunction },
        { id: 'WebhookFunction', function: connectors.webhookFunction },
      ],
      plannerFunction: pipeline.plannerFunction,
      senderFunction: pipeline.senderFunction,
      notificationQueue: pipeline.notificationQueue,
      httpApi: statusApi.httpApi,
      smsMonthlySpendLimitUsd: props.smsMonthlySpendLimitUsd,
    });
  }
}

const SES_IDENTITY_ARN = /^arn:aws[a-z-]*:ses:[a-z0-9-]+:\d{12}:identity\/(.+)$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const ADDRESS = /^[^\s@<>]+@([^\s@<>]+)$/;

/** The identity's name (domain or address) and, when given as one, its ARN. */
const parseSesIdentity = (path: string, value: string): { name: string; arn?: string } => {
  const fromArn = SES_IDENTITY_ARN.exec(value)?.[1];
  const name = fromArn ?? value;
  const domain = ADDRESS.exec(name)?.[1] ?? name;
  if (!DOMAIN.test(domain)) {
    throw new Error(
      `${path}: sesIdentity must be a domain, an e-mail address or the ARN of an SES identity (arn:aws:ses:<region>:<account>:identity/<domain or address>), got ${JSON.stringify(value)}`,
    );
  }
  return fromArn ? { name, arn: value } : { name };
};
