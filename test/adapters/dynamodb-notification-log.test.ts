import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbNotificationLog } from '../../functions/adapters/dynamodb-notification-log.js';
import type { NotificationRecord } from '../../functions/domain/notification-log.js';
import { createOrderTable, type TestTable } from '../support/dynamodb.js';

let table: TestTable;
let log: DynamoDbNotificationLog;

beforeAll(async () => {
  table = await createOrderTable();
  log = new DynamoDbNotificationLog(table.documents, table.tableName);
});

afterAll(async () => {
  await table.drop();
});

const record = (overrides: Partial<NotificationRecord> = {}): NotificationRecord => ({
  shopId: 'sklep-pod-debem',
  orderId: 'ord-1',
  eventId: 'ord-1-shipped',
  eventType: 'Order Shipped',
  channel: 'email',
  template: 'order-shipped',
  language: 'pl',
  outcome: 'sending',
  address: 'z***@example.pl',
  attempts: 1,
  createdAt: '2026-11-20T10:00:00.000Z',
  updatedAt: '2026-11-20T10:00:00.000Z',
  ...overrides,
});

describe('Class: DynamoDbNotificationLog', () => {
  it('creates a record once per event and channel', async () => {
    // Act
    const first = await log.create(record());
    const second = await log.create(record({ outcome: 'sent' }));
    const otherChannel = await log.create(record({ channel: 'sms', address: '+48 *** *** 567' }));

    // Assess
    expect([first, second, otherChannel]).toEqual([true, false, true]);
    expect((await log.get(record()))?.outcome).toBe('sending');
  });

  it('moves a record on only from the expected outcomes, and clears fields set to undefined', async () => {
    // Prepare
    const key = record({
      orderId: 'ord-2',
      eventId: 'ord-2-placed',
      deliverAfter: '2026-11-21T07:00:00.000Z',
    });
    await log.create({ ...key, outcome: 'deferred' });

    // Act
    const fromWrongState = await log.update(key, ['sending'], { outcome: 'sent' });
    const moved = await log.update(key, ['deferred'], {
      outcome: 'sent',
      sentAt: '2026-11-21T07:00:01.000Z',
      updatedAt: '2026-11-21T07:00:01.000Z',
      deliverAfter: undefined,
      providerMessageId: 'ses-1',
    });
    const again = await log.update(key, ['deferred'], { outcome: 'failed' });

    // Assess
    expect([fromWrongState, moved, again]).toEqual([false, true, false]);
    const stored = await log.get(key);
    expect(stored).toMatchObject({
      outcome: 'sent',
      providerMessageId: 'ses-1',
      sentAt: '2026-11-21T07:00:01.000Z',
    });
    expect(stored?.deliverAfter).toBeUndefined();
  });

  it('does not create a record by updating one that does not exist', async () => {
    // Act
    const updated = await log.update(record({ orderId: 'ord-missing' }), ['sending'], { outcome: 'sent' });

    // Assess
    expect(updated).toBe(false);
    expect(await log.get(record({ orderId: 'ord-missing' }))).toBeUndefined();
  });

  it('lists an order’s notifications oldest first, and only that order’s', async () => {
    // Prepare
    const later = record({ orderId: 'ord-3', eventId: 'b', createdAt: '2026-11-20T12:00:00.000Z' });
    const earlier = record({ orderId: 'ord-3', eventId: 'a', createdAt: '2026-11-20T11:00:00.000Z' });
    await log.create(later);
    await log.create(earlier);
    await log.create(record({ orderId: 'ord-30', eventId: 'c' }));

    // Act
    const listed = await log.list({ shopId: 'sklep-pod-debem', orderId: 'ord-3' });

    // Assess
    expect(listed.map((entry) => entry.eventId)).toEqual(['a', 'b']);
    expect(listed[0]).toEqual(earlier);
  });
});
