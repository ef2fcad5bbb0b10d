/**
 * What the stack promises, read from the synthesized template: who may touch what, where a failed event
 * ends up, and what is kept. Synthesized once, with the feature flags of cdk.json, real esbuild bundling
 * and cdk-nag registered exactly as bin/app.ts registers it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type CfnElement, type IResource, type Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { orderTableDefinition } from '../../functions/adapters/order-table.js';
import { ORDER_EVENT_SCHEMAS } from '../../functions/domain/order-events.js';
import { orderEventPattern } from '../../lib/event-patterns.js';
import { OrderNotificationsStack } from '../../lib/order-notifications-stack.js';
import { REPO_ROOT } from '../../lib/service-function.js';

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

interface NagViolation {
  readonly ruleName: string;
  readonly violatingConstructs: readonly { readonly constructPath: string }[];
}

interface ValidationReport {
  readonly pluginReports: readonly { readonly pluginName: string; readonly violations: NagViolation[] }[];
}

const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown>;
};

let app: App;
let stack: OrderNotificationsStack;
let template: Template;
let validationReport: ValidationReport;
let nag: AwsSolutionsChecks;

const logicalId = (resource: IResource): string =>
  (resource.stack as Stack).getLogicalId(resource.node.defaultChild as CfnElement);
const arnOf = (resource: IResource) => ({ 'Fn::GetAtt': [logicalId(resource), 'Arn'] });
const actionsOf = (statement: Statement): string[] =>
  typeof statement.Action === 'string' ? [statement.Action] : [...statement.Action];

/** The one resource of a type whose logical id is `id`, as a plain object. */
const resource = (type: string, id: string) => {
  const found = template.findResources(type)[id];
  if (!found) throw new Error(`no ${type} ${id} in the template`);
  return found;
};

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
    eventSource: 'shop.orders',
    alarmEmail: 'operations@example.com',
  });
  nag = new AwsSolutionsChecks(app);
  Validations.of(app).addPlugins(nag);
  const assembly = app.synth();
  validationReport = JSON.parse(
    readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'),
  ) as ValidationReport;
  template = Template.fromStack(stack);
});

describe('OrderNotificationsStack', () => {
  describe('ingest function permissions', () => {
    const ingestStatements = (): Statement[] => {
      const role = stack.ingest.ingestFunction.role;
      const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
        (policy.Properties.Roles as unknown[]).some(
          (ref) => JSON.stringify(ref) === JSON.stringify({ Ref: logicalId(role) }),
        ),
      );
      return policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
    };

    it('has no managed or inline policies on the role, only the granted statements', () => {
      const role = resource('AWS::IAM::Role', logicalId(stack.ingest.ingestFunction.role));
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(role.Properties.Policies).toBeUndefined();
      expect(ingestStatements().every((statement) => statement.Effect === 'Allow')).toBe(true);
    });

    it('may Query, PutItem and ConditionCheckItem on the order table and nothing else in DynamoDB', () => {
      const dynamo = ingestStatements().filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('dynamodb:')),
      );

      expect(dynamo).toHaveLength(1);
      expect(actionsOf(dynamo[0] as Statement).sort()).toEqual([
        'dynamodb:ConditionCheckItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
      ]);
      // The table's ARN alone: no `<table>/index/*`, no stream.
      expect(dynamo[0]?.Resource).toEqual(arnOf(stack.store.table));
      const everyAction = ingestStatements().flatMap(actionsOf);
      expect(everyAction.filter((action) => action.endsWith('*'))).toEqual([]);
      expect(
        everyAction.filter((action) => /^dynamodb:(Scan|Delete|BatchWrite|Update)/.test(action)),
      ).toEqual([]);
      expect(JSON.stringify(ingestStatements())).not.toMatch(/\/index\/|\/stream\//);
    });

    it('may send messages to the dead-letter queue only', () => {
      const sending = ingestStatements().filter((statement) =>
        actionsOf(statement).some((action) => action === 'sqs:SendMessage' || action === 'sqs:*'),
      );

      expect(sending).toHaveLength(1);
      expect(sending[0]?.Resource).toEqual(arnOf(stack.ingest.deadLetterQueue));
    });

    it('names a resource in every statement except the X-Ray one, which cannot', () => {
      const allowed = [
        arnOf(stack.store.table),
        arnOf(stack.ingest.queue),
        arnOf(stack.ingest.deadLetterQueue),
        arnOf(stack.ingest.ingestFunction.logGroup),
      ].map((arn) => JSON.stringify(arn));

      for (const statement of ingestStatements()) {
        if (statement.Resource === '*') {
          expect(actionsOf(statement).sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
        } else {
          expect(allowed).toContain(JSON.stringify(statement.Resource));
        }
      }
    });
  });

  describe('ingest queue', () => {
    it('redrives after as many deliveries as the function is told, to the dead-letter queue', () => {
      const queue = resource('AWS::SQS::Queue', logicalId(stack.ingest.queue));
      const fn = resource('AWS::Lambda::Function', logicalId(stack.ingest.ingestFunction.function));
      const environment = fn.Properties.Environment.Variables;

      expect(queue.Properties.RedrivePolicy.deadLetterTargetArn).toEqual(arnOf(stack.ingest.deadLetterQueue));
      expect(queue.Properties.RedrivePolicy.maxReceiveCount).toBe(Number(environment.MAX_RECEIVE_COUNT));
      expect(queue.Properties.RedrivePolicy.maxReceiveCount).toBe(5);
      // The function's own dead letters go to the same queue as the redrive's.
      expect(environment.DEAD_LETTER_QUEUE_URL).toEqual({ Ref: logicalId(stack.ingest.deadLetterQueue) });
      expect(environment.ORDERS_TABLE_NAME).toEqual({ Ref: logicalId(stack.store.table) });
      expect(queue.Properties.VisibilityTimeout).toBe(6 * fn.Properties.Timeout);
    });

    it('is consumed in batches with partial failures reported', () => {
      template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: arnOf(stack.ingest.queue),
        FunctionName: { Ref: logicalId(stack.ingest.ingestFunction.function) },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BatchSize: 10,
        MaximumBatchingWindowInSeconds: 1,
        ScalingConfig: { MaximumConcurrency: 10 },
      });
    });

    it('encrypts every queue and refuses requests without TLS', () => {
      const queues = template.findResources('AWS::SQS::Queue');
      expect(Object.keys(queues)).toHaveLength(3);
      for (const [id, queue] of Object.entries(queues)) {
        expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
        const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy')).filter(
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

    it('keeps dead letters for 14 days', () => {
      for (const queue of [stack.ingest.deadLetterQueue, stack.ingest.ruleDeadLetterQueue]) {
        expect(resource('AWS::SQS::Queue', logicalId(queue)).Properties.MessageRetentionPeriod).toBe(
          14 * 24 * 60 * 60,
        );
      }
    });
  });

  describe('event rule', () => {
    it('matches every order event type from the configured source, on the order bus', () => {
      const rule = resource('AWS::Events::Rule', logicalId(stack.ingest.rule));

      expect(rule.Properties.EventPattern).toEqual(orderEventPattern('shop.orders'));
      expect([...rule.Properties.EventPattern['detail-type']].sort()).toEqual(
        Object.keys(ORDER_EVENT_SCHEMAS).sort(),
      );
      expect(rule.Properties.EventBusName).toEqual({ Ref: logicalId(stack.eventBus) });
    });

    it('delivers to the ingest queue with retries, then to its own dead-letter queue', () => {
      const rule = resource('AWS::Events::Rule', logicalId(stack.ingest.rule));

      expect(rule.Properties.Targets).toEqual([
        {
          Id: expect.any(String),
          Arn: arnOf(stack.ingest.queue),
          RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
          DeadLetterConfig: { Arn: arnOf(stack.ingest.ruleDeadLetterQueue) },
        },
      ]);
    });
  });

  describe('order table', () => {
    const definition = orderTableDefinition('unused');
    const table = () => resource('AWS::DynamoDB::GlobalTable', logicalId(stack.store.table));
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

  describe('ingest function', () => {
    it('runs Node 22 on ARM64 with tracing, source maps and JSON logs', () => {
      const fn = resource('AWS::Lambda::Function', logicalId(stack.ingest.ingestFunction.function));

      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        MemorySize: 256,
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: {
          LogFormat: 'JSON',
          LogGroup: { Ref: logicalId(stack.ingest.ingestFunction.logGroup) },
        },
        Environment: {
          Variables: expect.objectContaining({
            NODE_OPTIONS: '--enable-source-maps',
            POWERTOOLS_SERVICE_NAME: 'order-ingest',
            POWERTOOLS_LOG_LEVEL: 'INFO',
          }),
        },
      });
    });

    it('logs to its own log group, kept for a month and deleted with the stack', () => {
      const logGroup = resource('AWS::Logs::LogGroup', logicalId(stack.ingest.ingestFunction.logGroup));

      expect(logGroup.Properties.RetentionInDays).toBe(30);
      expect(logGroup.DeletionPolicy).toBe('Delete');
    });
  });

  describe('alarms', () => {
    const alarmsOn = (metricName: string) =>
      Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter(
        (alarm) => alarm.Properties.MetricName === metricName,
      );
    const topic = () => ({ Ref: logicalId(stack.alarmTopic as IResource) });

    it('fires when either dead-letter queue holds a message', () => {
      const alarms = alarmsOn('ApproximateNumberOfMessagesVisible');

      expect(alarms).toHaveLength(2);
      expect(alarms.map((alarm) => alarm.Properties.Dimensions)).toEqual(
        expect.arrayContaining(
          [stack.ingest.deadLetterQueue, stack.ingest.ruleDeadLetterQueue].map((queue) => [
            { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(queue), 'QueueName'] } },
          ]),
        ),
      );
      for (const alarm of alarms) {
        expect(alarm.Properties).toMatchObject({
          Namespace: 'AWS/SQS',
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          AlarmActions: [topic()],
        });
      }
    });

    it('fires on errors and throttles of the ingest function', () => {
      for (const metricName of ['Errors', 'Throttles']) {
        const alarms = alarmsOn(metricName);
        expect(alarms).toHaveLength(1);
        expect(alarms[0]?.Properties).toMatchObject({
          Namespace: 'AWS/Lambda',
          Dimensions: [
            { Name: 'FunctionName', Value: { Ref: logicalId(stack.ingest.ingestFunction.function) } },
          ],
          Threshold: 1,
          AlarmActions: [topic()],
        });
      }
    });
  });

  describe('cdk-nag AwsSolutions', () => {
    const describeViolations = (violations: readonly NagViolation[]) =>
      violations.flatMap((violation) =>
        violation.violatingConstructs.map(
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
            acknowledged.push(`${id.replace(/^annotation::/i, '')} at ${construct.node.path}`);
          }
        }
        construct.node.children.forEach(visit);
      };
      visit(stack);

      expect(acknowledged.sort()).toEqual([
        'AwsSolutions-IAM5[Resource::*] at OrderNotifications/OrderIngest/IngestFunction/Role/DefaultPolicy',
        'AwsSolutions-L1 at OrderNotifications/OrderIngest/IngestFunction/Function',
        'AwsSolutions-SQS3 at OrderNotifications/OrderIngest/RuleDeadLetterQueue',
      ]);
    });
  });
});
