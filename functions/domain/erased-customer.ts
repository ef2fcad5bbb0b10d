/**
 * How an erased customer looks in an order's fold, in a module of its own so that readers (the status
 * page) can ask without bundling the erasure and its phone-number library.
 */
import type { OrderState } from './order-lifecycle.js';

/** What replaces a customer's free-text personal data. */
export const ERASED_TEXT = '—';

/**
 * Whether a customer (from the fold of the events) is an erased one. The state item also says so
 * (`state.erased`, `erasedAt`); this is for readers that fold the events instead.
 */
export const isErasedCustomer = (customer: OrderState['customer']): boolean =>
  customer !== undefined &&
  customer.name === ERASED_TEXT &&
  customer.email === undefined &&
  customer.phone === undefined &&
  customer.pushTargets.length === 0;
