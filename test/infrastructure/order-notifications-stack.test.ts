/**
 * What the stack promises, read from the synthesized template: who may touch what, where a failed event
 * or notification ends up, what is kept, and what raises an alarm. Synthesized once, from the same
 * context as `npx cdk synth` (cdk.json and config/shops.example.json), with real esbuild bundling and
 * cdk-nag registered exactly as bin/app.ts registers it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, ArnFormat, type CfnElement, type IResource, type Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { SHOP_REGISTRY_SETTINGS } from '../../functions/adapters/dynamodb-shop-registry.js';
import { OUTCOME_SOURCE } from '../../functions/adapters/eventbridge-outcome-publisher.js';
import { orderTableDefinition } from '../../functions/adapters/order-table.js';
import { SECRET_SETTINGS } from '../../functions/adapters/secrets-manager-secrets.js';
import { FUNCTION_TIMEOUT_SECONDS, sdkTimeoutsFor } from '../../functions/commons/function-timeouts.js';
import { ORDER_EVENT_SCHEMAS } from '../../functions/domain/order-events.js';
import { orderEventPattern } from '../../lib/event-patterns.js';
import type { OrderNotifications } from '../../lib/order-notifications.js';
import { OrderNotificationsStack } from '../../lib/order-notifications-stack.js';
import { REPO_ROOT, type ServiceFunction } from '../../lib/service-function.js';
import { CONNECTOR_SOURCES } from '../../lib/wiring.js';
import { compilePattern } from '../../local/event-pattern.js';

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

interface NagViolation {
  readonly ruleName: string;
  readonly violatingConstructs?: readonly { readonly constructPath: string }[];
  readonly violatingResources?: readonly { readonly constructPath: string }[];
}

interface ValidationReport {
  readonly pluginReports: readonly { readonly pluginName: string; readonly violations: NagViolation[] }[];
}

/** A resource of the template, as `Template.findResources` gives it. */
type Resource = ReturnType<Template['findResources']>[string];

const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown>;
};

let app: App;
let stack: OrderNotificationsStack;
let n: OrderNotifications;
let template: Template;
let validationReport: ValidationReport;
let nag: AwsSolutionsChecks;

const logicalId = (resource: IResource): string =>
  (resource.stack as Stack).getLogicalId(resource.node.defaultChild as CfnElement);
const arnOf = (resource: IResource) => ({ 'Fn::GetAtt': [logicalId(resource), 'Arn'] });
const refOf = (resource: IResource) => ({ Ref: logicalId(resource) });
const actionsOf = (statement: Statement): string[] =>
  typeof statement.Action === 'string' ? [statement.Action] : [...statement.Action];
const resourcesOf = (statement: Statement): unknown[] =>
  Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];

/** The one resource of a type whose logical id is `id`, as a plain object. */
const resource = (type: string, id: string): Resource => {
  const found = template.findResources(type)[id];
  if (!found) throw new Error(`no ${type} ${id} in the template`);
  return found as Resource;
};
const resourcesOfType = (type: string): Resource[] =>
  Object.values(template.findResources(type)) as Resource[];
const lambda = (fn: ServiceFunction) => resource('AWS::Lambda::Function', logicalId(fn.function));
const environmentOf = (fn: ServiceFunction): Record<string, unknown> =>
  lambda(fn).Properties.Environment.Variables;

/** Every statement of every policy attached to the function's role. */
const statementsOf = (fn: ServiceFunction): Statement[] =>
  resourcesOfType('AWS::IAM::Policy')
    .filter((policy) =>
      (policy.Properties.Roles as unknown[]).some(
        (ref) => JSON.stringify(ref) === JSON.stringify(refOf(fn.role)),
      ),
    )
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);

beforeAll(() => {
  app = new App({
    context: {
      ...cdkJson.context,
      // Report cdk-nag findings in validation-report.json instead of failing the synth, so one finding
      // fails one test below rather than every test in the file.
      '@aws-cdk/core:failSynthOnValidationErrors': false,
    },
  });
  stack = new OrderNotificationsStack(app, 'OrderNotifications', {
    eventSources: ['shop.orders'],
    alarmEmail: 'operations@example.com',
    sesIdentity: String(cdkJson.context['order-notifications:sesIdentity']),
  });
  n = stack.notifications;
  nag = new AwsSolutionsChecks(app);
  Validations.of(app).addPlugins(nag);
  const assembly = app.synth();
  validationReport = JSON.parse(
    readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'),
  ) as ValidationReport;
  template = Template.fromStack(stack);
});

describe('OrderNotificationsStack', () => {
  describe('construct ids', () => {
    it('keeps the logical ids the table, the bus and the ingest had before the OrderNotifications construct', () => {
      // Renaming these replaces the resource: a new, empty order table, a new bus the shops do not know.
      expect(logicalId(n.store.table)).toBe('OrderStoreTable65E07B12');
      expect(logicalId(n.eventBus)).toBe('OrderEventBus8DA2948A');
      expect(logicalId(n.ingest.queue)).toBe('OrderIngestOrderEventsQueue4564B5D0');
      expect(logicalId(n.ingest.deadLetterQueue)).toBe('OrderIngestOrderEventsDeadLetterQueue999088EE');
      expect(logicalId(n.ingest.ruleDeadLetterQueue)).toBe('OrderIngestRuleDeadLetterQueue9E2E3277');
      expect(logicalId(n.ingest.rule)).toBe('OrderIngestOrderEventsRuleFA4FF18E');
      expect(logicalId(n.ingest.ingestFunction.function)).toBe('OrderIngestIngestFunction03473378');
    });
  });

  describe('permissions: one role per function, each with exactly what its code calls', () => {
    /** A name for every ARN a statement may name, so the expectations below read like a review. */
    const labels = (): Map<string, string> => {
      const { store, ingest, pipeline } = n;
      const named: [unknown, string][] = [
        [arnOf(store.table), 'table'],
        [arnOf(n.shopRegistry.table), 'shop registry'],
        [refOf(n.unsubscribeSecret), 'unsubscribe secret'],
        [refOf(n.rateLimitSalt), 'rate-limit salt'],
        [{ 'Fn::GetAtt': [logicalId(store.table), 'StreamArn'] }, 'table stream'],
        [stack.resolve(`${store.table.tableArn}/index/byTrackingToken`), 'index byTrackingToken'],
        [stack.resolve(`${store.table.tableArn}/index/byOrderNumber`), 'index byOrderNumber'],
        [arnOf(n.eventBus), 'order bus'],
        [stack.resolve(n.sesIdentityArn), 'SES identity'],
        [
          stack.resolve(
            stack.formatArn({
              service: 'ses',
              resource: 'configuration-set',
              resourceName: pipeline.configurationSet.configurationSetName,
            }),
          ),
          'SES configuration set',
        ],
        ['*', '*'],
        [
          stack.resolve(
            stack.formatArn({
              service: 'secretsmanager',
              resource: 'secret',
              resourceName: `${n.connectors.secretsPrefix}*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ),
          'the shops’ webhook secrets',
        ],
        [
          stack.resolve(stack.formatArn({ service: 'ses', resource: 'identity', resourceName: '*' })),
          'any SES identity',
        ],
        [
          stack.resolve(
            stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: '*' }),
          ),
          'any SES configuration set',
        ],
      ];
      for (const [queue, name] of [
        [ingest.queue, 'OrderEventsQueue'],
        [ingest.deadLetterQueue, 'OrderEventsDeadLetterQueue'],
        [pipeline.plannerFailureQueue, 'PlannerFailureQueue'],
        [pipeline.notificationQueue, 'NotificationQueue'],
        [pipeline.notificationDeadLetterQueue, 'NotificationDeadLetterQueue'],
        [pipeline.feedbackDeadLetterQueue, 'FeedbackDeadLetterQueue'],
        [n.connectors.deadLetterQueue, 'ConnectorDeadLetterQueue'],
      ] as const) {
        named.push([arnOf(queue), name]);
      }
      for (const fn of functions()) named.push([arnOf(fn.function.logGroup), `${fn.name} log group`]);
      return new Map(named.map(([arn, name]) => [JSON.stringify(arn), name]));
    };
    const functions = () => [
      { name: 'ingest', function: n.ingest.ingestFunction },
      { name: 'planner', function: n.pipeline.plannerFunction },
      { name: 'sender', function: n.pipeline.senderFunction },
      { name: 'feedback', function: n.pipeline.feedbackFunction },
      { name: 'status', function: n.statusApi.statusFunction },
      { name: 'unsubscribe', function: n.statusApi.unsubscribeFunction },
      { name: 'connectors', function: n.connectors.webhookFunction },
    ];
    /** `action on resource [if partition key like …]`, one line per action and resource. */
    const permissionsOf = (fn: ServiceFunction): string[] => {
      const names = labels();
      return statementsOf(fn).flatMap((statement) => {
        expect(statement.Effect).toBe('Allow');
        const condition = statement.Condition;
        let suffix = '';
        if (condition?.StringEquals?.['events:source']) {
          expect(Object.keys(condition)).toEqual(['StringEquals']);
          suffix = ` if source is ${(condition.StringEquals['events:source'] as string[]).join(' | ')}`;
        } else if (condition?.StringEquals) {
          // Tag-based: the resource must carry this deployment's tag, valued its configuration set's name.
          expect(condition).toEqual({
            StringEquals: { 'aws:ResourceTag/order-notifications': refOf(n.pipeline.configurationSet) },
          });
          suffix = ' if tagged for this deployment';
        } else if (condition) {
          expect(Object.keys(condition)).toEqual(['ForAllValues:StringLike']);
          const keys = condition['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] as string[];
          suffix = ` if pk like ${[...keys].sort().join(' | ')}`;
        }
        return actionsOf(statement).flatMap((action) =>
          resourcesOf(statement).map((arn) => {
            const name = names.get(JSON.stringify(arn));
            if (!name) throw new Error(`${action} on an unexpected resource ${JSON.stringify(arn)}`);
            return `${action} on ${name}${suffix}`;
          }),
        );
      });
    };
    const basics = (name: string) => [
      `logs:CreateLogStream on ${name} log group`,
      `logs:PutLogEvents on ${name} log group`,
    ];
    const consume = (queue: string) =>
      ['ChangeMessageVisibility', 'DeleteMessage', 'GetQueueAttributes', 'GetQueueUrl', 'ReceiveMessage'].map(
        (action) => `sqs:${action} on ${queue}`,
      );
    /** What the CDK grants for an on-failure destination (SqsDlq, SqsDestination). */
    const onFailure = (queue: string) =>
      ['GetQueueAttributes', 'GetQueueUrl', 'SendMessage'].map((action) => `sqs:${action} on ${queue}`);

    const EXPECTED: Record<string, readonly string[]> = {
      ingest: [
        ...basics('ingest'),
        ...consume('OrderEventsQueue'),
        'dynamodb:GetItem on shop registry',
        'dynamodb:Query on table',
        'dynamodb:PutItem on table',
        'dynamodb:ConditionCheckItem on table',
        'sqs:SendMessage on OrderEventsDeadLetterQueue',
      ],
      planner: [
        ...basics('planner'),
        ...['DescribeStream', 'GetRecords', 'GetShardIterator', 'ListStreams'].map(
          (action) => `dynamodb:${action} on table stream`,
        ),
        ...onFailure('PlannerFailureQueue'),
        'dynamodb:GetItem on shop registry',
        'dynamodb:Query on table if pk like ORDER#*',
        'sqs:SendMessage on NotificationQueue',
        'events:PutEvents on order bus',
      ],
      sender: [
        ...basics('sender'),
        ...consume('NotificationQueue'),
        'sqs:SendMessage on NotificationQueue',
        'sqs:SendMessage on NotificationDeadLetterQueue',
        'dynamodb:GetItem on shop registry',
        'dynamodb:Query on table if pk like ORDER#*',
        'dynamodb:GetItem on table if pk like NOTIFICATIONS#* | SUPPRESSION#*',
        'dynamodb:PutItem on table if pk like NOTIFICATIONS#* | SUPPRESSION#*',
        'dynamodb:UpdateItem on table if pk like NOTIFICATIONS#*',
        'dynamodb:BatchGetItem on table if pk like SUPPRESSION#*',
        'events:PutEvents on order bus',
        'ses:SendEmail on SES identity',
        'ses:SendEmail on SES configuration set',
        'ses:SendEmail on any SES identity if tagged for this deployment',
        'ses:SendEmail on any SES configuration set if tagged for this deployment',
        'sns:Publish on *',
        'sns:CheckIfPhoneNumberIsOptedOut on *',
        'secretsmanager:GetSecretValue on unsubscribe secret',
      ],
      feedback: [
        ...basics('feedback'),
        ...onFailure('FeedbackDeadLetterQueue'),
        'dynamodb:Query on table if pk like ORDER#*',
        'dynamodb:GetItem on table if pk like NOTIFICATIONS#*',
        'dynamodb:UpdateItem on table if pk like NOTIFICATIONS#*',
        'dynamodb:PutItem on table if pk like SUPPRESSION#*',
        'events:PutEvents on order bus',
      ],
      status: [
        ...basics('status'),
        'dynamodb:GetItem on shop registry',
        'dynamodb:Query on table if pk like NOTIFICATIONS#* | ORDER#*',
        'dynamodb:GetItem on table if pk like ORDER#* | ORDERNUMBER#*',
        'dynamodb:UpdateItem on table if pk like RATE#*',
        'dynamodb:Query on index byTrackingToken',
        'secretsmanager:GetSecretValue on rate-limit salt',
      ],
      unsubscribe: [
        ...basics('unsubscribe'),
        'dynamodb:GetItem on shop registry',
        'dynamodb:PutItem on table if pk like SUPPRESSION#*',
        'secretsmanager:GetSecretValue on unsubscribe secret',
      ],
      // Reads a state item's status, puts its own source's events, reads the shops' webhook secrets
      // under the deployment's prefix: it writes no order, and no producer's source is open to it.
      connectors: [
        ...basics('connectors'),
        'dynamodb:GetItem on shop registry',
        'dynamodb:GetItem on table if pk like ORDER#*',
        'events:PutEvents on order bus if source is order-notifications.connector.woocommerce',
        'secretsmanager:GetSecretValue on the shops’ webhook secrets',
        'sqs:SendMessage on ConnectorDeadLetterQueue',
      ],
    };

    it.each(Object.keys(EXPECTED))('%s: exactly the expected actions on the expected resources', (name) => {
      const fn = functions().find((candidate) => candidate.name === name)?.function as ServiceFunction;

      expect(permissionsOf(fn).sort()).toEqual([...(EXPECTED[name] ?? [])].sort());
    });

    it('gives every function a role of its own, with no managed or inline policies', () => {
      const roles = functions().map(({ function: fn }) => logicalId(fn.role));

      expect(new Set(roles).size).toBe(7);
      expect(resourcesOfType('AWS::IAM::Role')).toHaveLength(7);
      for (const id of roles) {
        const role = resource('AWS::IAM::Role', id);
        expect(role.Properties.ManagedPolicyArns).toBeUndefined();
        expect(role.Properties.Policies).toBeUndefined();
      }
      for (const { function: fn } of functions()) {
        expect(lambda(fn).Properties.Role).toEqual(arnOf(fn.role));
      }
    });

    it('keeps sns:Publish on "*" in a policy of its own, the only statement on "*"', () => {
      const policy = resource('AWS::IAM::Policy', logicalId(n.pipeline.senderSnsPolicy));

      expect(policy.Properties.PolicyDocument.Statement).toEqual([
        { Effect: 'Allow', Action: ['sns:CheckIfPhoneNumberIsOptedOut', 'sns:Publish'], Resource: '*' },
      ]);
      // Without platform applications there is no CreatePlatformEndpoint at all.
      expect(JSON.stringify(statementsOf(n.pipeline.senderFunction))).not.toContain('CreatePlatformEndpoint');
    });
  });

  describe('ingest queue', () => {
    it('redrives after as many deliveries as the function is told, to the dead-letter queue', () => {
      const queue = resource('AWS::SQS::Queue', logicalId(n.ingest.queue));
      const fn = lambda(n.ingest.ingestFunction);
      const environment = fn.Properties.Environment.Variables;

      expect(queue.Properties.RedrivePolicy.deadLetterTargetArn).toEqual(arnOf(n.ingest.deadLetterQueue));
      expect(queue.Properties.RedrivePolicy.maxReceiveCount).toBe(Number(environment.MAX_RECEIVE_COUNT));
      expect(queue.Properties.RedrivePolicy.maxReceiveCount).toBe(5);
      // The function's own dead letters go to the same queue as the redrive's.
      expect(environment.DEAD_LETTER_QUEUE_URL).toEqual(refOf(n.ingest.deadLetterQueue));
      expect(environment.ORDERS_TABLE_NAME).toEqual(refOf(n.store.table));
      expect(queue.Properties.VisibilityTimeout).toBe(6 * fn.Properties.Timeout);
    });

    it('is consumed in batches with partial failures reported', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: arnOf(n.ingest.queue),
        FunctionName: refOf(n.ingest.ingestFunction.function),
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BatchSize: 10,
        MaximumBatchingWindowInSeconds: 1,
        ScalingConfig: { MaximumConcurrency: 10 },
      });
    });
  });

  describe('queues', () => {
    it('encrypts every queue and refuses requests without TLS', () => {
      const queues = template.findResources('AWS::SQS::Queue');
      expect(Object.keys(queues)).toHaveLength(9);
      for (const [id, queue] of Object.entries(queues)) {
        expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
        const policies = resourcesOfType('AWS::SQS::QueuePolicy').filter(
          (policy) => JSON.stringify(policy.Properties.Queues) === JSON.stringify([{ Ref: id }]),
        );
        expect(policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement)).toContainEqual(
          expect.objectContaining({
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        );
      }
    });

    it('keeps every message for 14 days, so nothing expires before someone looks', () => {
      for (const queue of Object.values(template.findResources('AWS::SQS::Queue'))) {
        expect(queue.Properties.MessageRetentionPeriod).toBe(14 * 24 * 60 * 60);
      }
    });
  });

  describe('event rule', () => {
    it('matches every event of the configured source, whatever its detail-type, on the order bus', () => {
      const rule = resource('AWS::Events::Rule', logicalId(n.ingest.rule));
      const matches = compilePattern(rule.Properties.EventPattern);
      const fromShop = (detailType: string) => ({ source: 'shop.orders', 'detail-type': detailType });
      const misspelt = ['Order Exploded', 'order placed', 'Order Placed ', '', 'ORDER PLACED'];

      // The producers' source, and the connectors' (what they translate goes through this ingest too).
      expect(rule.Properties.EventPattern).toEqual(orderEventPattern(['shop.orders', ...CONNECTOR_SOURCES]));
      expect(rule.Properties.EventPattern).toEqual({
        source: ['shop.orders', 'order-notifications.connector.woocommerce'],
      });
      expect([...Object.keys(ORDER_EVENT_SCHEMAS), ...misspelt].map(fromShop).every(matches)).toBe(true);
      expect(rule.Properties.EventBusName).toEqual(refOf(n.eventBus));
    });

    it('does not match the outcome events the pipeline publishes on the same bus, so nothing loops', () => {
      const rule = resource('AWS::Events::Rule', logicalId(n.ingest.rule));
      const matches = compilePattern(rule.Properties.EventPattern);
      const outcomes = ['Notification Sent', 'Notification Failed', 'Notification Suppressed'];

      expect(outcomes.some((type) => matches({ source: OUTCOME_SOURCE, 'detail-type': type }))).toBe(false);
    });

    it('delivers to the ingest queue with retries, then to its own dead-letter queue', () => {
      const rule = resource('AWS::Events::Rule', logicalId(n.ingest.rule));

      expect(rule.Properties.Targets).toEqual([
        {
          Id: expect.any(String),
          Arn: arnOf(n.ingest.queue),
          RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
          DeadLetterConfig: { Arn: arnOf(n.ingest.ruleDeadLetterQueue) },
        },
      ]);
    });
  });

  describe('order table', () => {
    const definition = orderTableDefinition('unused');
    const table = () => resource('AWS::DynamoDB::GlobalTable', logicalId(n.store.table));
    const byName = (a: { AttributeName?: string }, b: { AttributeName?: string }) =>
      String(a.AttributeName).localeCompare(String(b.AttributeName));

    it('has the keys and indexes DynamoDB Local is created with', () => {
      const { Properties } = table();

      expect(Properties.KeySchema).toEqual(definition.KeySchema);
      expect([...Properties.AttributeDefinitions].sort(byName)).toEqual(
        [...(definition.AttributeDefinitions ?? [])].sort(byName),
      );
      expect(Properties.GlobalSecondaryIndexes).toEqual(definition.GlobalSecondaryIndexes);
      expect(Properties.BillingMode).toBe(definition.BillingMode);
      expect(Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
      expect(Properties.LocalSecondaryIndexes).toBeUndefined();
    });

    it('is retained, protected from deletion and recoverable to a point in time', () => {
      const { DeletionPolicy, UpdateReplacePolicy, Properties } = table();

      expect(DeletionPolicy).toBe('Retain');
      expect(UpdateReplacePolicy).toBe('Retain');
      expect(Properties.Replicas).toHaveLength(1);
      expect(Properties.Replicas[0]).toMatchObject({
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
    });

    it('is encrypted with the AWS managed key and reserves expiresAt for TTL', () => {
      const { Properties } = table();

      expect(Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
      expect(Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    });
  });

  describe('functions', () => {
    const all = () =>
      [
        [n.ingest.ingestFunction, 'order-ingest'],
        [n.pipeline.plannerFunction, 'notification-planner'],
        [n.pipeline.senderFunction, 'notification-sender'],
        [n.pipeline.feedbackFunction, 'email-feedback'],
        [n.statusApi.statusFunction, 'order-status-api'],
        [n.statusApi.unsubscribeFunction, 'unsubscribe'],
      ] as const;

    it('run Node 22 on ARM64 without X-Ray (nothing is instrumented), with source maps and JSON logs', () => {
      for (const [fn, serviceName] of all()) {
        expect(lambda(fn).Properties.TracingConfig).toBeUndefined();
        expect(lambda(fn).Properties).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          LoggingConfig: { LogFormat: 'JSON', LogGroup: refOf(fn.logGroup) },
          Environment: {
            Variables: expect.objectContaining({
              NODE_OPTIONS: '--enable-source-maps',
              POWERTOOLS_SERVICE_NAME: serviceName,
              POWERTOOLS_LOG_LEVEL: 'INFO',
            }),
          },
        });
      }
    });

    it('log to log groups of their own, kept for a month and deleted with the stack', () => {
      const groups = resourcesOfType('AWS::Logs::LogGroup');

      // Seven functions and the API's access log.
      expect(groups).toHaveLength(8);
      for (const group of groups) {
        expect(group.Properties.RetentionInDays).toBe(30);
        expect(group.DeletionPolicy).toBe('Delete');
      }
    });

    /**
     * The variable names in each handler's `readConfig({...})` are the contract: every variable the
     * stack sets must be one the handler reads, and every one it reads without a default must be set.
     */
    it.each([
      ['ingest-order-events', () => n.ingest.ingestFunction],
      ['plan-notifications', () => n.pipeline.plannerFunction],
      ['send-notifications', () => n.pipeline.senderFunction],
      ['email-feedback', () => n.pipeline.feedbackFunction],
      ['status-api', () => n.statusApi.statusFunction],
      ['unsubscribe', () => n.statusApi.unsubscribeFunction],
      ['connector-webhooks', () => n.connectors.webhookFunction],
    ] as const)('%s gets the environment its index.ts reads', (directory, fn) => {
      const declared = configVariables(join(REPO_ROOT, 'functions', directory, 'index.ts'));
      // Set by ServiceFunction for every function; FUNCTION_TIMEOUT_SECONDS is read by aws-clients.ts.
      const shared = [
        'NODE_OPTIONS',
        'POWERTOOLS_SERVICE_NAME',
        'POWERTOOLS_LOG_LEVEL',
        'POWERTOOLS_METRICS_DISABLED',
        'FUNCTION_TIMEOUT_SECONDS',
      ];
      const set = Object.keys(environmentOf(fn())).filter((name) => !shared.includes(name));

      expect(declared.length).toBeGreaterThan(0);
      expect(set.filter((name) => !declared.some((variable) => variable.name === name))).toEqual([]);
      expect(
        declared.filter((variable) => !variable.optional && !set.includes(variable.name)).map((v) => v.name),
      ).toEqual([]);
    });

    it('read the shop registry through a 60-second cache, and get their secrets’ ARNs, never their values', () => {
      const registryTable = refOf(n.shopRegistry.table);
      for (const fn of [
        n.ingest.ingestFunction,
        n.pipeline.plannerFunction,
        n.pipeline.senderFunction,
        n.statusApi.statusFunction,
        n.statusApi.unsubscribeFunction,
      ]) {
        expect(environmentOf(fn).SHOP_REGISTRY_TABLE_NAME).toEqual(registryTable);
        expect(environmentOf(fn).SHOP_CACHE_SECONDS).toBe('60');
        expect(environmentOf(fn)).not.toHaveProperty('SHOPS_CONFIG');
      }
      // The ARN only: no value (no {{resolve:secretsmanager}} reference) in any function's configuration.
      expect(environmentOf(n.pipeline.senderFunction).UNSUBSCRIBE_SECRET_ARN).toEqual(
        refOf(n.unsubscribeSecret),
      );
      expect(environmentOf(n.statusApi.unsubscribeFunction).UNSUBSCRIBE_SECRET_ARN).toEqual(
        refOf(n.unsubscribeSecret),
      );
      expect(environmentOf(n.statusApi.statusFunction).RATE_LIMIT_SALT_ARN).toEqual(refOf(n.rateLimitSalt));
      expect(JSON.stringify(resourcesOfType('AWS::Lambda::Function'))).not.toContain(
        'resolve:secretsmanager',
      );
    });
  });

  describe('secrets', () => {
    it('are readable by the functions that use them, GetSecretValue on that secret only, and by no other', () => {
      const secretStatements = (fn: ServiceFunction) =>
        statementsOf(fn).filter((statement) => JSON.stringify(statement.Action).includes('secretsmanager:'));
      for (const [fn, secret] of [
        [n.pipeline.senderFunction, n.unsubscribeSecret],
        [n.statusApi.unsubscribeFunction, n.unsubscribeSecret],
        [n.statusApi.statusFunction, n.rateLimitSalt],
      ] as const) {
        expect(secretStatements(fn)).toEqual([
          { Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: refOf(secret) },
        ]);
      }
      for (const fn of [n.ingest.ingestFunction, n.pipeline.plannerFunction]) {
        expect(secretStatements(fn)).toEqual([]);
      }
    });

    it('are generated, long enough for the handlers, and retained', () => {
      for (const [secret, length] of [
        [n.unsubscribeSecret, 64],
        [n.rateLimitSalt, 32],
      ] as const) {
        const { Properties, DeletionPolicy, UpdateReplacePolicy } = resource(
          'AWS::SecretsManager::Secret',
          logicalId(secret),
        );
        expect(Properties.GenerateSecretString).toMatchObject({
          PasswordLength: length,
          ExcludePunctuation: true,
        });
        expect(DeletionPolicy).toBe('Retain');
        expect(UpdateReplacePolicy).toBe('Retain');
      }
    });
  });

  describe('notification planner', () => {
    const mapping = () =>
      resourcesOfType('AWS::Lambda::EventSourceMapping').find(
        (candidate) =>
          JSON.stringify(candidate.Properties.FunctionName) ===
          JSON.stringify(refOf(n.pipeline.plannerFunction.function)),
      )?.Properties as Resource;

    it('reads the order table stream, invoked only for order state items', () => {
      const { EventSourceArn, FilterCriteria, StartingPosition } = mapping();

      expect(EventSourceArn).toEqual({ 'Fn::GetAtt': [logicalId(n.store.table), 'StreamArn'] });
      expect(StartingPosition).toBe('TRIM_HORIZON');
      expect(FilterCriteria.Filters).toHaveLength(1);
      expect(JSON.parse(FilterCriteria.Filters[0].Pattern)).toEqual({
        dynamodb: { NewImage: { pk: { S: [{ prefix: 'ORDER#' }] }, sk: { S: ['STATE'] } } },
      });
    });

    it('isolates a failing record, retries, and sends what it gives up on to the failure queue', () => {
      expect(mapping()).toMatchObject({
        BatchSize: 25,
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: { OnFailure: { Destination: arnOf(n.pipeline.plannerFailureQueue) } },
      });
      // Before the stream's 24-hour retention: a stuck record is dead-lettered, not silently expired.
      expect(mapping().MaximumRecordAgeInSeconds).toBeLessThan(24 * 60 * 60);
    });

    it('enqueues jobs on the notification queue', () => {
      expect(environmentOf(n.pipeline.plannerFunction)).toMatchObject({
        ORDERS_TABLE_NAME: refOf(n.store.table),
        NOTIFICATION_QUEUE_URL: refOf(n.pipeline.notificationQueue),
      });
    });
  });

  describe('notification sender', () => {
    it('takes one job at a time from the queue, at most senderMaxConcurrency at once', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: arnOf(n.pipeline.notificationQueue),
        FunctionName: refOf(n.pipeline.senderFunction.function),
        BatchSize: 1,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 5 },
      });
      expect(n.pipeline.senderMaxConcurrency).toBe(5);
    });

    it('redrives after as many deliveries as the sender is told, to the queue it dead-letters to', () => {
      const queue = resource('AWS::SQS::Queue', logicalId(n.pipeline.notificationQueue));
      const fn = lambda(n.pipeline.senderFunction);
      const environment = environmentOf(n.pipeline.senderFunction);

      expect(queue.Properties.RedrivePolicy).toEqual({
        deadLetterTargetArn: arnOf(n.pipeline.notificationDeadLetterQueue),
        maxReceiveCount: Number(environment.MAX_RECEIVE_COUNT),
      });
      expect(environment.DEAD_LETTER_QUEUE_URL).toEqual(refOf(n.pipeline.notificationDeadLetterQueue));
      expect(environment.NOTIFICATION_QUEUE_URL).toEqual(refOf(n.pipeline.notificationQueue));
      expect(queue.Properties.VisibilityTimeout).toBe(6 * fn.Properties.Timeout);
    });

    it('sends e-mail with the configuration set and publishes outcomes on the order bus', () => {
      expect(environmentOf(n.pipeline.senderFunction)).toMatchObject({
        SES_CONFIGURATION_SET: refOf(n.pipeline.configurationSet),
        EVENT_BUS_NAME: refOf(n.eventBus),
        PUSH_PLATFORM_APPLICATIONS: '{}',
      });
    });
  });

  describe('SES configuration set', () => {
    it('publishes bounces, complaints and deliveries to the default event bus', () => {
      const destinations = resourcesOfType('AWS::SES::ConfigurationSetEventDestination');
      expect(destinations).toHaveLength(1);
      const destination = destinations[0] as Resource;

      expect(destination.Properties.ConfigurationSetName).toEqual(refOf(n.pipeline.configurationSet));
      expect([...destination.Properties.EventDestination.MatchingEventTypes].sort()).toEqual([
        'bounce',
        'complaint',
        'delivery',
      ]);
      expect(destination.Properties.EventDestination).toMatchObject({
        Enabled: true,
        EventBridgeDestination: {
          EventBusArn: stack.resolve(
            stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' }),
          ),
        },
      });
    });

    it('keeps bounced and complaining addresses off at the SES level too', () => {
      const { Properties } = resource('AWS::SES::ConfigurationSet', logicalId(n.pipeline.configurationSet));

      expect(Properties.SuppressionOptions).toEqual({ SuppressedReasons: ['BOUNCE', 'COMPLAINT'] });
    });
  });

  describe('e-mail feedback', () => {
    const rule = () => resource('AWS::Events::Rule', logicalId(n.pipeline.feedbackRule));

    it("matches this configuration set's bounces, complaints and deliveries on the default bus", () => {
      const { Properties } = rule();

      expect(Properties.EventBusName).toBeUndefined();
      expect(Properties.EventPattern).toEqual({
        source: ['aws.ses'],
        'detail-type': ['Email Bounced', 'Email Complaint Received', 'Email Delivered'],
        detail: {
          mail: {
            tags: {
              // Its own configuration set's, or a shop's own set's, tagged by the sender for this deployment.
              $or: [
                { 'ses:configuration-set': [refOf(n.pipeline.configurationSet)] },
                { 'order-notifications': [refOf(n.pipeline.configurationSet)] },
              ],
            },
          },
        },
      });
    });

    it('retries delivery to the function for a day, then dead-letters; the function retries, then dead-letters', () => {
      expect(rule().Properties.Targets).toEqual([
        {
          Id: expect.any(String),
          Arn: arnOf(n.pipeline.feedbackFunction.function),
          RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
          DeadLetterConfig: { Arn: arnOf(n.pipeline.feedbackRuleDeadLetterQueue) },
        },
      ]);
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: refOf(n.pipeline.feedbackFunction.function),
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: arnOf(n.pipeline.feedbackDeadLetterQueue) } },
      });
    });

    it('lets only this rule put undeliverable events in its dead-letter queue', () => {
      const statements = resourcesOfType('AWS::SQS::QueuePolicy')
        .filter(
          (policy) =>
            JSON.stringify(policy.Properties.Queues) ===
            JSON.stringify([refOf(n.pipeline.feedbackRuleDeadLetterQueue)]),
        )
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement);

      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Allow',
          Action: 'sqs:SendMessage',
          Principal: { Service: 'events.amazonaws.com' },
          Condition: { ArnEquals: { 'aws:SourceArn': arnOf(n.pipeline.feedbackRule) } },
        }),
      );
    });
  });

  describe('status API', () => {
    const stage = () => resource('AWS::ApiGatewayV2::Stage', logicalId(n.statusApi.stage));

    it('routes the status paths to the status function and the unsubscribe paths to its function', () => {
      const integrations = template.findResources('AWS::ApiGatewayV2::Integration');
      const target = (route: Resource) => {
        const id = String(route.Properties.Target['Fn::Join'][1][1].Ref);
        return integrations[id]?.Properties.IntegrationUri;
      };
      const routes = Object.fromEntries(
        resourcesOfType('AWS::ApiGatewayV2::Route').map((route) => [
          route.Properties.RouteKey,
          target(route),
        ]),
      );
      const status = arnOf(n.statusApi.statusFunction.function);
      const unsubscribe = arnOf(n.statusApi.unsubscribeFunction.function);
      const webhooks = arnOf(n.connectors.webhookFunction.function);

      expect(routes).toEqual({
        'GET /v1/orders/{token}': status,
        'HEAD /v1/orders/{token}': status,
        'ANY /v1/orders/{token}': status,
        'GET /t/{token}': status,
        'HEAD /t/{token}': status,
        'ANY /t/{token}': status,
        'POST /v1/lookup': status,
        'ANY /v1/lookup': status,
        'GET /v1/unsubscribe': unsubscribe,
        'HEAD /v1/unsubscribe': unsubscribe,
        'POST /v1/unsubscribe': unsubscribe,
        'ANY /v1/unsubscribe': unsubscribe,
        'POST /v1/webhooks/{platform}/{shopId}': webhooks,
        'ANY /v1/webhooks/{platform}/{shopId}': webhooks,
      });
    });

    it('tells every function its own timeout, from which its SDK clients derive theirs', () => {
      const functions = resourcesOfType('AWS::Lambda::Function').filter(
        (fn) => fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME !== undefined,
      );
      expect(functions.length).toBeGreaterThanOrEqual(6);
      for (const fn of functions) {
        const variables = fn.Properties.Environment.Variables;
        expect(variables.FUNCTION_TIMEOUT_SECONDS, variables.POWERTOOLS_SERVICE_NAME).toBe(
          String(fn.Properties.Timeout),
        );
        const sdk = sdkTimeoutsFor(fn.Properties.Timeout);
        expect(sdk.maxAttempts * sdk.requestTimeoutMs).toBeLessThan(fn.Properties.Timeout * 1000);
      }
      const timeoutOf = (construct: { function: { node: { defaultChild?: unknown } } }) =>
        (construct.function.node.defaultChild as { timeout?: number }).timeout;
      expect(timeoutOf(n.statusApi.statusFunction)).toBe(FUNCTION_TIMEOUT_SECONDS['status-api']);
      expect(timeoutOf(n.statusApi.unsubscribeFunction)).toBe(FUNCTION_TIMEOUT_SECONDS.unsubscribe);
    });

    it('throttles the default stage, and the lookup tighter', () => {
      expect(stage().Properties).toMatchObject({
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      });
      // The webhooks have their own, so a shop's flash sale and the tracking pages do not share one.
      expect(stage().Properties.RouteSettings).toEqual({
        'POST /v1/lookup': { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
        'POST /v1/webhooks/{platform}/{shopId}': { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
      });
      // CloudFormation rejects route settings for a route key that does not exist yet.
      for (const key of ['POST /v1/lookup', 'POST /v1/webhooks/{platform}/{shopId}']) {
        const [route] = Object.entries(template.findResources('AWS::ApiGatewayV2::Route')).find(
          ([, candidate]) => candidate.Properties.RouteKey === key,
        ) ?? [''];
        expect(stage().DependsOn).toContain(route);
      }
    });

    it('writes JSON access logs without the path or query string, which carry the tokens', () => {
      const { AccessLogSettings } = stage().Properties;
      const format = String(AccessLogSettings.Format);

      expect(AccessLogSettings.DestinationArn).toEqual(arnOf(n.statusApi.accessLogGroup));
      expect(Object.keys(JSON.parse(format))).toEqual(
        expect.arrayContaining(['requestId', 'ip', 'method', 'routeKey', 'status', 'latency', 'userAgent']),
      );
      expect(format).not.toMatch(/\$context\.(path|rawPath|resourcePath)\b/);
      expect(format.toLowerCase()).not.toMatch(/querystring|rawquery|\$input|\$request/);
    });

    it('answers no CORS preflight unless origins are configured', () => {
      const api = resource('AWS::ApiGatewayV2::Api', logicalId(n.statusApi.httpApi));

      expect(api.Properties.CorsConfiguration).toBeUndefined();
    });
  });

  describe('alarms', () => {
    const alarms = () => resourcesOfType('AWS::CloudWatch::Alarm');
    const topic = () => refOf(n.alarmTopic as IResource);

    /** Queues that receive what something else gave up on, read from the template itself. */
    const deadLetterQueueIds = (): string[] => {
      const arns: unknown[] = [
        ...resourcesOfType('AWS::SQS::Queue').map(
          (queue) => queue.Properties.RedrivePolicy?.deadLetterTargetArn,
        ),
        ...resourcesOfType('AWS::Events::Rule').flatMap((rule) =>
          (rule.Properties.Targets as { DeadLetterConfig?: { Arn: unknown } }[]).map(
            (target) => target.DeadLetterConfig?.Arn,
          ),
        ),
        ...[
          ...resourcesOfType('AWS::Lambda::EventSourceMapping'),
          ...resourcesOfType('AWS::Lambda::EventInvokeConfig'),
        ].map((config) => config.Properties.DestinationConfig?.OnFailure?.Destination),
      ];
      // Queues a function dead-letters to itself (its *DEAD_LETTER_QUEUE_URL), such as the connectors'.
      const sinks = resourcesOfType('AWS::Lambda::Function').flatMap((fn) =>
        Object.entries((fn.Properties.Environment?.Variables ?? {}) as Record<string, { Ref?: string }>)
          .filter(([name, value]) => name.endsWith('DEAD_LETTER_QUEUE_URL') && value.Ref)
          .map(([, value]) => String(value.Ref)),
      );
      return [
        ...new Set([
          ...arns.filter(Boolean).map((arn) => (arn as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0]),
          ...sinks,
        ]),
      ];
    };

    it('fires when any dead-letter queue holds a message, one alarm per dead-letter queue', () => {
      const dlqs = deadLetterQueueIds();
      const queueAlarms = alarms().filter(
        (alarm) => alarm.Properties.MetricName === 'ApproximateNumberOfMessagesVisible',
      );

      expect(dlqs).toHaveLength(7);
      // The other two queues are the ingest and notification work queues, which are not dead-letter queues.
      expect(Object.keys(template.findResources('AWS::SQS::Queue'))).toHaveLength(dlqs.length + 2);
      expect(queueAlarms).toHaveLength(dlqs.length);
      expect(queueAlarms.map((alarm) => alarm.Properties.Dimensions).sort(byJson)).toEqual(
        dlqs.map((id) => [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id, 'QueueName'] } }]).sort(byJson),
      );
      for (const alarm of queueAlarms) {
        expect(alarm.Properties).toMatchObject({
          Namespace: 'AWS/SQS',
          Statistic: 'Maximum',
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        });
      }
    });

    it('fires on errors and throttles of every function', () => {
      const functionIds = Object.keys(template.findResources('AWS::Lambda::Function'));

      expect(functionIds).toHaveLength(7);
      for (const metricName of ['Errors', 'Throttles']) {
        const watched = alarms().filter((alarm) => alarm.Properties.MetricName === metricName);
        expect(watched).toHaveLength(functionIds.length);
        expect(watched.map((alarm) => alarm.Properties.Dimensions[0].Value.Ref).sort()).toEqual(
          [...functionIds].sort(),
        );
        for (const alarm of watched) {
          expect(alarm.Properties).toMatchObject({ Namespace: 'AWS/Lambda', Threshold: 1 });
        }
      }
    });

    it('counts every webhook delivery by platform and result, from the webhook function’s log', () => {
      const filter = resourcesOfType('AWS::Logs::MetricFilter').find(
        (candidate) => candidate.Properties.MetricTransformations[0].MetricName === 'WebhookDeliveries',
      );
      expect(filter?.Properties).toMatchObject({
        LogGroupName: { Ref: logicalId(n.connectors.webhookFunction.logGroup) },
        FilterPattern: '{ $.message = "webhook delivery" }',
        MetricTransformations: [
          {
            MetricNamespace: 'OrderNotifications',
            MetricValue: '1',
            Dimensions: [
              { Key: 'Platform', Value: '$.platform' },
              { Key: 'Result', Value: '$.result' },
            ],
          },
        ],
      });
    });

    it('fires when 10% of the notification jobs fail, counted from the sender log', () => {
      const filters = resourcesOfType('AWS::Logs::MetricFilter');
      const failed = filters.find(
        (filter) => filter.Properties.MetricTransformations[0].MetricName === 'NotificationJobsFailed',
      );
      const done = filters.find(
        (filter) => filter.Properties.MetricTransformations[0].MetricName === 'NotificationJobsDone',
      );
      const alarm = resource('AWS::CloudWatch::Alarm', logicalId(n.monitoring.notificationFailureRateAlarm));
      const expression = alarm.Properties.Metrics.find(
        (metric: { Expression?: string }) => metric.Expression,
      );
      const metricNames = alarm.Properties.Metrics.filter(
        (metric: { MetricStat?: unknown }) => metric.MetricStat,
      ).map(
        (metric: { MetricStat: { Metric: { MetricName: string } } }) => metric.MetricStat.Metric.MetricName,
      );

      expect(failed?.Properties).toMatchObject({
        LogGroupName: refOf(n.pipeline.senderFunction.logGroup),
        FilterPattern: '{ ($.message = "notification job done") && ($.outcome = "failed") }',
      });
      expect(done?.Properties).toMatchObject({
        LogGroupName: refOf(n.pipeline.senderFunction.logGroup),
        FilterPattern: '{ ($.message = "notification job done") && ($.outcome = "*") }',
      });
      expect(expression.Expression).toBe('IF(done >= 10, 100 * FILL(failed, 0) / done, 0)');
      expect(metricNames.sort()).toEqual(['NotificationJobsDone', 'NotificationJobsFailed']);
      expect(alarm.Properties).toMatchObject({
        Threshold: 10,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    });

    it('fires at 80% of the monthly SMS spend limit', () => {
      expect(
        resource('AWS::CloudWatch::Alarm', logicalId(n.monitoring.smsSpendAlarm)).Properties,
      ).toMatchObject({
        Namespace: 'AWS/SNS',
        MetricName: 'SMSMonthToDateSpentUSD',
        Statistic: 'Maximum',
        Threshold: 0.8,
      });
    });

    it('fires when 5% of the API requests fail with a 5xx', () => {
      const { Properties } = resource(
        'AWS::CloudWatch::Alarm',
        logicalId(n.monitoring.apiServerErrorRateAlarm),
      );
      const stats = Properties.Metrics.filter((metric: { MetricStat?: unknown }) => metric.MetricStat).map(
        (metric: { MetricStat: { Metric: { MetricName: string; Dimensions: unknown } } }) =>
          metric.MetricStat.Metric,
      );

      expect(stats.map((metric: { MetricName: string }) => metric.MetricName).sort()).toEqual([
        '5xx',
        'Count',
      ]);
      for (const metric of stats) {
        expect(metric.Dimensions).toEqual([{ Name: 'ApiId', Value: refOf(n.statusApi.httpApi) }]);
      }
      expect(Properties.Threshold).toBe(5);
    });

    it('fires when the planner falls 5 minutes behind the stream', () => {
      expect(
        resource('AWS::CloudWatch::Alarm', logicalId(n.monitoring.plannerIteratorAgeAlarm)).Properties,
      ).toMatchObject({
        MetricName: 'IteratorAge',
        Dimensions: [{ Name: 'FunctionName', Value: refOf(n.pipeline.plannerFunction.function) }],
        Threshold: 300_000,
      });
    });

    it('fires when the quiet shops’ jobs wait in the fair queue for 15 minutes on end', () => {
      expect(
        resource('AWS::CloudWatch::Alarm', logicalId(n.monitoring.quietShopsBacklogAlarm)).Properties,
      ).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisibleInQuietGroups',
        Dimensions: [
          {
            Name: 'QueueName',
            Value: { 'Fn::GetAtt': [logicalId(n.pipeline.notificationQueue), 'QueueName'] },
          },
        ],
        Statistic: 'Minimum',
        Period: 300,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    });

    it('fires when the p99 of the time from a stored event to the provider reaches 2 minutes', () => {
      expect(
        resource('AWS::CloudWatch::Alarm', logicalId(n.monitoring.timeToProviderAlarm)).Properties,
      ).toMatchObject({
        Namespace: 'OrderNotifications',
        MetricName: 'TimeToProvider',
        Dimensions: expect.arrayContaining([
          { Name: 'service', Value: 'notification-sender' },
          { Name: 'FunctionName', Value: refOf(n.pipeline.senderFunction.function) },
        ]),
        ExtendedStatistic: 'p99',
        Period: 900,
        Threshold: 120_000,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    });

    it('notifies the alarm topic on alarm and on recovery, for every alarm', () => {
      expect(alarms().length).toBeGreaterThanOrEqual(6 + 12 + 4);
      for (const alarm of alarms()) {
        expect(alarm.Properties.AlarmActions).toEqual([topic()]);
        expect(alarm.Properties.OKActions).toEqual([topic()]);
      }
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'operations@example.com',
        TopicArn: topic(),
      });
    });

    it('shows every alarm on the dashboard', () => {
      const body = JSON.stringify(
        resource('AWS::CloudWatch::Dashboard', logicalId(n.monitoring.dashboard)).Properties.DashboardBody,
      );
      for (const id of Object.keys(template.findResources('AWS::CloudWatch::Alarm'))) {
        expect(body).toContain(id);
      }
    });
  });

  describe('cdk-nag AwsSolutions', () => {
    const describeViolations = (violations: readonly NagViolation[]) =>
      violations.flatMap((violation) =>
        [...(violation.violatingConstructs ?? []), ...(violation.violatingResources ?? [])].map(
          (construct) => `${violation.ruleName} at ${construct.constructPath}`,
        ),
      );

    it('reports no unacknowledged errors or warnings during synthesis', () => {
      const findings = validationReport.pluginReports
        .filter((report) => report.pluginName === 'AwsSolutions')
        .flatMap((report) => describeViolations(report.violations));

      expect(findings).toEqual([]);
      // The same pack run directly on the tree, so a plugin that never ran cannot pass for a clean one.
      expect(nag.validateScope(app).violations).toEqual([]);
    });

    it('acknowledges only the findings reviewed here, each with a reason', () => {
      const acknowledged: string[] = [];
      const visit = (construct: IConstruct) => {
        for (const entry of construct.node.metadata) {
          if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
          for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
            expect(reason.length, `reason for ${id}`).toBeGreaterThan(60);
            acknowledged.push(
              `${id.replace(/^annotation::/i, '')} at ${construct.node.path.replace('OrderNotifications/Default/', '')}`,
            );
          }
        }
        construct.node.children.forEach(visit);
      };
      visit(stack);
      const functions = [
        'OrderIngest/IngestFunction',
        'NotificationPipeline/PlannerFunction',
        'NotificationPipeline/SenderFunction',
        'NotificationPipeline/FeedbackFunction',
        'StatusApi/StatusFunction',
        'StatusApi/UnsubscribeFunction',
        'PlatformConnectors/WebhookFunction',
      ];

      expect(acknowledged.sort()).toEqual(
        [
          // SMS to a phone number has no ARN; CheckIfPhoneNumberIsOptedOut has no resource type.
          'AwsSolutions-IAM5[Resource::*] at NotificationPipeline/SenderSnsPolicy',
          // Shops' own identities and configuration sets: any tagged for this deployment.
          'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/*] at NotificationPipeline/SenderShopIdentityPolicy',
          'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:configuration-set/*] at NotificationPipeline/SenderShopIdentityPolicy',
          // Node 22 on purpose.
          ...functions.map((fn) => `AwsSolutions-L1 at ${fn}/Function`),
          // Dead-letter queues that nag recognises only as redrive targets.
          'AwsSolutions-SQS3 at OrderIngest/RuleDeadLetterQueue',
          'AwsSolutions-SQS3 at NotificationPipeline/PlannerFailureQueue',
          'AwsSolutions-SQS3 at NotificationPipeline/FeedbackRuleDeadLetterQueue',
          'AwsSolutions-SQS3 at NotificationPipeline/FeedbackDeadLetterQueue',
          'AwsSolutions-SQS3 at PlatformConnectors/ConnectorDeadLetterQueue',
          // The shops' webhook secrets: any under this deployment's connector prefix.
          'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:OrderNotifications/connectors/*] at PlatformConnectors/WebhookSecretsPolicy',
          // Rotation would break sent links; the value is deployed into the functions' environment.
          'AwsSolutions-SMG4 at UnsubscribeSecret',
          'AwsSolutions-SMG4 at RateLimitSalt',
          // A public API whose credential is the token in the link.
          'AwsSolutions-APIG4 at StatusApi/HttpApi',
        ].sort(),
      );
    });
  });
});

const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));

/**
 * The variables a handler reads: the properties of the object literal passed to `readConfig(...)` in
 * its index.ts, each optional when its schema has a default or `.optional()` (or goes through a helper
 * that applies one, as status-api's `count(fallback)` does).
 */
/** Shapes the handlers spread into their readConfig, by the name they import them as. */
const SHARED_SHAPES: Record<string, Record<string, { safeParse(value: unknown): { success: boolean } }>> = {
  SHOP_REGISTRY_SETTINGS,
  SECRET_SETTINGS,
};

const configVariables = (file: string): { name: string; optional: boolean }[] => {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const found: { name: string; optional: boolean }[] = [];
  const visit = (node: ts.Node) => {
    // A secret read at cold start: loadFunctionSecret('X', ...) reads X_ARN.
    if (ts.isCallExpression(node) && node.expression.getText(source) === 'loadFunctionSecret') {
      const [name] = node.arguments;
      if (!name || !ts.isStringLiteral(name))
        throw new Error(`${file}: loadFunctionSecret without a literal name`);
      found.push({ name: `${name.text}_ARN`, optional: false });
    }
    if (ts.isCallExpression(node) && node.expression.getText(source) === 'readConfig') {
      const [shape] = node.arguments;
      if (shape && ts.isObjectLiteralExpression(shape)) {
        for (const property of shape.properties) {
          // A spread of a shared shape (the registry's settings): its variables, as the shape parses them.
          if (ts.isSpreadAssignment(property)) {
            const shared = SHARED_SHAPES[property.expression.getText(source)];
            if (!shared) throw new Error(`${file}: readConfig spreads an unknown shape`);
            for (const [name, schema] of Object.entries(shared)) {
              found.push({ name, optional: schema.safeParse(undefined).success });
            }
            continue;
          }
          if (!ts.isPropertyAssignment(property)) continue;
          const schema = property.initializer.getText(source);
          found.push({
            name: property.name.getText(source),
            optional: /\.optional\(\)|\.default\(|^count\(/.test(schema),
          });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
};
