import { ArnFormat, Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import {
  type CfnStage,
  type HttpApi,
  HttpMethod,
  type HttpRoute,
  type HttpStage,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Grant, Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterPattern, MetricFilter, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DELIVERY_METRICS_NAMESPACE } from '../functions/adapters/powertools-delivery-metrics.js';
import { FUNCTION_TIMEOUT_SECONDS } from '../functions/commons/function-timeouts.js';
import { WEBHOOK_DELIVERY_MESSAGE, WEBHOOK_ROUTE } from '../functions/connector-webhooks/webhooks.js';
import { grantItemAccess, type ItemAccess } from './order-table-access.js';
import { ServiceFunction } from './service-function.js';
import type { ShopRegistry } from './shop-registry.js';
import type { StatusApiThrottling } from './status-api.js';
import {
  CONNECTOR_SOURCES,
  FUNCTION_SERVICE_NAMES,
  functionEnvironment,
  MESSAGE_RETENTION_SECONDS,
} from './wiring.js';

/**
 * What the webhook function does to the order table: read the status, payments and refunds of an order's
 * state item (GetItem with a projection), to leave out what the store already says. It writes nothing:
 * the ingest records the events.
 */
export const CONNECTOR_TABLE_ACCESS: readonly ItemAccess[] = [
  { actions: ['dynamodb:GetItem'], partitions: ['orders'] },
];

/**
 * The webhook route's own throttling, apart from the status API's: a shop's flash sale is hundreds of
 * order updates a minute, and must not use up what the customers' tracking pages need (nor the reverse).
 */
/** The namespace of the connectors' metrics (the notification metrics' own). */
export const CONNECTOR_METRICS_NAMESPACE = DELIVERY_METRICS_NAMESPACE;

export const DEFAULT_WEBHOOK_THROTTLING: StatusApiThrottling = { rateLimit: 100, burstLimit: 200 };

export interface PlatformConnectorsProps {
  readonly table: ITableV2;
  /** The bus the translated events go on, where the ingest's rule takes them. */
  readonly eventBus: IEventBus;
  readonly shopRegistry: ShopRegistry;
  /** The public HTTP API the webhook route is added to, and its stage (for the route's throttling). */
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  /**
   * Where the shops' webhook secrets are in Secrets Manager: `<prefix><shopId>/<platform>`. The function
   * may read secrets under this prefix and no other.
   * @default `<stack name>/connectors/`
   */
  readonly secretsPrefix?: string;
  /** @default DEFAULT_WEBHOOK_THROTTLING: 100 requests a second, bursts of 200 */
  readonly throttling?: StatusApiThrottling;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

/**
 * The shop platforms' webhooks in (docs/connectors.md): `POST /v1/webhooks/{platform}/{shopId}` on the
 * public HTTP API, a function that authenticates, translates and puts the events on the bus under the
 * connector's source, and a dead-letter queue for the deliveries it cannot translate.
 */
export class PlatformConnectors extends Construct {
  readonly webhookFunction: ServiceFunction;
  /** Deliveries that could not be translated, with the WooCommerce field named in attribute `reason`. */
  readonly deadLetterQueue: Queue;
  readonly secretsPrefix: string;
  /** GetSecretValue on the shops' webhook secrets (the prefix), on the webhook function's role. */
  readonly secretsPolicy: Policy;
  readonly throttling: StatusApiThrottling;
  /** `WebhookDeliveries` by Platform and Result, counted from the function's log. */
  readonly deliveriesFilter: MetricFilter;

  constructor(scope: Construct, id: string, props: PlatformConnectorsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.secretsPrefix = props.secretsPrefix ?? `${stack.stackName}/connectors/`;
    if (
      !Token.isUnresolved(this.secretsPrefix) &&
      !/^[A-Za-z0-9/_+=.@-]{1,400}\/$/.test(this.secretsPrefix)
    ) {
      throw new Error(
        `${this.node.path}: secretsPrefix must be a secret name prefix ending in /, got ${JSON.stringify(this.secretsPrefix)}`,
      );
    }
    this.throttling = props.throttling ?? DEFAULT_WEBHOOK_THROTTLING;

    this.deadLetterQueue = new Queue(this, 'ConnectorDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.seconds(MESSAGE_RETENTION_SECONDS),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue (webhook deliveries that could not be translated), read ' +
        'by operators; nothing consumes it, so there is nothing to dead-letter behind it.',
    });

    this.webhookFunction = new ServiceFunction(this, 'WebhookFunction', {
      entry: 'functions/connector-webhooks/index.ts',
      serviceName: FUNCTION_SERVICE_NAMES['connector-webhooks'],
      description: 'Shop platform webhooks (WooCommerce) translated into order events on the bus',
      timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS['connector-webhooks']),
      logRetention: props.logRetention,
      environment: functionEnvironment('connector-webhooks', {
        ORDERS_TABLE_NAME: props.table.tableName,
        EVENT_BUS_NAME: props.eventBus.eventBusName,
        CONNECTOR_DEAD_LETTER_QUEUE_URL: this.deadLetterQueue.queueUrl,
        CONNECTOR_SECRETS_PREFIX: this.secretsPrefix,
        ...props.shopRegistry.environment(),
      }),
    });
    props.shopRegistry.grantRead(this.webhookFunction);
    grantItemAccess(this.webhookFunction, props.table, CONNECTOR_TABLE_ACCESS);
    // Its own sources only: it cannot put an event a shop platform's producer would (events:source).
    Grant.addToPrincipal({
      grantee: this.webhookFunction,
      actions: ['events:PutEvents'],
      resourceArns: [props.eventBus.eventBusArn],
      conditions: { StringEquals: { 'events:source': [...CONNECTOR_SOURCES] } },
    });
    // The shops' webhook secrets and nothing else; no DescribeSecret, no ListSecrets. A policy of its own,
    // so the acknowledgement of its wildcard covers this statement alone.
    this.secretsPolicy = new Policy(this, 'WebhookSecretsPolicy', {
      roles: [this.webhookFunction.role],
      statements: [
        new PolicyStatement({
          actions: ['secretsmanager:GetSecretValue'],
          resources: [
            stack.formatArn({
              service: 'secretsmanager',
              resource: 'secret',
              resourceName: `${this.secretsPrefix}*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ],
        }),
      ],
    });
    Validations.of(this.secretsPolicy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${this.secretsPrefix}*]`,
      reason:
        'Shops are onboarded without a deploy, each with a webhook secret of its own, so the secrets cannot be ' +
        'listed here; the statement allows GetSecretValue under this deployment’s connector prefix only ' +
        '(<prefix><shopId>/<platform>), and the function reads one only for a shop whose registry entry has the connector.',
    });
    Grant.addToPrincipal({
      grantee: this.webhookFunction,
      actions: ['sqs:SendMessage'],
      resourceArns: [this.deadLetterQueue.queueArn],
    });

    // Every delivery counted by platform and result (accepted, unchanged, ignored, dead-lettered,
    // unauthorized…), from the function's one log line per delivery: no metrics library in the bundle.
    this.deliveriesFilter = new MetricFilter(this, 'WebhookDeliveriesFilter', {
      logGroup: this.webhookFunction.logGroup,
      filterPattern: FilterPattern.stringValue('$.message', '=', WEBHOOK_DELIVERY_MESSAGE),
      metricNamespace: CONNECTOR_METRICS_NAMESPACE,
      metricName: 'WebhookDeliveries',
      metricValue: '1',
      dimensions: { Platform: '$.platform', Result: '$.result' },
    });

    const integration = new HttpLambdaIntegration('WebhookIntegration', this.webhookFunction.function);
    const routes: HttpRoute[] = [];
    for (const method of [HttpMethod.POST, HttpMethod.ANY]) {
      routes.push(...props.httpApi.addRoutes({ path: WEBHOOK_ROUTE, methods: [method], integration }));
    }
    props.stage.node.addDependency(...routes);
    const cfnStage = props.stage.node.defaultChild as CfnStage;
    cfnStage.routeSettings = {
      ...(stack.resolve(cfnStage.routeSettings) as Record<string, unknown> | undefined),
      [`POST ${WEBHOOK_ROUTE}`]: {
        ThrottlingRateLimit: this.throttling.rateLimit,
        ThrottlingBurstLimit: this.throttling.burstLimit,
      },
    };
  }
}
