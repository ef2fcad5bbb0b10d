import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  exampleDetails,
  lifecycleEvents,
  orderRef,
  paymentsOf,
  SHOP_ID,
  toEvent,
} from '../../fixtures/order-events.js';
import { canonicalPhone } from '../../functions/domain/contact.js';
import {
  addressFor,
  newlyApplied,
  planJobs,
  quietHoursEnd,
  supersededBy,
} from '../../functions/domain/notification-planning.js';
import type { OrderEvent, OrderEventType } from '../../functions/domain/order-events.js';
import { type OrderHistory, recordEvent, replay } from '../../functions/domain/order-lifecycle.js';
import { parseShopConfigs } from '../../functions/domain/shop-config.js';

const [shop] = parseShopConfigs([
  {
    shopId: SHOP_ID,
    name: 'Sklep',
    statusPage: { baseUrl: 'https://status.example.pl' },
    email: { from: 'a@b.pl' },
  },
]);
const ref = orderRef(1);
const stateAfter = (count: number, name: Parameters<typeof lifecycleEvents>[1] = 'happyPath') =>
  replay(lifecycleEvents(ref, name).slice(0, count)).state;
const eventOf = (type: OrderEventType, name: Parameters<typeof lifecycleEvents>[1] = 'happyPath') => {
  const event = lifecycleEvents(ref, name).find((candidate) => candidate.type === type);
  if (!event) throw new Error(`${name} has no ${type}`);
  return event;
};

describe('Function: newlyApplied', () => {
  it('returns the events applied since the previous image, including ones applied late', () => {
    expect(newlyApplied(['a', 'b'], ['a', 'x', 'b', 'c'])).toEqual(['x', 'c']);
    expect(newlyApplied(undefined, ['a'])).toEqual(['a']);
    expect(newlyApplied(['a'], ['a'])).toEqual([]);
  });
});

describe('Function: planJobs', () => {
  it('plans one job per channel of the shop’s matrix', () => {
    const events = lifecycleEvents(ref, 'happyPath');
    const jobs = planJobs(shop, events);
    const shipped = jobs.filter((job) => job.eventId.endsWith('-shipped')).map((job) => job.channel);
    const preparing = jobs.filter((job) => job.eventId.endsWith('-preparing'));
    expect(shipped).toEqual(['email', 'sms', 'push']);
    expect(preparing).toEqual([]);
  });

  it('still plans an e-mail job for an unconfigured shop so the sender records why nothing went out', () => {
    const [placed] = lifecycleEvents(ref, 'happyPath');
    expect(planJobs(undefined, placed ? [placed] : [])).toEqual([
      { shopId: SHOP_ID, orderId: ref.orderId, eventId: placed?.eventId, channel: 'email' },
    ]);
  });
});

describe('Function: supersededBy', () => {
  it('supersedes a status message once the order has left that status', () => {
    const delivered = stateAfter(7);
    expect(supersededBy(eventOf('Order Shipped'), delivered)).toBe('the order has moved on to delivered');
    expect(supersededBy(eventOf('Order Accepted'), delivered)).toBeDefined();
    expect(supersededBy(eventOf('Order Delivered'), delivered)).toBeUndefined();
  });

  it('keeps the confirmation and money matters worth telling', () => {
    const shipped = stateAfter(5);
    expect(supersededBy(eventOf('Order Placed'), shipped)).toBeUndefined();
    expect(supersededBy(eventOf('Payment Received'), shipped)).toBeUndefined();
  });

  it('does not ask a customer to call once the hold has ended', () => {
    const resumed = stateAfter(5, 'engravingHold');
    expect(resumed.status).toBe('accepted');
    expect(supersededBy(eventOf('Order On Hold', 'engravingHold'), resumed)).toBe(
      'the order has moved on to accepted',
    );
    expect(supersededBy(eventOf('Order Placed'), stateAfter(5, 'cancelledAfterHold'))).toBe(
      'the order has been cancelled',
    );
  });

  it('supersedes side-track messages about a step the return, complaint or payment has left', () => {
    // Prepare
    const refunded = stateAfter(8, 'returnAndRefund');
    const received = stateAfter(7, 'returnAndRefund');
    const resolved = stateAfter(6, 'complaint');

    // Act & Assess
    expect(supersededBy(eventOf('Return Requested', 'returnAndRefund'), received)).toBe(
      'return ZW-0042-1 has been received since',
    );
    expect(supersededBy(eventOf('Return Received', 'returnAndRefund'), received)).toBeUndefined();
    expect(supersededBy(eventOf('Return Received', 'returnAndRefund'), refunded)).toBe(
      'return ZW-0042-1 has been refunded since',
    );
    expect(supersededBy(eventOf('Payment Received', 'returnAndRefund'), refunded)).toBe(
      'a refund has been issued since',
    );
    expect(supersededBy(eventOf('Refund Issued', 'returnAndRefund'), refunded)).toBeUndefined();
    expect(supersededBy(eventOf('Complaint Opened', 'complaint'), resolved)).toBe(
      'complaint REK-0042-1 has been resolved since',
    );
    expect(supersededBy(eventOf('Complaint Resolved', 'complaint'), resolved)).toBeUndefined();
  });

  it('keeps every counted payment worth telling until a refund: each tells the standing when sent', () => {
    // Prepare
    const [placed] = lifecycleEvents(ref, 'happyPath') as [OrderEvent];
    const [first, second] = paymentsOf(ref, [5000, 6597]) as [OrderEvent, OrderEvent];
    const refund = toEvent('Refund Issued', {
      ...exampleDetails(ref)['Refund Issued'],
      returnId: undefined,
      occurredAt: '2026-11-20T12:00:00.000Z',
    });
    const paid = replay([placed, first, second]).state;
    const refunded = replay([placed, first, second, refund]).state;

    // Act & Assess
    expect(paid.payment.status).toBe('paid');
    expect(supersededBy(first, paid)).toBeUndefined();
    expect(supersededBy(second, paid)).toBeUndefined();
    expect(supersededBy(first, refunded)).toBe('a refund has been issued since');
    expect(supersededBy(second, refunded)).toBe('a refund has been issued since');
  });
});

/* Side-track staleness as a property ------------------------------------------------------------- */

/** Ids a producer may send (the contract's pattern), including names of Object.prototype members. */
const SIDE_TRACK_IDS = [
  ...Object.getOwnPropertyNames(Object.prototype).filter((name) =>
    /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/.test(name),
  ),
  'ZW-1',
  'ZW-2',
];

type SideStep =
  | { readonly kind: 'request' | 'receive' | 'refund' | 'open' | 'resolve'; readonly id: string }
  | { readonly kind: 'pay'; readonly amount: number };

const sideStep: fc.Arbitrary<SideStep> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('request', 'receive', 'refund', 'open', 'resolve'),
    id: fc.constantFrom(...SIDE_TRACK_IDS),
  }),
  fc.record({ kind: fc.constant('pay'), amount: fc.integer({ min: 1, max: 8000 }) }),
);

/** One side-track step as an event, a minute after the previous one, with ids of its own. */
const stepEvent = (step: SideStep, index: number): OrderEvent => {
  const details = exampleDetails(ref);
  const base = {
    eventId: `${ref.orderId}-side-${index}`,
    occurredAt: new Date(Date.UTC(2026, 10, 20, 10, index)).toISOString(),
  };
  switch (step.kind) {
    case 'pay':
      return toEvent('Payment Received', {
        ...details['Payment Received'],
        ...base,
        amount: { amount: step.amount, currency: 'PLN' },
      });
    case 'request':
      return toEvent('Return Requested', { ...details['Return Requested'], ...base, returnId: step.id });
    case 'receive':
      return toEvent('Return Received', { ...details['Return Received'], ...base, returnId: step.id });
    case 'refund':
      return toEvent('Refund Issued', {
        ...details['Refund Issued'],
        ...base,
        refundId: `RF-${index}`,
        returnId: step.id,
        amount: { amount: 10, currency: 'PLN' },
      });
    case 'open':
      return toEvent('Complaint Opened', { ...details['Complaint Opened'], ...base, complaintId: step.id });
    case 'resolve':
      return toEvent('Complaint Resolved', {
        ...details['Complaint Resolved'],
        ...base,
        complaintId: step.id,
      });
  }
};

/**
 * A delivered order (paid in parts: the happy path without its full payment, then the steps' payments
 * come later) followed by side-track steps, each a minute after the previous one, with ids of its own.
 */
const sideTrackOrder = (steps: readonly SideStep[]): OrderEvent[] => {
  const main = lifecycleEvents(ref, 'happyPath').filter((event) => event.type !== 'Payment Received');
  return [...main, ...paymentsOf(ref, [100]), ...steps.map(stepEvent)];
};

/** What a side-track event is about: one return, one complaint, or the order's money. */
const subjectOf = (event: OrderEvent): string | undefined => {
  switch (event.type) {
    case 'Return Requested':
    case 'Return Received':
      return `return:${event.returnId}`;
    case 'Refund Issued':
      return event.returnId === undefined ? 'money' : `return:${event.returnId}`;
    case 'Complaint Opened':
    case 'Complaint Resolved':
      return `complaint:${event.complaintId}`;
    case 'Payment Received':
      return 'money';
    default:
      return undefined;
  }
};

/**
 * The messages still worth sending, stated without the lifecycle's statuses: of everything that
 * happened to one return or one complaint, only the newest step; every counted payment (each tells the
 * standing when sent) until any refund was issued; every refund.
 */
const liveBySteps = (history: OrderHistory): Set<string> => {
  const applied = history.timeline.filter((entry) => entry.outcome.kind === 'applied').map((e) => e.event);
  const refundIssued = applied.some((event) => event.type === 'Refund Issued');
  const live = new Set<string>();
  const newest = new Map<string, OrderEvent>();
  for (const event of applied) {
    const subject = subjectOf(event);
    if (event.type === 'Refund Issued') live.add(event.eventId);
    if (event.type === 'Payment Received') {
      if (!refundIssued) live.add(event.eventId);
    } else if (subject) newest.set(subject, event);
  }
  for (const event of newest.values()) live.add(event.eventId);
  return live;
};

/** Feeds events one by one, as the ingest path does; every intermediate history. */
const deliverAll = (arrivals: readonly OrderEvent[]): OrderHistory[] => {
  const known: OrderEvent[] = [];
  const histories: OrderHistory[] = [];
  for (const event of arrivals) {
    const decision = recordEvent(known, event);
    if (decision.kind !== 'recorded') continue;
    known.push(event);
    histories.push(decision.history);
  }
  return histories;
};

describe('Property: side-track messages go stale exactly when their step is left', () => {
  it('leaves only the newest step of each return and complaint, and no payment after a refund, worth sending', () => {
    fc.assert(
      fc.property(fc.array(sideStep, { minLength: 1, maxLength: 12 }), (steps) => {
        // Act
        const history = replay(sideTrackOrder(steps));

        // Assess
        const expected = liveBySteps(history);
        for (const entry of history.timeline) {
          if (entry.outcome.kind !== 'applied' || !subjectOf(entry.event)) continue;
          const stale = supersededBy(entry.event, history.state);
          expect({ event: entry.event.eventId, type: entry.event.type, live: stale === undefined }).toEqual({
            event: entry.event.eventId,
            type: entry.event.type,
            live: expected.has(entry.event.eventId),
          });
        }
      }),
      { numRuns: 400 },
    );
  });

  it('never lets a superseded side-track message become worth sending again, whatever the arrival order', () => {
    fc.assert(
      fc.property(
        fc.array(sideStep, { minLength: 1, maxLength: 8 }).chain((steps) => {
          const events = sideTrackOrder(steps);
          return fc.shuffledSubarray(events, { minLength: events.length });
        }),
        (arrivals) => {
          // Act
          const histories = deliverAll(arrivals);

          // Assess: once stale (superseded by the order's state, or by the fold as old news) in one history,
          // never worth sending in a later one. (Rejected or awaiting-placement is no verdict yet: an event
          // that arrived before the step it needs may still apply.)
          const staleSince = new Map<string, number>();
          for (const [index, history] of histories.entries()) {
            for (const entry of history.timeline) {
              if (!subjectOf(entry.event)) continue;
              const stale =
                entry.outcome.kind === 'superseded' ||
                (entry.outcome.kind === 'applied' && supersededBy(entry.event, history.state) !== undefined);
              const live = entry.outcome.kind === 'applied' && !stale;
              if (stale && !staleSince.has(entry.event.eventId)) staleSince.set(entry.event.eventId, index);
              if (live) expect(staleSince.get(entry.event.eventId)).toBeUndefined();
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('Function: quietHoursEnd', () => {
  const window = { start: '21:00', end: '08:00' };

  it('returns the end of the night in the customer’s time zone', () => {
    // 23:30 in Warsaw (CET, UTC+1) -> 08:00 Warsaw = 07:00Z the next day
    expect(quietHoursEnd(new Date('2026-11-20T22:30:00Z'), 'Europe/Warsaw', window)?.toISOString()).toBe(
      '2026-11-21T07:00:00.000Z',
    );
    // 06:15 in Warsaw -> 08:00 the same day
    expect(quietHoursEnd(new Date('2026-11-21T05:15:00Z'), 'Europe/Warsaw', window)?.toISOString()).toBe(
      '2026-11-21T07:00:00.000Z',
    );
  });

  it('lets messages through outside the window, and when the shop has no quiet hours', () => {
    expect(quietHoursEnd(new Date('2026-11-20T12:00:00Z'), 'Europe/Warsaw', window)).toBeUndefined();
    expect(quietHoursEnd(new Date('2026-11-20T22:30:00Z'), 'Europe/Warsaw', null)).toBeUndefined();
    // 22:30Z is 14:30 in Los Angeles
    expect(quietHoursEnd(new Date('2026-11-20T22:30:00Z'), 'America/Los_Angeles', window)).toBeUndefined();
  });

  it('ends at 08:00 local time across the switch from summer time', () => {
    // Night of 24-25 October 2026: Warsaw goes from UTC+2 to UTC+1 at 03:00
    const end = quietHoursEnd(new Date('2026-10-24T21:00:00Z'), 'Europe/Warsaw', window);
    expect(end?.toISOString()).toBe('2026-10-25T07:00:00.000Z');
  });

  it('handles a window within one day', () => {
    expect(
      quietHoursEnd(new Date('2026-11-20T12:30:00Z'), 'Europe/Warsaw', {
        start: '13:00',
        end: '14:00',
      })?.toISOString(),
    ).toBe('2026-11-20T13:00:00.000Z');
  });
});

describe('Function: addressFor', () => {
  it('normalises the phone number to E.164 with the delivery country', () => {
    const state = stateAfter(1);
    expect(addressFor('sms', state)).toEqual({
      channel: 'sms',
      phoneNumber: '+48601234567',
      masked: '+48 *** *** 567',
    });
    expect(canonicalPhone('601 234 567', 'PL')).toBe('+48601234567');
    expect(canonicalPhone('12', 'PL')).toBeUndefined();
  });

  it('says why there is no address', () => {
    const state = stateAfter(1);
    const noPhone = { ...state, customer: state.customer && { ...state.customer, phone: '+48 000' } };
    expect(addressFor('sms', noPhone)).toEqual({ missing: 'the phone number is not a valid number' });
    expect(addressFor('push', state)).toEqual({
      missing: 'the customer did not choose push',
      notChosen: true,
    });
  });

  it('leaves out disabled push devices', () => {
    const state = stateAfter(1);
    const withPush = {
      ...state,
      customer: state.customer && {
        ...state.customer,
        channels: { ...state.customer.channels, push: true },
        pushTargets: [
          { platform: 'fcm' as const, deviceToken: 'token-aaaa-1111' },
          { platform: 'apns' as const, deviceToken: 'token-bbbb-2222' },
        ],
      },
    };
    const address = addressFor('push', withPush, { disabledPushTokens: new Set(['token-aaaa-1111']) });
    expect(address).toMatchObject({
      channel: 'push',
      targets: [{ deviceToken: 'token-bbbb-2222' }],
      masked: 'apns …2222',
    });
    expect(
      addressFor('push', withPush, { disabledPushTokens: new Set(['token-aaaa-1111', 'token-bbbb-2222']) }),
    ).toEqual({
      missing: 'every push device of the order is disabled',
    });
  });
});
