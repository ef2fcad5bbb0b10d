/**
 * The shop registry at scale: 5,000 shops in the registry on DynamoDB Local, read the way the functions
 * read it (cachedShopDirectory over eventually consistent GetItems).
 *
 *   npm run bench:shops -- [--shops=5000] [--no-append]
 *
 * Measures, in one run:
 * - filling the registry (writes per shop, seconds);
 * - a cold start's first lookup against a warm one (a registry read against a cache hit), as a ratio;
 * - memory: the heap one execution environment holds after it has looked up every shop once;
 * - registry reads per status change and the cache hit rate, for an hour of status changes at three
 *   daily rates, spread over the shops by a Zipf law (a few big shops, a long tail), on a simulated
 *   clock, with one and with five execution environments per function. The cache counts its reads of
 *   an in-memory registry here: what a read costs is DynamoDB's price, what is counted is how often the
 *   cache reads;
 * - how long a change takes to be live: a change at a random instant, looked up every 100 ms of the
 *   simulated clock with a 60 s cache.
 * Results are appended to bench/RESULTS.md under "## Shop registry".
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient } from '../functions/adapters/aws-clients.js';
import {
  cachedShopDirectory,
  DEFAULT_SHOP_CACHE_SECONDS,
  DynamoDbShopRegistry,
} from '../functions/adapters/dynamodb-shop-registry.js';
import { shopRegistryTableDefinition } from '../functions/adapters/order-table.js';
import { parseShopConfig, type ShopConfig } from '../functions/domain/shop-config.js';
import { staticShopDirectory } from '../functions/domain/shop-registry.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal } from '../local/dynamodb-local.js';
import {
  appendResult,
  machine,
  markdownTable,
  numberArgument,
  percentile,
  thousands,
  today,
} from './report.js';

const SHOPS = numberArgument('shops', 5000);
/** Status changes a day across all shops; one simulated hour of each rate is run. */
const RATES = [200_000, 2_000_000, 20_000_000];
const append = !process.argv.includes('--no-append');
/** Functions that read the registry on a status change's way: ingest, planner, sender (and status, unsubscribe on views). */
const READING_FUNCTIONS = 3;

/** A shop as a platform would onboard it: templates in two languages make it a few KB, like real ones. */
const shopConfig = (index: number): ShopConfig =>
  parseShopConfig({
    shopId: `shop-${String(index).padStart(5, '0')}`,
    name: `Sklep ${index}`,
    producers: [`platform.p${index % 20}`],
    defaultLanguage: index % 3 === 0 ? 'en' : 'pl',
    statusPage: { baseUrl: `https://track.shop-${index}.example.pl` },
    email: { from: `Sklep ${index} <zamowienia@shop-${index}.example.pl>` },
    contact: { phone: '+48 12 345 67 89', email: `pomoc@shop-${index}.example.pl` },
    quietHours: index % 4 === 0 ? null : { start: '21:00', end: '08:00' },
    templates: {
      'order-shipped': {
        pl: { subject: 'Paczka {{orderNumber}} w drodze', intro: 'Dziękujemy za zakupy w naszym sklepie.' },
        en: { subject: 'Parcel {{orderNumber}} on its way', intro: 'Thank you for shopping with us.' },
      },
    },
  });

/** Shop indexes by a Zipf law of exponent 1: shop k is picked in proportion to 1/k. */
const zipf = (n: number, random: () => number): (() => number) => {
  const cumulative = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) {
    sum += 1 / (k + 1);
    cumulative[k] = sum;
  }
  return () => {
    const target = random() * sum;
    let low = 0;
    let high = n - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((cumulative[mid] ?? 0) < target) low = mid + 1;
      else high = mid;
    }
    return low;
  };
};

/** A seeded generator (mulberry32), so runs compare. */
const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/**
 * A simulated clock for Date (Powertools' cache dates its entries with `new Date()` and ages them with
 * `Date.now()`): both read it while installed.
 */
const simulatedClock = () => {
  const RealDate = Date;
  let now = RealDate.now();
  class SimulatedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(now);
      else super(...(args as [string | number]));
    }
    static override now(): number {
      return now;
    }
  }
  return {
    install: () => {
      globalThis.Date = SimulatedDate as DateConstructor;
    },
    advance: (ms: number) => {
      now += ms;
    },
    restore: () => {
      globalThis.Date = RealDate;
    },
  };
};

const main = async (): Promise<void> => {
  const dynamo = await startDynamoDbLocal();
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  let requests = 0;
  client.middlewareStack.add(
    (next) => async (args) => {
      requests += 1;
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  const documents = documentClient(client);
  const tableName = 'bench-shop-registry';
  await client.send(new CreateTableCommand(shopRegistryTableDefinition(tableName)));
  const admin = new DynamoDbShopRegistry(documents, tableName);
  const reader = new DynamoDbShopRegistry(documents, tableName, { consistentReads: false });

  try {
    // 1. Fill the registry
    const configs = Array.from({ length: SHOPS }, (_, index) => shopConfig(index));
    const configBytes = configs.map((config) => Buffer.byteLength(JSON.stringify(config)));
    const fillStart = performance.now();
    let nextShop = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (nextShop < configs.length) {
          const config = configs[nextShop++] as ShopConfig;
          await admin.put({ config, state: 'active', updatedBy: 'bench', expectedVersion: undefined });
        }
      }),
    );
    const fillSeconds = (performance.now() - fillStart) / 1000;

    // 2. A cold lookup (registry read) against a warm one (cache hit), same shops
    const coldLatencies: number[] = [];
    const warmLatencies: number[] = [];
    const bareLatencies: number[] = [];
    const probe = cachedShopDirectory(reader, { maxAgeSeconds: DEFAULT_SHOP_CACHE_SECONDS });
    for (let i = 0; i < 500; i++) {
      const shopId = (configs[(i * 7) % SHOPS] as ShopConfig).shopId;
      let t0 = performance.now();
      await reader.get(shopId);
      bareLatencies.push(performance.now() - t0);
      t0 = performance.now();
      await probe.get(shopId);
      coldLatencies.push(performance.now() - t0);
      t0 = performance.now();
      await probe.get(shopId);
      warmLatencies.push(performance.now() - t0);
    }

    // 3. Memory: one environment that has looked up every shop
    const collect = () => {
      if (!globalThis.gc) throw new Error('run with node --expose-gc (npm run bench:shops does)');
      for (let i = 0; i < 3; i++) globalThis.gc();
    };
    collect();
    const heapBefore = process.memoryUsage().heapUsed;
    const everything = cachedShopDirectory(reader, { maxAgeSeconds: 3600 });
    for (const config of configs) await everything.get(config.shopId);
    collect();
    const heapAfter = process.memoryUsage().heapUsed;

    // 4. Reads per status change: an hour of changes at each rate, Zipf over the shops, simulated clock.
    // Each change is looked up by each reading function in one of its environments (round robin).
    const memory = staticShopDirectory(configs);
    const random = seeded(7);
    const pick = zipf(SHOPS, random);
    const workload: {
      rate: number;
      environments: number;
      changes: number;
      reads: number;
      lookups: number;
    }[] = [];
    const clock = simulatedClock();
    clock.install();
    try {
      for (const rate of RATES) {
        for (const environments of [1, 5]) {
          const changes = Math.round(rate / 24);
          const interval = 3_600_000 / changes;
          const caches = Array.from({ length: READING_FUNCTIONS * environments }, () =>
            cachedShopDirectory(memory, { maxAgeSeconds: DEFAULT_SHOP_CACHE_SECONDS }),
          );
          for (let change = 0; change < changes; change++) {
            const shopId = (configs[pick()] as ShopConfig).shopId;
            for (let fn = 0; fn < READING_FUNCTIONS; fn++) {
              await caches[fn * environments + (change % environments)]?.get(shopId);
            }
            clock.advance(interval);
          }
          const totals = caches.reduce(
            (sum, cache) => ({
              reads: sum.reads + cache.stats().reads,
              lookups: sum.lookups + cache.stats().lookups,
            }),
            { reads: 0, lookups: 0 },
          );
          workload.push({ rate, environments, changes, ...totals });
        }
      }

      // 5. Time for a change to be live, with the default cache age, lookups every 100 ms
      const delays: number[] = [];
      const directory = cachedShopDirectory(reader, { maxAgeSeconds: DEFAULT_SHOP_CACHE_SECONDS });
      const target = configs[1] as ShopConfig;
      let version = 1;
      for (let trial = 0; trial < 20; trial++) {
        await directory.get(target.shopId);
        clock.advance(random() * DEFAULT_SHOP_CACHE_SECONDS * 1000);
        const renamed = { ...target, name: `Sklep trial ${trial}` };
        await admin.put({ config: renamed, state: 'active', updatedBy: 'bench', expectedVersion: version });
        version += 1;
        let waited = 0;
        while ((await directory.get(target.shopId))?.config.name !== renamed.name) {
          clock.advance(100);
          waited += 100;
        }
        delays.push(waited / 1000);
      }
      clock.restore();

      // Report
      const perChange = workload.map(({ rate, environments, changes, reads, lookups }) => [
        thousands(rate),
        `${environments} per function`,
        (reads / changes).toFixed(3),
        `${((1 - reads / lookups) * 100).toFixed(1)}%`,
        `$${((reads / changes) * 0.5 * 0.25).toFixed(3)}`,
      ]);
      const lines = [
        `### ${today()}: ${thousands(SHOPS)} shops, cache ${DEFAULT_SHOP_CACHE_SECONDS} s`,
        '',
        `Machine: ${machine()}. DynamoDB Local; the cache is the functions' own (cachedShopDirectory), reads eventually consistent.`,
        '',
        ...markdownTable([
          ['Measure', 'Value'],
          [
            'Registry filled',
            `${thousands(SHOPS)} shops in ${fillSeconds.toFixed(1)} s (one 2-item transaction each)`,
          ],
          [
            'Shop configuration size',
            `median ${percentile(configBytes, 0.5)} B, max ${Math.max(...configBytes)} B`,
          ],
          [
            'Lookup, cache miss (cold) / bare GetItem',
            `${(percentile(coldLatencies, 0.5) / percentile(bareLatencies, 0.5)).toFixed(2)}× (p50 ${percentile(coldLatencies, 0.5).toFixed(2)} ms vs ${percentile(bareLatencies, 0.5).toFixed(2)} ms)`,
          ],
          [
            'Lookup, cache hit / cache miss',
            `${(percentile(warmLatencies, 0.5) / percentile(coldLatencies, 0.5)).toFixed(4)}× (p50 ${(percentile(warmLatencies, 0.5) * 1000).toFixed(1)} µs)`,
          ],
          [
            `Heap of one environment holding all ${thousands(SHOPS)} shops`,
            `${((heapAfter - heapBefore) / 1024 / 1024).toFixed(1)} MiB (${((heapAfter - heapBefore) / SHOPS / 1024).toFixed(1)} KiB a shop)`,
          ],
          [
            'Time for a change to be live (20 trials, 100 ms polling)',
            `max ${Math.max(...delays).toFixed(1)} s, median ${percentile(delays, 0.5).toFixed(1)} s (bound: the cache age)`,
          ],
          ['DynamoDB requests in the run', thousands(requests)],
        ]),
        '',
        `Registry reads per status change (${READING_FUNCTIONS} functions read the shop on a change's way; $0.25 per million read units on demand, 0.5 RU a read):`,
        '',
        ...markdownTable([
          ['Changes a day', 'Environments', 'Reads per change', 'Cache hit rate', 'Cost per million changes'],
          ...perChange,
        ]),
        '',
      ];
      const text = lines.join('\n');
      process.stdout.write(`${text}\n`);
      if (append) await appendResult('## Shop registry', text);
    } finally {
      clock.restore();
    }
  } finally {
    client.destroy();
    await dynamo.stop();
  }
};

await main();
