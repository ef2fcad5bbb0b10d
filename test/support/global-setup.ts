import type { TestProject } from 'vitest/node';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../local/dynamodb-local.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoDbEndpoint: string;
  }
}

/**
 * The integration and system tiers both name this setup; vitest runs it once per project, in one process. The
 * projects share one DynamoDB Local (two JVMs would take both cores): the first setup starts it, the last
 * teardown stops it.
 */
interface Shared {
  dynamo: Promise<DynamoDbLocal>;
  users: number;
}
const SHARED = Symbol.for('order-notifications.test.dynamoDbLocal');
const registry = globalThis as typeof globalThis & { [SHARED]?: Shared };

export default async function setup(project: TestProject) {
  let shared = registry[SHARED];
  if (!shared) {
    shared = { dynamo: startDynamoDbLocal(), users: 0 };
    registry[SHARED] = shared;
  }
  shared.users += 1;
  const dynamo = await shared.dynamo;
  project.provide('dynamoDbEndpoint', dynamo.endpoint);
  return async () => {
    const current = registry[SHARED];
    if (!current) return;
    current.users -= 1;
    if (current.users === 0) {
      delete registry[SHARED];
      await dynamo.stop();
    }
  };
}
