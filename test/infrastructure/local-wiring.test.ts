/**
 * One wiring: the event source mappings, queues and function environments the local stack builds
 * (local/stack-workers.ts, local/stack-services.ts, from lib/wiring.ts) are the synthesized template's.
 * Read from both ends — the template on one side, local/'s own builders on the other — so that a
 * setting changed on one side only (a literal in lib/, an option in local/) fails here.
 * Synthesized without bundling: nothing below depends on the code assets.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type CfnElement, type IResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OrderNotifications } from '../../lib/order-notifications.js';
import { OrderNotificationsStack } from '../../lib/order-notifications-stack.js';
import { REPO_ROOT, type ServiceFunction } from '../../lib/service-function.js';
import {
  DEPLOYED_ONLY_VARIABLES,
  EVENT_SOURCES,
  FUNCTION_ENVIRONMENT,
  functionEnvironment,
  isRuntimeVariable,
  LOCAL_TUNING_VARIABLES,
  QUEUES,
  type QueueRole,
  visibilityTimeoutSeconds,
  WIRED_FUNCTIONS,
  type WiredFunction,
} from '../../lib/wiring.js';
import {
  FUNCTION_NAMES,
  LOCAL_VISIBILITY_TIMEOUT_SECONDS,
  localEnvironments,
  localQueueAttributes,
  QUEUE_NAMES,
} from '../../local/stack-services.js';
import {
  type LocalMapping,
  localEventSourceMappings,
  streamFailureMessage,
} from '../../local/stack-workers.js';

const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown>;
};

let stack: OrderNotificationsStack;
let n: OrderNotifications;
let template: Template;

beforeAll(() => {
  const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
  stack = new OrderNotificationsStack(app, 'OrderNotifications', {
    eventSources: ['shop.orders'],
    sesIdentity: String(cdkJson.context['order-notifications:sesIdentity']),
  });
  n = stack.notifications;
  template = Template.fromStack(stack);
});

const logicalId = (resource: IResource): string =>
  Stack.of(resource).getLogicalId(resource.node.defaultChild as CfnElement);
const arnOf = (resource: IResource) => ({ 'Fn::GetAtt': [logicalId(resource), 'Arn'] });

/** The deployed queue of each role of lib/wiring.ts. */
const deployedQueue = (role: QueueRole): IQueue =>
  ({
    orderEvents: n.ingest.queue,
    orderEventsDeadLetters: n.ingest.deadLetterQueue,
    jobs: n.pipeline.notificationQueue,
    jobsDeadLetters: n.pipeline.notificationDeadLetterQueue,
    plannerFailures: n.pipeline.plannerFailureQueue,
    connectorDeadLetters: n.connectors.deadLetterQueue,
  })[role];

const deployedFunction = (name: WiredFunction): ServiceFunction =>
  ({
    'ingest-order-events': n.ingest.ingestFunction,
    'plan-notifications': n.pipeline.plannerFunction,
    'send-notifications': n.pipeline.senderFunction,
    'email-feedback': n.pipeline.feedbackFunction,
    'status-api': n.statusApi.statusFunction,
    unsubscribe: n.statusApi.unsubscribeFunction,
    'connector-webhooks': n.connectors.webhookFunction,
  })[name];

/** Local queue URLs that name their role, so a mapping's queue can be traced back to it. */
const LOCAL_QUEUES = Object.fromEntries(
  (Object.keys(QUEUE_NAMES) as QueueRole[]).map((role) => [
    role,
    `http://127.0.0.1:4566/000000000000/${QUEUE_NAMES[role]}`,
  ]),
) as Record<QueueRole, string>;
const roleOfUrl = (url: string): QueueRole => {
  const role = (Object.keys(LOCAL_QUEUES) as QueueRole[]).find(
    (candidate) => LOCAL_QUEUES[candidate] === url,
  );
  if (!role) throw new Error(`the local mapping reads a queue of no role: ${url}`);
  return role;
};
const localArn = (name: string) => `arn:aws:sqs:eu-central-1:000000000000:${name}`;
const roleOfArn = (arn: string): QueueRole => {
  const role = (Object.keys(QUEUE_NAMES) as QueueRole[]).find(
    (candidate) => localArn(QUEUE_NAMES[candidate]) === arn,
  );
  if (!role) throw new Error(`a local redrive policy names a queue of no role: ${arn}`);
  return role;
};

/** A local mapping in the shape of the template's AWS::Lambda::EventSourceMapping properties. */
const asTemplateProperties = (mapping: LocalMapping): Record<string, unknown> => {
  const common = {
    FunctionName: { Ref: logicalId(deployedFunction(mapping.functionName).function) },
    BatchSize: mapping.batchSize,
    ...(mapping.reportBatchItemFailures ? { FunctionResponseTypes: ['ReportBatchItemFailures'] } : {}),
  };
  if (mapping.kind === 'sqs') {
    return {
      ...common,
      EventSourceArn: arnOf(deployedQueue(roleOfUrl(mapping.queueUrl))),
      ...(mapping.maxBatchingWindowMs > 0
        ? { MaximumBatchingWindowInSeconds: mapping.maxBatchingWindowMs / 1000 }
        : {}),
      ScalingConfig: { MaximumConcurrency: mapping.concurrency },
    };
  }
  expect(mapping.tableName).toBe('orders');
  return {
    ...common,
    EventSourceArn: { 'Fn::GetAtt': [logicalId(n.store.table), 'StreamArn'] },
    StartingPosition: mapping.startingPosition,
    FilterCriteria: { Filters: mapping.filters.map((filter) => ({ Pattern: filter })) },
    BisectBatchOnFunctionError: mapping.bisectBatchOnError,
    MaximumRetryAttempts: mapping.retryAttempts,
    MaximumRecordAgeInSeconds: mapping.maxRecordAgeSeconds,
    DestinationConfig: {
      OnFailure: { Destination: arnOf(deployedQueue(roleOfUrl(mapping.onFailureQueueUrl))) },
    },
  };
};

/** The template's mappings, filter patterns parsed (their JSON string is the CDK's serialisation). */
const templateMappings = (): Record<string, unknown>[] =>
  Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).map(({ Properties }) => ({
    ...Properties,
    ...(Properties.FilterCriteria
      ? {
          FilterCriteria: {
            Filters: Properties.FilterCriteria.Filters.map((filter: { Pattern: string }) => ({
              Pattern: JSON.parse(filter.Pattern),
            })),
          },
        }
      : {}),
  }));
const byFunction = (mappings: Record<string, unknown>[]) =>
  [...mappings].sort((a, b) => JSON.stringify(a.FunctionName).localeCompare(JSON.stringify(b.FunctionName)));

const localEnvironmentOf = localEnvironments({
  urls: {
    dynamodb: 'http://127.0.0.1:8000',
    ses: 'http://127.0.0.1:8005',
    sqs: 'http://127.0.0.1:4566',
    sns: 'http://127.0.0.1:4575',
    eventBridge: 'http://127.0.0.1:4010',
    secrets: 'http://127.0.0.1:4014',
  },
  tableName: 'orders',
  queues: LOCAL_QUEUES,
  eventBusName: 'orders',
  shopRegistryTableName: 'orders-shops',
  shopCacheSeconds: 5,
  secretArns: {
    UNSUBSCRIBE_SECRET: 'arn:aws:secretsmanager:eu-central-1:000000000000:secret:unsubscribe-AbCdEf',
    RATE_LIMIT_SALT: 'arn:aws:secretsmanager:eu-central-1:000000000000:secret:salt-AbCdEf',
  },
  secretCacheSeconds: 5,
  visibilityTimeoutSeconds: LOCAL_VISIBILITY_TIMEOUT_SECONDS,
});

describe('The local wiring', () => {
  describe('event source mappings', () => {
    it('are the template’s, setting for setting, as local/stack-workers.ts builds them by default', () => {
      // Act
      const local = localEventSourceMappings({ queues: LOCAL_QUEUES, tableName: 'orders' }).map(
        asTemplateProperties,
      );

      // Assess
      expect(local).toHaveLength(3);
      expect(byFunction(local)).toEqual(byFunction(templateMappings()));
    });

    it('give the sender one job per invocation and five at once, the ingest batches of ten over a second', () => {
      // The drift this file exists for: `npm start` once gave the sender batches of 10.
      const [ingest, planner, sender] = localEventSourceMappings({
        queues: LOCAL_QUEUES,
        tableName: 'orders',
      });

      expect(sender).toMatchObject({ functionName: 'send-notifications', batchSize: 1, concurrency: 5 });
      expect(ingest).toMatchObject({
        functionName: 'ingest-order-events',
        batchSize: 10,
        maxBatchingWindowMs: 1000,
      });
      expect(planner).toMatchObject({
        functionName: 'plan-notifications',
        retryAttempts: 10,
        bisectBatchOnError: true,
        onFailureQueueUrl: LOCAL_QUEUES.plannerFailures,
      });
    });

    it('refuse a local concurrency above the mapping’s maximum, naming it', () => {
      const services = { queues: LOCAL_QUEUES, tableName: 'orders' };

      expect(() => localEventSourceMappings(services, { senderConcurrency: 6 })).toThrow(
        /send-notifications: .*maxConcurrency 5 .*got 6/,
      );
      expect(() => localEventSourceMappings(services, { ingestConcurrency: 0 })).toThrow(
        /ingest-order-events/,
      );
      expect(localEventSourceMappings(services, { senderConcurrency: 2 })[2]).toMatchObject({
        concurrency: 2,
      });
    });

    it('follow the sender concurrency a deployment chooses only in the deployment (a prop, not the wiring)', () => {
      expect(n.pipeline.senderMaxConcurrency).toBe(EVENT_SOURCES['send-notifications'].maxConcurrency);
    });
  });

  describe('queues', () => {
    it.each(Object.keys(QUEUES) as QueueRole[])(
      '%s redrives after the template’s receive count to the template’s dead-letter queue, and keeps messages as long',
      (role) => {
        // Prepare
        const deployed =
          template.findResources('AWS::SQS::Queue')[logicalId(deployedQueue(role))]?.Properties;
        const local = localQueueAttributes(role, localArn);

        // Assess
        expect(deployed).toBeDefined();
        expect(Number(local.MessageRetentionPeriod)).toBe(deployed.MessageRetentionPeriod);
        const localRedrive = local.RedrivePolicy
          ? (JSON.parse(local.RedrivePolicy) as { deadLetterTargetArn: string; maxReceiveCount: number })
          : undefined;
        expect(
          localRedrive && {
            deadLetterTargetArn: arnOf(deployedQueue(roleOfArn(localRedrive.deadLetterTargetArn))),
            maxReceiveCount: localRedrive.maxReceiveCount,
          },
        ).toEqual(deployed.RedrivePolicy);
        // The one deliberate difference: seconds locally, six function timeouts deployed.
        expect(deployed.VisibilityTimeout).toBe(visibilityTimeoutSeconds(role));
        expect(Number(local.VisibilityTimeout)).toBe(LOCAL_VISIBILITY_TIMEOUT_SECONDS);
      },
    );

    it('have a dead-letter queue for every queue a function reads, and the planner a failure queue', () => {
      const local = localEventSourceMappings({ queues: LOCAL_QUEUES, tableName: 'orders' });
      for (const mapping of local) {
        if (mapping.kind === 'sqs') expect(QUEUES[roleOfUrl(mapping.queueUrl)].deadLetters).toBeDefined();
        else expect(roleOfUrl(mapping.onFailureQueueUrl)).toBe('plannerFailures');
      }
    });
  });

  describe('function environments', () => {
    const templateNames = (name: WiredFunction): string[] => {
      const fn = template.findResources('AWS::Lambda::Function')[logicalId(deployedFunction(name).function)];
      return Object.keys(fn?.Properties.Environment.Variables ?? {}).sort();
    };

    it.each(FUNCTION_NAMES)('%s gets the variables of the template, locally set to local values', (name) => {
      // Prepare
      const local = localEnvironmentOf(name);
      const tuning = LOCAL_TUNING_VARIABLES[name] ?? [];

      // Act
      const localNames = Object.keys(local).filter((variable) => !isRuntimeVariable(variable));

      // Assess
      expect(
        [...localNames.filter((variable) => !tuning.includes(variable)), ...DEPLOYED_ONLY_VARIABLES].sort(),
      ).toEqual(templateNames(name));
      for (const variable of FUNCTION_ENVIRONMENT[name]) expect(local[variable]).not.toBe('');
    });

    it('runs every wired function locally but the SES feedback, whose events the local SES never sends', () => {
      expect(WIRED_FUNCTIONS.filter((name) => !(FUNCTION_NAMES as readonly string[]).includes(name))).toEqual(
        ['email-feedback'],
      );
      expect(templateNames('email-feedback')).toEqual(
        [
          ...FUNCTION_ENVIRONMENT['email-feedback'],
          'FUNCTION_TIMEOUT_SECONDS',
          'NODE_OPTIONS',
          'POWERTOOLS_LOG_LEVEL',
          'POWERTOOLS_METRICS_DISABLED',
          'POWERTOOLS_SERVICE_NAME',
        ].sort(),
      );
    });

    it('points the functions at the local queues by role', () => {
      expect(localEnvironmentOf('send-notifications')).toMatchObject({
        NOTIFICATION_QUEUE_URL: LOCAL_QUEUES.jobs,
        DEAD_LETTER_QUEUE_URL: LOCAL_QUEUES.jobsDeadLetters,
        MAX_RECEIVE_COUNT: String(QUEUES.jobs.maxReceiveCount),
      });
      expect(localEnvironmentOf('ingest-order-events')).toMatchObject({
        DEAD_LETTER_QUEUE_URL: LOCAL_QUEUES.orderEventsDeadLetters,
        MAX_RECEIVE_COUNT: String(QUEUES.orderEvents.maxReceiveCount),
      });
    });
  });

  describe('Function: functionEnvironment', () => {
    it('refuses a missing, an empty and an unknown variable, naming each and the function', () => {
      const values = { ORDERS_TABLE_NAME: 'orders', NOTIFICATION_QUEUE_URL: '', EXTRA: 'x' };

      expect(() => functionEnvironment('plan-notifications', values as never)).toThrow(
        'environment of plan-notifications: NOTIFICATION_QUEUE_URL is missing or empty; EVENT_BUS_NAME is missing or empty; SHOP_REGISTRY_TABLE_NAME is missing or empty; SHOP_CACHE_SECONDS is missing or empty; EXTRA is not one of its variables (lib/wiring.ts FUNCTION_ENVIRONMENT)',
      );
    });

    it('refuses an Object.prototype name as a variable rather than finding it inherited', () => {
      const values = { ORDERS_TABLE_NAME: 'orders', EVENT_BUS_NAME: 'orders', constructor: 'x' };

      expect(() => functionEnvironment('email-feedback', values as never)).toThrow(
        /constructor is not one of/,
      );
    });
  });

  describe('Function: streamFailureMessage', () => {
    it('carries the coordinates of the records given up on, never their images', () => {
      // Prepare
      const failure = {
        records: [
          {
            eventSourceARN: 'arn:aws:dynamodb:eu-central-1:000000000000:table/orders/stream/x',
            dynamodb: {
              SequenceNumber: '100',
              ApproximateCreationDateTime: 1_700_000_000,
              NewImage: { email: { S: 'anna@example.pl' } },
            },
          },
          { dynamodb: { SequenceNumber: '105', ApproximateCreationDateTime: 1_700_000_060 } },
        ],
        attempts: 11,
        condition: 'RetryAttemptsExhausted' as const,
        batchInfo: {
          startSequenceNumber: '100',
          endSequenceNumber: '105',
          batchSize: 2,
          streamArn: 'arn:aws:dynamodb:eu-central-1:000000000000:table/orders/stream/x',
        },
      };

      // Act
      const message = streamFailureMessage('plan-notifications', failure);

      // Assess
      expect(JSON.stringify(message)).not.toContain('anna@example.pl');
      expect(message.requestContext).toMatchObject({
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 11,
      });
      expect(message.DDBStreamBatchInfo).toEqual({
        startSequenceNumber: '100',
        endSequenceNumber: '105',
        approximateArrivalOfFirstRecord: '2023-11-14T22:13:20.000Z',
        approximateArrivalOfLastRecord: '2023-11-14T22:14:20.000Z',
        batchSize: 2,
        streamArn: 'arn:aws:dynamodb:eu-central-1:000000000000:table/orders/stream/x',
      });
    });
  });
});
