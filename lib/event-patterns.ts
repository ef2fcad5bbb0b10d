/**
 * EventBridge event patterns, as the JSON the EventBridge API takes (`detail-type`, not CDK's
 * `detailType`). Plain data with no CDK import, so the local runtime can match events with the very
 * pattern the deployed rule uses.
 */
import { ORDER_EVENT_TYPES, type OrderEventType } from '../functions/domain/order-events.js';

export interface OrderEventPattern {
  readonly source: readonly string[];
  readonly 'detail-type': readonly OrderEventType[];
}

/** Every order event type from one shop platform's `source`. */
export const orderEventPattern = (source: string): OrderEventPattern => ({
  source: [source],
  'detail-type': [...ORDER_EVENT_TYPES],
});
