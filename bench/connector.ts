/**
 * What the WooCommerce connector adds to an order change: the same orders go into the same local stack
 * (`startLocalStack`, as `npm start` runs it) once as a producer sends them (PutEvents of the translated
 * events, source shop.orders) and once as WooCommerce does (a signed delivery per order to the webhook
 * route), and the run reports the webhook answer's latency and the time until every order is stored,
 * both ways, in the same run.
 *
 *   npm run bench:connector            (ORDERS=200 CONCURRENCY=4 by default)
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { phpJson, wooHeaders, wooOrder } from '../fixtures/woocommerce/index.js';
import { documentClient } from '../functions/adapters/aws-clients.js';
import { DynamoDbOrderRepository } from '../functions/adapters/dynamodb-order-repository.js';
import {
  translateWooCommerceOrder,
  WooCommerceConnectorSchema,
} from '../functions/domain/connectors/woocommerce.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/dynamodb-local.js';
import { startLocalStack } from '../local/stack.js';
import { localWebhookSecret } from '../local/stack-services.js';

const ORDERS = Number(process.env.ORDERS ?? 200);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 4);
const WARMUP = 40;
const SHOP = 'sklep-pod-debem';

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const order = (id: number) => ({ ...wooOrder(), id, number: String(id) });

const stack = await startLocalStack({ quietHours: 'off', tableName: `orders-connector-bench-${Date.now()}` });
const aws = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
const events = new EventBridgeClient({ ...aws, endpoint: stack.urls.eventBridge });
const orders = new DynamoDbOrderRepository(
  documentClient(new DynamoDBClient({ ...aws, endpoint: stack.urls.dynamodb })),
  stack.tableName,
);

/** Sends `ORDERS` orders starting at `first` with `send`, CONCURRENCY at a time; then waits for all stored. */
const run = async (first: number, send: (id: number) => Promise<void>, count = ORDERS) => {
  const latencies: number[] = [];
  const started = performance.now();
  let next = first;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < first + count) {
        const id = next++;
        const at = performance.now();
        await send(id);
        latencies.push(performance.now() - at);
      }
    }),
  );
  const sent = performance.now() - started;
  const pending = new Set(Array.from({ length: count }, (_, index) => first + index));
  while (pending.size > 0) {
    for (const id of [...pending]) {
      const snapshot = await orders.load({ shopId: SHOP, orderId: String(id) });
      if ((snapshot?.events.length ?? 0) >= 3) pending.delete(id);
    }
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { latencies, sentMs: sent, storedMs: performance.now() - started };
};

try {
  const connector = WooCommerceConnectorSchema.parse({});
  const viaProducer = async (id: number) => {
    const translation = translateWooCommerceOrder(order(id), { shopId: SHOP, language: 'pl', connector });
    if (translation.kind !== 'events') throw new Error('fixture does not translate');
    const result = await events.send(
      new PutEventsCommand({
        Entries: translation.events.map((event) => ({
          EventBusName: stack.eventBusName,
          Source: 'shop.orders',
          DetailType: event.type,
          Detail: JSON.stringify(event.detail),
        })),
      }),
    );
    if (result.FailedEntryCount) throw new Error('PutEvents refused entries');
  };
  const secret = localWebhookSecret(SHOP);
  const viaWebhook = async (id: number) => {
    const body = phpJson(order(id));
    const response = await fetch(`${stack.urls.api}/v1/webhooks/woocommerce/${SHOP}`, {
      method: 'POST',
      headers: wooHeaders(body, secret, 'order.created'),
      body,
    });
    const answer = (await response.json()) as { result?: string };
    if (response.status !== 200 || answer.result !== 'accepted') {
      throw new Error(`webhook answered ${response.status} ${JSON.stringify(answer)}`);
    }
  };
  // Warm-up of both paths (cold starts, DynamoDB Local's JIT), then each measured twice, interleaved, so
  // neither gains from going second; the better of its two runs counts.
  await run(900_000, viaProducer, WARMUP);
  await run(910_000, viaWebhook, WARMUP);
  const best = (a: Awaited<ReturnType<typeof run>>, b: Awaited<ReturnType<typeof run>>) =>
    a.storedMs <= b.storedMs ? a : b;
  const producerA = await run(100_000, viaProducer);
  const webhookA = await run(200_000, viaWebhook);
  const webhookB = await run(300_000, viaWebhook);
  const producerB = await run(400_000, viaProducer);
  const producer = best(producerA, producerB);
  const webhook = best(webhookA, webhookB);
  const row = (name: string, r: typeof producer) =>
    `| ${name} | ${percentile(r.latencies, 50).toFixed(1)} ms | ${percentile(r.latencies, 99).toFixed(1)} ms | ${(r.storedMs / 1000).toFixed(2)} s | ${((ORDERS * 1000) / r.storedMs).toFixed(1)} |`;
  console.log(`\n${ORDERS} orders (placed, paid, accepted: 3 events each), ${CONCURRENCY} senders at once\n`);
  console.log('| Path | Answer p50 | Answer p99 | All stored after | Orders/s |');
  console.log('| --- | --- | --- | --- | --- |');
  console.log(row('Producer: PutEvents of the 3 events', producer));
  console.log(row('WooCommerce: one signed delivery to the webhook route', webhook));
  console.log(
    `\nRuns (all stored): producer ${(producerA.storedMs / 1000).toFixed(2)} s, ${(producerB.storedMs / 1000).toFixed(2)} s; webhook ${(webhookA.storedMs / 1000).toFixed(2)} s, ${(webhookB.storedMs / 1000).toFixed(2)} s`,
  );
  console.log(
    `\nRatio webhook / producer: answer p50 ${(percentile(webhook.latencies, 50) / percentile(producer.latencies, 50)).toFixed(2)}×, all stored ${(webhook.storedMs / producer.storedMs).toFixed(2)}×`,
  );
} finally {
  events.destroy();
  await stack.stop();
}
