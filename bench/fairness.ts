/**
 * Fairness between shops on the local stack: does one shop's flash sale starve the others' messages?
 *
 * 50 shops (copies of config/shops.example.json). In the same process, two runs on the same stack:
 *
 * - A: the 49 quiet shops only, each placing a new order every `--quiet-period` seconds (phases spread
 *   evenly) for `--seconds`;
 * - B: the same, plus one noisy shop that places `--noisy-factor` (20) times as many orders as a quiet
 *   shop does in the whole run, all within `--burst-seconds` (a flash sale opening), starting
 *   `--burst-at` seconds in.
 *
 * Every event is the Order Placed of a fresh order with a customer of its own, so no message is
 * superseded by a later event of its order (a superseded message would drop out of the latencies exactly
 * when it waited longest). Latency is from the PutEvents call to the provider's answer to the sender's
 * SendEmail / Publish (local/sdk-trace.ts records each call's end in the sender's process); the sender's
 * invocation names the job (shop, event) the call was for. The report gives the quiet shops' p50 / p99 in
 * A and B and the ratio B / A, how long the stages before the notification queue took (PutEvents to the
 * job's SentTimestamp) and how long jobs waited in it (SentTimestamp to the sender's invocation).
 *
 * Each function runs in its own process (local/stack-workers.ts), ingest 3 pollers × 10 messages and the
 * sender 5 × 1 job, as in bench/pipeline.ts.
 *
 *   npm run bench:fairness -- [--seconds 60] [--quiet-period 5] [--noisy-factor 20] [--burst-seconds 5]
 *                             [--burst-at 10] [--label "…"] [--no-append]
 *
 * Appends the report to bench/RESULTS.md under "## Fairness".
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { SQSEvent } from 'aws-lambda';
import type { NotificationJob } from '../functions/domain/notification-planning.js';
import type { OrderEvent } from '../functions/domain/order-events.js';
import type { ShopConfigInput } from '../functions/domain/shop-config.js';
import { toPutEventsEntry } from '../local/demo.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/dynamodb-local.js';
import type { SdkCall } from '../local/sdk-trace.js';
import { startLocalServices } from '../local/stack-services.js';
import { type InvocationRecord, type LocalWorkers, startLocalWorkers } from '../local/stack-workers.js';
import { buildWorkload } from './chaos/workload.js';
import {
  appendResult,
  argument,
  machine,
  markdownTable,
  numberArgument,
  percentile,
  ROOT,
  today,
} from './report.js';
import { waitUntilSettled } from './settle.js';

const SHOP_COUNT = 50;
const SECONDS = numberArgument('seconds', 60);
const QUIET_PERIOD_SECONDS = numberArgument('quiet-period', 5);
const NOISY_FACTOR = numberArgument('noisy-factor', 20);
const BURST_SECONDS = numberArgument('burst-seconds', 5);
const BURST_AT_SECONDS = numberArgument('burst-at', 10);
const LABEL = argument('label');
const PRODUCERS = 4;
const append = !process.argv.includes('--no-append');

const log = (line: string) => console.log(`[fairness ${new Date().toISOString().slice(11, 19)}] ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.timeOrigin + performance.now();

/**
 * The bench's shops: copies of the example shop, each with an id and a name of its own; quiet hours off
 * (a deferral would measure the clock, not the pipeline). The one place that makes them: the shops reach
 * the stack as startLocalServices's `shops`, which seeds them into the local shop registry.
 */
const benchShops = (count: number): ShopConfigInput[] => {
  const [template] = JSON.parse(
    readFileSync(path.join(ROOT, 'config', 'shops.example.json'), 'utf8'),
  ) as ShopConfigInput[];
  if (!template) throw new Error('config/shops.example.json has no shop to copy');
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(2, '0');
    return { ...template, shopId: `shop-${n}`, name: `${template.name} ${n}`, quietHours: null };
  });
};

/** One PutEvents request, due at `due` (epoch ms). */
interface Put {
  readonly due: number;
  readonly events: readonly OrderEvent[];
}

interface Message {
  readonly shopId: string;
  /** PutEvents to the provider's answer, ms. */
  readonly latency: number;
  /** PutEvents until the planner sent the job to the notification queue (ingest, stream, planner), ms. */
  readonly upstream: number;
  /** Job sent to the notification queue until the sender's invocation began, ms. */
  readonly dwell: number;
}

type Measure = 'latency' | 'upstream' | 'dwell';

const main = async () => {
  const shops = benchShops(SHOP_COUNT);
  const [noisyShop, ...quietShops] = shops.map((shop) => shop.shopId);
  if (!noisyShop) throw new Error('no shops');
  const quietPerShop = Math.max(1, Math.floor(SECONDS / QUIET_PERIOD_SECONDS));
  const noisyOrders = quietPerShop * NOISY_FACTOR;

  const services = await startLocalServices({
    tableName: 'orders-bench-fairness',
    shops,
    snsLogSize: 1_000_000,
  });
  const client = new EventBridgeClient({
    endpoint: services.urls.eventBridge,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const providerCalls: SdkCall[] = [];
  const senderInvocations = new Map<string, InvocationRecord>();
  let workers: LocalWorkers | undefined;

  // Fresh orders (unique customers), numbered on across the runs; only their Order Placed is sent.
  let nextOrder = 1;
  const placedEvents = (shopId: string, count: number): OrderEvent[] => {
    const orders = buildWorkload({
      orders: count,
      firstOrder: nextOrder,
      seed: 13,
      duplicateRate: 0,
      outOfOrderRate: 0,
      optedOutRate: 0,
      disabledDeviceRate: 0,
      contradictionRate: 0,
      invalidRate: 0,
    }).orders;
    nextOrder += count;
    return orders.map((order) => ({ ...(order.events[0] as OrderEvent), shopId }));
  };

  /** The quiet shops' orders over `SECONDS` from `start`, phases spread so the rate is steady. */
  const quietPuts = (start: number): Put[] =>
    quietShops.flatMap((shopId, index) => {
      const phase = (index / quietShops.length) * QUIET_PERIOD_SECONDS * 1000;
      return placedEvents(shopId, quietPerShop).map((event, k) => ({
        due: start + phase + k * QUIET_PERIOD_SECONDS * 1000,
        events: [event],
      }));
    });

  /** The noisy shop's flash sale: batches of 10 spread over the burst. */
  const burstPuts = (start: number): Put[] => {
    const events = placedEvents(noisyShop, noisyOrders);
    const batches = Math.ceil(events.length / 10);
    return Array.from({ length: batches }, (_, b) => ({
      due: start + BURST_AT_SECONDS * 1000 + (b / batches) * BURST_SECONDS * 1000,
      events: events.slice(b * 10, b * 10 + 10),
    }));
  };

  /** Sends the puts in due order with `PRODUCERS` producers; returns when each event was put. */
  const put = async (puts: readonly Put[]) => {
    const ordered = [...puts].sort((a, b) => a.due - b.due);
    const putAt = new Map<string, number>();
    let next = 0;
    let late = 0;
    await Promise.all(
      Array.from({ length: PRODUCERS }, async () => {
        while (next < ordered.length) {
          const item = ordered[next++] as Put;
          const wait = item.due - Date.now();
          if (wait > 0) await sleep(wait);
          else if (wait < -250) late += 1;
          const at = now();
          const result = await client.send(
            new PutEventsCommand({
              Entries: item.events.map((event) => toPutEventsEntry(event, services.eventBusName)),
            }),
          );
          if (result.FailedEntryCount) throw new Error(`the bus refused ${result.FailedEntryCount} entries`);
          for (const event of item.events) putAt.set(event.eventId, at);
        }
      }),
    );
    if (late > 0) log(`${late} puts started more than 250 ms late (the producers could not keep up)`);
    return putAt;
  };

  /** Every provider message of the events put, with its shop, latency and queue dwell. */
  const messagesOf = (putAt: ReadonlyMap<string, number>): Message[] =>
    providerCalls.flatMap((call) => {
      const invocation = call.invocation ? senderInvocations.get(call.invocation) : undefined;
      const record = (invocation?.event as SQSEvent | undefined)?.Records[0];
      if (!invocation || !record) return [];
      const job = JSON.parse(record.body) as NotificationJob;
      const at = putAt.get(job.eventId);
      if (at === undefined) return [];
      return [
        {
          shopId: job.shopId,
          latency: call.end - at,
          upstream: Number(record.attributes.SentTimestamp) - at,
          dwell: invocation.start - Number(record.attributes.SentTimestamp),
        },
      ];
    });

  const run = async (name: string, withNoisy: boolean) => {
    providerCalls.length = 0;
    senderInvocations.clear();
    const start = Date.now() + 1000;
    const puts = [...quietPuts(start), ...(withNoisy ? burstPuts(start) : [])];
    log(
      `${name}: ${puts.reduce((sum, item) => sum + item.events.length, 0)} orders over ${SECONDS} s${withNoisy ? ` (${noisyOrders} of them ${noisyShop}'s, within ${BURST_SECONDS} s)` : ''}`,
    );
    const putAt = await put(puts);
    if (!(await waitUntilSettled(services, workers as LocalWorkers, { timeoutMs: 15 * 60_000 }))) {
      throw new Error(`${name}: the pipeline did not settle`);
    }
    const messages = messagesOf(putAt);
    const quiet = messages.filter((message) => message.shopId !== noisyShop);
    const noisy = messages.filter((message) => message.shopId === noisyShop);
    log(
      `${name}: quiet p50/p99 ${percentile(
        quiet.map((m) => m.latency),
        0.5,
      ).toFixed(0)}/${percentile(
        quiet.map((m) => m.latency),
        0.99,
      ).toFixed(0)} ms over ${quiet.length} messages`,
    );
    return { quiet, noisy };
  };

  try {
    workers = await startLocalWorkers(services, {
      ingestConcurrency: 3,
      senderConcurrency: 5,
      trace: 'calls',
      onSdkCall: (call, functionName) => {
        if (
          functionName === 'send-notifications' &&
          !call.error &&
          call.messageId !== undefined &&
          (call.command === 'SendEmailCommand' || call.command === 'PublishCommand')
        ) {
          providerCalls.push(call);
        }
      },
      onInvocation: (record) => {
        if (record.functionName === 'send-notifications') senderInvocations.set(record.awsRequestId, record);
      },
    });

    // Warm-up: one order per quiet shop, not measured (JIT, connections, the first table pages).
    log('warm-up');
    const warmUp = quietShops.flatMap((shopId) => placedEvents(shopId, 1));
    await put(
      Array.from({ length: Math.ceil(warmUp.length / 10) }, (_, b) => ({
        due: Date.now(),
        events: warmUp.slice(b * 10, b * 10 + 10),
      })),
    );
    await waitUntilSettled(services, workers, { timeoutMs: 5 * 60_000 });

    const a = await run('A (quiet shops only)', false);
    const b = await run('B (with the flash sale)', true);

    const p = (messages: readonly Message[], key: Measure, q: number) =>
      percentile(
        messages.map((message) => message[key]),
        q,
      );
    const ms = (value: number) => (Number.isNaN(value) ? '–' : value.toFixed(0));
    const ratio = (key: Measure, q: number) => (p(b.quiet, key, q) / p(a.quiet, key, q)).toFixed(2);
    const text = [
      `### ${today()}: ${LABEL ?? 'run'}`,
      '',
      `machine: ${machine()} (2 cores shared with other work); DynamoDB Local (in memory), SES, SQS, SNS and EventBridge in one process, each function in its own; ingest 3 pollers × 10 messages, sender 5 × 1 job (the CDK's maxConcurrency); quiet hours off`,
      '',
      `workload: ${SHOP_COUNT} shops; each of the ${quietShops.length} quiet shops places an order every ${QUIET_PERIOD_SECONDS} s for ${SECONDS} s (${quietPerShop} each, ${(quietShops.length / QUIET_PERIOD_SECONDS).toFixed(1)} orders/s in all); in B, ${noisyShop} places ${noisyOrders} orders (${NOISY_FACTOR}× a quiet shop's) within ${BURST_SECONDS} s, ${BURST_AT_SECONDS} s in. Every event is an Order Placed of a new order: one e-mail each (its default channels).`,
      '',
      ...markdownTable([
        ['quiet shops, ms', 'A: quiet only', 'B: with the flash sale', 'B / A'],
        [
          'PutEvents to provider, p50',
          ms(p(a.quiet, 'latency', 0.5)),
          ms(p(b.quiet, 'latency', 0.5)),
          ratio('latency', 0.5),
        ],
        [
          'PutEvents to provider, p99',
          ms(p(a.quiet, 'latency', 0.99)),
          ms(p(b.quiet, 'latency', 0.99)),
          ratio('latency', 0.99),
        ],
        [
          'PutEvents to the job queued (ingest, stream, planner), p99',
          ms(p(a.quiet, 'upstream', 0.99)),
          ms(p(b.quiet, 'upstream', 0.99)),
          ratio('upstream', 0.99),
        ],
        [
          'wait in the notification queue, p99',
          ms(p(a.quiet, 'dwell', 0.99)),
          ms(p(b.quiet, 'dwell', 0.99)),
          ratio('dwell', 0.99),
        ],
        ['messages measured', String(a.quiet.length), String(b.quiet.length), ''],
      ]),
      '',
      `the noisy shop in B: ${b.noisy.length} messages, PutEvents to provider p50 / p99 ${ms(p(b.noisy, 'latency', 0.5))} / ${ms(p(b.noisy, 'latency', 0.99))} ms, queue wait p99 ${ms(p(b.noisy, 'dwell', 0.99))} ms`,
    ].join('\n');
    console.log(`\n${text}`);
    if (append) {
      await appendResult('## Fairness', text);
      console.log('\nappended to bench/RESULTS.md');
    }
  } finally {
    await workers?.stop();
    client.destroy();
    await services.stop();
  }
};

await main();
