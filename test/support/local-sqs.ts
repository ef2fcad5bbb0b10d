/**
 * The project's local SQS (local/sqs-local.ts) for tests that send through the production SQS adapters:
 * one server per test file, a fresh queue per test, and what reached a queue read back with the real
 * client, the way a consumer would.
 */
import { randomUUID } from 'node:crypto';
import { DeleteMessageCommand, type Message, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local.js';
import { type SqsLocal, startSqsLocal } from '../../local/sqs-local.js';

export interface LocalSqs {
  readonly sqs: SqsLocal;
  /** A real client pointed at the local SQS (no retries: a refusal reaches the adapter at once). */
  readonly client: SQSClient;
  /** A new, empty queue; its URL. */
  newQueue(prefix: string): string;
  stop(): Promise<void>;
}

export const startLocalSqs = async (): Promise<LocalSqs> => {
  const sqs = await startSqsLocal();
  const client = new SQSClient({
    endpoint: sqs.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  return {
    sqs,
    client,
    newQueue: (prefix) => sqs.createQueue(`${prefix}-${randomUUID()}`).url,
    stop: async () => {
      client.destroy();
      await sqs.stop();
    },
  };
};

/**
 * Receives every message waiting on the queue, with all its attributes, and deletes it: each message is
 * returned once, in the order the queue gives them (send order, on the local SQS).
 */
export const drainQueue = async (client: SQSClient, queueUrl: string): Promise<Message[]> => {
  const drained: Message[] = [];
  for (;;) {
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return drained;
    for (const message of Messages) {
      await client.send(
        new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }),
      );
      drained.push(message);
    }
  }
};
