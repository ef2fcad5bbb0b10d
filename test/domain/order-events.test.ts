import { describe, expect, it } from 'vitest';
import { exampleDetails } from '../../fixtures/order-events.js';
import {
  describeProblems,
  ORDER_EVENT_TYPES,
  type OrderEventType,
  parseOrderEvent,
} from '../../functions/domain/order-events.js';

const placed = () => structuredClone(exampleDetails()['Order Placed']);

const problemsOf = (type: OrderEventType | string, detail: unknown) => {
  const result = parseOrderEvent(type, detail);
  if (result.ok) throw new Error('expected the event to be rejected');
  return result.problems;
};

describe('Function: parseOrderEvent', () => {
  it.each(ORDER_EVENT_TYPES)('accepts the documented example of %s and tags it with its type', (type) => {
    // Act
    const result = parseOrderEvent(type, exampleDetails()[type]);

    // Assess
    expect(result.ok && result.event.type).toBe(type);
  });

  it('applies the documented defaults to the customer channels', () => {
    // Prepare
    const detail = placed();
    delete (detail.customer as { channels?: unknown }).channels;

    // Act
    const result = parseOrderEvent('Order Placed', detail);

    // Assess
    expect(result.ok && result.event.type === 'Order Placed' && result.event.customer.channels).toEqual({
      email: true,
      sms: false,
      push: false,
    });
  });

  it('rejects an unknown detail-type and lists the known ones', () => {
    // Act
    const problems = problemsOf('Order Teleported', placed());

    // Assess
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe('detail-type');
    expect(problems[0]?.message).toContain('Order Placed');
    expect(problems[0]?.message).toContain('Complaint Resolved');
  });

  it('names the nested field and the problem, without echoing the value', () => {
    // Prepare
    const detail = placed();
    detail.customer.email = 'zofia.wasowska-at-example.pl';

    // Act
    const problems = problemsOf('Order Placed', detail);

    // Assess
    expect(problems).toEqual([{ path: 'detail.customer.email', message: 'expected an e-mail address' }]);
    expect(describeProblems(problems)).not.toContain('zofia');
  });

  it('reports every problem at once, with array positions', () => {
    // Prepare
    const detail = placed() as Record<string, unknown> & ReturnType<typeof placed>;
    detail.lines[1] = { ...detail.lines[1], quantity: 0 } as (typeof detail.lines)[number];
    detail.occurredAt = '2026-11-20 09:00';
    delete (detail as { orderNumber?: string }).orderNumber;

    // Act
    const paths = problemsOf('Order Placed', detail).map((problem) => problem.path);

    // Assess
    expect(paths).toEqual(
      expect.arrayContaining(['detail.lines[1].quantity', 'detail.occurredAt', 'detail.orderNumber']),
    );
  });

  it('checks that the totals add up, in minor units', () => {
    // Prepare
    const detail = placed();
    detail.totals = { ...detail.totals, subtotal: 11197, total: 11596 };

    // Act
    const problems = problemsOf('Order Placed', detail);

    // Assess
    expect(problems).toEqual([
      { path: 'detail.totals.subtotal', message: 'must equal the sum of the lines (11198), got 11197' },
    ]);
  });

  it('refuses an order nobody could be told about', () => {
    // Prepare
    const detail = placed();
    detail.customer = { ...detail.customer, email: undefined, phone: undefined, channels: { sms: false } };

    // Act
    const problems = problemsOf('Order Placed', detail);

    // Assess
    expect(problems.map((problem) => problem.path)).toEqual(['detail.customer']);
  });

  it('requires a phone number when the customer chose SMS', () => {
    // Prepare
    const detail = placed();
    detail.customer = { ...detail.customer, phone: undefined };

    // Act
    const problems = problemsOf('Order Placed', detail);

    // Assess
    expect(problems).toEqual([
      { path: 'detail.customer.phone', message: 'is required when channels.sms is true' },
    ]);
  });

  it.each([
    ['timeZone', 'Europe/Warszawa', 'expected an IANA time zone such as Europe/Warsaw'],
    ['locale', 'polski', 'expected a language tag such as pl, pl-PL or en-GB'],
  ])('rejects a customer %s that cannot be used (%s)', (field, value, message) => {
    // Prepare
    const detail = placed();
    (detail.customer as Record<string, unknown>)[field] = value;

    // Act
    const problems = problemsOf('Order Placed', detail);

    // Assess
    expect(problems).toEqual([{ path: `detail.customer.${field}`, message }]);
  });

  it('accepts only https tracking links, so a message never carries a script or plain-http link', () => {
    // Prepare
    const shipped = { ...exampleDetails()['Order Shipped'], trackingUrl: 'javascript:alert(1)' };

    // Act
    const problems = problemsOf('Order Shipped', shipped);

    // Assess
    expect(problems).toEqual([{ path: 'detail.trackingUrl', message: 'expected an https:// URL' }]);
  });

  it('rejects identifiers that would break the key design', () => {
    // Prepare
    const detail = { ...exampleDetails()['Order Accepted'], orderId: 'ord#1' };

    // Act
    const problems = problemsOf('Order Accepted', detail);

    // Assess
    expect(problems).toEqual([{ path: 'detail.orderId', message: 'use letters, digits and . _ : / - only' }]);
  });

  it('rejects a schema version it does not know', () => {
    // Act
    const problems = problemsOf('Order Preparing', {
      ...exampleDetails()['Order Preparing'],
      schemaVersion: 2,
    });

    // Assess
    expect(problems.map((problem) => problem.path)).toEqual(['detail.schemaVersion']);
  });

  it('requires a remedy for an accepted complaint', () => {
    // Act
    const problems = problemsOf('Complaint Resolved', {
      ...exampleDetails()['Complaint Resolved'],
      remedy: 'none',
    });

    // Assess
    expect(problems).toEqual([
      { path: 'detail.remedy', message: 'an accepted complaint needs a remedy other than none' },
    ]);
  });

  it('lets a rejected complaint leave the remedy out', () => {
    // Prepare
    const { remedy: _remedy, ...rejected } = {
      ...exampleDetails()['Complaint Resolved'],
      outcome: 'rejected' as const,
    };

    // Act
    const result = parseOrderEvent('Complaint Resolved', rejected);

    // Assess
    expect(result.ok && result.event.type === 'Complaint Resolved' && result.event.remedy).toBe('none');
  });

  it('needs a way to reach the shop when a hold names a contact', () => {
    // Act
    const problems = problemsOf('Order On Hold', {
      ...exampleDetails()['Order On Hold'],
      contact: { hours: '9-17' },
    });

    // Assess
    expect(problems).toEqual([
      { path: 'detail.contact', message: 'needs at least one of phone, email or chatUrl' },
    ]);
  });

  it('refuses a delivery window that ends before it starts', () => {
    // Prepare
    const detail = {
      ...exampleDetails()['Order Out For Delivery'],
      expectedBetween: { from: '2026-11-25T14:00:00+01:00', to: '2026-11-25T10:00:00+01:00' },
    };

    // Act
    const problems = problemsOf('Order Out For Delivery', detail);

    // Assess
    expect(problems).toEqual([{ path: 'detail.expectedBetween.to', message: 'must not be before from' }]);
  });

  it.each([null, 'a string', 42, [], undefined])('rejects a detail that is not an object (%j)', (detail) => {
    // Act
    const problems = problemsOf('Order Delivered', detail);

    // Assess
    expect(problems[0]?.path).toBe('detail');
  });
});
