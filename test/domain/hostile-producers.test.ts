/**
 * Producers that are careless or hostile, as generators rather than examples: a second producer placing
 * the same order with its own customer, and events whose sequence numbers disagree with the order's.
 * Each property drives the real decision (`recordEvent`) and checks the stored state, who the messages
 * would go to, and that both public renderings of the order still work.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  exampleDetails,
  LIFECYCLES,
  type LifecycleName,
  lifecycleEvents,
  orderRef,
  toEvent,
} from '../../fixtures/order-events.js';
import { shopConfig } from '../../fixtures/status-api.js';
import { addressFor } from '../../functions/domain/notification-planning.js';
import {
  ORDER_EVENT_TYPES,
  type OrderEvent,
  type OrderEventDetailInput,
  type OrderEventType,
} from '../../functions/domain/order-events.js';
import {
  type OrderHistory,
  recordEvent,
  replay,
  UNSEQUENCED_REASON,
} from '../../functions/domain/order-lifecycle.js';
import { buildOrderView } from '../../functions/domain/order-view.js';
import { renderTrackingPage } from '../../functions/status-api/render-page.js';

const ref = orderRef(11);
const SHOP = shopConfig();
const NOW = new Date('2026-11-21T12:00:00Z');
const lifecycleNames = Object.keys(LIFECYCLES) as LifecycleName[];
const BASE = Date.UTC(2026, 10, 20, 9, 0);

/** The intruder's customer: none of this may be kept once the honest placement is in. */
const INTRUDER = {
  name: 'Ignacy Intruz',
  email: 'ignacy.intruz@attacker.example',
  phone: '+48 700 111 222',
};
const INTRUDER_SECRETS = [INTRUDER.name, INTRUDER.email, INTRUDER.phone, 'Intruz', 'attacker.example'];

/** Any event of the order: any type, any time within a day, with or without a sequence number. */
const anyEvent = (idPrefix: string, types: readonly OrderEventType[] = ORDER_EVENT_TYPES) =>
  fc
    .record({
      type: fc.constantFrom(...types),
      minute: fc.integer({ min: -600, max: 600 }),
      sequence: fc.option(fc.nat({ max: 30 }), { nil: undefined }),
      n: fc.nat({ max: 1_000_000 }),
    })
    .map(({ type, minute, sequence, n }) =>
      toEvent(type, {
        ...exampleDetails(ref)[type],
        eventId: `${idPrefix}-${n}`,
        occurredAt: new Date(BASE + minute * 60_000).toISOString(),
        ...(sequence === undefined ? {} : { sequence }),
      } as OrderEventDetailInput<typeof type>),
    );

const intruderPlacement = fc
  .record({
    minute: fc.integer({ min: -600, max: 600 }),
    sequence: fc.option(fc.nat({ max: 30 }), { nil: undefined }),
  })
  .map(({ minute, sequence }) => {
    const details = exampleDetails(ref)['Order Placed'];
    return toEvent('Order Placed', {
      ...details,
      eventId: 'intruder-placed',
      occurredAt: new Date(BASE + minute * 60_000).toISOString(),
      customer: { ...details.customer, ...INTRUDER },
      delivery: { ...details.delivery, city: 'Intruzowo', postcode: '99-999' },
      ...(sequence === undefined ? {} : { sequence }),
    });
  });

interface Delivery {
  readonly known: OrderEvent[];
  readonly history: OrderHistory | undefined;
  readonly refused: OrderEvent[];
}

/** Feeds events one by one through the decision the ingest path makes, keeping what it keeps. */
const deliver = (arrivals: readonly OrderEvent[]): Delivery => {
  const known: OrderEvent[] = [];
  const refused: OrderEvent[] = [];
  let history: OrderHistory | undefined;
  for (const event of arrivals) {
    const decision = recordEvent(known, event);
    if (decision.kind === 'conflict') throw new Error(decision.reason);
    if (decision.kind === 'refused') refused.push(event);
    if (decision.kind === 'recorded') {
      known.push(event);
      history = decision.history;
    }
  }
  return { known, history, refused };
};

/** Both public renderings of the order: the JSON view and the HTML page. Throws if either would 500. */
const renderBoth = (history: OrderHistory) => {
  const view = buildOrderView({ history, notifications: [], shop: SHOP, language: 'pl', now: NOW });
  return { view, page: renderTrackingPage(view).html };
};

describe('Property: two producers for one order', () => {
  it.each(lifecycleNames)(
    '%s: the first placement to arrive owns the order; the other is refused and none of its data is kept',
    (name) => {
      fc.assert(
        fc.property(
          fc.boolean(),
          intruderPlacement,
          fc.array(anyEvent('intruder'), { maxLength: 4 }),
          fc.infiniteStream(fc.nat()),
          (withSequence, placement, intruderEvents, order) => {
            // Prepare: honest and intruder events interleaved in any arrival order
            const honest = lifecycleEvents(ref, name, { withSequence });
            const intruder = intruderEvents.map((event, i) => ({ ...event, eventId: `intruder-${i}` }));
            const all = [...honest, placement, ...intruder] as OrderEvent[];
            const keys = [...all.keys()].map((index) => ({ index, key: order.next().value as number }));
            const arrivals = keys.sort((a, b) => a.key - b.key).map(({ index }) => all[index] as OrderEvent);
            const honestPlacement = honest[0] as OrderEvent;
            const [first, ...later] = arrivals.filter((event) => event.type === 'Order Placed');
            const honestFirst = first === honestPlacement;

            // Act
            const { known, history, refused } = deliver(arrivals);

            // Assess: exactly one placement was kept, the first to arrive; every other one was refused
            expect(known.filter((event) => event.type === 'Order Placed')).toEqual([first]);
            expect(refused).toEqual(later);
            if (honestFirst) expect(refused).toContain(placement);
            if (!history) throw new Error('nothing was recorded');
            if (honestFirst) {
              if (honestPlacement.type !== 'Order Placed') throw new Error('fixture');
              expect(history.state.customer).toEqual(honestPlacement.customer);
              expect(addressFor('email', history.state)).toMatchObject({
                email: honestPlacement.customer.email,
              });
              const kept = JSON.stringify(known);
              for (const secret of INTRUDER_SECRETS) expect(kept).not.toContain(secret);
            }
            const { view, page } = renderBoth(history);
            if (honestFirst) {
              for (const secret of INTRUDER_SECRETS)
                expect(`${JSON.stringify(view)}${page}`).not.toContain(secret);
            }
          },
        ),
        { numRuns: 150 },
      );
    },
  );

  it('refuses a later placement with an earlier time, and keeps the paid order and its customer', () => {
    // Prepare: the attack: placed 09:10, paid, then a placement at 09:00 with another customer
    const details = exampleDetails(ref);
    const placed = toEvent('Order Placed', {
      ...details['Order Placed'],
      occurredAt: '2026-11-20T09:10:00Z',
    });
    const paid = toEvent('Payment Received', {
      ...details['Payment Received'],
      occurredAt: '2026-11-20T09:20:00Z',
    });
    const takeover = toEvent('Order Placed', {
      ...details['Order Placed'],
      eventId: 'takeover',
      occurredAt: '2026-11-20T09:00:00Z',
      customer: { ...details['Order Placed'].customer, ...INTRUDER },
    });

    // Act
    const decision = recordEvent([placed, paid], takeover);

    // Assess
    expect(decision).toEqual({
      kind: 'refused',
      reason: `order ${ref.orderId} already has a placement (event ${placed.eventId}); a second Order Placed is refused`,
    });
  });

  it('still treats the same placement with other content as a reused event id', () => {
    // Prepare
    const placed = lifecycleEvents(ref, 'happyPath')[0] as OrderEvent & { type: 'Order Placed' };

    // Act
    const decision = recordEvent([placed], { ...placed, customer: { ...placed.customer, ...INTRUDER } });

    // Assess
    expect(decision.kind).toBe('conflict');
  });
});

describe('Property: one event cannot reorder a sequenced order', () => {
  const withoutPlacement = ORDER_EVENT_TYPES.filter((type) => type !== 'Order Placed');

  it.each(lifecycleNames)(
    '%s: an added event keeps the others in order, and one without a sequence changes nothing',
    (name) => {
      const lifecycle = lifecycleEvents(ref, name, { withSequence: true });
      const before = replay(lifecycle);
      const otherIds = (history: OrderHistory, extra: OrderEvent) =>
        history.timeline.filter((entry) => entry.event !== extra).map((entry) => entry.event.eventId);
      fc.assert(
        fc.property(anyEvent('extra', withoutPlacement), (extra) => {
          // Act
          const decision = recordEvent(lifecycle, extra);

          // Assess
          if (decision.kind !== 'recorded') throw new Error(`not recorded: ${decision.kind}`);
          const after = decision.history;
          expect(otherIds(after, extra)).toEqual(otherIds(before, extra));
          if (extra.sequence === undefined) {
            expect(decision.outcome).toEqual({ kind: 'rejected', reason: UNSEQUENCED_REASON });
            expect(after.state).toEqual(before.state);
            expect(after.timeline.filter((entry) => entry.event !== extra)).toEqual(before.timeline);
          } else {
            // Everything ordered before the new event is judged exactly as before
            const position = after.timeline.findIndex((entry) => entry.event === extra);
            expect(after.timeline.slice(0, position)).toEqual(before.timeline.slice(0, position));
          }
        }),
        { numRuns: 300 },
      );
    },
  );

  it('keeps an order delivered by sequence delivered when a cancellation without a sequence arrives', () => {
    // Prepare: the case: the cancellation's time is after the delivery's
    const lifecycle = lifecycleEvents(ref, 'happyPath', { withSequence: true });
    const cancelled = toEvent('Order Cancelled', {
      ...exampleDetails(ref)['Order Cancelled'],
      occurredAt: '2026-11-20T23:00:00Z',
    });

    // Act
    const decision = recordEvent(lifecycle, cancelled);

    // Assess
    expect(decision).toMatchObject({
      kind: 'recorded',
      outcome: { kind: 'rejected', reason: UNSEQUENCED_REASON },
      history: { state: { status: 'delivered' } },
    });
  });

  it.each(lifecycleNames)(
    '%s: on an order placed without a sequence, an event with one keeps the others in time order',
    (name) => {
      const lifecycle = lifecycleEvents(ref, name);
      const before = replay(lifecycle);
      fc.assert(
        fc.property(anyEvent('extra', withoutPlacement), (extra) => {
          // Act
          const decision = recordEvent(lifecycle, extra);

          // Assess
          if (decision.kind !== 'recorded') throw new Error(`not recorded: ${decision.kind}`);
          const after = decision.history;
          expect(after.timeline.filter((entry) => entry.event !== extra)).toHaveLength(
            before.timeline.length,
          );
          const position = after.timeline.findIndex((entry) => entry.event === extra);
          expect(after.timeline.slice(0, position)).toEqual(before.timeline.slice(0, position));
          expect(after.timeline.filter((entry) => entry.event !== extra).map((entry) => entry.event)).toEqual(
            before.timeline.map((entry) => entry.event),
          );
        }),
        { numRuns: 300 },
      );
    },
  );

  it.each(lifecycleNames)(
    '%s: with sequence numbers on some events only, any arrival order ends in the same history',
    (name) => {
      fc.assert(
        fc.property(
          fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
          fc.infiniteStream(fc.nat()),
          (keep, order) => {
            // Prepare: some events lose their sequence number, the placement included
            const mixed = lifecycleEvents(ref, name, { withSequence: true }).map((event, index) => {
              if (keep[index]) return event;
              const { sequence: _dropped, ...rest } = event;
              return rest as OrderEvent;
            });
            const expected = deliver(mixed).history;
            const shuffled = mixed
              .map((event) => ({ event, key: order.next().value as number }))
              .sort((a, b) => a.key - b.key)
              .map(({ event }) => event);

            // Act
            const actual = deliver(shuffled).history;

            // Assess
            expect(actual).toEqual(expected);
          },
        ),
        { numRuns: 200 },
      );
    },
  );
});

describe('Function: replay of a legacy order with two placements', () => {
  it('applies the earliest placement whatever the input order, and rejects the other', () => {
    // Prepare: recorded before a second placement was refused
    const [placed, ...rest] = lifecycleEvents(ref, 'happyPath');
    if (placed?.type !== 'Order Placed') throw new Error('fixture');
    const earlier = {
      ...placed,
      eventId: 'legacy-earlier',
      occurredAt: '2026-11-20T08:00:00Z',
    } as OrderEvent;

    // Act
    const forwards = replay([placed, earlier, ...rest]);
    const backwards = replay([...rest].reverse().concat([earlier, placed]));

    // Assess
    expect(backwards).toEqual(forwards);
    expect(forwards.timeline.slice(0, 2).map((entry) => [entry.event.eventId, entry.outcome.kind])).toEqual([
      ['legacy-earlier', 'applied'],
      [placed.eventId, 'rejected'],
    ]);
  });
});
