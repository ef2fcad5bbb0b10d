import { describe, expect, it } from 'vitest';
import { describeIds, summariseDeadLetter } from '../../cli/dead-letters.js';

describe('Function: summariseDeadLetter', () => {
  it('names the stream records of a planner failure', () => {
    // Prepare
    const body = JSON.stringify({
      requestContext: {
        condition: 'RetryAttemptsExhausted',
        functionArn: 'arn:aws:lambda:eu-central-1:1:function:planner',
      },
      responseContext: { functionError: 'Unhandled' },
      version: '1.0',
      DDBStreamBatchInfo: {
        shardId: 'shardId-0001',
        startSequenceNumber: '100',
        endSequenceNumber: '125',
        batchSize: 25,
        streamArn: 'arn:aws:dynamodb:eu-central-1:1:table/orders/stream/2026',
      },
    });

    // Act
    const summary = summariseDeadLetter({
      MessageId: 'm-1',
      Body: body,
      Attributes: { SentTimestamp: '1763629200000' },
    });

    // Assess
    expect(summary).toMatchObject({
      kind: 'stream-failure',
      reason: 'Lambda gave up: RetryAttemptsExhausted',
      errorType: 'Unhandled',
      failedAt: '2025-11-20T09:00:00.000Z',
    });
    expect(describeIds(summary)).toBe('stream records 100…125 of shardId-0001');
  });

  it('names the event of an asynchronous invocation that failed (the feedback function)', () => {
    // Prepare
    const body = JSON.stringify({
      requestContext: {
        condition: 'RetriesExhausted',
        functionArn: 'arn:aws:lambda:eu-central-1:123456789012:function:email-feedback:$LATEST',
      },
      responseContext: { functionError: 'Unhandled' },
      requestPayload: { id: 'ses-event-1', 'detail-type': 'Email Bounced', source: 'aws.ses', detail: {} },
    });

    // Act
    const summary = summariseDeadLetter({ MessageId: 'm-2', Body: body });

    // Assess
    expect(summary).toMatchObject({
      kind: 'lambda-failure',
      ids: { function: 'email-feedback', detailType: 'Email Bounced', source: 'aws.ses', id: 'ses-event-1' },
      reason: 'Lambda gave up: RetriesExhausted',
    });
    expect(describeIds(summary)).toBe('Email Bounced ses-event-1 for email-feedback');
  });

  it('takes the reason EventBridge gives a rule dead letter', () => {
    // Act
    const summary = summariseDeadLetter({
      MessageId: 'm-3',
      Body: '{"detail-type":"Order Placed","source":"shop.orders","detail":{"eventId":"e-1"}}',
      MessageAttributes: {
        ERROR_CODE: { DataType: 'String', StringValue: 'SQSSendMessageFailure' },
        ERROR_MESSAGE: { DataType: 'String', StringValue: 'Access to the resource is denied' },
      },
    });

    // Assess
    expect(summary).toMatchObject({
      kind: 'order-event',
      reason: 'Access to the resource is denied',
      errorType: 'SQSSendMessageFailure',
    });
    expect(describeIds(summary)).toBe('Order Placed e-1');
  });

  it('tells SES feedback events from order events', () => {
    // Act
    const summary = summariseDeadLetter({
      MessageId: 'm-5',
      Body: '{"id":"ses-1","detail-type":"Email Bounced","source":"aws.ses","detail":{"mail":{}}}',
    });

    // Assess
    expect(summary).toMatchObject({
      kind: 'bus-event',
      ids: { detailType: 'Email Bounced', source: 'aws.ses', id: 'ses-1' },
    });
    expect(describeIds(summary)).toBe('Email Bounced ses-1 from aws.ses');
  });

  it('says so when it does not recognise a body', () => {
    // Act
    const summary = summariseDeadLetter({ MessageId: 'm-4', Body: 'not json' });

    // Assess
    expect(summary).toMatchObject({ kind: 'unknown', bodyBytes: 8 });
    expect(describeIds(summary)).toBe('unrecognised body');
  });
});
