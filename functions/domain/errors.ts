import { describeProblems, type EventProblem } from './order-events.js';

/**
 * Errors that say whether trying again can help. Handlers send `permanent` failures to the dead-letter
 * destination at once, with the message as the reason, and leave the others to the queue's retries.
 */
export abstract class OrderEventError extends Error {
  abstract readonly permanent: boolean;
}

/** The event does not match the contract. Retrying the same bytes cannot succeed. */
export class InvalidEventError extends OrderEventError {
  readonly permanent = true;
  constructor(readonly problems: readonly EventProblem[]) {
    super(`invalid order event: ${describeProblems(problems)}`);
    this.name = 'InvalidEventError';
  }
}

/** The event id was already used for a different event of the same order: a producer bug. */
export class EventIdConflictError extends OrderEventError {
  readonly permanent = true;
  constructor(reason: string) {
    super(reason);
    this.name = 'EventIdConflictError';
  }
}

/**
 * The event may not join its order at all (a second Order Placed, a full order, an unknown shop):
 * nothing of it is stored, and retrying the same event cannot succeed.
 */
export class EventRefusedError extends OrderEventError {
  readonly permanent = true;
  constructor(reason: string) {
    super(reason);
    this.name = 'EventRefusedError';
  }
}

/** Concurrent deliveries for one order kept winning the race; the queue will deliver this one again. */
export class ConcurrentUpdateError extends OrderEventError {
  readonly permanent = false;
  constructor(attempts: number) {
    super(`the order kept changing under ${attempts} attempts to record the event`);
    this.name = 'ConcurrentUpdateError';
  }
}
