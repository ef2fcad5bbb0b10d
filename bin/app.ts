#!/usr/bin/env node
/**
 * The CDK app: one stack, configured from context (cdk.json, or `-c key=value` on the command line),
 * checked by cdk-nag's AWS Solutions rules on every synth.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  OrderNotificationsStack,
  type OrderNotificationsStackProps,
} from '../lib/order-notifications-stack.js';

const CONTEXT_PREFIX = 'order-notifications:';

class ContextError extends Error {
  constructor(key: string, problem: string, value: unknown) {
    super(`context "${CONTEXT_PREFIX}${key}" ${problem}; got ${JSON.stringify(value)}`);
    this.name = 'ContextError';
  }
}

/** A string context value: `undefined` when absent (or an empty `-c key=`), an error when not a string. */
const optionalString = (app: App, key: string, pattern: RegExp, expected: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(`${CONTEXT_PREFIX}${key}`);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new ContextError(key, `must be ${expected}`, value);
  }
  return value;
};

type AppConfig = Pick<OrderNotificationsStackProps, 'eventSource' | 'eventBusName' | 'alarmEmail'>;

const readConfig = (app: App): AppConfig => {
  const eventSource = optionalString(
    app,
    'eventSource',
    // EventBridge reserves the aws. prefix for AWS services.
    /^(?!aws\.)[A-Za-z0-9._/-]{1,256}$/,
    'an EventBridge source of letters, digits and . _ / - (not starting with "aws.")',
  );
  if (!eventSource) throw new ContextError('eventSource', 'is required', eventSource);
  return {
    eventSource,
    eventBusName: optionalString(
      app,
      'eventBusName',
      /^[A-Za-z0-9._/-]{1,256}$/,
      "the name (not the ARN) of an event bus in the stack's account and region",
    ),
    alarmEmail: optionalString(app, 'alarmEmail', /^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'an e-mail address'),
  };
};

const app = new App();
new OrderNotificationsStack(app, 'OrderNotifications', {
  ...readConfig(app),
  description: 'Order notifications: order events in, order timeline stored',
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
