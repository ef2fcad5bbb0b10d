/**
 * The production wiring builds its clients with `new XClient({})`: the SDK takes the endpoint from
 * AWS_ENDPOINT_URL_<SERVICE ID> (SQS, SNS, EVENTBRIDGE). This checks that those variables alone point
 * unconfigured clients at the local endpoints, which is how the local stack runs the handlers unchanged.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { CheckIfPhoneNumberIsOptedOutCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local.js';
import { type EventBridgeLocal, startEventBridgeLocal } from '../../local/eventbridge-local.js';
import { type SnsLocal, startSnsLocal } from '../../local/sns-local.js';
import { type SqsLocal, startSqsLocal } from '../../local/sqs-local.js';

let sqs: SqsLocal;
let sns: SnsLocal;
let bus: EventBridgeLocal;

beforeAll(async () => {
  [sqs, sns, bus] = await Promise.all([startSqsLocal(), startSnsLocal(), startEventBridgeLocal()]);
  vi.stubEnv('AWS_ENDPOINT_URL_SQS', sqs.endpoint);
  vi.stubEnv('AWS_ENDPOINT_URL_SNS', sns.endpoint);
  vi.stubEnv('AWS_ENDPOINT_URL_EVENTBRIDGE', bus.endpoint);
  vi.stubEnv('AWS_REGION', LOCAL_REGION);
  vi.stubEnv('AWS_ACCESS_KEY_ID', LOCAL_CREDENTIALS.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', LOCAL_CREDENTIALS.secretAccessKey);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await Promise.all([sqs.stop(), sns.stop(), bus.stop()]);
});

describe('the standard endpoint variables', () => {
  it('point clients built with no configuration at the local endpoints', async () => {
    // Prepare
    const { url } = sqs.createQueue('env-queue');
    sns.optOut('+48600000001');
    const clients = { sqs: new SQSClient({}), sns: new SNSClient({}), events: new EventBridgeClient({}) };

    // Act
    const queue = await clients.sqs.send(new GetQueueUrlCommand({ QueueName: 'env-queue' }));
    const optedOut = await clients.sns.send(
      new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: '+48600000001' }),
    );
    const put = await clients.events.send(
      new PutEventsCommand({ Entries: [{ Source: 'shop', DetailType: 'Order Placed', Detail: '{}' }] }),
    );

    // Assess
    expect(queue.QueueUrl).toBe(url);
    expect(optedOut.isOptedOut).toBe(true);
    expect(bus.events()[0]?.event.id).toBe(put.Entries?.[0]?.EventId);
    for (const client of Object.values(clients)) client.destroy();
  });
});
