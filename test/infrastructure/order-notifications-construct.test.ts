/**
 * The OrderNotifications construct as a shop embeds it in its own CDK app: its props are checked at
 * synth time with the field named, and the optional props change what they say. Bundling is skipped
 * here (the stack test bundles for real); nothing below depends on the code assets.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { App, type CfnElement, Duration, type IResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/aws-clients.js';
import { DynamoDbErasureStore } from '../../functions/adapters/dynamodb-erasure.js';
import { DynamoDbNotificationLog } from '../../functions/adapters/dynamodb-notification-log.js';
import { DynamoDbOrderRepository } from '../../functions/adapters/dynamodb-order-repository.js';
import { DynamoDbRateLimiter } from '../../functions/adapters/dynamodb-rate-limiter.js';
import { DynamoDbSuppressionList } from '../../functions/adapters/dynamodb-suppression-list.js';
import type { NotificationRecord } from '../../functions/domain/notification-log.js';
import { OrderIngest } from '../../lib/order-ingest.js';
import { OrderNotifications, type OrderNotificationsProps } from '../../lib/order-notifications.js';
import { PARTITION_KEY_PREFIXES } from '../../lib/order-table-access.js';
import { ShopRegistry } from '../../lib/shop-registry.js';

const APNS = 'arn:aws:sns:eu-central-1:123456789012:app/APNS/podebem-ios';
const FCM = 'arn:aws:sns:eu-central-1:123456789012:app/GCM/podebem-android';
const SES_IDENTITY_ARN = 'arn:aws:ses:eu-central-1:123456789012:identity/podebem.example.pl';

/** A stack of the shop's own app, in a fixed account and region, without bundling the functions. */
const shopStack = (): Stack => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return new Stack(app, 'ShopStack', { env: { account: '123456789012', region: 'eu-central-1' } });
};

const build = (overrides: Partial<OrderNotificationsProps> = {}) =>
  new OrderNotifications(shopStack(), 'Notifications', {
    sesIdentity: 'podebem.example.pl',
    ...overrides,
  });

const logicalId = (resource: IResource): string =>
  Stack.of(resource).getLogicalId(resource.node.defaultChild as CfnElement);

describe('OrderNotifications', () => {
  describe('props checked at synth time', () => {
    it('rejects an SES identity that is neither a domain, an address nor an identity ARN', () => {
      expect(() => build({ sesIdentity: 'podebem' })).toThrow(/sesIdentity must be a domain/);
      expect(() => build({ sesIdentity: 'arn:aws:sns:eu-central-1:123456789012:identity/x.pl' })).toThrow(
        /sesIdentity/,
      );
    });

    it('rejects a platform application ARN of the wrong platform, naming the key', () => {
      expect(() => build({ pushPlatformApplications: { fcm: APNS } })).toThrow(
        /pushPlatformApplications\.fcm must be the ARN of an SNS GCM platform application/,
      );
    });

    it.each(['order-notifications', 'aws.ses', 'aws.events'])(
      'rejects %s as the order event source: its rule takes every event of the source',
      (eventSource) => {
        expect(() => build({ eventSources: ['shop.orders', eventSource] })).toThrow(
          /eventSources: must not be "order-notifications"/,
        );
      },
    );

    it('rejects an empty or repeated list of event sources', () => {
      expect(() => build({ eventSources: [] })).toThrow(/eventSources must list each producer's source once/);
      expect(() => build({ eventSources: ['shop.a', 'shop.a'] })).toThrow(/each producer's source once/);
    });

    it('rejects a shop cache time the functions cannot take', () => {
      expect(() => build({ shopRegistry: { cacheTime: Duration.hours(2) } })).toThrow(
        /ShopRegistry: cacheTime must be whole seconds from 0 to 3600, got 7200/,
      );
    });

    it('rejects those sources on the OrderIngest construct used on its own too', () => {
      const stack = shopStack();
      const attempt = () =>
        new OrderIngest(stack, 'Ingest', {
          table: new Table(stack, 'Orders', { partitionKey: { name: 'pk', type: AttributeType.STRING } }),
          eventBus: new EventBus(stack, 'Bus'),
          eventSources: ['order-notifications'],
          shopRegistry: new ShopRegistry(stack, 'Shops'),
        });

      expect(attempt).toThrow('ShopStack/Ingest: eventSources: must not be "order-notifications"');
    });

    it('rejects a sender concurrency an SQS event source cannot have', () => {
      expect(() => build({ senderMaxConcurrency: 1 })).toThrow(
        /senderMaxConcurrency must be an integer from 2/,
      );
    });
  });

  describe('with every option set', () => {
    let notifications: OrderNotifications;
    let template: Template;
    let alarmTopic: Topic;
    let eventBus: EventBus;

    beforeAll(() => {
      const stack = shopStack();
      alarmTopic = new Topic(stack, 'ShopAlarms', { enforceSSL: true });
      eventBus = new EventBus(stack, 'ShopBus');
      notifications = new OrderNotifications(stack, 'Notifications', {
        sesIdentity: SES_IDENTITY_ARN,
        eventBus,
        eventSources: ['shop.podebem', 'platform.acme'],
        pushPlatformApplications: { apns: APNS, fcm: FCM },
        alarmTopic,
        logRetention: RetentionDays.THREE_MONTHS,
        corsAllowedOrigins: ['https://podebem.example.pl'],
        statusApiThrottling: { rateLimit: 10, burstLimit: 20 },
        smsMonthlySpendLimitUsd: 50,
        senderMaxConcurrency: 2,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      template = Template.fromStack(stack);
    });

    const senderStatements = () =>
      Object.values(template.findResources('AWS::IAM::Policy'))
        .filter(
          (policy) =>
            JSON.stringify(policy.Properties.Roles) ===
            JSON.stringify([{ Ref: logicalId(notifications.pipeline.senderFunction.role) }]),
        )
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement);

    it('lets the sender create push endpoints on the given platform applications only', () => {
      const sender =
        template.findResources('AWS::Lambda::Function')[
          logicalId(notifications.pipeline.senderFunction.function)
        ];

      expect(senderStatements()).toContainEqual({
        Effect: 'Allow',
        Action: 'sns:CreatePlatformEndpoint',
        Resource: [APNS, FCM],
      });
      expect(JSON.parse(sender?.Properties.Environment.Variables.PUSH_PLATFORM_APPLICATIONS)).toEqual({
        apns: APNS,
        fcm: FCM,
      });
    });

    it('allows ses:SendEmail on the identity ARN as given', () => {
      const sendEmail = senderStatements().find((statement) => statement.Action === 'ses:SendEmail');

      expect(sendEmail.Resource).toContain(SES_IDENTITY_ARN);
      expect(notifications.sesIdentityArn).toBe(SES_IDENTITY_ARN);
    });

    it('takes order events from the given bus and source, and creates no bus of its own', () => {
      template.resourceCountIs('AWS::Events::EventBus', 1);
      template.hasResourceProperties('AWS::Events::Rule', {
        EventBusName: { Ref: logicalId(eventBus) },
        // The producers' sources, then the connectors' (which put what they translate on this bus).
        EventPattern: {
          source: ['shop.podebem', 'platform.acme', 'order-notifications.connector.woocommerce'],
        },
      });
    });

    it('notifies the given topic and creates none', () => {
      const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));

      template.resourceCountIs('AWS::SNS::Topic', 1);
      expect(alarms.length).toBeGreaterThan(0);
      for (const alarm of alarms) {
        expect(alarm.Properties.AlarmActions).toEqual([{ Ref: logicalId(alarmTopic) }]);
      }
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'SMSMonthToDateSpentUSD',
        Threshold: 40,
      });
    });

    it('deletes the table and the secrets with the stack when told to, and lifts deletion protection', () => {
      const table = template.findResources('AWS::DynamoDB::GlobalTable')[
        logicalId(notifications.store.table)
      ];

      expect(table?.DeletionPolicy).toBe('Delete');
      expect(table?.Properties.Replicas[0].DeletionProtectionEnabled).toBe(false);
      for (const secret of Object.values(template.findResources('AWS::SecretsManager::Secret'))) {
        expect(secret.DeletionPolicy).toBe('Delete');
      }
    });

    it('keeps every log for the given retention', () => {
      const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));

      // Seven functions and the access logs.
      expect(groups).toHaveLength(8);
      for (const group of groups) expect(group.Properties.RetentionInDays).toBe(90);
    });

    it('allows the given origins, throttles as given and caps the sender as given', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        CorsConfiguration: {
          AllowOrigins: ['https://podebem.example.pl'],
          AllowMethods: ['GET', 'POST'],
          AllowHeaders: ['content-type'],
        },
      });
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        DefaultRouteSettings: { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 },
      });
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: logicalId(notifications.pipeline.senderFunction.function) },
        ScalingConfig: { MaximumConcurrency: 2 },
      });
    });
  });

  describe('partition key prefixes in the IAM conditions', () => {
    /** The parts of a DynamoDB request that hold partition keys. */
    interface RecordedInput {
      readonly Key?: { readonly pk: string };
      readonly Item?: { readonly pk: string };
      readonly ExpressionAttributeValues?: Record<string, unknown>;
      readonly RequestItems?: Record<string, { readonly Keys: readonly { readonly pk: string }[] }>;
    }
    /** A document client that records the requests the adapters make, and answers with nothing. */
    const recorder = () => {
      const client = documentClient(new DynamoDBClient({ region: 'eu-central-1' }));
      const mock = mockClient(client);
      mock.onAnyCommand().resolves({ Items: [], Attributes: { count: 1 }, Responses: {} });
      return { client, inputs: () => mock.calls().map((call) => call.args[0].input as RecordedInput) };
    };
    const partitionKeysOf = (inputs: readonly RecordedInput[]): unknown[] =>
      inputs.flatMap((input) => [
        ...(input.Key ? [input.Key.pk] : []),
        ...(input.Item ? [input.Item.pk] : []),
        ...(input.ExpressionAttributeValues?.[':pk'] ? [input.ExpressionAttributeValues[':pk']] : []),
        ...Object.values(input.RequestItems ?? {}).flatMap((request) => request.Keys.map((item) => item.pk)),
      ]);
    const key = { shopId: 'sklep-pod-debem', orderId: 'o-1' };

    it('match the keys the adapters actually write and read', async () => {
      const orders = recorder();
      await new DynamoDbOrderRepository(orders.client, 't').load(key);
      const claims = recorder();
      await new DynamoDbOrderRepository(claims.client, 't').findByOrderNumber(key.shopId, 'ZAM/1');
      const contacts = recorder();
      await new DynamoDbErasureStore(contacts.client, 't').findOrders(key.shopId, [
        { kind: 'email', canonical: 'jan@example.pl' },
      ]);
      const notificationLog = recorder();
      const log = new DynamoDbNotificationLog(notificationLog.client, 't');
      await log.list(key);
      await log.get({ ...key, eventId: 'e-1', channel: 'email' });
      await log.create({ ...key, eventId: 'e-1', channel: 'email' } as NotificationRecord);
      await log.update({ ...key, eventId: 'e-1', channel: 'email' }, ['sent'], { outcome: 'delivered' });
      const suppressions = recorder();
      const list = new DynamoDbSuppressionList(suppressions.client, 't');
      await list.check(key.shopId, 'email', 'jan@example.pl');
      await list.suppress(key.shopId, 'email', 'jan@example.pl', 'bounced');
      await list.disabledPushTokens(key.shopId, ['token']);
      const rates = recorder();
      await new DynamoDbRateLimiter(rates.client, 't', 'a-salt-of-sixteen-chars', {
        now: () => new Date(),
      }).hit('lookup', '192.0.2.1', { limit: 10, windowSeconds: 60 });

      for (const [recorded, partition, calls] of [
        [orders, PARTITION_KEY_PREFIXES.orders, 1],
        [claims, PARTITION_KEY_PREFIXES.orderNumbers, 1],
        [contacts, PARTITION_KEY_PREFIXES.contacts, 1],
        [notificationLog, PARTITION_KEY_PREFIXES.notifications, 4],
        [suppressions, PARTITION_KEY_PREFIXES.suppressions, 3],
        [rates, PARTITION_KEY_PREFIXES.rateLimits, 1],
      ] as const) {
        const keys = partitionKeysOf(recorded.inputs());
        expect(keys).toHaveLength(calls);
        for (const pk of keys)
          expect(String(pk).startsWith(partition), `${pk} starts with ${partition}`).toBe(true);
      }
    });
  });
});
