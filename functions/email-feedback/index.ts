/** Lambda entry point: SES feedback (delivery, bounce, complaint) from EventBridge. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import * as z from 'zod';
import { documentClient, sdkClientConfig } from '../adapters/aws-clients.js';
import { DynamoDbNotificationLog } from '../adapters/dynamodb-notification-log.js';
import { DynamoDbOrderRepository } from '../adapters/dynamodb-order-repository.js';
import { DynamoDbSuppressionList } from '../adapters/dynamodb-suppression-list.js';
import { EventBridgeOutcomePublisher } from '../adapters/eventbridge-outcome-publisher.js';
import { readConfig } from '../commons/config.js';
import { createLogger } from '../commons/logging.js';
import { makeFeedbackHandler } from './feedback.js';

const config = readConfig({ ORDERS_TABLE_NAME: z.string().min(1), EVENT_BUS_NAME: z.string().min(1) });
/** Timeouts and retries below the function's own timeout (functions/commons/function-timeouts.ts). */
const sdk = sdkClientConfig('email-feedback');
const documents = documentClient(new DynamoDBClient(sdk));

export const handler = makeFeedbackHandler({
  orders: new DynamoDbOrderRepository(documents, config.ORDERS_TABLE_NAME),
  notifications: new DynamoDbNotificationLog(documents, config.ORDERS_TABLE_NAME),
  suppressions: new DynamoDbSuppressionList(documents, config.ORDERS_TABLE_NAME),
  outcomes: new EventBridgeOutcomePublisher(new EventBridgeClient(sdk), config.EVENT_BUS_NAME),
  clock: { now: () => new Date() },
  logger: createLogger('feedback'),
});
