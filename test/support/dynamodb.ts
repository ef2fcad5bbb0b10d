import { randomUUID } from 'node:crypto';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteTableCommand,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { documentClient } from '../../functions/adapters/aws-clients.js';
import { orderTableDefinition, shopRegistryTableDefinition } from '../../functions/adapters/order-table.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local.js';

export interface TestTable {
  readonly tableName: string;
  readonly client: DynamoDBClient;
  readonly documents: DynamoDBDocumentClient;
  drop(): Promise<void>;
}

const createTable = async (
  prefix: string,
  definition: (tableName: string) => CreateTableCommandInput,
): Promise<TestTable> => {
  const client = new DynamoDBClient({
    endpoint: inject('dynamoDbEndpoint'),
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const tableName = `${prefix}-${randomUUID()}`;
  await client.send(new CreateTableCommand(definition(tableName)));
  return {
    tableName,
    client,
    documents: documentClient(client),
    drop: async () => {
      await client.send(new DeleteTableCommand({ TableName: tableName }));
      client.destroy();
    },
  };
};

/** A fresh order table on the run's DynamoDB Local, with the production client settings. */
export const createOrderTable = (): Promise<TestTable> => createTable('orders', orderTableDefinition);

/** A fresh shop registry table on the run's DynamoDB Local. */
export const createShopRegistryTable = (): Promise<TestTable> =>
  createTable('shops', shopRegistryTableDefinition);
