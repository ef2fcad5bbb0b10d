/**
 * The use case behind the ingest handler: record one validated event on its order, exactly once,
 * race-free under concurrent deliveries (optimistic concurrency: read, decide, conditional write, and
 * on a lost race read again).
 */
import { contactKeysOf } from './contact.js';
import { ConcurrentUpdateError, EventIdConflictError, EventRefusedError } from './errors.js';
import type { OrderEvent } from './order-events.js';
import { type Outcome, recordEvent } from './order-lifecycle.js';
import type { Clock, OrderRepository } from './ports.js';

export interface RecordOrderEventDeps {
  readonly orders: OrderRepository;
  readonly clock: Clock;
  readonly newTrackingToken: () => string;
  /** Waits before another attempt after a lost race. */
  readonly pause?: (attempt: number) => Promise<void>;
  /** @default 8 */
  readonly maxAttempts?: number;
}

export type RecordResult =
  | { readonly kind: 'duplicate'; readonly attempts: number }
  | {
      readonly kind: 'recorded';
      readonly outcome: Outcome;
      readonly status: string;
      readonly version: number;
      readonly attempts: number;
    };

/** Full jitter on an exponential base: spreads out writers that collided. */
export const jitteredPause = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 10 * 2 ** attempt)));

export const recordOrderEvent = async (
  deps: RecordOrderEventDeps,
  event: OrderEvent,
): Promise<RecordResult> => {
  const maxAttempts = deps.maxAttempts ?? 8;
  const pause = deps.pause ?? jitteredPause;
  const key = { shopId: event.shopId, orderId: event.orderId };
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const snapshot = await deps.orders.load(key);
    const decision = recordEvent(
      (snapshot?.events ?? []).map((stored) => stored.event),
      event,
    );
    if (decision.kind === 'duplicate') return { kind: 'duplicate', attempts: attempt };
    if (decision.kind === 'conflict') throw new EventIdConflictError(decision.reason);
    // Refused: nothing of the event is written (a second placement's personal data is not kept).
    if (decision.kind === 'refused') throw new EventRefusedError(decision.reason);

    const placed = decision.history.state.status !== 'awaiting_placement';
    const trackingToken = snapshot?.trackingToken ?? (placed ? deps.newTrackingToken() : undefined);
    const result = await deps.orders.append({
      key,
      expectedVersion: snapshot?.version,
      event: { event, receivedAt: deps.clock.now().toISOString() },
      history: decision.history,
      trackingToken,
      contactKeys: contactKeysOf(event.shopId, [event]),
    });
    if (result === 'ok') {
      return {
        kind: 'recorded',
        outcome: decision.outcome,
        status: decision.history.state.status,
        version: (snapshot?.version ?? 0) + 1,
        attempts: attempt,
      };
    }
    if (result === 'order_number_taken') {
      // One number, one order per shop: a second order with it would make the lookup answer one of two.
      throw new EventRefusedError(
        `order number of order ${event.orderId} is already held by another order of shop ${event.shopId}; nothing was stored`,
      );
    }
    // Lost a race (another event for this order, or this very event delivered twice at once): the next
    // read sees what won, and the decision is made again on it.
    if (attempt < maxAttempts) await pause(attempt);
  }
  throw new ConcurrentUpdateError(maxAttempts);
};
