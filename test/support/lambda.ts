import { randomUUID } from 'node:crypto';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';

export const lambdaContext = (functionName = 'order-ingest'): Context => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:eu-central-1:123456789012:function:${functionName}`,
  memoryLimitInMB: '256',
  awsRequestId: randomUUID(),
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: '2026/11/20/[$LATEST]test',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

/** An SQS batch as the event source mapping delivers it. */
export const sqsEvent = (bodies: readonly string[], receiveCount = 1): SQSEvent => ({
  Records: bodies.map(
    (body): SQSRecord => ({
      messageId: randomUUID(),
      receiptHandle: randomUUID(),
      body,
      attributes: {
        ApproximateReceiveCount: String(receiveCount),
        SentTimestamp: '1763629200000',
        SenderId: 'AIDAEVENTBRIDGE',
        ApproximateFirstReceiveTimestamp: '1763629200001',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-central-1:123456789012:order-events',
      awsRegion: 'eu-central-1',
    }),
  ),
});
