import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { EventBus, type IEventBus } from 'aws-cdk-lib/aws-events';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { OrderIngest } from './order-ingest.js';
import { OrderStore } from './order-store.js';

export interface OrderNotificationsStackProps extends StackProps {
  /** The `source` of the order events the shop platforms put on the bus, e.g. `shop.orders`. */
  readonly eventSource: string;
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
}

/** The order-notification backend: order events in, the order timeline stored, alarms on every loss path. */
export class OrderNotificationsStack extends Stack {
  readonly store: OrderStore;
  readonly eventBus: IEventBus;
  readonly alarmTopic?: ITopic;
  readonly ingest: OrderIngest;

  constructor(scope: Construct, id: string, props: OrderNotificationsStackProps) {
    super(scope, id, props);

    this.store = new OrderStore(this, 'OrderStore');

    this.eventBus = props.eventBusName
      ? EventBus.fromEventBusName(this, 'ImportedEventBus', props.eventBusName)
      : new EventBus(this, 'OrderEventBus', { description: 'Order events from the shop platforms' });

    if (props.alarmEmail) {
      // No KMS key: alarm messages carry alarm names and metric values, no order or customer data, and
      // CloudWatch cannot publish to a topic under the AWS managed SNS key.
      const topic = new Topic(this, 'AlarmTopic', {
        displayName: 'Order notifications alarms',
        enforceSSL: true,
      });
      topic.addSubscription(new EmailSubscription(props.alarmEmail));
      this.alarmTopic = topic;
    }

    this.ingest = new OrderIngest(this, 'OrderIngest', {
      table: this.store.table,
      eventBus: this.eventBus,
      eventSource: props.eventSource,
      alarmTopic: this.alarmTopic,
    });

    new CfnOutput(this, 'EventBusName', {
      value: this.eventBus.eventBusName,
      description: 'The bus shop platforms put order events on',
    });
    new CfnOutput(this, 'OrderTableName', { value: this.store.table.tableName });
    new CfnOutput(this, 'DeadLetterQueueUrl', {
      value: this.ingest.deadLetterQueue.queueUrl,
      description: 'Order events the ingest gave up on, each with its reason in the message attributes',
    });
    new CfnOutput(this, 'RuleDeadLetterQueueUrl', {
      value: this.ingest.ruleDeadLetterQueue.queueUrl,
      description: 'Order events EventBridge could not deliver to the ingest queue',
    });
  }
}
