/** The interfaces the domain needs from the outside world; adapters implement them. */

import type { OrderEvent } from './order-events.js';
import type { OrderHistory } from './order-lifecycle.js';

export interface OrderKey {
  readonly shopId: string;
  readonly orderId: string;
}

export interface StoredEvent {
  readonly event: OrderEvent;
  /** When the backend first received it: for operators, never part of the lifecycle. */
  readonly receivedAt: string;
}

export interface OrderSnapshot {
  /** Optimistic-concurrency version of the order record: the number of distinct events recorded. */
  readonly version: number;
  readonly events: readonly StoredEvent[];
  readonly trackingToken?: string | undefined;
  /** The order number on the state item (the placed order's, else the first event's). */
  readonly orderNumber?: string | undefined;
  /** When the customer's personal data in this order was erased on request, if it was. */
  readonly erasedAt?: string | undefined;
  /** When the order last changed in the store (the state item was last written), ISO 8601. */
  readonly updatedAt?: string | undefined;
}

/** What a lookup by order number compares, read from the order's state item alone. */
export interface LookupFields {
  readonly orderNumber?: string | undefined;
  readonly trackingToken?: string | undefined;
  readonly status?: string | undefined;
  readonly customer?:
    | { readonly email?: string | undefined; readonly phone?: string | undefined }
    | undefined;
  /** The delivery country: the region of a phone number written without its country code. */
  readonly country?: string | undefined;
}

export interface AppendRequest {
  readonly key: OrderKey;
  /** `undefined` when the order has no record yet. */
  readonly expectedVersion: number | undefined;
  readonly event: StoredEvent;
  /** The order after the event, to store as its current state. */
  readonly history: OrderHistory;
  readonly trackingToken: string | undefined;
  /**
   * For an Order Placed: the contact index keys of its customer (`contactKeysOf`), written with it so the
   * erasure finds the order; empty for other events. Computed by the use case, so the store (and every
   * function that only reads orders) needs no phone-number metadata.
   */
  readonly contactKeys: readonly string[];
}

/**
 * `ok`: the event, the new state and the duplicate guard were written together.
 * `version_conflict`: someone else changed the order first; nothing was written.
 * `event_exists`: the event id is already recorded; nothing was written.
 * `order_number_taken`: the placement's order number is held by another order of the shop; nothing was
 * written.
 */
export type AppendResult = 'ok' | 'version_conflict' | 'event_exists' | 'order_number_taken';

export interface OrderRepository {
  load(key: OrderKey): Promise<OrderSnapshot | undefined>;
  append(request: AppendRequest): Promise<AppendResult>;
}

export interface Clock {
  now(): Date;
}
