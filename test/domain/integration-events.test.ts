import { describe, expect, it } from 'vitest';
import { lifecycleEvents, orderRef } from '../../fixtures/order-events.js';
import { notification } from '../../fixtures/status-api.js';
import {
  EMITTED_EVENT_SCHEMAS,
  type IntegrationSettings,
  integrationEventsOf,
  notificationOutcomeEvent,
  type StoredChange,
} from '../../functions/domain/integration-events.js';
import { NOTIFICATION_OUTCOMES } from '../../functions/domain/notification-log.js';
import type { OrderEvent } from '../../functions/domain/order-events.js';
import { replay } from '../../functions/domain/order-lifecycle.js';

const DEFAULTS: IntegrationSettings = { statusChanges: true, timeline: false, customerContact: false };
const ALL: IntegrationSettings = { statusChanges: true, timeline: true, customerContact: true };

/** The stored change that applies `applied` on top of `earlier`, as the planner reads it from the stream. */
const change = (
  earlier: readonly OrderEvent[],
  applied: readonly OrderEvent[],
  version: number,
): StoredChange => ({
  before: earlier.length > 0 ? { status: replay(earlier).state.status } : undefined,
  after: replay([...earlier, ...applied]).state,
  version,
  changedAt: '2026-11-20T09:30:00.000Z',
  applied,
});

const valid = (events: ReturnType<typeof integrationEventsOf>) =>
  events.every((event) => EMITTED_EVENT_SCHEMAS[event.detailType].safeParse(event.detail).success);

describe('Function: integrationEventsOf', () => {
  const [placed, paid, accepted] = lifecycleEvents(orderRef(1), 'happyPath') as [
    OrderEvent,
    OrderEvent,
    OrderEvent,
  ];

  it('tells a new order’s status, with no previous status and no contact data by default', () => {
    // Act
    const events = integrationEventsOf(change([], [placed], 1), DEFAULTS);

    // Assess
    expect(events).toEqual([
      {
        detailType: 'Order Status Changed',
        detail: {
          schemaVersion: 1,
          shopId: placed.shopId,
          orderId: placed.orderId,
          orderNumber: placed.orderNumber,
          id: `${placed.shopId}/${placed.orderId}/v1`,
          version: 1,
          status: 'placed',
          previousStatus: undefined,
          paymentStatus: 'awaiting',
          changedAt: '2026-11-20T09:30:00.000Z',
          statusSince: placed.occurredAt,
          causedBy: [{ eventId: placed.eventId, eventType: 'Order Placed', occurredAt: placed.occurredAt }],
        },
      },
    ]);
    expect(JSON.stringify(events)).not.toMatch(/@|\+48|device/);
    expect(valid(events)).toBe(true);
  });

  it('tells nothing for a change that leaves the status, unless the shop shares its timeline', () => {
    expect(integrationEventsOf(change([placed], [paid], 2), DEFAULTS)).toEqual([]);

    const shared = integrationEventsOf(change([placed], [paid], 2), ALL);
    expect(shared).toMatchObject([
      {
        detailType: 'Order Event Recorded',
        detail: {
          id: `${placed.shopId}/${placed.orderId}/${paid.eventId}`,
          eventType: 'Payment Received',
          status: 'placed',
        },
      },
    ]);
    expect(valid(shared)).toBe(true);
  });

  it('gives the customer’s contact, never push tokens, only to a shop that opts in', () => {
    // Act
    const without = integrationEventsOf(change([], [placed], 1), { ...ALL, customerContact: false });
    const withContact = integrationEventsOf(change([], [placed], 1), ALL);

    // Assess
    expect(JSON.stringify(without)).not.toMatch(/zofia|@example|\+48|pushTargets/i);
    const recorded = withContact.find((event) => event.detailType === 'Order Event Recorded');
    const changed = withContact.find((event) => event.detailType === 'Order Status Changed');
    expect(
      (recorded?.detail.event as { customer?: Record<string, unknown> } | undefined)?.customer,
    ).toMatchObject({
      email: 'zofia.wasowska@example.pl',
    });
    expect(changed?.detail.customer).toEqual({
      name: expect.any(String),
      email: 'zofia.wasowska@example.pl',
      phone: expect.any(String),
    });
    expect(JSON.stringify(withContact)).not.toContain('pushTargets');
    expect(valid(withContact)).toBe(true);
  });

  it('says nothing while the order waits for its Order Placed, and the late placement has no previous status', () => {
    // Prepare: the payment arrives first
    const waiting = change([], [paid], 1);
    const late = { ...change([paid], [placed, paid], 2), before: { status: 'awaiting_placement' as const } };

    // Act & Assess
    expect(waiting.after.status).toBe('awaiting_placement');
    expect(integrationEventsOf(waiting, ALL)).toEqual([]);
    const events = integrationEventsOf(late, DEFAULTS);
    expect(events).toMatchObject([
      { detailType: 'Order Status Changed', detail: { status: 'placed', version: 2 } },
    ]);
    expect(events[0]?.detail.previousStatus).toBeUndefined();
  });

  it('sends nothing for a shop that turns status changes off', () => {
    expect(
      integrationEventsOf(change([placed, paid], [accepted], 3), { ...DEFAULTS, statusChanges: false }),
    ).toEqual([]);
  });

  it('keeps ids apart for orders and events named like Object.prototype members', () => {
    // Prepare
    const odd = { ...placed, orderId: '__proto__', eventId: 'constructor' } as OrderEvent;

    // Act
    const events = integrationEventsOf(change([], [odd], 1), ALL);

    // Assess
    expect(events.map((event) => event.detail.id)).toEqual([
      `${placed.shopId}/__proto__/constructor`,
      `${placed.shopId}/__proto__/v1`,
    ]);
    expect(valid(events)).toBe(true);
  });
});

describe('Function: notificationOutcomeEvent', () => {
  it.each(NOTIFICATION_OUTCOMES)(
    'builds a valid event for a final outcome, none for a pending one (%s)',
    (outcome) => {
      // Act
      const event = notificationOutcomeEvent(
        notification(orderRef(1), {
          eventType: 'Order Shipped',
          channel: 'sms',
          outcome,
          address: '+48 *** *** 567',
        }),
        'ZAM/1',
      );

      // Assess
      // `delivered` follows `sent` (SES's delivery receipt): the Notification Sent already told it
      if (['sending', 'deferred', 'retrying', 'delivered'].includes(outcome)) expect(event).toBeUndefined();
      else {
        expect(event?.detailType).toMatch(/^Notification (Sent|Failed|Suppressed)$/);
        expect(
          EMITTED_EVENT_SCHEMAS[event?.detailType ?? 'Notification Sent'].safeParse(event?.detail).success,
        ).toBe(true);
        expect(JSON.stringify(event)).not.toContain('567');
      }
    },
  );
});
