/**
 * The order table's keys and indexes, as a CreateTable request. DynamoDB Local (tests, `npm start`) is
 * created from this; the CDK table construct declares the same keys, and a test keeps the two equal.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { ORDER_NUMBER_INDEX, TRACKING_TOKEN_INDEX } from './dynamodb-order-repository.js';

export const orderTableDefinition = (tableName: string): CreateTableCommandInput => ({
  TableName: tableName,
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
    { AttributeName: 'trackingToken', AttributeType: 'S' },
    { AttributeName: 'shopOrderNumber', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: TRACKING_TOKEN_INDEX,
      KeySchema: [{ AttributeName: 'trackingToken', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    },
    {
      IndexName: ORDER_NUMBER_INDEX,
      KeySchema: [{ AttributeName: 'shopOrderNumber', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    },
  ],
  StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
});

/**
 * The shop registry's table (dynamodb-shop-registry.ts): shopId and version, no index, no stream. Its own
 * table, not items in the order table: functions get GetItem on it and nothing else, the planner's stream
 * does not carry configuration changes, and erasure or re-indexing scans of the orders never meet it.
 */
export const shopRegistryTableDefinition = (tableName: string): CreateTableCommandInput => ({
  TableName: tableName,
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'shopId', AttributeType: 'S' },
    { AttributeName: 'version', AttributeType: 'N' },
  ],
  KeySchema: [
    { AttributeName: 'shopId', KeyType: 'HASH' },
    { AttributeName: 'version', KeyType: 'RANGE' },
  ],
});
