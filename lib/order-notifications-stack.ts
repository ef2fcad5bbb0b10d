import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import type { PushPlatformApplications } from './notification-pipeline.js';
import { OrderNotifications } from './order-notifications.js';

export interface OrderNotificationsStackProps extends StackProps {
  /** The `source`s of the order events the shop platforms put on the bus, one per platform. */
  readonly eventSources: readonly string[];
  /**
   * An existing event bus to take order events from.
   * @default - a new bus, `OrderEventBus`, whose name is a stack output
   */
  readonly eventBusName?: string;
  /**
   * Who is e-mailed when an alarm changes state (they confirm the subscription once).
   * @default - no alarm topic; the alarms only change state
   */
  readonly alarmEmail?: string;
  /** The deployment's default verified SES identity (domain, address or ARN). */
  readonly sesIdentity: string;
  /**
   * SNS platform application ARNs for push.
   * @default - no push
   */
  readonly pushPlatformApplications?: PushPlatformApplications;
  /**
   * The account's monthly SMS spend limit in USD, for the spend alarm.
   * @default 1
   */
  readonly smsMonthlySpendLimitUsd?: number;
  /**
   * Origins allowed to call the status API from a browser.
   * @default - none
   */
  readonly corsAllowedOrigins?: readonly string[];
}

/** The order-notification backend as a deployable stack, configured from the CDK context (bin/app.ts). */
export class OrderNotificationsStack extends Stack {
  readonly notifications: OrderNotifications;

  constructor(scope: Construct, id: string, props: OrderNotificationsStackProps) {
    super(scope, id, props);

    // The id `Default` is left out of logical ids, so the table, the bus and the ingest resources keep
    // the logical ids they had when the stack created them directly: no replacement on upgrade.
    this.notifications = new OrderNotifications(this, 'Default', {
      eventBus: props.eventBusName
        ? EventBus.fromEventBusName(this, 'ImportedEventBus', props.eventBusName)
        : undefined,
      eventSources: props.eventSources,
      sesIdentity: props.sesIdentity,
      pushPlatformApplications: props.pushPlatformApplications,
      alarmEmail: props.alarmEmail,
      smsMonthlySpendLimitUsd: props.smsMonthlySpendLimitUsd,
      corsAllowedOrigins: props.corsAllowedOrigins,
    });
    const { eventBus, store, ingest, pipeline, statusApi, monitoring, connectors } = this.notifications;

    new CfnOutput(this, 'EventBusName', {
      value: eventBus.eventBusName,
      description: 'The bus shop platforms put order events on',
    });
    new CfnOutput(this, 'OrderTableName', { value: store.table.tableName });
    new CfnOutput(this, 'ShopRegistryTableName', {
      value: this.notifications.shopRegistry.table.tableName,
      description: 'The shop registry: `npm run cli -- shops put` writes it (docs/shop-registry.md)',
    });
    new CfnOutput(this, 'DeadLetterQueueUrl', {
      value: ingest.deadLetterQueue.queueUrl,
      description: 'Order events the ingest gave up on, each with its reason in the message attributes',
    });
    new CfnOutput(this, 'RuleDeadLetterQueueUrl', {
      value: ingest.ruleDeadLetterQueue.queueUrl,
      description: 'Order events EventBridge could not deliver to the ingest queue',
    });
    new CfnOutput(this, 'StatusApiUrl', {
      value: statusApi.url,
      description:
        "The status API and tracking page; the shops' statusPage.baseUrl points here (or at a custom domain mapped to it)",
    });
    new CfnOutput(this, 'NotificationDeadLetterQueueUrl', {
      value: pipeline.notificationDeadLetterQueue.queueUrl,
      description: 'Notification jobs the sender gave up on, each with its reason in the message attributes',
    });
    new CfnOutput(this, 'SesIdentityArn', {
      value: this.notifications.sesIdentityArn,
      description:
        'The SES identity shops without their own send through; ORDER_NOTIFICATIONS_SES_IDENTITY for `shops put`',
    });
    new CfnOutput(this, 'SesConfigurationSetName', {
      value: pipeline.configurationSet.configurationSetName,
      description: 'The SES configuration set every notification e-mail is sent with',
    });
    new CfnOutput(this, 'ConnectorSecretsPrefix', {
      value: connectors.secretsPrefix,
      description:
        "Where each shop's webhook secret goes in Secrets Manager: <prefix><shopId>/woocommerce (docs/connectors.md)",
    });
    new CfnOutput(this, 'ConnectorDeadLetterQueueUrl', {
      value: connectors.deadLetterQueue.queueUrl,
      description:
        'Webhook deliveries that could not be translated, each with its reason in the message attributes',
    });
    new CfnOutput(this, 'DashboardName', { value: monitoring.dashboard.dashboardName });
  }
}
