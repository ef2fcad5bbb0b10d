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

1. the order's placement (its Order Placed) first: nothing can be judged without it; other events wait,
   as *awaiting placement*;
2. then, on a **sequenced** order, by \`sequence\`; otherwise by \`occurredAt\` as an instant;
3. ties by the natural lifecycle order of the event types, then by event id.

Every time an event arrives, it joins the set and the fold runs again. The same set of events gives the
same state and the same timeline whatever the arrival order; a redelivered event id adds nothing; a late
event takes its place in the timeline. Property-based tests check this for every lifecycle under random
interleaving, duplication and delay, and check that an order never moves backwards while events arrive.

### One placement per order

An order has exactly one placement. A second Order Placed with another event id is **refused** whatever its
\`occurredAt\`, \`sequence\` or arrival order: nothing of it is stored (no event item, so none of its
customer's data is kept), and it goes to the dead-letter queue as \`EventRefusedError\` with the reason
"order X already has a placement (event Y); a second Order Placed is refused". The first placement to be
recorded owns the order; when two race for a new order, the conditional write lets exactly one win and the
other is decided again on what won, and refused. The same event id with other content is, as for every
event, a reused event id (\`EventIdConflictError\`).

A partition recorded before this rule may hold two placements. Its replay stays deterministic: the
earliest placement by \`occurredAt\` (as an instant; ties by event id) is the placement, the others are
*rejected* ("the order has already been placed"). Such an order may belong to the wrong customer:
\`order show\` lists both placements in its timeline, and an operator decides (erase the intruder's data).

### Sequenced or not: the placement decides

Whether an order is ordered by \`sequence\` depends on its placement alone, so no other single event can
switch it:

- the Order Placed carries a \`sequence\`: the order is **sequenced**. Events are ordered by their sequence
  numbers; an event without one is *rejected* ("the order is sequenced (its Order Placed carries a sequence
  number) and this event has none"), placed after all others in the timeline, and changes nothing;
- the Order Placed has no \`sequence\`: events are ordered by \`occurredAt\`; sequence numbers are ignored;
- before the placement arrives nothing is judged (every event is *awaiting placement*), so the mode is only
  ever decided once, by the event that cannot be replaced.

Orders recorded under the earlier rule (sequence order only when every event had one) replay under this
one: an order whose events mixed the two may show another timeline after its next event, and an event the
old rule had not applied but this one does is then notified like any newly applied event (the planner
tells what became applied; it never retracts a message already sent).

A property test adds one event of any type, time and sequence (or none) to every sequenced lifecycle: the
other events keep their order, everything before the new event is judged exactly as before, and one
without a sequence changes nothing (an order delivered by sequence stays delivered).

### Ids are values, never keys

Return, complaint, refund, event and order ids and SKUs are the producer's strings; any of them may be
\`constructor\`, \`toString\` or \`__proto__\`. The state keeps returns and complaints as lists (each with
its \`returnId\` / \`complaintId\`) looked up by comparing values, never as objects keyed by id: a lookup
would find \`Object.prototype\` members, and DynamoDB marshalling (lib-dynamodb) silently drops a map key
\`__proto__\` and refuses a map with a key \`constructor\`. Receiving, refunding or resolving something that
was never opened is rejected. A property test checks that any lifecycle with such ids gives exactly the
history it gives with neutral ids, and that its JSON view, tracking page and messages render.

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
| Order Placed | the order has no placement yet | refused before it is stored (see *One placement per order*) |
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
