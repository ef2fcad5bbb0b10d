/**
 * Status lookup latency and throughput: the full `GET /v1/orders/{token}` handler path (rate-limit
 * counter, token index query, order and notification reads, replay, view, JSON, ETag) and the tracking
 * page, against a bare GetItem of the order's state item on the same DynamoDB Local table, measured in
 * the same run as the floor.
 *
 *   npm run bench:status -- [requests=2000] [--no-append]
 *
 * Prints a markdown table and appends it to bench/RESULTS.md under "## Status lookup".
 */

import { cpus, totalmem } from 'node:os';
import path from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { lambdaContext } from '../fixtures/lambda.js';
import {
  LIFECYCLES,
  type LifecycleName,
  lifecycleEvents,
  orderRef,
  SHOP_ID,
} from '../fixtures/order-events.js';
import { apiEvent, quietLogger, seedNotifications, seedOrder, shopConfig } from '../fixtures/status-api.js';
import { documentClient } from '../functions/adapters/aws-clients.js';
import { DynamoDbNotificationLog } from '../functions/adapters/dynamodb-notification-log.js';
import { DynamoDbOrderRepository } from '../functions/adapters/dynamodb-order-repository.js';
import { DynamoDbRateLimiter } from '../functions/adapters/dynamodb-rate-limiter.js';
import { orderTableDefinition } from '../functions/adapters/order-table.js';
import { orderPk, STATE_SK } from '../functions/adapters/table-keys.js';
import type { OrderKey } from '../functions/domain/ports.js';
import { staticShopDirectory } from '../functions/domain/shop-registry.js';
import type { HttpResponse } from '../functions/status-api/http.js';
import { makeStatusApiHandler } from '../functions/status-api/status-api.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal } from '../local/dynamodb-local.js';
import { appendResult, markdownTable, percentile, RESULTS_FILE, ROOT } from './report.js';

const SECTION = '## Status lookup';

const requests = Number(process.argv.find((arg) => /^\d+$/.test(arg)) ?? 2000);
const append = !process.argv.includes('--no-append');
const ORDERS = 100;
const CONCURRENCIES = [1, 16];

interface Measurement {
  readonly name: string;
  readonly concurrency: number;
  readonly latencies: number[];
  readonly seconds: number;
}

/** Runs `work` `count` times with `concurrency` in flight; records each call's latency. */
const measure = async (
  name: string,
  concurrency: number,
  count: number,
  work: (i: number) => Promise<void>,
): Promise<Measurement> => {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        await work(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { name, concurrency, latencies, seconds: (performance.now() - started) / 1000 };
};

const summarise = (m: Measurement) => {
  return {
    p50: percentile(m.latencies, 0.5),
    p99: percentile(m.latencies, 0.99),
    throughput: m.latencies.length / m.seconds,
  };
};

const main = async () => {
  const dynamo = await startDynamoDbLocal();
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const perRequest: Record<string, number> = {};
  let counting = false;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (counting)
        perRequest[String(context.commandName)] = (perRequest[String(context.commandName)] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'benchCount' },
  );
  const documents = documentClient(client);
  const tableName = 'orders-bench-status';
  await client.send(new CreateTableCommand(orderTableDefinition(tableName)));
  const repository = new DynamoDbOrderRepository(documents, tableName);
  const log = new DynamoDbNotificationLog(documents, tableName);
  const clock = { now: () => new Date('2026-11-21T12:00:00Z') };
  const handler = makeStatusApiHandler({
    orders: repository,
    notifications: log,
    shops: staticShopDirectory([shopConfig()]),
    clock,
    rateLimiter: new DynamoDbRateLimiter(documents, tableName, 'bench-salt-0123456789', clock),
    // Production limits would stop one client long before the benchmark ends.
    rateLimits: {
      token: { limit: 10_000_000, windowSeconds: 3600 },
      lookup: { limit: 10_000_000, windowSeconds: 3600 },
    },
    logger: quietLogger(),
  });
  const context = lambdaContext('status-api');

  try {
    const names = Object.keys(LIFECYCLES) as LifecycleName[];
    const orders: Array<{ key: OrderKey; token: string }> = [];
    for (let i = 0; i < ORDERS; i++) {
      const ref = orderRef(i + 1);
      const token = await seedOrder(
        repository,
        lifecycleEvents(ref, names[i % names.length] as LifecycleName),
      );
      await seedNotifications(log, ref);
      orders.push({ key: { shopId: SHOP_ID, orderId: ref.orderId }, token });
    }
    const pick = (i: number) => orders[(i * 7919) % orders.length] as { key: OrderKey; token: string };
    const getItem = async (i: number) => {
      await documents.send(
        new GetCommand({ TableName: tableName, Key: { pk: orderPk(pick(i).key), sk: STATE_SK } }),
      );
    };
    const call = (prefix: string) => async (i: number) => {
      const response = (await handler(
        apiEvent(`${prefix}${pick(i).token}`, { sourceIp: `10.0.${i % 250}.1` }),
        context,
      )) as HttpResponse;
      if (response.statusCode !== 200) throw new Error(`${prefix}: HTTP ${response.statusCode}`);
    };
    const operations: Array<[string, (i: number) => Promise<void>]> = [
      ['GetItem of the state item (baseline)', getItem],
      ['`GET /v1/orders/{token}` (JSON)', call('/v1/orders/')],
      ['`GET /t/{token}` (page)', call('/t/')],
    ];

    // Warm-up: JIT, connections, DynamoDB Local's caches.
    for (const [, work] of operations) await measure('warm-up', 8, 300, work);
    counting = true;
    await call('/v1/orders/')(0);
    counting = false;

    const results: Measurement[] = [];
    for (const concurrency of CONCURRENCIES) {
      for (const [name, work] of operations) results.push(await measure(name, concurrency, requests, work));
    }

    const baseline = new Map(
      results.filter((m) => m.name.includes('baseline')).map((m) => [m.concurrency, summarise(m)] as const),
    );
    const rows = results.map((m) => {
      const s = summarise(m);
      const floor = baseline.get(m.concurrency);
      const ratio = floor
        ? `${(s.p50 / floor.p50).toFixed(1)}× / ${(floor.throughput / s.throughput).toFixed(1)}×`
        : '';
      return [
        m.name,
        String(m.concurrency),
        s.p50.toFixed(2),
        s.p99.toFixed(2),
        s.throughput.toFixed(0),
        ratio,
      ];
    });
    const calls = Object.entries(perRequest)
      .map(([name, count]) => `${count} ${name.replace(/Command$/, '')}`)
      .join(' + ');
    const text = [
      `### ${new Date().toISOString().slice(0, 10)}: ${requests} requests per row`,
      '',
      `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, DynamoDB Local (in memory) on the same machine`,
      `workload: ${ORDERS} orders over ${names.length} lifecycles with 3 notification records each; one status lookup sends ${calls} to DynamoDB`,
      '',
      ...markdownTable([
        ['operation', 'concurrency', 'p50 ms', 'p99 ms', 'requests/s', 'vs baseline (p50 / throughput)'],
        ...rows,
      ]),
    ].join('\n');
    console.log(text);
    if (append) {
      await appendResult(SECTION, text);
      console.log(`\nappended to ${path.relative(ROOT, RESULTS_FILE)}`);
    }
  } finally {
    client.destroy();
    await dynamo.stop();
  }
};

await main();
