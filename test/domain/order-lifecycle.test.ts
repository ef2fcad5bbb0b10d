import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  exampleDetails,
  LIFECYCLES,
  type LifecycleName,
  lifecycleEvents,
  orderRef,
  paymentsOf,
  toEvent,
} from '../../fixtures/order-events.js';
import type { OrderEvent, OrderEventType } from '../../functions/domain/order-events.js';
import {
  FULFILMENT_STATUSES,
  type OrderHistory,
  type OrderState,
  paymentStanding,
  recordEvent,
  replay,
  sortEvents,
  TRANSITIONS,
} from '../../functions/domain/order-lifecycle.js';

const ref = orderRef(7);
const lifecycleNames = Object.keys(LIFECYCLES) as LifecycleName[];

/** Builds events of one order at given minutes past 09:00, in the order given. */
const events = (...steps: Array<[OrderEventType, number]>): OrderEvent[] => {
  const details = exampleDetails(ref);
  return steps.map(([type, minute]) =>
    toEvent(type, {
      ...details[type],
      occurredAt: new Date(Date.UTC(2026, 10, 20, 9, minute)).toISOString(),
    } as never),
  );
};

/** Feeds events one by one, as the ingest path does, and returns every intermediate history. */
const deliver = (arrivals: readonly OrderEvent[]): OrderHistory[] => {
  const known: OrderEvent[] = [];
  const histories: OrderHistory[] = [];
  for (const event of arrivals) {
    const decision = recordEvent(known, event);
    if (decision.kind === 'conflict') throw new Error(decision.reason);
    if (decision.kind === 'recorded') {
      known.push(event);
      histories.push(decision.history);
    }
  }
  return histories;
};

const finalOf = (arrivals: readonly OrderEvent[]): OrderHistory => {
  const last = deliver(arrivals).at(-1);
  if (!last) throw new Error('nothing was recorded');
  return last;
};

/** How far along the order is; a hold counts as the status it began in, a cancellation as the end. */
const progress = (state: OrderState): number => {
  const rank: Record<string, number> = {
    awaiting_placement: 0,
    placed: 1,
    accepted: 2,
    preparing: 3,
    shipped: 4,
    out_for_delivery: 5,
    delivered: 6,
    cancelled: 7,
  };
  const status = state.status === 'on_hold' ? (state.hold?.resumeTo ?? 'placed') : state.status;
  return rank[status] ?? Number.NaN;
};

/** Arrival schedules: every event at least once, some twice or three times, in any order. */
const arrivalsOf = (lifecycle: readonly OrderEvent[]) =>
  fc
    .array(fc.nat({ max: lifecycle.length - 1 }), { maxLength: lifecycle.length * 2 })
    .chain((extra) =>
      fc.shuffledSubarray([...lifecycle, ...extra.map((i) => lifecycle[i] as OrderEvent)], {
        minLength: lifecycle.length + extra.length,
      }),
    )
    .map((arrivals) => arrivals.map((event) => structuredClone(event)));

describe('Table: TRANSITIONS', () => {
  it('has a verdict for every fulfilment event in every status', () => {
    for (const [event, row] of Object.entries(TRANSITIONS)) {
      expect(Object.keys(row).sort(), event).toEqual([...FULFILMENT_STATUSES].sort());
    }
  });
});

describe('Function: replay', () => {
  it.each(lifecycleNames)('takes the %s lifecycle to its expected end', (name) => {
    // Act
    const { state, timeline } = replay(lifecycleEvents(ref, name));

    // Assess
    const expected: Record<LifecycleName, string> = {
      happyPath: 'delivered',
      engravingHold: 'delivered',
      cancelledAfterHold: 'cancelled',
      returnAndRefund: 'delivered',
      complaint: 'delivered',
    };
    expect(state.status).toBe(expected[name]);
    expect(timeline.every((entry) => entry.outcome.kind === 'applied')).toBe(true);
  });

  it('keeps the details each step adds', () => {
    // Act
    const { state } = replay(lifecycleEvents(ref, 'returnAndRefund'));

    // Assess
    expect(state.shipment).toMatchObject({ carrier: 'InPost', trackingNumber: '620123456789012345678901' });
    expect(state.payment).toMatchObject({ status: 'partially_refunded', refunded: 4999 });
    expect(state.returns).toEqual([expect.objectContaining({ returnId: 'ZW-0042-1', status: 'refunded' })]);
  });

  it('records the timing and reason of a cancellation', () => {
    // Act
    const { state } = replay(lifecycleEvents(ref, 'cancelledAfterHold'));

    // Assess
    expect(state.cancellation).toMatchObject({
      stage: 'on_hold',
      cancelledBy: 'customer',
      reason: 'customer_request',
    });
    expect(state.hold).toBeUndefined();
  });

  it('resumes a held order to where it was, with the hold instructions gone', () => {
    // Act
    const held = replay(events(['Order Placed', 0], ['Order Accepted', 1], ['Order On Hold', 2]));
    const resumed = replay(
      events(['Order Placed', 0], ['Order Accepted', 1], ['Order On Hold', 2], ['Order Resumed', 3]),
    );

    // Assess
    expect(held.state).toMatchObject({
      status: 'on_hold',
      hold: { reason: 'personalisation', resumeTo: 'accepted' },
    });
    expect(resumed.state.status).toBe('accepted');
    expect(resumed.state.hold).toBeUndefined();
  });

  it('treats shipping a held order as the end of the hold', () => {
    // Act
    const { state, timeline } = replay(
      events(['Order Placed', 0], ['Order On Hold', 1], ['Order Shipped', 2]),
    );

    // Assess
    expect(state.status).toBe('shipped');
    expect(state.hold).toBeUndefined();
    expect(timeline.map((entry) => entry.outcome.kind)).toEqual(['applied', 'applied', 'applied']);
  });

  it('supersedes a late Shipped after Delivered instead of moving the order back', () => {
    // Act: the carrier's scan arrived with a later timestamp than the delivery
    const { state, timeline } = replay(
      events(['Order Placed', 0], ['Order Delivered', 5], ['Order Shipped', 6]),
    );

    // Assess
    expect(state.status).toBe('delivered');
    expect(timeline.at(-1)?.outcome).toEqual({
      kind: 'superseded',
      reason: 'the order has already moved past shipping',
    });
  });

  it('rejects shipping a cancelled order, with the reason', () => {
    // Act
    const { state, timeline } = replay(
      events(['Order Placed', 0], ['Order Cancelled', 1], ['Order Shipped', 2]),
    );

    // Assess
    expect(state.status).toBe('cancelled');
    expect(timeline.at(-1)?.outcome).toEqual({ kind: 'rejected', reason: 'the order is cancelled' });
  });

  it('refuses to cancel a delivered order and points to returns', () => {
    // Act
    const { state, timeline } = replay(
      events(['Order Placed', 0], ['Order Delivered', 1], ['Order Cancelled', 2]),
    );

    // Assess
    expect(state.status).toBe('delivered');
    expect(timeline.at(-1)?.outcome).toMatchObject({
      kind: 'rejected',
      reason: expect.stringContaining('Return Requested'),
    });
  });

  it('keeps events of an order whose Order Placed has not arrived, and applies them when it does', () => {
    // Prepare
    const [placed, shipped] = events(['Order Placed', 0], ['Order Shipped', 3]) as [OrderEvent, OrderEvent];

    // Act
    const before = replay([shipped]);
    const after = replay([shipped, placed]);

    // Assess
    expect(before.state.status).toBe('awaiting_placement');
    expect(before.timeline[0]?.outcome).toEqual({ kind: 'awaiting_placement' });
    expect(after.state.status).toBe('shipped');
  });

  it('judges events stamped before their Order Placed (a skewed clock) against the placed order', () => {
    // Act: the payment gateway's clock is a minute ahead of the shop's
    const { state, timeline } = replay(events(['Payment Received', 0], ['Order Placed', 1]));

    // Assess
    expect(timeline.map((entry) => [entry.event.type, entry.outcome.kind])).toEqual([
      ['Order Placed', 'applied'],
      ['Payment Received', 'applied'],
    ]);
    expect(state.payment.status).toBe('paid');
  });

  it('rejects a refund larger than what was paid', () => {
    // Prepare
    const [placed, paid, refund] = events(['Order Placed', 0], ['Payment Received', 1], ['Refund Issued', 2]);
    const tooMuch = {
      ...refund,
      returnId: undefined,
      amount: { amount: 20000, currency: 'PLN' },
    } as OrderEvent;

    // Act
    const { timeline } = replay([placed as OrderEvent, paid as OrderEvent, tooMuch]);

    // Assess
    expect(timeline.at(-1)?.outcome).toEqual({
      kind: 'rejected',
      reason: 'refunds would total 20000, more than the 11597 paid',
    });
  });

  it('rejects money in another currency than the order', () => {
    // Prepare
    const [placed, paid] = events(['Order Placed', 0], ['Payment Received', 1]);
    const inEuro = { ...paid, amount: { amount: 2700, currency: 'EUR' } } as OrderEvent;

    // Act
    const { state, timeline } = replay([placed as OrderEvent, inEuro]);

    // Assess
    expect(state.payment.status).toBe('awaiting');
    expect(timeline.at(-1)?.outcome).toEqual({
      kind: 'rejected',
      reason: 'the amount is in EUR but the order is in PLN',
    });
  });

  it('rejects an event whose order number does not match the placed order', () => {
    // Prepare
    const [placed, accepted] = events(['Order Placed', 0], ['Order Accepted', 1]);

    // Act
    const { state, timeline } = replay([
      placed as OrderEvent,
      { ...accepted, orderNumber: 'ZAM/9999' } as OrderEvent,
    ]);

    // Assess
    expect(state.status).toBe('placed');
    expect(timeline.at(-1)?.outcome.kind).toBe('rejected');
  });

  it('counts payment taken at checkout as paid', () => {
    // Prepare
    const [placed] = events(['Order Placed', 0]) as [OrderEvent & { type: 'Order Placed' }];
    const paidAtCheckout = {
      ...placed,
      payment: { ...placed.payment, method: 'blik', status: 'paid' },
    } as OrderEvent;

    // Act
    const { state } = replay([paidAtCheckout]);

    // Assess
    expect(state.payment).toMatchObject({ status: 'paid', paid: { amount: 11597, currency: 'PLN' } });
  });
});

describe('Function: sortEvents', () => {
  it('orders by the producer sequence when every event has one, whatever the clocks say', () => {
    // Prepare: the warehouse clock is two hours behind the shop's
    const [placed, shipped, delivered] = events(
      ['Order Placed', 0],
      ['Order Shipped', 120],
      ['Order Delivered', 10],
    ).map((event, index) => ({ ...event, sequence: index + 1 }));

    // Act
    const sorted = sortEvents([delivered, shipped, placed] as OrderEvent[]);

    // Assess
    expect(sorted.map((event) => event.type)).toEqual(['Order Placed', 'Order Shipped', 'Order Delivered']);
  });

  it('compares instants, not strings, across time-zone offsets', () => {
    // Prepare
    const [placed, accepted, preparing] = events(
      ['Order Placed', 0],
      ['Order Accepted', 0],
      ['Order Preparing', 0],
    );
    const acceptedInWarsaw = { ...accepted, occurredAt: '2026-11-20T10:30:00+01:00' } as OrderEvent; // 09:30Z
    const preparingInUtc = { ...preparing, occurredAt: '2026-11-20T09:45:00Z' } as OrderEvent;

    // Act
    const sorted = sortEvents([preparingInUtc, acceptedInWarsaw, placed as OrderEvent]);

    // Assess
    expect(sorted.map((event) => event.type)).toEqual(['Order Placed', 'Order Accepted', 'Order Preparing']);
  });

  it('breaks ties of the same instant by lifecycle order', () => {
    // Act
    const sorted = sortEvents(events(['Order Delivered', 5], ['Order Placed', 5], ['Order Shipped', 5]));

    // Assess
    expect(sorted.map((event) => event.type)).toEqual(['Order Placed', 'Order Shipped', 'Order Delivered']);
  });
  it('lets the placement decide: sequenced when it has a sequence, the events without one last', () => {
    // Prepare: the delivery has a sequence; the cancellation has none and a later time
    const [placed, delivered, cancelled] = events(
      ['Order Placed', 0],
      ['Order Delivered', 10],
      ['Order Cancelled', 5],
    ) as [OrderEvent, OrderEvent, OrderEvent];

    // Act
    const sorted = sortEvents([
      cancelled,
      { ...delivered, sequence: 2 },
      { ...placed, sequence: 1 },
    ] as OrderEvent[]);

    // Assess
    expect(sorted.map((event) => event.type)).toEqual(['Order Placed', 'Order Delivered', 'Order Cancelled']);
  });

  it('ignores sequence numbers when the placement has none', () => {
    // Prepare
    const [placed, shipped, delivered] = events(
      ['Order Placed', 0],
      ['Order Shipped', 10],
      ['Order Delivered', 20],
    ) as [OrderEvent, OrderEvent, OrderEvent];

    // Act
    const sorted = sortEvents([
      { ...delivered, sequence: 1 },
      { ...shipped, sequence: 2 },
      placed,
    ] as OrderEvent[]);

    // Assess
    expect(sorted.map((event) => event.type)).toEqual(['Order Placed', 'Order Shipped', 'Order Delivered']);
  });
});

describe('Function: recordEvent', () => {
  it('changes nothing for a redelivered event', () => {
    // Prepare
    const [placed] = events(['Order Placed', 0]) as [OrderEvent];

    // Act
    const decision = recordEvent([placed], structuredClone(placed));

    // Assess
    expect(decision).toEqual({ kind: 'duplicate' });
  });

  it('refuses an event id reused for a different event', () => {
    // Prepare
    const [placed, accepted] = events(['Order Placed', 0], ['Order Accepted', 1]) as [OrderEvent, OrderEvent];

    // Act
    const decision = recordEvent([placed, accepted], {
      ...accepted,
      expectedShipBy: '2026-12-01',
    } as OrderEvent);

    // Assess
    expect(decision).toEqual({
      kind: 'conflict',
      reason: `event id ${accepted.eventId} was already used for a different event`,
    });
  });
});

describe('Property: delivery order does not matter', () => {
  it.each(lifecycleNames)(
    '%s: any interleaving, duplication and delay ends in the in-order state and timeline',
    (name) => {
      const inOrder = lifecycleEvents(ref, name);
      const expected = finalOf(inOrder);
      fc.assert(
        fc.property(arrivalsOf(inOrder), (arrivals) => {
          const actual = finalOf(arrivals);
          expect(actual.state).toEqual(expected.state);
          expect(actual.timeline).toEqual(expected.timeline);
        }),
        { numRuns: 300 },
      );
    },
  );

  it.each(lifecycleNames)('%s: a late event never moves the order backwards', (name) => {
    const inOrder = lifecycleEvents(ref, name);
    fc.assert(
      fc.property(arrivalsOf(inOrder), (arrivals) => {
        const progression = deliver(arrivals).map((history) => progress(history.state));
        for (let i = 1; i < progression.length; i++) {
          expect(progression[i]).toBeGreaterThanOrEqual(progression[i - 1] as number);
        }
      }),
      { numRuns: 300 },
    );
  });

  it.each(lifecycleNames)(
    '%s: with producer sequence numbers and skewed clocks, the sequence decides',
    (name) => {
      // The clocks of the shop's integrations disagree by up to two hours; the sequence is the truth.
      const inOrder = lifecycleEvents(ref, name, { withSequence: true });
      const expected = finalOf(inOrder);
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: -120, max: 120 }), {
            minLength: inOrder.length,
            maxLength: inOrder.length,
          }),
          fc.shuffledSubarray([...inOrder.keys()], { minLength: inOrder.length }),
          (skews, arrivalOrder) => {
            const skewed = inOrder.map((event, i) => ({
              ...event,
              occurredAt: new Date(Date.parse(event.occurredAt) + (skews[i] ?? 0) * 60_000).toISOString(),
            })) as OrderEvent[];
            const arrivals = arrivalOrder.map((i) => skewed[i] as OrderEvent);
            const actual = finalOf(arrivals);
            expect(actual.state.status).toEqual(expected.state.status);
            expect(actual.timeline.map((entry) => [entry.event.type, entry.outcome.kind])).toEqual(
              expected.timeline.map((entry) => [entry.event.type, entry.outcome.kind]),
            );
          },
        ),
        { numRuns: 200 },
      );
    },
  );
});

describe('Partial payments', () => {
  const TOTAL = 11597;
  const placed = () => toEvent('Order Placed', exampleDetails(ref)['Order Placed']);
  const refund = (refundId: string, amount: number, second: number): OrderEvent =>
    toEvent('Refund Issued', {
      ...exampleDetails(ref)['Refund Issued'],
      eventId: `${ref.orderId}-refund-${refundId}`,
      refundId,
      returnId: undefined,
      occurredAt: new Date(Date.UTC(2026, 10, 20, 10, 0, second)).toISOString(),
      amount: { amount, currency: 'PLN' },
    });

  /** What the payments should add up to: in lifecycle order, each counts until the total is reached. */
  const expectedSum = (amounts: readonly number[]): number =>
    amounts.reduce((sum, amount) => (sum >= TOTAL ? sum : sum + amount), 0);

  it('does not take 1 grosz on a 115.97 PLN order for the whole payment', () => {
    // Act
    const { state, timeline } = replay([placed(), ...paymentsOf(ref, [1])]);

    // Assess
    expect(timeline.at(-1)?.outcome.kind).toBe('applied');
    expect(state.payment).toMatchObject({ status: 'partially_paid', paid: { amount: 1, currency: 'PLN' } });
    expect(paymentStanding(state)).toMatchObject({ received: 1, due: TOTAL - 1, overpaid: 0, payments: 1 });
  });

  it('adds up distinct payments: below the total partly paid, at or above it paid, later ones superseded', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: TOTAL }), { minLength: 1, maxLength: 6 }), (amounts) => {
        // Act
        const { state, timeline } = replay([placed(), ...paymentsOf(ref, amounts)]);

        // Assess
        const sum = expectedSum(amounts);
        expect(state.payment.paid?.amount).toBe(sum);
        expect(state.payment.status).toBe(sum >= TOTAL ? 'paid' : 'partially_paid');
        const counted = timeline.filter((entry) => entry.outcome.kind === 'applied').length - 1;
        expect(state.payment.received).toHaveLength(counted);
        for (const entry of timeline.slice(1 + counted)) {
          expect(entry.outcome).toEqual({ kind: 'superseded', reason: 'the order is already fully paid' });
        }
        expect(paymentStanding(state)).toMatchObject({
          received: sum,
          due: Math.max(0, TOTAL - sum),
          overpaid: Math.max(0, sum - TOTAL),
        });
      }),
      { numRuns: 300 },
    );
  });

  it('ends in the same state and timeline whatever the arrival order and duplicates, and never unpays', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: TOTAL }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: 1, max: TOTAL }), { maxLength: 2 }),
        (amounts, refunds) => {
          // Prepare: payments and refunds (each its own refund id) of one order, in lifecycle order
          const inOrder = [
            placed(),
            ...paymentsOf(ref, amounts),
            ...refunds.map((amount, index) => refund(`RF-${index}`, amount, index)),
          ];
          const expected = finalOf(inOrder);
          fc.assert(
            fc.property(arrivalsOf(inOrder), (arrivals) => {
              // Act
              const histories = deliver(arrivals);

              // Assess
              const actual = histories.at(-1);
              expect(actual?.state).toEqual(expected.state);
              expect(actual?.timeline).toEqual(expected.timeline);
              const paidAt = histories.findIndex((history) => history.state.payment.status === 'paid');
              if (paidAt >= 0 && refunds.length === 0) {
                for (const later of histories.slice(paidAt)) expect(later.state.payment.status).toBe('paid');
              }
            }),
            { numRuns: 20 },
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it('lets refunds add up to what was received in total, never more', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: TOTAL }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 1, max: 2 * TOTAL }), { minLength: 1, maxLength: 3 }),
        (amounts, refunds) => {
          // Act
          const { state, timeline } = replay([
            placed(),
            ...paymentsOf(ref, amounts),
            ...refunds.map((amount, index) => refund(`RF-${index}`, amount, index)),
          ]);

          // Assess: each refund counts while the refunds stay within what was received
          const received = expectedSum(amounts);
          let refunded = 0;
          for (const [index, amount] of refunds.entries()) {
            const entry = timeline.find((candidate) =>
              candidate.event.eventId.endsWith(`refund-RF-${index}`),
            );
            const fits = refunded + amount <= received;
            expect(entry?.outcome.kind).toBe(fits ? 'applied' : 'rejected');
            if (fits) refunded += amount;
          }
          expect(state.payment.refunded).toBe(refunded);
          expect(state.payment.refunded).toBeLessThanOrEqual(state.payment.paid?.amount ?? 0);
          if (refunded > 0) {
            expect(state.payment.status).toBe(refunded === received ? 'refunded' : 'partially_refunded');
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('counts a refund id once, even when it comes again under a new event id', () => {
    // Prepare
    const again = { ...refund('RF-1', 1000, 1), eventId: `${ref.orderId}-refund-again` } as OrderEvent;

    // Act
    const { state, timeline } = replay([
      placed(),
      ...paymentsOf(ref, [TOTAL]),
      refund('RF-1', 1000, 0),
      again,
    ]);

    // Assess
    expect(state.payment.refunded).toBe(1000);
    expect(timeline.at(-1)?.outcome).toEqual({
      kind: 'superseded',
      reason: 'refund RF-1 is already recorded',
    });
  });

  it('does not count a payment once refunds were issued, nor one of 0', () => {
    // Prepare: 09:01 and 09:02, the refund at 10:00, the last payment at 11:00
    const [first, zero, late] = paymentsOf(ref, [5000, 0, 3000], (index) =>
      new Date(Date.UTC(2026, 10, 20, index < 2 ? 9 : 11, index < 2 ? 1 + index : 0)).toISOString(),
    ) as [OrderEvent, OrderEvent, OrderEvent];

    // Act
    const { state, timeline } = replay([placed(), first, zero, refund('RF-1', 5000, 0), late]);

    // Assess
    expect(timeline.map((entry) => entry.outcome.kind)).toEqual([
      'applied',
      'applied',
      'rejected',
      'applied',
      'superseded',
    ]);
    expect(state.payment).toMatchObject({ status: 'refunded', paid: { amount: 5000 }, refunded: 5000 });
  });

  it('keeps an order paid at checkout paid, and a later Payment Received superseded', () => {
    // Prepare
    const checkout = toEvent('Order Placed', {
      ...exampleDetails(ref)['Order Placed'],
      payment: { method: 'blik', status: 'paid' },
    });

    // Act
    const { state, timeline } = replay([checkout, ...paymentsOf(ref, [1])]);

    // Assess
    expect(state.payment).toMatchObject({ status: 'paid', paid: { amount: TOTAL }, received: [] });
    expect(timeline.at(-1)?.outcome).toEqual({
      kind: 'superseded',
      reason: 'the order is already fully paid',
    });
  });
});
