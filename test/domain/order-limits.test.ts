/**
 * The per-order limits and the detail budgets, as a producer that floods one order or sends the biggest
 * events it can: the stored set never passes a limit whatever the arrival order, what passes it is refused
 * (never stored), and a detail over its budget is refused at the edge with its largest field named.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exampleDetails, orderRef, toEvent } from '../../fixtures/order-events.js';
import {
  ORDER_EVENT_TYPES,
  type OrderEvent,
  type OrderEventType,
  parseOrderEvent,
} from '../../functions/domain/order-events.js';
import { recordEvent } from '../../functions/domain/order-lifecycle.js';
import {
  DETAIL_BUDGET_BYTES,
  detailSizeProblem,
  ORDER_LIMITS,
  serializedSize,
} from '../../functions/domain/order-limits.js';
import { maximalDetails, maximalOrder, maximalPlaced, validated, WIDE } from '../fixtures/maximal-events.js';
import { FUZZ_RUNS } from '../fuzz/hostile-input.js';

const detailOf = (event: OrderEvent): unknown => {
  const { type: _type, ...detail } = event;
  return detail;
};

describe('Constant: DETAIL_BUDGET_BYTES', () => {
  it('fits the biggest valid detail of every type, so only Order Placed and Return Requested can reach it', () => {
    // Prepare
    const order = maximalOrder('budget');
    const d = maximalDetails(order);
    const biggest: Record<OrderEventType, unknown> = {
      'Order Placed': maximalPlaced(order),
      'Payment Received': d.payment(0, 1),
      'Order Accepted': d.accepted(1),
      'Order On Hold': d.hold(0, 1),
      'Order Resumed': d.resumed(1),
      'Order Preparing': d.preparing(1),
      'Order Shipped': d.shipped(1),
      'Order Out For Delivery': d.out(1),
      'Order Delivered': d.delivered(1),
      'Order Cancelled': d.cancelled(1),
      'Return Requested': d.returnRequested(0, 1),
      'Return Received': d.returnReceived(0, 1),
      'Refund Issued': d.refund(0, 1),
      'Complaint Opened': d.complaintOpened(0, 1),
      'Complaint Resolved': d.complaintResolved(0, 1),
    };

    // Act
    const sizes = ORDER_EVENT_TYPES.map((type) => ({
      type,
      bytes: serializedSize(detailOf(validated(type, biggest[type] as never))),
    }));

    // Assess: a new field that could outgrow its budget fails here, before it can outgrow the state item
    for (const { type, bytes } of sizes) expect(bytes).toBeLessThanOrEqual(DETAIL_BUDGET_BYTES[type]);
    // The fixtures reach the budgets where the contract can: within one character (3 bytes) of it
    for (const type of ['Order Placed', 'Return Requested'] as const) {
      expect(sizes.find((size) => size.type === type)?.bytes).toBeGreaterThan(
        DETAIL_BUDGET_BYTES[type] - 100,
      );
    }
  });
});

describe('Function: detailSizeProblem', () => {
  it('names the field that takes the most room, down through nested objects to a list or a leaf', () => {
    // Prepare
    const detail = { a: 'x', customer: { name: 'y', pushTargets: ['t'.repeat(9000)] }, lines: ['z'] };

    // Act
    const problem = detailSizeProblem('Order Resumed', detail);

    // Assess
    expect(problem?.path).toEqual(['customer', 'pushTargets']);
    expect(problem?.message).toMatch(/this list of 1 items takes 9004 of them, the most of any field/);
    expect(problem?.message).not.toContain('ttt');
  });

  it('refuses an Order Placed grown past its budget anywhere in its lines, naming the lines', () => {
    const base = maximalPlaced(maximalOrder('grow'));
    fc.assert(
      fc.property(fc.nat({ max: base.lines.length - 1 }), fc.integer({ min: 1, max: 100 }), (line, extra) => {
        // Prepare: longer names, still within the field's own limit of 200
        const detail = structuredClone(base);
        const target = detail.lines[line];
        if (!target) throw new Error('fixture');
        target.name = WIDE.repeat(Math.min(200, target.name.length + extra));

        // Act
        const result = parseOrderEvent('Order Placed', detail);

        // Assess
        expect(result.ok ? [] : result.problems.map((problem) => problem.path)).toEqual(['detail.lines']);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('Function: recordEvent, per-order limits', () => {
  const ref = orderRef(800);
  const examples = exampleDetails(ref);
  const placed = toEvent('Order Placed', examples['Order Placed']);
  const counted = (
    kind: 'returns' | 'complaints' | 'refunds' | 'payments' | 'other',
    n: number,
    id: number,
  ) => {
    switch (kind) {
      case 'other':
        return toEvent('Order Resumed', { ...examples['Order Resumed'], eventId: `e-${n}` });
      case 'returns':
        return toEvent('Return Requested', {
          ...examples['Return Requested'],
          eventId: `e-${n}`,
          returnId: `R-${id}`,
        });
      case 'complaints':
        return toEvent('Complaint Opened', {
          ...examples['Complaint Opened'],
          eventId: `e-${n}`,
          complaintId: `C-${id}`,
        });
      case 'refunds':
        return toEvent('Refund Issued', {
          ...examples['Refund Issued'],
          eventId: `e-${n}`,
          refundId: `F-${id}`,
          returnId: undefined,
        });
      case 'payments':
        return toEvent('Payment Received', { ...examples['Payment Received'], eventId: `e-${n}` });
    }
  };
  const kinds = ['returns', 'complaints', 'refunds', 'payments'] as const;
  const collectionOf = (event: OrderEvent) =>
    event.type === 'Return Requested'
      ? ['returns', event.returnId]
      : event.type === 'Complaint Opened'
        ? ['complaints', event.complaintId]
        : event.type === 'Refund Issued'
          ? ['refunds', event.refundId]
          : event.type === 'Payment Received'
            ? ['payments', event.eventId]
            : undefined;

  it('never stores past a limit, and refuses exactly the events that would pass one', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.oneof(
              { arbitrary: fc.constantFrom(...kinds), weight: 1 },
              { arbitrary: fc.constant('other' as const), weight: 2 },
            ),
            fc.nat({ max: 25 }),
          ),
          { minLength: 1, maxLength: 180 },
        ),
        (arrivals) => {
          // Prepare
          let known: OrderEvent[] = [placed];

          // Act
          for (const [index, [kind, id]] of arrivals.entries()) {
            const event = counted(kind, index, id);
            const decision = recordEvent(known, event);

            // Assess: refused only when the order is full, or this is one more of a full collection
            const ids = new Set(
              known.flatMap((candidate) => {
                const entry = collectionOf(candidate);
                return entry?.[0] === kind ? [entry[1]] : [];
              }),
            );
            const [, newId] = collectionOf(event) ?? [];
            const full =
              known.length >= ORDER_LIMITS.events ||
              (kind !== 'other' && !ids.has(newId ?? '') && ids.size >= ORDER_LIMITS[kind]);
            expect(decision.kind).toBe(full ? 'refused' : 'recorded');
            if (decision.kind === 'refused') expect(decision.reason).toMatch(/nothing was stored$/);
            if (decision.kind === 'recorded') known = [...known, event];
          }

          // Assess: what is stored is within every limit
          expect(known.length).toBeLessThanOrEqual(ORDER_LIMITS.events);
          for (const kind of kinds) {
            const ids = new Set(
              known.flatMap((candidate) => {
                const entry = collectionOf(candidate);
                return entry?.[0] === kind ? [entry[1]] : [];
              }),
            );
            expect(ids.size).toBeLessThanOrEqual(ORDER_LIMITS[kind]);
          }
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('still recognises a duplicate of a stored event on a full order', () => {
    // Prepare
    const known = [
      placed,
      ...Array.from({ length: ORDER_LIMITS.events - 1 }, (_, n) => counted('payments', n, n)),
    ];

    // Act
    const decision = recordEvent(known, known[5] as OrderEvent);

    // Assess
    expect(decision.kind).toBe('duplicate');
  });
});
