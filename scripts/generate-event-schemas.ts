/**
 * Generates the published event contract (schemas/events/*.json and docs/events.md) from the zod schemas in
 * functions/domain/order-events.ts. `--check` writes nothing and exits 1 when a file is out of date; it runs
 * in `npm test` so the published contract cannot drift from what the backend actually accepts.
 */

import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { exampleDetails } from '../fixtures/order-events.js';
import {
  EMITTED_EVENT_SCHEMAS,
  type EmittedEventType,
  INTEGRATION_EVENT_SOURCE,
  INTEGRATION_SCHEMA_VERSION,
} from '../functions/domain/integration-events.js';
import {
  DEFAULT_EVENT_SOURCE,
  EVENT_SCHEMA_VERSION,
  ORDER_EVENT_SCHEMAS,
  ORDER_EVENT_TYPES,
  type OrderEventType,
} from '../functions/domain/order-events.js';
import { DETAIL_BUDGET_BYTES, ORDER_LIMITS } from '../functions/domain/order-limits.js';
import { TEXT_PATTERNS } from '../functions/domain/text-fields.js';
import { renderLifecycleDocs } from './lifecycle-docs.js';

type JsonSchema = z.core.JSONSchema.JSONSchema;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCHEMA_DIR = 'schemas/events';
const EMITTED_DIR = 'schemas/emitted';
const DOCS_FILE = 'docs/events.md';
const EMITTED_DOCS_FILE = 'docs/integration-events.md';
const LIFECYCLE_DOCS_FILE = 'docs/lifecycle.md';
const SCHEMA_BASE_URL = 'https://order-notifications.dev/schemas/events/';
const GENERATED_NOTE =
  'Generated from functions/domain/order-events.ts by scripts/generate-event-schemas.ts.';

/** One line per detail-type for the docs; a Record so a new detail-type fails the typecheck until described. */
const PURPOSES: Record<OrderEventType, string> = {
  'Order Placed':
    'A customer placed an order. The customer gets a confirmation with the order summary and the next step, usually how and by when to pay.',
  'Payment Received': 'Accounting registered the payment for the order.',
  'Order Accepted': 'The shop checked that the goods are available and accepted the order.',
  'Order On Hold':
    'The order cannot go ahead until the customer contacts the shop (e.g. to confirm an engraving, a made-to-measure item or a size). Says what to confirm, by when, and how to reach the shop.',
  'Order Resumed': 'The hold is over; the order goes ahead from where it stopped.',
  'Order Preparing': 'The shop is preparing the order: making, picking or packing it.',
  'Order Shipped':
    'The parcel was handed to the carrier. Carries the carrier, the tracking number and URL, and the expected delivery date.',
  'Order Out For Delivery': 'The carrier is delivering the parcel today, optionally within a time window.',
  'Order Delivered':
    'The parcel reached the customer. This is the final fulfilment step and the order is archived; only a return or a complaint can follow.',
  'Order Cancelled':
    'The customer or the shop cancelled the order. Says why, whose fault it is (which decides who bears the costs) and what will be refunded. A delivered order cannot be cancelled: send Return Requested instead.',
  'Return Requested': 'The customer asked to return some or all of the goods.',
  'Return Received': 'The shop received the returned goods and noted their condition.',
  'Refund Issued': 'The shop sent money back to the customer, for a return or otherwise.',
  'Complaint Opened': 'The customer reported a defect, as a complaint or under warranty.',
  'Complaint Resolved': 'The shop decided on a complaint or warranty claim and, if accepted, on the remedy.',
};

const INTRO = `# Order events: the contract for shop platforms

<!-- ${GENERATED_NOTE} Do not edit by hand: change the schemas or the script and run \`npm run schemas\`. -->

Shop platforms tell this backend about every change to an order by sending one event to Amazon EventBridge.
This page is the contract: how to send an event, what each event type means and which fields it carries.
The field tables and the JSON Schema files are generated from the backend's own validation code.

## How to send an event

Call EventBridge \`PutEvents\` with one entry per order change:

- \`Source\`: \`${DEFAULT_EVENT_SOURCE}\` (unless your integration was set up with its own source);
- \`DetailType\`: one of the event types below, spelled exactly. The rule takes every event of your
  source, so a misspelt type (\`order placed\`, \`Order Placed \` with a trailing space) is not lost: it goes
  to the dead-letter queue with a reason that lists the known types;
- \`Detail\`: the event's fields as a JSON string (the examples below show it as an object to be readable).

## Fields every event carries

- \`schemaVersion\`: always \`${EVENT_SCHEMA_VERSION}\`.
- \`eventId\`: unique id of this event. Sending an event with the same id again counts as a redelivery: a
  duplicate, which changes nothing. Reusing an id for different content is refused, so never reuse ids.
- \`shopId\` and \`orderId\` identify the order; \`orderNumber\` is the number the customer sees.
- \`occurredAt\`: when the change happened at the shop, ISO 8601 with seconds and a time zone offset,
  e.g. \`2026-11-20T10:42:00+01:00\` or \`2026-11-20T09:42:00Z\`.
- \`sequence\` (optional): a per-order counter. When the order's Order Placed carries one, the order is
  sequenced: its timeline follows the sequence and an event without one is rejected; when the Order Placed
  has none, \`occurredAt\` orders the timeline and sequences are ignored (see [lifecycle.md](lifecycle.md)).

Amounts are integers in the currency's minor unit (grosze for PLN: \`12999\` is 129.99 PLN), so sums never
round. Text fields are trimmed, so a text of only spaces is rejected. Fields not listed here are ignored.

## Delivery, duplicates and ordering

Events may arrive late, twice or out of order, and the backend copes: a duplicate changes nothing, and a
late event takes its place in the order's timeline instead of moving the order backwards.

## Invalid events

An event that does not match its schema is not stored. It goes to the dead-letter queue with a reason that
names each offending field, e.g. \`detail.customer.email: expected an e-mail address\`. Sending the same
bytes again cannot succeed: fix the event and send it again (it may keep its \`eventId\`, as the invalid
one was not stored).

## Text fields

Every text reaches a customer (an e-mail subject, an SMS, a push, the tracking page), so a text may not
hold characters that control a terminal, break a header, hide text or reorder its display. Refused, with
the field named (e.g. \`detail.customer.name: must not contain control characters or bidirectional
overrides\`) and the value never quoted:

- C0 controls (U+0000–U+001F: NUL, bell, tab, escape…), DEL (U+007F) and C1 controls (U+0080–U+009F);
- bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which reorder what
  follows them and can make \`txt.exe\` read \`exe.txt\`;
- invisible characters: zero-width space (U+200B), word joiner and invisible operators (U+2060–U+2064),
  the byte order mark (U+FEFF), interlinear annotations (U+FFF9–U+FFFB);
- unpaired surrogates (\`\\uD800\` alone in the JSON), which are not text;
- line breaks (LF, CR, U+2028, U+2029) in a single-line field. These are checked before trimming, so a
  break at either end is refused too.

The multi-line fields are the ones shown as a paragraph of their own: \`toConfirm\` (Order On Hold) and
\`note\` (Order Resumed, Order Cancelled, Complaint Resolved). They keep line breaks; CR LF, a lone CR,
U+2028 and U+2029 are stored as LF. Every other text is one line, including \`personalisation\` (shown
as a line under the item), a return's \`reason\` and a complaint's \`subject\` (shown in a table row).

Allowed on purpose: the directional marks LRM, RLM and ALM (U+200E, U+200F, U+061C), which cannot
reorder a run and which Arabic or Hebrew names mixed with Latin text need; the zero-width joiner and
non-joiner (U+200C, U+200D), needed by Persian and Indic scripts and emoji sequences; the soft hyphen and
the tag characters of flag emoji. The JSON Schemas carry the same rule as a \`pattern\`.

## Rules the JSON Schemas cannot express

The JSON Schemas check each field on its own. The backend also enforces these rules:

- Order Placed: \`totals.subtotal\` must equal the sum of \`quantity × unitPrice\` over \`lines\`, and
  \`totals.total\` must equal \`subtotal + shipping - discount\`.
- Order Placed: \`customer\` needs at least one contact channel: \`email\`, \`phone\` or a \`pushTargets\` entry.
- Order Placed: \`customer.phone\` is required when \`customer.channels.sms\` is \`true\`.
- Order Placed: \`customer.timeZone\` must be an IANA time zone such as \`Europe/Warsaw\`.
- Order On Hold: \`contact\`, when given, needs at least one of \`phone\`, \`email\` or \`chatUrl\`.
- Order Out For Delivery: \`expectedBetween.to\` must not be before \`expectedBetween.from\`.
- Complaint Resolved: an \`accepted\` complaint needs a \`remedy\` other than \`none\`.

What each event then does to the order, in every status, is in [lifecycle.md](lifecycle.md).
`;

const kib = (bytes: number): string => `${bytes / 1024} KiB`;

/** The size budget, from the constants the backend enforces (functions/domain/order-limits.ts). */
const sizeLimits = (): string => {
  const budget = DETAIL_BUDGET_BYTES;
  const small = ORDER_EVENT_TYPES.filter((type) => budget[type] === budget['Order Accepted']);
  const idBytes = 128 + 1;
  const bound =
    budget['Order Placed'] +
    budget['Order On Hold'] +
    budget['Order Shipped'] +
    budget['Order Cancelled'] +
    ORDER_LIMITS.returns * budget['Return Requested'] +
    ORDER_LIMITS.complaints * budget['Complaint Opened'] +
    ORDER_LIMITS.events * idBytes +
    2 * 1024;
  return `## Size limits

Each order lives in a few DynamoDB items, and DynamoDB refuses an item over 400 KB: an order that outgrew
one would fail every later event, and no redrive could ever record them. So the contract caps what one
order can hold, and every number below is enforced.

**Per event** (the \`detail\` as stored: UTF-8 JSON after validation, defaults applied, unknown fields
dropped):

| Detail-type | Budget |
| --- | --- |
| Order Placed | ${kib(budget['Order Placed'])} |
| Return Requested | ${kib(budget['Return Requested'])} |
| ${small.join(', ')} | ${kib(budget['Order Accepted'])} each |

A detail over its budget is refused at once (dead-lettered, nothing stored) and the reason names the field
that takes the most room, e.g. \`detail.lines: makes the Order Placed detail 70123 bytes of UTF-8 JSON,
over its budget of ${budget['Order Placed']}: this list of 200 items takes 61234 of them, the most of any
field; shorten it\`. Each field's own maximum length is counted in UTF-16 units, and a character may take
up to 3 bytes per unit in UTF-8 (\`中\`): 200 lines with every text at its maximum length would be over
400 KB, which is why the whole detail has a budget. ${kib(budget['Order Placed'])} is about 300 bytes a line
for 200 lines: with the longest SKUs and customer data, a name of 55 three-byte characters on every line. A return of up to about 150 lines of
64-character SKUs fits ${kib(budget['Return Requested'])}; return more in a second return. No valid detail of
the other types comes near ${kib(budget['Order Accepted'])} (the biggest, an Order On Hold with every field
at its longest, is about 5 KiB): the budget is a ceiling for fields added later.

**Per order** (counted over the distinct events stored for it, whatever they did):

| What | At most |
| --- | --- |
| events (distinct \`eventId\`s, the Order Placed included) | ${ORDER_LIMITS.events} |
| returns (distinct \`returnId\`s of Return Requested) | ${ORDER_LIMITS.returns} |
| complaints (distinct \`complaintId\`s of Complaint Opened) | ${ORDER_LIMITS.complaints} |
| refunds (distinct \`refundId\`s of Refund Issued) | ${ORDER_LIMITS.refunds} |
| Payment Received events | ${ORDER_LIMITS.payments} |

An event past one of these limits is refused: nothing is stored, and it goes to the dead-letter queue with
a reason such as \`the order already has ${ORDER_LIMITS.returns} returns, the most one order may have
(${ORDER_LIMITS.returns}); nothing was stored\`. A redelivery of an event already stored is still a harmless
duplicate.

**Why these numbers.** The items of one order:

- each event item holds one detail: at most ${kib(budget['Order Placed'])} plus a few hundred bytes of keys;
- the state item holds the order's projection: the placement (at most the Order Placed detail), the
  latest hold, shipment and cancellation (each at most its event's detail), every return and complaint
  (each at most its event's detail), and the ids of the applied events (at most ${ORDER_LIMITS.events} of
  ${idBytes - 1} bytes). Summed with about 2 KiB of keys and attributes that is at most
  ${Math.ceil(bound / 1024)} KiB, ${Math.round((100 * bound) / (400 * 1024))}% of the 400 KB limit, and more
  than any one order can reach (a hold, a cancellation and returns never coexist);
- the stream record the planner reads holds the state item's new and old images: at most twice the state
  item, far below Lambda's 6 MB payload;
- the queue message is the EventBridge event, below EventBridge's own 256 KB entry limit.

The worst order the limits admit (an Order Placed at its budget, then ${ORDER_LIMITS.payments} payments,
a hold, a shipment, ${ORDER_LIMITS.returns} returns of the most lines that fit, ${ORDER_LIMITS.refunds}
refunds, ${ORDER_LIMITS.complaints} complaints and their resolutions, and holds up to ${ORDER_LIMITS.events}
events, every text at its longest in three-byte characters) is recorded on DynamoDB Local by
\`test/adapters/order-size-budget.test.ts\`, which checks that its state item stays below 75% of the
limit and every event item below 25%, and that one past each limit is refused with the field or the limit
named.
`;
};

const TABLE_LEGEND = `In the field tables, a dot separates the fields of nested objects and \`[]\` stands for each item of
an array; _Required_ means required within the enclosing object, and a field with a default may be left out.`;

const OUTRO = `## Validating on the producer side

Each event type has a JSON Schema (draft 2020-12) in [\`schemas/events/\`](../schemas/events/), listed by
detail-type in [\`index.json\`](../schemas/events/index.json). Validate each \`Detail\` against the schema of
its \`DetailType\` before sending to catch most mistakes early. The cross-field rules (totals add up, SMS
needs a phone, an accepted complaint needs a remedy, at least one contact channel) and the other rules
listed in [Rules the JSON Schemas cannot express](#rules-the-json-schemas-cannot-express) are enforced by
the backend only.
`;

const toKebabCase = (detailType: string): string => detailType.toLowerCase().replace(/[^a-z0-9]+/g, '-');
const schemaFileOf = (detailType: OrderEventType): string => `${toKebabCase(detailType)}.schema.json`;
const formatJson = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

const buildJsonSchema = (detailType: OrderEventType): JsonSchema => {
  // 'input': producers send the raw detail, so fields with defaults are optional, as zod treats them.
  const { $schema, ...rest } = z.toJSONSchema(ORDER_EVENT_SCHEMAS[detailType], {
    io: 'input',
    target: 'draft-2020-12',
  });
  return {
    $schema,
    $id: `${SCHEMA_BASE_URL}${schemaFileOf(detailType)}`,
    $comment: GENERATED_NOTE,
    title: detailType,
    description: `The \`detail\` of the EventBridge event with detail-type "${detailType}".`,
    ...rest,
  };
};

type FieldRow = { readonly path: string; readonly schema: JsonSchema; readonly required: boolean };

// zod emits `items` as one schema; tuples (an array of schemas) do not occur in the contract.
const itemsOf = ({ items }: JsonSchema): JsonSchema | undefined =>
  items && typeof items === 'object' && !Array.isArray(items) ? items : undefined;

/** Flattens nested objects and arrays of objects into rows, so producers see every leaf field. */
const listFields = (schema: JsonSchema, prefix = ''): FieldRow[] =>
  Object.entries(schema.properties ?? {}).flatMap(([name, property]) => {
    if (typeof property === 'boolean') return [];
    const fieldPath = prefix ? `${prefix}.${name}` : name;
    const row = { path: fieldPath, schema: property, required: schema.required?.includes(name) ?? false };
    const items = itemsOf(property);
    const nested = items ? listFields(items, `${fieldPath}[]`) : listFields(property, fieldPath);
    return [row, ...nested];
  });

const describeType = (schema: JsonSchema): string => {
  const items = itemsOf(schema);
  if (items) return `array of ${describeType(items)}`;
  return [schema.type ?? 'any'].flat().join(' or ');
};

const describeRange = (label: string, min?: number, max?: number): string | undefined => {
  if (min !== undefined && max !== undefined) return `${label}: ${min}–${max}.`;
  if (max !== undefined) return `${label}: at most ${max}.`;
  if (min !== undefined) return `${label}: at least ${min}.`;
  return undefined;
};

const code = (value: unknown): string => `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;

const describeConstraints = (schema: JsonSchema): string[] => {
  const notes = [
    schema.const !== undefined ? `Must be ${code(schema.const)}.` : undefined,
    schema.enum ? `One of ${schema.enum.map(code).join(', ')}.` : undefined,
    schema.format ? `Format ${code(schema.format)}.` : undefined,
    // The pattern of a format (date-time, email) is an unreadable implementation of it; the format says it.
    schema.pattern === TEXT_PATTERNS['single-line']
      ? 'One line of [text](#text-fields).'
      : schema.pattern === TEXT_PATTERNS['multi-line']
        ? 'Multi-line [text](#text-fields).'
        : schema.pattern && !schema.format
          ? `Pattern ${code(schema.pattern)}.`
          : undefined,
    describeRange('Length', schema.minLength, schema.maxLength),
    describeRange('Value', schema.minimum, schema.maximum),
    describeRange('Items', schema.minItems, schema.maxItems),
  ];
  return notes.filter((note): note is string => note !== undefined);
};

const escapeCell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

const renderFieldTable = (schema: JsonSchema): string => {
  const rows = listFields(schema).map((field) => {
    const { schema: property } = field;
    const details = [property.description, ...describeConstraints(property)].filter(Boolean).join(' ');
    const cells = [
      code(field.path),
      describeType(property),
      field.required ? 'yes' : 'no',
      property.default === undefined ? '' : code(property.default),
      details,
    ];
    return `| ${cells.map(escapeCell).join(' | ')} |`;
  });
  return [
    '| Field | Type | Required | Default | Description |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
};

const renderExample = (detailType: OrderEventType): string => {
  const entry = {
    Source: DEFAULT_EVENT_SOURCE,
    DetailType: detailType,
    Detail: exampleDetails()[detailType],
  };
  return `\`\`\`json\n${JSON.stringify(entry, null, 2)}\n\`\`\``;
};

const renderEventSection = (detailType: OrderEventType, schema: JsonSchema): string => {
  const file = schemaFileOf(detailType);
  return [
    `## ${detailType}`,
    PURPOSES[detailType],
    `JSON Schema: [\`${file}\`](../schemas/events/${file})`,
    '**Fields**',
    renderFieldTable(schema),
    '**Example** `PutEvents` entry',
    renderExample(detailType),
  ].join('\n\n');
};

const renderDocs = (schemas: ReadonlyMap<OrderEventType, JsonSchema>): string => {
  const contents = ORDER_EVENT_TYPES.map(
    (detailType) => `- [${detailType}](#${toKebabCase(detailType)}): ${PURPOSES[detailType]}`,
  );
  const sections = [...schemas].map(([detailType, schema]) => renderEventSection(detailType, schema));
  const parts = [
    INTRO,
    sizeLimits(),
    `## Event types\n\n${contents.join('\n')}\n\n${TABLE_LEGEND}`,
    ...sections,
    OUTRO,
  ];
  return `${parts.map((part) => part.trim()).join('\n\n')}\n`;
};

/* Emitted events ---------------------------------------------------------------------------------- */

const EMITTED_PURPOSES: Record<EmittedEventType, string> = {
  'Notification Sent': 'A provider (SES, SNS) accepted a message to the customer.',
  'Notification Failed':
    'A message could not be delivered: refused by the provider, bounced, marked as spam, or given up on after its retries.',
  'Notification Suppressed':
    'A message was not sent on purpose: the customer did not choose the channel, unsubscribed or opted out, has no address for it, or the order moved on (superseded).',
  'Order Status Changed':
    "An order's status changed. One per stored change that moves the status (a payment or a return that leaves it where it was sends none), for every shop unless it turns `integrationEvents.statusChanges` off.",
  'Order Event Recorded':
    'An order event took effect (every timeline entry: payments, returns, complaints as well), with its own fields. Only for shops with `integrationEvents.timeline`.',
};

const emittedFileOf = (detailType: EmittedEventType, kind: 'schema' | 'openapi'): string =>
  `${toKebabCase(detailType)}.${kind}.json`;

/**
 * The emitted events' schemas leave objects open (no `additionalProperties: false`, which zod's output
 * mode writes): a field added within the same schemaVersion must not break a consumer that validates.
 */
const openForAdditions = <T>(schema: T): T => {
  if (Array.isArray(schema)) return schema.map(openForAdditions) as T;
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key, value]) => !(key === 'additionalProperties' && value === false))
      .map(([key, value]) => [key, openForAdditions(value)]),
  ) as T;
};

const emittedJsonSchema = (detailType: EmittedEventType): JsonSchema => {
  const { $schema, ...rest } = openForAdditions(
    z.toJSONSchema(EMITTED_EVENT_SCHEMAS[detailType], { io: 'output', target: 'draft-2020-12' }),
  );
  return {
    $schema,
    $id: `https://order-notifications.dev/${EMITTED_DIR}/${emittedFileOf(detailType, 'schema')}`,
    $comment: 'Generated from functions/domain/integration-events.ts by scripts/generate-event-schemas.ts.',
    title: detailType,
    description: `The \`detail\` of the EventBridge event with source "${INTEGRATION_EVENT_SOURCE}" and detail-type "${detailType}".`,
    ...rest,
  };
};

/** The OpenAPI 3 form the EventBridge Schema Registry takes (CreateSchema, Type OpenApi3): the whole event. */
const emittedOpenApi = (detailType: EmittedEventType): Record<string, unknown> => {
  const name = detailType.replace(/[^A-Za-z0-9]/g, '');
  const detail = openForAdditions(
    z.toJSONSchema(EMITTED_EVENT_SCHEMAS[detailType], { io: 'output', target: 'openapi-3.0' }),
  );
  const { $schema: _unused, ...detailSchema } = detail as JsonSchema;
  return {
    openapi: '3.0.0',
    info: { version: String(INTEGRATION_SCHEMA_VERSION), title: detailType },
    paths: {},
    components: {
      schemas: {
        AWSEvent: {
          type: 'object',
          required: [
            'detail-type',
            'resources',
            'detail',
            'id',
            'source',
            'time',
            'region',
            'version',
            'account',
          ],
          'x-amazon-events-detail-type': detailType,
          'x-amazon-events-source': INTEGRATION_EVENT_SOURCE,
          properties: {
            detail: { $ref: `#/components/schemas/${name}` },
            account: { type: 'string' },
            'detail-type': { type: 'string' },
            id: { type: 'string' },
            region: { type: 'string' },
            resources: { type: 'array', items: { type: 'string' } },
            source: { type: 'string' },
            time: { type: 'string', format: 'date-time' },
            version: { type: 'string' },
          },
        },
        [name]: detailSchema,
      },
    },
  };
};

const EMITTED_INTRO = `# Events the product emits: for the shop's own systems

<!-- Generated from functions/domain/integration-events.ts by scripts/generate-event-schemas.ts. Do not edit by hand: change the schemas or the script and run \`npm run schemas\`. -->

The backend puts these events on the same bus the producers write to, with source
\`${INTEGRATION_EVENT_SOURCE}\`: a warehouse, accounting, CRM or support system subscribes to what it needs.
They carry ids, statuses and what changed, **never customer contact data** unless the shop opts in
(\`integrationEvents.customerContact\`: name, e-mail and phone; push device tokens never), and never
anything from the notification log beyond the outcome and its reason.

| Shop setting (\`integrationEvents\`) | Default | What it sends |
| --- | --- | --- |
| \`statusChanges\` | \`true\` | Order Status Changed |
| \`timeline\` | \`false\` | Order Event Recorded, one per event that took effect |
| \`customerContact\` | \`false\` | the customer's name, e-mail and phone in both |

Notification Sent, Failed and Suppressed go out for every shop.

Only the deployment's own functions put events with this source: no producer may be configured with it
(the construct and the shop registry refuse \`${INTEGRATION_EVENT_SOURCE}\` as a producer source), and a
producer's IAM policy names its own source only ([deploy.md](deploy.md#onboarding-a-shop)). A consumer
in another account should still match on \`source\` and the bus it trusts.

New fields may be added within a \`schemaVersion\` (the schemas leave objects open); a change that removes
or redefines one comes with a new \`schemaVersion\`.

## Delivery, duplicates and order

At least once, in no guaranteed order, like every EventBridge delivery. The planner publishes after it
queued the change's messages; when a publish fails, the stream record is retried and the events go out
again **with the same \`id\`**: deduplicate by it. Order Status Changed carries the order's \`version\`
(each stored change adds one): keep the highest you have seen, and ignore an older one arriving late.

## Subscribing

- **A rule on this bus** (same account): an event pattern on the source and detail-types, any target:

  \`\`\`json
  { "source": ["${INTEGRATION_EVENT_SOURCE}"], "detail-type": ["Order Status Changed"], "detail": { "shopId": ["sklep-pod-debem"] } }
  \`\`\`

  \`aws events put-rule --event-bus-name <EventBusName output> --name warehouse-status --event-pattern file://pattern.json\`, then
  \`aws events put-targets\` with an SQS queue, a Lambda function or a Step Functions state machine.
- **Another account** (the platform's own integration account): the same rule with the other account's
  bus as target (\`arn:aws:events:<region>:<account>:event-bus/<name>\`) and a role allowed
  \`events:PutEvents\` on it; that bus's resource policy must allow this account.
- **An HTTP endpoint** (a CRM's webhook): an EventBridge API destination with its connection (API key,
  OAuth or basic auth) as the rule's target; an input transformer can reshape the detail to what the
  endpoint expects.

Give each rule a dead-letter queue and a retry policy: what the target refuses ends there instead of
being dropped.

## Schemas

Each detail-type has a JSON Schema (draft 2020-12) of its \`detail\` in [\`schemas/emitted/\`](../schemas/emitted/)
and, beside it, the whole event in the OpenAPI 3 form the EventBridge Schema Registry takes
(\`aws schemas create-schema --registry-name <yours> --schema-name order-notifications@OrderStatusChanged
--type OpenApi3 --content file://schemas/emitted/order-status-changed.openapi.json\`), from which the
registry generates code bindings. \`index.json\` lists them by detail-type.`;

const renderEmittedDocs = (): string => {
  const sections = (Object.keys(EMITTED_EVENT_SCHEMAS) as EmittedEventType[]).map((detailType) =>
    [
      `## ${detailType}`,
      EMITTED_PURPOSES[detailType],
      `JSON Schema: [\`${emittedFileOf(detailType, 'schema')}\`](../${EMITTED_DIR}/${emittedFileOf(detailType, 'schema')}); Schema Registry: [\`${emittedFileOf(detailType, 'openapi')}\`](../${EMITTED_DIR}/${emittedFileOf(detailType, 'openapi')})`,
      '**Detail fields**',
      renderFieldTable(emittedJsonSchema(detailType)),
    ].join('\n\n'),
  );
  return `${[EMITTED_INTRO, ...sections].map((part) => part.trim()).join('\n\n')}\n`;
};

/** Every generated file, relative to the repo root, with its exact content. */
const generateFiles = (): Map<string, string> => {
  const schemas = new Map(ORDER_EVENT_TYPES.map((detailType) => [detailType, buildJsonSchema(detailType)]));
  const files = new Map<string, string>();
  for (const [detailType, schema] of schemas) {
    files.set(`${SCHEMA_DIR}/${schemaFileOf(detailType)}`, formatJson(schema));
  }
  const index = Object.fromEntries(
    ORDER_EVENT_TYPES.map((detailType) => [detailType, schemaFileOf(detailType)]),
  );
  files.set(`${SCHEMA_DIR}/index.json`, formatJson(index));
  files.set(DOCS_FILE, renderDocs(schemas));
  const emitted = Object.keys(EMITTED_EVENT_SCHEMAS) as EmittedEventType[];
  for (const detailType of emitted) {
    files.set(
      `${EMITTED_DIR}/${emittedFileOf(detailType, 'schema')}`,
      formatJson(emittedJsonSchema(detailType)),
    );
    files.set(
      `${EMITTED_DIR}/${emittedFileOf(detailType, 'openapi')}`,
      formatJson(emittedOpenApi(detailType)),
    );
  }
  files.set(
    `${EMITTED_DIR}/index.json`,
    formatJson(
      Object.fromEntries(
        emitted.map((detailType) => [
          detailType,
          { jsonSchema: emittedFileOf(detailType, 'schema'), openApi: emittedFileOf(detailType, 'openapi') },
        ]),
      ),
    ),
  );
  files.set(EMITTED_DOCS_FILE, renderEmittedDocs());
  files.set(LIFECYCLE_DOCS_FILE, renderLifecycleDocs());
  return files;
};

const readIfExists = (file: string): Promise<string | undefined> =>
  readFile(path.join(ROOT, file), 'utf8').catch((error: NodeJS.ErrnoException) =>
    error.code === 'ENOENT' ? undefined : Promise.reject(error),
  );

/** Schema files of detail-types that no longer exist; left behind they would still look published. */
const findLeftoverSchemas = async (files: ReadonlyMap<string, string>): Promise<string[]> => {
  const leftovers: string[] = [];
  for (const dir of [SCHEMA_DIR, EMITTED_DIR]) {
    const present = await readdir(path.join(ROOT, dir)).catch(() => []);
    leftovers.push(
      ...present.map((name) => `${dir}/${name}`).filter((file) => file.endsWith('.json') && !files.has(file)),
    );
  }
  return leftovers.sort();
};

const checkFiles = async (files: ReadonlyMap<string, string>): Promise<string[]> => {
  const problems: string[] = [];
  for (const [file, content] of files) {
    const existing = await readIfExists(file);
    if (existing === undefined) problems.push(`missing: ${file}`);
    else if (existing !== content) problems.push(`stale: ${file}`);
  }
  for (const file of await findLeftoverSchemas(files))
    problems.push(`leftover: ${file} (no such detail-type)`);
  return problems;
};

const writeFiles = async (files: ReadonlyMap<string, string>): Promise<void> => {
  for (const file of await findLeftoverSchemas(files)) {
    await rm(path.join(ROOT, file));
    console.log(`removed ${file}`);
  }
  for (const [file, content] of files) {
    await mkdir(path.dirname(path.join(ROOT, file)), { recursive: true });
    await writeFile(path.join(ROOT, file), content);
  }
  console.log(`wrote ${files.size} files: ${SCHEMA_DIR}/*.json and ${DOCS_FILE}`);
};

const main = async (): Promise<void> => {
  const files = generateFiles();
  if (!process.argv.includes('--check')) return writeFiles(files);
  const problems = await checkFiles(files);
  if (problems.length === 0) {
    console.log(`event schemas and ${DOCS_FILE} are up to date`);
    return;
  }
  console.error(
    [
      'The generated event contract does not match functions/domain/order-events.ts:',
      ...problems.map((problem) => `  ${problem}`),
      'Run `npm run schemas` to regenerate, then commit the result.',
    ].join('\n'),
  );
  process.exitCode = 1;
};

await main();
