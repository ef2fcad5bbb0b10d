/**
 * The production entry point: configuration checked at cold start, and the handler wired to DynamoDB
 * through the SDK's standard endpoint variable (as the local stack runs it).
 */
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { lambdaContext } from '../../fixtures/lambda.js';
import { orderRef } from '../../fixtures/order-events.js';
import { apiEvent, eventsUntil, SHOP_INPUT, seedOrder } from '../../fixtures/status-api.js';
import { DynamoDbOrderRepository } from '../../functions/adapters/dynamodb-order-repository.js';
import { DynamoDbShopRegistry } from '../../functions/adapters/dynamodb-shop-registry.js';
import { parseShopConfig } from '../../functions/domain/shop-config.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local.js';
import { type SecretsLocal, startSecretsLocal } from '../../local/secrets-local.js';
import { createOrderTable, createShopRegistryTable, type TestTable } from '../support/dynamodb.js';

let table: TestTable;
let shops: TestTable;
let token: string;
let secrets: SecretsLocal;
const arns = { salt: '', tooShort: '', binaryLooking: '' };

const ENV = () => ({
  ORDERS_TABLE_NAME: table.tableName,
  SHOP_REGISTRY_TABLE_NAME: shops.tableName,
  RATE_LIMIT_SALT_ARN: arns.salt,
  AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoDbEndpoint'),
  AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
  AWS_REGION: LOCAL_REGION,
  AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  POWERTOOLS_LOG_LEVEL: 'WARN',
});

const loadEntryPoint = async (env: Record<string, string | undefined>) => {
  vi.resetModules();
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  return import('../../functions/status-api/index.js');
};

beforeAll(async () => {
  secrets = await startSecretsLocal();
  arns.salt = secrets.createSecret('index/salt', 'index-test-salt-0001');
  arns.tooShort = secrets.createSecret('index/short', 'tiny-value');
  arns.binaryLooking = secrets.createSecret('index/json', '{"current":"index-test-salt-0001","next":"x"}');
  table = await createOrderTable();
  shops = await createShopRegistryTable();
  await new DynamoDbShopRegistry(shops.documents, shops.tableName).put({
    config: parseShopConfig(SHOP_INPUT),
    state: 'active',
    updatedBy: 'test',
    expectedVersion: undefined,
  });
  token = await seedOrder(
    new DynamoDbOrderRepository(table.documents, table.tableName),
    eventsUntil(orderRef(501), 'happyPath', 'Order Shipped'),
  );
});

afterAll(async () => {
  await secrets.stop();
  await table.drop();
  await shops.drop();
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('Module: status-api/index', () => {
  it('serves an order with the clients and configuration from the environment', async () => {
    // Prepare
    const { handler } = await loadEntryPoint(ENV());

    // Act
    const found = (await handler(apiEvent(`/v1/orders/${token}`), lambdaContext('status-api'))) as Exclude<
      APIGatewayProxyResultV2,
      string
    >;

    // Assess
    expect(found.statusCode).toBe(200);
    expect(JSON.parse(found.body ?? '{}')).toMatchObject({ status: { code: 'shipped' } });
  });

  it.each([
    [{ SHOP_REGISTRY_TABLE_NAME: undefined }, 'SHOP_REGISTRY_TABLE_NAME'],
    [{ SHOP_CACHE_SECONDS: '3601' }, 'SHOP_CACHE_SECONDS'],
    [{ SHOP_CACHE_SECONDS: 'soon' }, 'SHOP_CACHE_SECONDS'],
    [{ RATE_LIMIT_SALT_ARN: undefined }, 'RATE_LIMIT_SALT_ARN: the ARN of the secret is not set'],
    [{ SECRET_CACHE_SECONDS: '0' }, 'SECRET_CACHE_SECONDS'],
    [{ ORDERS_TABLE_NAME: undefined }, 'ORDERS_TABLE_NAME'],
    [{ LOOKUP_RATE_LIMIT: '0' }, 'LOOKUP_RATE_LIMIT'],
  ])('fails the cold start on bad configuration (%j)', async (change, message) => {
    await expect(loadEntryPoint({ ...ENV(), ...change })).rejects.toThrow(message);
  });

  it.each([
    [
      'a key too short',
      () => arns.tooShort,
      'RATE_LIMIT_SALT: the secret must be at least 16 characters long',
    ],
    ['an unknown field', () => arns.binaryLooking, 'unknown field(s) next'],
    [
      'a secret that does not exist',
      () => `${arns.salt.slice(0, -6)}Nope00`,
      "can't find the specified secret",
    ],
  ])(
    'fails the cold start on a secret with %s, naming the variable and the secret, never the value',
    async (_, arn, message) => {
      const failure = loadEntryPoint({ ...ENV(), RATE_LIMIT_SALT_ARN: arn() });
      await expect(failure).rejects.toThrow(message);
      await expect(failure).rejects.toThrow(`RATE_LIMIT_SALT_ARN: cannot use the secret ${arn()}`);
      await expect(failure).rejects.not.toThrow(/tiny-value|index-test-salt/);
    },
  );
});
