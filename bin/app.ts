#!/usr/bin/env node
/**
 * The CDK app: one stack, configured from context (cdk.json, or `-c key=value` on the command line),
 * checked by cdk-nag's AWS Solutions rules on every synth.
 */
import { App, type StackProps, Validations } from 'aws-cdk-lib';
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

/** A number context value (cdk.json gives numbers, `-c key=value` strings). */
const optionalNumber = (app: App, key: string): number | undefined => {
  const value: unknown = app.node.tryGetContext(`${CONTEXT_PREFIX}${key}`);
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number <= 0) {
    throw new ContextError(key, 'must be a positive number', value);
  }
  return number;
};

/** A list context value: an array of strings in cdk.json, or a comma-separated `-c key=a,b`. */
const optionalList = (app: App, key: string): string[] | undefined => {
  const value: unknown = app.node.tryGetContext(`${CONTEXT_PREFIX}${key}`);
  if (value === undefined || value === null || value === '') return undefined;
  const list = typeof value === 'string' ? value.split(',').map((item) => item.trim()) : value;
  if (!Array.isArray(list) || !list.every((item) => typeof item === 'string' && item.length > 0)) {
    throw new ContextError(key, 'must be a list of strings (or a comma-separated string)', value);
  }
  return list;
};

const PLATFORM_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:app\/[A-Z_]+\/[A-Za-z0-9_.-]+$/;

type AppConfig = Omit<OrderNotificationsStackProps, keyof StackProps>;

/** A required string; its format is checked where it is used (the construct names the problem). */
const requiredString = (app: App, key: string): string => {
  const value = optionalString(app, key, /^\S+$/, 'a string without spaces');
  if (!value) throw new ContextError(key, 'is required', value);
  return value;
};

const readConfig = (app: App): AppConfig => {
  // `eventSources` (a list, one per shop platform); `eventSource` (one) as earlier releases named it.
  const eventSources = optionalList(app, 'eventSources') ?? optionalList(app, 'eventSource');
  if (!eventSources) throw new ContextError('eventSources', 'is required', eventSources);
  for (const source of eventSources) {
    // EventBridge reserves the aws. prefix for AWS services; the construct names any other problem.
    if (!/^(?!aws\.)[A-Za-z0-9._/-]{1,256}$/.test(source)) {
      throw new ContextError(
        'eventSources',
        'must be EventBridge sources of letters, digits and . _ / - (not starting with "aws.")',
        source,
      );
    }
  }
  return {
    eventSources,
    eventBusName: optionalString(
      app,
      'eventBusName',
      /^[A-Za-z0-9._/-]{1,256}$/,
      "the name (not the ARN) of an event bus in the stack's account and region",
    ),
    alarmEmail: optionalString(app, 'alarmEmail', /^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'an e-mail address'),
    sesIdentity: requiredString(app, 'sesIdentity'),
    pushPlatformApplications: {
      apns: optionalString(
        app,
        'apnsPlatformApplicationArn',
        PLATFORM_ARN,
        'an SNS platform application ARN',
      ),
      apns_sandbox: optionalString(
        app,
        'apnsSandboxPlatformApplicationArn',
        PLATFORM_ARN,
        'an SNS platform application ARN',
      ),
      fcm: optionalString(app, 'fcmPlatformApplicationArn', PLATFORM_ARN, 'an SNS platform application ARN'),
    },
    smsMonthlySpendLimitUsd: optionalNumber(app, 'smsMonthlySpendLimitUsd'),
    corsAllowedOrigins: optionalList(app, 'corsAllowedOrigins'),
  };
};

const app = new App();
new OrderNotificationsStack(app, 'OrderNotifications', {
  ...readConfig(app),
  description: 'Order notifications: order events in, e-mail, SMS and push out, order status API',
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
