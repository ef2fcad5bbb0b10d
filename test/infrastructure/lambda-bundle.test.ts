/**
 * The deployable bundle, not the sources: the unsubscribe function bundled exactly as ServiceFunction
 * bundles it (minified ESM, SDK included, the environment-only credential provider swapped in), loaded
 * the way Lambda loads it, and run against DynamoDB Local with credentials from the environment only.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { lambdaContext } from '../../fixtures/lambda.js';
import { DynamoDbShopRegistry } from '../../functions/adapters/dynamodb-shop-registry.js';
import { DynamoDbSuppressionList } from '../../functions/adapters/dynamodb-suppression-list.js';
import { parseShopConfig } from '../../functions/domain/shop-config.js';
import { signSubscription } from '../../functions/domain/signed-links.js';
import { REPO_ROOT, SERVICE_FUNCTION_BUNDLING } from '../../lib/service-function.js';
import { type SecretsLocal, startSecretsLocal } from '../../local/secrets-local.js';
import { esbuildOptionsFrom } from '../../scripts/lambda-esbuild-options.js';
import { createOrderTable, createShopRegistryTable, type TestTable } from '../support/dynamodb.js';

const SECRET = 'bundle-test-secret-0123456789-abcdefghij';
let table: TestTable;
let shops: TestTable;
let outdir: string;
let secrets: SecretsLocal;
const saved = { ...process.env };

beforeAll(async () => {
  table = await createOrderTable();
  shops = await createShopRegistryTable();
  await new DynamoDbShopRegistry(shops.documents, shops.tableName).put({
    config: parseShopConfig({
      shopId: 'bundle-shop',
      name: 'Bundle Shop',
      statusPage: { baseUrl: 'https://s.example.pl' },
    }),
    state: 'active',
    updatedBy: 'test',
    expectedVersion: undefined,
  });
  outdir = await mkdtemp(path.join(tmpdir(), 'bundle-'));
  secrets = await startSecretsLocal();
});

afterAll(async () => {
  process.env = saved;
  await rm(outdir, { recursive: true, force: true });
  await secrets.stop();
  await table.drop();
  await shops.drop();
});

describe('Bundle: unsubscribe as deployed', () => {
  it('reads its secret from Secrets Manager at cold start, runs with environment credentials and writes to DynamoDB', async () => {
    // Prepare: the Lambda environment (the role's credentials arrive as variables)
    const options = esbuildOptionsFrom(SERVICE_FUNCTION_BUNDLING);
    const result = await build({
      ...options,
      entryPoints: [path.join(REPO_ROOT, 'functions', 'unsubscribe', 'index.ts')],
      outfile: path.join(outdir, 'index.mjs'),
      write: true,
      absWorkingDir: REPO_ROOT,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile?.inputs ?? {});
    Object.assign(process.env, {
      AWS_REGION: 'eu-central-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SESSION_TOKEN: 'session',
      AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoDbEndpoint'),
      ORDERS_TABLE_NAME: table.tableName,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      UNSUBSCRIBE_SECRET_ARN: secrets.createSecret('bundle/unsubscribe', SECRET),
      SHOP_REGISTRY_TABLE_NAME: shops.tableName,
    });
    const { handler } = (await import(pathToFileURL(path.join(outdir, 'index.mjs')).href)) as {
      handler: (
        event: APIGatewayProxyEventV2,
        context: Context,
      ) => Promise<APIGatewayProxyStructuredResultV2>;
    };
    const token = signSubscription(SECRET, {
      shopId: 'bundle-shop',
      channel: 'email',
      address: 'bundle@example.pl',
    });

    // Act
    const response = await handler(
      {
        rawPath: '/v1/unsubscribe',
        headers: {},
        queryStringParameters: { token },
        requestContext: { http: { method: 'POST' } },
      } as unknown as APIGatewayProxyEventV2,
      lambdaContext('unsubscribe'),
    );

    // Assess
    expect(inputs.some((input) => input.includes('credential-provider-node'))).toBe(false);
    expect(inputs.some((input) => input.endsWith('functions/commons/lambda-credentials.ts'))).toBe(true);
    expect(response.statusCode).toBe(200);
    expect(secrets.reads.get('bundle/unsubscribe')).toBe(1);
    const suppressions = new DynamoDbSuppressionList(table.documents, table.tableName);
    expect(await suppressions.check('bundle-shop', 'email', 'bundle@example.pl')).toBe(
      'unsubscribed by the customer',
    );
  });
});
