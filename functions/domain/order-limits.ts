/**
 * How big an order may grow, so that its whole lifecycle fits DynamoDB (400 KB an item) with margin.
 *
 * Three things must fit, and each is bounded here:
 * - every event item (`EVENT#<eventId>`) holds one event's detail: capped per detail-type, in UTF-8 JSON
 *   bytes, by `DETAIL_BUDGET_BYTES`, and checked at the edge (parseOrderEvent) with the field named;
 * - the state item (`STATE`) holds the order's projection (the placement, the latest hold, shipment and
 *   cancellation, every return and complaint) and the ids of the applied events: bounded by the detail
 *   budgets times the per-order counts below, which recordEvent enforces by refusing the event (nothing
 *   stored, dead-lettered with the reason);
 * - the stream record the planner reads holds the state item's NEW and OLD images: twice the state item,
 *   far below Lambda's 6 MB payload.
 * The sum, and why each number, is in docs/events.md ("Size limits"), generated from these constants.
 *
 * Pure: sizes are measured on the JSON the backend stores, no I/O.
 */
import type { OrderEvent, OrderEventType } from './order-events.js';

const KIB = 1024;

/** The largest detail of each type, in bytes of UTF-8 JSON after validation (defaults applied). */
export const DETAIL_BUDGET_BYTES: Readonly<Record<OrderEventType, number>> = {
  // The customer, up to 200 lines, totals, payment and delivery: about 300 bytes a line on average.
  'Order Placed': 64 * KIB,
  // Up to 200 lines of sku and quantity.
  'Return Requested': 16 * KIB,
  // The rest carry a few texts of at most 1,000 characters (3 bytes each in UTF-8) and a URL or two.
  'Payment Received': 8 * KIB,
  'Order Accepted': 8 * KIB,
  'Order On Hold': 8 * KIB,
  'Order Resumed': 8 * KIB,
  'Order Preparing': 8 * KIB,
  'Order Shipped': 8 * KIB,
  'Order Out For Delivery': 8 * KIB,
  'Order Delivered': 8 * KIB,
  'Order Cancelled': 8 * KIB,
  'Return Received': 8 * KIB,
  'Refund Issued': 8 * KIB,
  'Complaint Opened': 8 * KIB,
  'Complaint Resolved': 8 * KIB,
};

/** What one order may hold. Counted over the distinct events stored for it, whatever they did. */
export const ORDER_LIMITS = {
  /** Distinct events (event ids) of one order, the placement included. */
  events: 100,
  /** Distinct returns (`returnId` of Return Requested): each keeps its lines in the state. */
  returns: 5,
  /** Distinct complaints (`complaintId` of Complaint Opened): each keeps its subject in the state. */
  complaints: 10,
  /** Distinct refunds (`refundId` of Refund Issued). */
  refunds: 20,
  /** Payment Received events: instalments and corrections, not a ledger. */
  payments: 20,
} as const;

const encoder = new TextEncoder();

/** Bytes of the UTF-8 JSON of a value: what the event item, the queue message and the DLQ carry. */
export const serializedSize = (value: unknown): number => encoder.encode(JSON.stringify(value) ?? '').length;

export interface SizeProblem {
  /** Path inside the detail of the field to shorten: the largest one, down to a list or a leaf. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The largest field of an object, descending through nested objects; stops at a list or a leaf. */
const largestField = (
  value: Record<string, unknown>,
  path: readonly string[] = [],
): { path: readonly string[]; bytes: number; value: unknown } => {
  let largest: { key: string; bytes: number; value: unknown } | undefined;
  for (const [key, field] of Object.entries(value)) {
    const bytes = serializedSize(field);
    if (!largest || bytes > largest.bytes) largest = { key, bytes, value: field };
  }
  if (!largest) return { path, bytes: 0, value };
  const at = [...path, largest.key];
  return isRecord(largest.value) ? largestField(largest.value, at) : { path: at, ...largest };
};

/**
 * Why a validated detail is too big to store, naming the field that takes the most room (never its
 * value), or undefined when it fits its type's budget.
 */
export const detailSizeProblem = (type: OrderEventType, detail: unknown): SizeProblem | undefined => {
  const budget = DETAIL_BUDGET_BYTES[type];
  const bytes = serializedSize(detail);
  if (bytes <= budget || !isRecord(detail)) return undefined;
  const field = largestField(detail);
  const what = Array.isArray(field.value) ? `this list of ${field.value.length} items` : 'this field';
  return {
    path: field.path,
    message:
      `makes the ${type} detail ${bytes} bytes of UTF-8 JSON, over its budget of ${budget}: ` +
      `${what} takes ${field.bytes} of them, the most of any field; shorten it`,
  };
};

type Counted = 'returns' | 'complaints' | 'refunds' | 'payments';

/** The id an event adds to one of the counted collections, if it is of such a type. */
const countedId = (event: OrderEvent): { collection: Counted; id: string } | undefined => {
  switch (event.type) {
    case 'Return Requested':
      return { collection: 'returns', id: event.returnId };
    case 'Complaint Opened':
      return { collection: 'complaints', id: event.complaintId };
    case 'Refund Issued':
      return { collection: 'refunds', id: event.refundId };
    case 'Payment Received':
      return { collection: 'payments', id: event.eventId };
    default:
      return undefined;
  }
};

/**
 * Why `event` cannot join an order that has the `known` events (a new event id, not a duplicate), or
 * undefined when it can. The reason names counts and limits only, never the order's data.
 */
export const orderCapacityProblem = (known: readonly OrderEvent[], event: OrderEvent): string | undefined => {
  if (known.length >= ORDER_LIMITS.events) {
    return `the order already holds ${known.length} events, the most one order may hold (${ORDER_LIMITS.events}); nothing was stored`;
  }
  const added = countedId(event);
  if (!added) return undefined;
  const ids = new Set<string>();
  for (const candidate of known) {
    const counted = countedId(candidate);
    if (counted?.collection === added.collection) ids.add(counted.id);
  }
  if (ids.has(added.id) || ids.size < ORDER_LIMITS[added.collection]) return undefined;
  return `the order already has ${ids.size} ${added.collection}, the most one order may have (${ORDER_LIMITS[added.collection]}); nothing was stored`;
};
