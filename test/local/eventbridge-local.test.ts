/**
 * The local EventBridge with the real SDK client: PutEvents validation as EventBridge answers it, and
 * routing with the pattern the CDK stack deploys, delivery after the answer, retries, dead letters.
 */
import { createServer } from 'node:net';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  EventBridgeIntegrationPublisher,
  EventBridgeOutcomePublisher,
} from '../../functions/adapters/eventbridge-outcome-publisher.js';
import type { NotificationRecord } from '../../functions/domain/notification-log.js';
import { orderEventPattern } from '../../lib/event-patterns.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local.js';
import { InvalidPatternError } from '../../local/event-pattern.js';
import {
  type BusEvent,
  type EventBridgeLocal,
  startEventBridgeLocal,
} from '../../local/eventbridge-local.js';

const SOURCE = 'shop.platform';
const BUS = 'orders';

let bus: EventBridgeLocal;
let client: EventBridgeClient;

const entry = (detailType: string, detail: object = { orderId: 'A-1' }, source = SOURCE) => ({
  EventBusName: BUS,
  Source: source,
  DetailType: detailType,
  Detail: JSON.stringify(detail),
});

beforeAll(async () => {
  bus = await startEventBridgeLocal({ retryAttempts: 2, retryBaseDelayMs: 10 });
  client = new EventBridgeClient({
    endpoint: bus.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
});

afterEach(() => {
  for (const rule of ['ingest', 'flaky', 'broken', 'slow']) bus.removeRule(rule, BUS);
  bus.clear();
});

afterAll(async () => {
  client.destroy();
  await bus.stop();
});

describe('Class: EventBridgeLocal', () => {
  describe('Method: PutEvents', () => {
    it('routes every event of the source to the rule with the CDK pattern, as full envelopes', async () => {
      // Prepare
      const delivered: BusEvent[] = [];
      bus.addRule({
        name: 'ingest',
        eventBusName: BUS,
        pattern: orderEventPattern(SOURCE),
        target: async (event) => {
          delivered.push(event);
        },
      });

      // Act
      const result = await client.send(
        new PutEventsCommand({
          Entries: [
            { ...entry('Order Placed', { orderId: 'A-1' }), Resources: ['arn:aws:shop:order/A-1'] },
            entry('Order Placed', { orderId: 'A-2' }, 'other.platform'),
            entry('Order Teleported', { orderId: 'A-3' }),
            { ...entry('Order Placed', { orderId: 'A-4' }), EventBusName: 'default' },
          ],
        }),
      );
      await bus.idle();

      // Assess
      expect(result.FailedEntryCount).toBe(0);
      expect(result.Entries?.every((item) => typeof item.EventId === 'string')).toBe(true);
      expect(delivered).toEqual([
        {
          version: '0',
          id: result.Entries?.[0]?.EventId,
          'detail-type': 'Order Placed',
          source: SOURCE,
          account: '000000000000',
          time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
          region: LOCAL_REGION,
          resources: ['arn:aws:shop:order/A-1'],
          detail: { orderId: 'A-1' },
        },
        // A detail-type the contract does not know still reaches the ingest, which dead-letters it.
        expect.objectContaining({ 'detail-type': 'Order Teleported', detail: { orderId: 'A-3' } }),
      ]);
      expect(bus.events().map((received) => [received.event.detail.orderId, received.rules])).toEqual([
        ['A-4', []],
        ['A-3', ['ingest']],
        ['A-2', []],
        ['A-1', ['ingest']],
      ]);
    });

    it('takes the event time from the entry, to the second', async () => {
      // Prepare
      const delivered: BusEvent[] = [];
      bus.addRule({
        name: 'ingest',
        eventBusName: BUS,
        pattern: orderEventPattern(SOURCE),
        target: async (event) => {
          delivered.push(event);
        },
      });

      // Act
      await client.send(
        new PutEventsCommand({
          Entries: [{ ...entry('Payment Received'), Time: new Date('2026-11-20T11:00:00.750Z') }],
        }),
      );
      await bus.idle();

      // Assess
      expect(delivered[0]?.time).toBe('2026-11-20T11:00:00Z');
    });

    it('answers before the target has finished', async () => {
      // Prepare
      let release: () => void = () => undefined;
      let finished = false;
      bus.addRule({
        name: 'slow',
        eventBusName: BUS,
        pattern: orderEventPattern(SOURCE),
        target: async () => {
          await new Promise<void>((resolve) => {
            release = resolve;
          });
          finished = true;
        },
      });

      // Act
      const result = await client.send(new PutEventsCommand({ Entries: [entry('Order Placed')] }));

      // Assess
      expect(result.FailedEntryCount).toBe(0);
      expect(finished).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 20));
      release();
      await bus.idle();
      expect(finished).toBe(true);
    });

    it('fails the entries EventBridge fails, one by one', async () => {
      // Act
      const result = await client.send(
        new PutEventsCommand({
          Entries: [
            entry('Order Placed'),
            { EventBusName: BUS, DetailType: 'Order Placed', Detail: '{}' },
            { EventBusName: BUS, Source: SOURCE, Detail: '{}' },
            { EventBusName: BUS, Source: SOURCE, DetailType: 'Order Placed' },
            { ...entry('Order Placed'), Detail: '{"orderId": ' },
            { ...entry('Order Placed'), Detail: '["not", "an", "object"]' },
            entry('Order Placed', {}, 'aws.ec2'),
          ],
        }),
      );

      // Assess
      expect(result.FailedEntryCount).toBe(6);
      expect(result.Entries?.map((item) => item.ErrorCode ?? 'ok')).toEqual([
        'ok',
        'InvalidArgument',
        'InvalidArgument',
        'InvalidArgument',
        'MalformedDetail',
        'MalformedDetail',
        'NotAuthorizedForSourceException',
      ]);
      expect(result.Entries?.[1]?.ErrorMessage).toBe(
        'Parameter Source is not valid. Reason: Source is a required argument.',
      );
    });

    it('refuses more than 10 entries with a ValidationException', async () => {
      // Prepare
      const entries = Array.from({ length: 11 }, () => entry('Order Placed'));

      // Act
      const attempt = client.send(new PutEventsCommand({ Entries: entries }));

      // Assess
      await expect(attempt).rejects.toMatchObject({
        name: 'ValidationException',
        message: expect.stringContaining('Member must have length less than or equal to 10'),
      });
    });

    it('refuses entries over the size limit as a whole', async () => {
      // Prepare
      const small = await startEventBridgeLocal({ maxEntriesBytes: 1024 });
      const smallClient = new EventBridgeClient({
        endpoint: small.endpoint,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
      });

      // Act
      const attempt = smallClient.send(
        new PutEventsCommand({ Entries: [entry('Order Placed', { pad: 'x'.repeat(1024) })] }),
      );

      // Assess
      await expect(attempt).rejects.toMatchObject({
        name: 'ValidationException',
        message: 'Total size of the entries in the request is over the limit.',
      });
      smallClient.destroy();
      await small.stop();
    });

    it('answers an unknown operation in the AWS error shape', async () => {
      // Act
      const response = await fetch(bus.endpoint, {
        method: 'POST',
        headers: { 'x-amz-target': 'AWSEvents.PutRule', 'content-type': 'application/x-amz-json-1.1' },
        body: '{}',
      });

      // Assess
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ __type: 'UnknownOperationException' });
    });

    it('takes what the production outcome publisher sends', async () => {
      // Prepare
      const delivered: BusEvent[] = [];
      bus.addRule({
        name: 'ingest',
        eventBusName: BUS,
        pattern: { source: ['order-notifications'], detail: { outcome: ['sent'] } },
        target: async (event) => {
          delivered.push(event);
        },
      });
      const publisher = new EventBridgeOutcomePublisher(client, BUS);
      const record: NotificationRecord = {
        shopId: 'shop-1',
        orderId: 'A-1',
        eventId: 'evt-1',
        eventType: 'Order Placed',
        channel: 'email',
        template: 'order-placed',
        language: 'pl',
        outcome: 'sent',
        attempts: 1,
        createdAt: '2026-11-20T11:00:00.000Z',
        updatedAt: '2026-11-20T11:00:00.000Z',
      };

      // Act
      await publisher.publish(record, '1001');
      await bus.idle();

      // Assess
      expect(delivered).toHaveLength(1);
      expect(delivered[0]).toMatchObject({
        'detail-type': 'Notification Sent',
        detail: { orderId: 'A-1', orderNumber: '1001', outcome: 'sent' },
      });
    });
  });

  describe('Adapter: EventBridgeIntegrationPublisher', () => {
    it('splits events into requests PutEvents takes, by count and by size, and delivers every one', async () => {
      // Prepare: 25 events of about 100 KB each (a big Order Placed's fields): 2 fit in 256 KB
      const delivered: BusEvent[] = [];
      const calls: number[] = [];
      bus.addRule({
        name: 'ingest',
        eventBusName: BUS,
        pattern: { source: ['order-notifications'] },
        target: async (event) => {
          delivered.push(event);
        },
      });
      client.middlewareStack.add(
        (next) => async (args) => {
          calls.push(((args.input as { Entries?: unknown[] }).Entries ?? []).length);
          return next(args);
        },
        { step: 'initialize', name: 'countEntries' },
      );
      const events = Array.from({ length: 25 }, (_, index) => ({
        detailType: 'Order Event Recorded' as const,
        detail: { id: `shop-1/A-1/evt-${index}`, event: { note: 'ż'.repeat(50_000) } },
      }));

      // Act
      await new EventBridgeIntegrationPublisher(client, BUS).publish(events);
      await bus.idle();
      client.middlewareStack.remove('countEntries');

      // Assess: no request over 256 KB, none lost
      expect(calls).toEqual([...Array.from({ length: 12 }, () => 2), 1]);
      expect(delivered.map((event) => (event.detail as { id: string }).id).sort()).toEqual(
        events.map((event) => event.detail.id).sort(),
      );
    });

    it('fails with the bus’s reason when a request cannot be taken, so the caller retries or gives up', async () => {
      // Prepare: one entry alone over the limit (no order event can make one: details are at most 64 KiB)
      const events = [
        { detailType: 'Order Status Changed' as const, detail: { note: 'x'.repeat(1_100_000) } },
      ];

      // Act & Assess
      await expect(new EventBridgeIntegrationPublisher(client, BUS).publish(events)).rejects.toThrow(
        /Total size of the entries in the request is over the limit/,
      );
    });
  });

  describe('Method: emit', () => {
    it('puts an AWS service event on a bus, which PutEvents refuses', async () => {
      // Prepare
      const delivered: BusEvent[] = [];
      bus.addRule({
        name: 'ingest',
        pattern: { source: ['aws.ses'], 'detail-type': ['Email Bounced'] },
        target: async (event) => {
          delivered.push(event);
        },
      });

      // Act
      const id = bus.emit({
        source: 'aws.ses',
        detailType: 'Email Bounced',
        detail: { eventType: 'Bounce' },
      });
      await bus.idle();

      // Assess
      expect(delivered).toEqual([
        expect.objectContaining({ id, source: 'aws.ses', detail: { eventType: 'Bounce' } }),
      ]);
      bus.removeRule('ingest');
    });
  });

  describe('Method: addRule', () => {
    it('retries a failing target with backoff, then succeeds', async () => {
      // Prepare
      let calls = 0;
      bus.addRule({
        name: 'flaky',
        eventBusName: BUS,
        pattern: orderEventPattern(SOURCE),
        target: async () => {
          calls += 1;
          if (calls < 3) throw new Error('queue unavailable');
        },
      });

      // Act
      await client.send(new PutEventsCommand({ Entries: [entry('Order Placed')] }));
      await bus.idle();

      // Assess
      expect(calls).toBe(3);
      expect(bus.deadLetters()).toEqual([]);
    });

    it('records a dead letter with the reason once the retries are spent', async () => {
      // Prepare
      let calls = 0;
      bus.addRule({
        name: 'broken',
        eventBusName: BUS,
        pattern: orderEventPattern(SOURCE),
        retryAttempts: 1,
        target: async () => {
          calls += 1;
          throw new Error('queue does not exist');
        },
      });

      // Act
      const result = await client.send(new PutEventsCommand({ Entries: [entry('Order Shipped')] }));
      await bus.idle();

      // Assess
      expect(calls).toBe(2);
      expect(bus.deadLetters()).toEqual([
        expect.objectContaining({
          rule: 'broken',
          eventBusName: BUS,
          reason: 'queue does not exist',
          attempts: 2,
          event: expect.objectContaining({
            id: result.Entries?.[0]?.EventId,
            'detail-type': 'Order Shipped',
          }),
        }),
      ]);
    });

    it('refuses a malformed pattern when the rule is added', () => {
      // Act
      const attempt = () =>
        bus.addRule({
          name: 'ingest',
          eventBusName: BUS,
          pattern: { source: SOURCE },
          target: async () => undefined,
        });

      // Assess
      expect(attempt).toThrow(InvalidPatternError);
    });
  });

  describe('Function: startEventBridgeLocal', () => {
    it('says which port is busy and what to do', async () => {
      // Prepare
      const blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      const address = blocker.address();
      const port = typeof address === 'object' && address ? address.port : 0;

      // Act
      const attempt = startEventBridgeLocal({ port });

      // Assess
      await expect(attempt).rejects.toThrow(
        `port ${port} is in use, so the local EventBridge cannot start: stop the other process or set ORDER_NOTIFICATIONS_PORT_EVENTBRIDGE to a free port`,
      );
      await new Promise((resolve) => blocker.close(resolve));
    });

    it('answers a body over the cap with 413 in the AWS error shape', async () => {
      // Act
      const response = await fetch(bus.endpoint, {
        method: 'POST',
        headers: { 'x-amz-target': 'AWSEvents.PutEvents', 'content-type': 'application/x-amz-json-1.1' },
        body: 'x'.repeat(2 * 1024 * 1024 + 1),
      });

      // Assess
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({ __type: 'RequestEntityTooLargeException' });
    });
  });
});
