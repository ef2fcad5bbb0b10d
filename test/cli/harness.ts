/**
 * Runs the CLI in-process against the local stack: DynamoDB Local (the run's), and whichever local SQS or
 * EventBridge a test started, reached through the same AWS_ENDPOINT_URL_* variables operators set.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { run } from '../../cli/index.js';
import { DynamoDbNotificationLog } from '../../functions/adapters/dynamodb-notification-log.js';
import { DynamoDbOrderRepository } from '../../functions/adapters/dynamodb-order-repository.js';
import type { NotificationRecord } from '../../functions/domain/notification-log.js';
import type { OrderEvent } from '../../functions/domain/order-events.js';
import { recordOrderEvent } from '../../functions/domain/record-order-event.js';
import { generateTrackingToken } from '../../functions/domain/tracking-token.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local.js';
import type { TestTable } from '../support/dynamodb.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  json<T = Record<string, unknown>>(): T;
}

export type CliEnv = Record<string, string | undefined>;

/** The environment of an operator pointed at the local stack. */
export const localEnv = (extra: CliEnv = {}): CliEnv => ({
  AWS_REGION: LOCAL_REGION,
  AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoDbEndpoint'),
  ...extra,
});

/** What a person or a pipe gives the CLI: standard input, and the answer at a terminal (none: no terminal). */
export interface CliInput {
  readonly stdin?: string;
  readonly answer?: (question: string) => boolean;
}

export const runCli = async (
  argv: readonly string[],
  env: CliEnv,
  input: CliInput = {},
): Promise<CliResult> => {
  let stdout = '';
  let stderr = '';
  const { answer } = input;
  const code = await run(argv, {
    env,
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    readStdin: async () => input.stdin ?? '',
    ...(answer ? { confirm: async (question: string) => answer(question) } : {}),
  });
  return {
    code,
    stdout,
    stderr,
    json: <T>() => {
      try {
        return JSON.parse(stdout) as T;
      } catch {
        throw new Error(`stdout is not JSON (exit ${code}):\n${stdout}\nstderr:\n${stderr}`);
      }
    },
  };
};

/** Records events through the real use case, as the ingest does. */
export const seed = async (
  table: TestTable,
  events: readonly OrderEvent[],
  now = new Date('2026-11-20T12:00:00Z'),
) => {
  const orders = new DynamoDbOrderRepository(table.documents, table.tableName);
  for (const event of events) {
    await recordOrderEvent(
      { orders, clock: { now: () => now }, newTrackingToken: generateTrackingToken },
      event,
    );
  }
  return orders;
};

/** A notification record as the sender leaves it. */
export const logNotification = async (
  table: TestTable,
  record: Pick<NotificationRecord, 'shopId' | 'orderId' | 'eventId' | 'eventType' | 'channel' | 'outcome'> &
    Partial<NotificationRecord>,
) => {
  const created = await new DynamoDbNotificationLog(table.documents, table.tableName).create({
    template: record.eventType.toLowerCase().replaceAll(' ', '-'),
    language: 'pl',
    attempts: 1,
    createdAt: '2026-11-20T12:00:01.000Z',
    updatedAt: '2026-11-20T12:00:02.000Z',
    ...record,
  });
  if (!created) throw new Error('the notification record exists already');
};

/** A file in a fresh temporary directory. */
export const tempFile = (name: string, content: string): string => {
  const path = join(mkdtempSync(join(tmpdir(), 'order-notifications-cli-')), name);
  writeFileSync(path, content);
  return path;
};
