/**
 * The demo's dates follow from when it runs: for any `now`, every event is placed at or after its order's
 * placement and no later than now, every deadline comes after the event that sets it, the parcel is
 * expected after it ships and near when it arrives, and no date is left over from the docs' example week.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrderEvent } from '../../functions/domain/order-events.js';
import { demoOrders } from '../../local/demo-orders.js';

const DAY = 24 * 60 * 60_000;

/** Every string in an event that reads as a date or a timestamp (ISO 8601), wherever it sits. */
const datesIn = (value: unknown): string[] => {
  if (typeof value === 'string') return /^\d{4}-\d{2}-\d{2}/.test(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(datesIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(datesIn);
  return [];
};

const detailOf = (events: readonly OrderEvent[], type: OrderEvent['type']) =>
  events.find((event) => event.type === type) as (OrderEvent & Record<string, unknown>) | undefined;

/** The calendar day (Warsaw) of an instant, as the contract writes dates. */
const day = (iso: string) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Warsaw',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(iso));

const checkCoherent = (now: Date) => {
  const orders = demoOrders(now);
  expect(orders).toHaveLength(5);
  for (const { events, orderNumber } of orders) {
    const placed = detailOf(events, 'Order Placed');
    if (!placed) throw new Error(`${orderNumber}: no placement`);
    const placedAt = Date.parse(placed.occurredAt);
    // In order, from the placement, never in the future
    const times = events.map((event) => Date.parse(event.occurredAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.min(...times)).toBe(placedAt);
    expect(Math.max(...times)).toBeLessThanOrEqual(now.getTime());
    expect(now.getTime() - placedAt).toBeLessThan(DAY);
    // The number carries the month it was placed in
    expect(orderNumber.startsWith(`ZAM/${day(placed.occurredAt).slice(0, 7).replace('-', '/')}/`)).toBe(true);
    // Deadlines after the event that sets them
    const payment = placed.payment as { dueBy?: string };
    expect(Date.parse(payment.dueBy ?? '')).toBeGreaterThan(placedAt);
    const accepted = detailOf(events, 'Order Accepted');
    if (accepted) expect((accepted.expectedShipBy as string) >= day(accepted.occurredAt)).toBe(true);
    const hold = detailOf(events, 'Order On Hold');
    if (hold) expect(Date.parse(hold.contactBy as string)).toBeGreaterThan(Date.parse(hold.occurredAt));
    const shipped = detailOf(events, 'Order Shipped');
    const delivered = detailOf(events, 'Order Delivered');
    if (shipped) {
      const expected = shipped.expectedDeliveryDate as string;
      expect(expected >= day(shipped.occurredAt)).toBe(true);
      if (delivered) {
        // Not "expected 25 Nov" under "delivered 2 Dec": the expectation is within a few days of it
        const gap = Math.abs(Date.parse(expected) - Date.parse(day(delivered.occurredAt)));
        expect(gap).toBeLessThanOrEqual(3 * DAY);
      }
    }
    const out = detailOf(events, 'Order Out For Delivery');
    if (out) {
      const window = out.expectedBetween as { from: string; to: string };
      expect(Date.parse(window.from)).toBeGreaterThanOrEqual(Date.parse(out.occurredAt));
      expect(Date.parse(window.to)).toBeGreaterThan(Date.parse(window.from));
      if (delivered) expect(Date.parse(delivered.occurredAt)).toBeLessThanOrEqual(Date.parse(window.to));
    }
    const cancelled = detailOf(events, 'Order Cancelled');
    if (cancelled) {
      const refund = cancelled.refund as { expectedBy?: string } | undefined;
      expect(refund?.expectedBy && refund.expectedBy >= day(cancelled.occurredAt)).toBe(true);
    }
    // No date anywhere from another week (the docs' example dates were fixed)
    for (const event of events) {
      for (const date of datesIn(event)) {
        const time = Date.parse(date);
        expect(Number.isNaN(time), `${event.type}: ${date}`).toBe(false);
        expect(
          Math.abs(time - now.getTime()),
          `${event.type}: ${date} vs now ${now.toISOString()}`,
        ).toBeLessThan(7 * DAY);
      }
    }
  }
};

describe('Function: demoOrders', () => {
  it('dates every event from now: chronological, deadlines after their events, nothing from another week', () => {
    // A month end, a year end, the DST switch in Warsaw, and arbitrary instants
    for (const now of [
      '2026-12-02T10:30:00Z',
      '2026-12-31T23:30:00Z',
      '2027-03-28T00:30:00Z',
      '2030-06-15T12:00:00Z',
    ]) {
      checkCoherent(new Date(now));
    }
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2024-01-01T00:00:00Z'),
          max: new Date('2035-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        (now) => {
          checkCoherent(now);
        },
      ),
      { numRuns: 60 },
    );
  });
});
