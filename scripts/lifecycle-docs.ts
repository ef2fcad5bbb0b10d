/**
 * docs/lifecycle.md: how each event moves an order, rendered from the transition table the code runs,
 * so the page cannot drift from the behaviour.
 */
import { FULFILMENT_STATUSES, TRANSITIONS } from '../functions/domain/order-lifecycle.js';

const INTRO = `# Order lifecycle

<!-- Generated from functions/domain/order-lifecycle.ts by scripts/generate-event-schemas.ts (npm run schemas). -->

An order has one **status** (its fulfilment: placed → accepted → preparing → shipped → out for delivery →
delivered, with the side paths on hold and cancelled) and separate tracks for **payment** (awaiting, paid,
partially refunded, refunded), **returns** and **complaints**.

## Delivery order does not matter

EventBridge delivers at least once and in no particular order. The backend therefore defines an order's
state as a fold over the set of its distinct events, in lifecycle order:

1. Order Placed first (nothing can be judged without it; other events wait, as *awaiting placement*);
2. then by \`sequence\` when every event of the order has one, otherwise by \`occurredAt\` as an instant;
3. ties by the natural lifecycle order of the event types, then by event id.

Every time an event arrives, it joins the set and the fold runs again. The same set of events gives the
same state and the same timeline whatever the arrival order; a redelivered event id adds nothing; a late
event takes its place in the timeline. Property-based tests check this for every lifecycle under random
interleaving, duplication and delay, and check that an order never moves backwards while events arrive.

## What an event can do

- **applied**: the order changed;
- **superseded**: true, but old news: the order has already moved past it (a late "shipped" after
  "delivered"); nothing changes, and no customer should be told about it;
- **rejected**: it contradicts the order (shipping a cancelled order); nothing changes, the reason is kept;
- **awaiting placement**: kept until the order's Order Placed arrives, then judged.

All four are kept in the order's timeline with their reason. Invalid events (not matching the contract)
never reach an order: they go to the dead-letter queue (see [events.md](events.md)).

## Fulfilment transitions

Rows: the event. Columns: the order's status when the event is judged. A status name is the new status;
*resume* returns to the status the hold began in. *as before the hold*: the event is judged as in the
status the hold began in, and if it moves the order on, the hold is over (the shop shipped a held order, so
the customer evidently confirmed).
`;

const OTHER_EVENTS = `## Payment, refunds, returns and complaints

These do not change the status; each keeps its own track.

<a id="payments"></a>**Payments add up.** Each distinct Payment Received (by event id) counts towards the order total,
in the order's currency: below the total the payment status is \`partially_paid\`, at or above it
\`paid\`. An overpayment is kept as received (\`payment.paid\` above the total) and the customer is told
the difference will be refunded (the shop sends it as a Refund Issued). Paid at checkout is \`paid\` from
the start. Refunds add up against what was received in total, never more; after any refund the status is
\`partially_refunded\` or \`refunded\`, and a later payment is not counted. A producer that resends one
payment under a new event id counts it twice: resend with the same event id (a duplicate). A refund
resent under a new event id counts once (\`refundId\`). Payment statuses: \`awaiting\`,
\`partially_paid\`, \`paid\`, \`partially_refunded\`, \`refunded\`.

| Event | Applied when | Otherwise |
| --- | --- | --- |
| Order Placed | the order is not placed yet | rejected: already placed |
| Payment Received | the order is awaiting payment or partly paid, same currency as the order, more than 0 (unless the total is 0) | superseded (already fully paid, or refunds were issued) or rejected (currency, 0) |
| Refund Issued | a payment is recorded, the refunds do not exceed what was received in total, its \`refundId\` is new and its \`returnId\` (if any) was requested | superseded (same refund id) or rejected with the reason |
| Return Requested | the order is delivered and has the returned quantities | superseded (same return id) or rejected |
| Return Received | the return was requested | superseded (already received) or rejected (unknown return) |
| Complaint Opened | always, once per complaint id | superseded (same complaint id) |
| Complaint Resolved | the complaint is open | superseded (already resolved) or rejected (unknown complaint) |

Any event whose \`orderNumber\` differs from the placed order's is rejected.
`;

const STATUS_LABELS: Record<string, string> = {
  placed: 'placed',
  accepted: 'accepted',
  on_hold: 'on hold',
  preparing: 'preparing',
  shipped: 'shipped',
  out_for_delivery: 'out for delivery',
  delivered: 'delivered',
  cancelled: 'cancelled',
};

const describeVerdict = (verdict: (typeof TRANSITIONS)[keyof typeof TRANSITIONS]['placed']): string => {
  if ('to' in verdict) return verdict.to === 'resume' ? '**resume**' : `**${STATUS_LABELS[verdict.to]}**`;
  if ('asBeforeHold' in verdict) return '*as before the hold*';
  if ('superseded' in verdict) return `superseded: ${verdict.superseded}`;
  return `rejected: ${verdict.rejected}`;
};

export const renderLifecycleDocs = (): string => {
  const header = `| Event | ${FULFILMENT_STATUSES.map((status) => STATUS_LABELS[status]).join(' | ')} |`;
  const divider = `| --- | ${FULFILMENT_STATUSES.map(() => '---').join(' | ')} |`;
  const rows = Object.entries(TRANSITIONS).map(
    ([event, row]) =>
      `| ${event} | ${FULFILMENT_STATUSES.map((status) => describeVerdict(row[status])).join(' | ')} |`,
  );
  return `${INTRO}\n${header}\n${divider}\n${rows.join('\n')}\n\n${OTHER_EVENTS}`;
};
