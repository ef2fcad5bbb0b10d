/**
 * What one refresh of the local outbox costs once the stack holds many orders: the outbox as it is
 * (an index kept from the table's stream and the SES store, local/outbox-index.ts) against the reads the
 * outbox used to make on every 5-second refresh (a Scan of the whole table and the whole SES store),
 * re-done here in the same run on the same data.
 *
 *   npm run bench:outbox                (ORDERS=450 ROUNDS=30 by default)
 *
 * The orders go through the whole local stack (`startLocalStack`, as `npm start` runs it, quiet hours
 * off) by the real EventBridge client, so the table and the SES store hold what a developer's would.
 */
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { lifecycleEvents, orderRef } from '../fixtures/order-events.js';
import { toPutEventsEntry } from '../local/demo.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/dynamodb-local.js';
import { startLocalStack } from '../local/stack.js';

const ORDERS = Number(process.env.ORDERS ?? 450);
const ROUNDS = Number(process.env.ROUNDS ?? 30);
const PRODUCERS = 4;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const timed = async (work: () => Promise<unknown>): Promise<number> => {
  const started = performance.now();
  await work();
  return performance.now() - started;
};

const stack = await startLocalStack({ quietHours: 'off', tableName: `orders-outbox-bench-${Date.now()}` });
const aws = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
const events = new EventBridgeClient({ ...aws, endpoint: stack.urls.eventBridge });
const dynamo = new DynamoDBClient({ ...aws, endpoint: stack.urls.dynamodb });
try {
  // Every order's whole lifecycle in one PutEvents call (7 entries), a few producers at a time.
  const started = performance.now();
  let next = 1;
  await Promise.all(
    Array.from({ length: PRODUCERS }, async () => {
      while (next <= ORDERS) {
        const n = next++;
        const entries = lifecycleEvents(orderRef(n), 'happyPath').map((event) =>
          toPutEventsEntry(event, stack.eventBusName),
        );
        const result = await events.send(new PutEventsCommand({ Entries: entries }));
        if (result.FailedEntryCount) throw new Error(`PutEvents refused ${result.FailedEntryCount} entries`);
      }
    }),
  );

  // Settled once the outbox's message count has not moved for 10 s.
  const total = async (): Promise<number> => {
    const response = await fetch(`${stack.urls.outbox}/api/messages?limit=1`);
    return ((await response.json()) as { total: number }).total;
  };
  let last = -1;
  let since = Date.now();
  for (;;) {
    const now = await total();
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (now > 0 && Date.now() - since > 10_000) break;
    await sleep(1000);
  }
  const loadSeconds = (performance.now() - started) / 1000 - 10;

  let items = 0;
  const previousRefresh = async () => {
    let start: Record<string, unknown> | undefined;
    items = 0;
    do {
      const page = await dynamo.send(
        new ScanCommand({ TableName: stack.tableName, ExclusiveStartKey: start as never }),
      );
      items += page.Items?.length ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    await stack.ses.emails();
  };
  const outboxPage = async () => {
    const response = await fetch(stack.urls.outbox);
    if (response.status !== 200) throw new Error(`outbox answered ${response.status}`);
    await response.text();
  };
  const outboxApi = async () => {
    const response = await fetch(`${stack.urls.outbox}/api/messages?limit=50`);
    if (response.status !== 200) throw new Error(`outbox API answered ${response.status}`);
    await response.json();
  };

  const samples = { previous: [] as number[], page: [] as number[], api: [] as number[] };
  // Interleaved, so drift on this noisy machine hits all three alike; the first round warms up.
  for (let round = 0; round <= ROUNDS; round++) {
    const previous = await timed(previousRefresh);
    const page = await timed(outboxPage);
    const api = await timed(outboxApi);
    if (round === 0) continue;
    samples.previous.push(previous);
    samples.page.push(page);
    samples.api.push(api);
  }
  const emails = (await stack.ses.emails()).length;
  const row = (name: string, values: number[]) =>
    `| ${name} | ${percentile(values, 50).toFixed(1)} | ${percentile(values, 95).toFixed(1)} | ${(percentile(values, 50) / percentile(samples.previous, 50)).toFixed(3)} |`;
  console.log(
    `${ORDERS} orders (${ORDERS * 7} events) settled in ${loadSeconds.toFixed(0)} s; table ${items} items, SES store ${emails} e-mails, outbox ${last} messages; ${ROUNDS} rounds`,
  );
  console.log('| per refresh | p50 ms | p95 ms | p50 / previous |');
  console.log('| --- | ---: | ---: | ---: |');
  console.log(row('previous outbox: Scan of the table + whole SES store', samples.previous));
  console.log(row('outbox page now (`GET /outbox`, sync + render)', samples.page));
  console.log(row('outbox JSON now (`GET /outbox/api/messages?limit=50`)', samples.api));
} finally {
  events.destroy();
  dynamo.destroy();
  await stack.stop();
}
