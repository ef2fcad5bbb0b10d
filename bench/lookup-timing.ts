/**
 * Can the time of a failed lookup tell "no such order number" from "the order exists, the contact is
 * wrong"? Measures both kinds of miss against one large order (200 lines with long names and
 * personalisation) on DynamoDB Local, interleaved at random, for:
 *
 *   - before: the lookup as it was (index query, then the whole order partition read and replayed for a
 *     known number, an empty partition for an unknown one), re-created here for comparison;
 *   - after: `lookupTrackingUrl` (index query, then the same small projection GetItem on both paths);
 *   - after, whole handler: `POST /v1/lookup` with both rate-limit counters, without the response-time
 *     floor and with the production floor (DEFAULT_LOOKUP_MIN_RESPONSE_MS).
 *
 * For each it reports the AUC of the two latency distributions (0.5 = indistinguishable, 1 = always
 * apart) and the best accuracy any single latency threshold reaches at telling them apart.
 *
 *   npx tsx bench/lookup-timing.ts [samples=400] [--no-append]
 *
 * Appends its table to bench/RESULTS.md under "## Lookup timing".
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { lambdaContext } from '../fixtures/lambda.js';
import { exampleDetails, orderRef, SHOP_ID, toEvent } from '../fixtures/order-events.js';
import { apiEvent, quietLogger, seedOrder, shopConfig } from '../fixtures/status-api.js';
import { documentClient } from '../functions/adapters/aws-clients.js';
import { DynamoDbNotificationLog } from '../functions/adapters/dynamodb-notification-log.js';
import { DynamoDbOrderRepository } from '../functions/adapters/dynamodb-order-repository.js';
import { DynamoDbRateLimiter } from '../functions/adapters/dynamodb-rate-limiter.js';
import { orderTableDefinition } from '../functions/adapters/order-table.js';
import { contactMatches, contactOf } from '../functions/domain/contact.js';
import { replay } from '../functions/domain/order-lifecycle.js';
import { staticShopDirectory } from '../functions/domain/shop-registry.js';
import { type LookupRequest, lookupTrackingUrl } from '../functions/status-api/order-status.js';
import { DEFAULT_LOOKUP_MIN_RESPONSE_MS, makeStatusApiHandler } from '../functions/status-api/status-api.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal } from '../local/dynamodb-local.js';
import { appendResult, machine, markdownTable, median, today } from './report.js';

const SECTION = '## Lookup timing';
const samples = Number(process.argv.find((arg) => /^\d+$/.test(arg)) ?? 400);
const append = !process.argv.includes('--no-append');
const LINES = 200;

/** P(a random wrong-contact time > a random unknown-number time), ties counting half. */
export const auc = (misses: readonly number[], wrong: readonly number[]): number => {
  const all = [...misses.map((t) => [t, 0] as const), ...wrong.map((t) => [t, 1] as const)].sort(
    (a, b) => a[0] - b[0],
  );
  let rankSum = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j]?.[0] === all[i]?.[0]) j++;
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (all[k]?.[1] === 1) rankSum += rank;
    i = j;
  }
  return (rankSum - (wrong.length * (wrong.length + 1)) / 2) / (wrong.length * misses.length);
};

/** The best balanced accuracy of "slower than t means the order exists", over every threshold t. */
export const bestThresholdAccuracy = (misses: readonly number[], wrong: readonly number[]): number => {
  let best = 0.5;
  for (const t of [...misses, ...wrong]) {
    const tpr = wrong.filter((x) => x > t).length / wrong.length;
    const tnr = misses.filter((x) => x <= t).length / misses.length;
    best = Math.max(best, (tpr + tnr) / 2, 1 - (tpr + tnr) / 2);
  }
  return best;
};

const main = async () => {
  const dynamo = await startDynamoDbLocal();
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const documents = documentClient(client);
  const tableName = 'orders-bench-lookup-timing';
  try {
    await client.send(new CreateTableCommand(orderTableDefinition(tableName)));
    const orders = new DynamoDbOrderRepository(documents, tableName);
    const shops = staticShopDirectory([shopConfig()]);

    // One large order: 200 lines with long names and personalisation.
    const ref = orderRef(1);
    const placed = exampleDetails(ref)['Order Placed'];
    const lines = Array.from({ length: LINES }, (_, i) => ({
      sku: `SKU-${String(i).padStart(4, '0')}`,
      name: `Kubek ceramiczny z grawerem, wzór ${i} `.padEnd(200, 'x'),
      quantity: 1,
      unitPrice: 100,
      personalisation: `Dla Babci – ${i} `.padEnd(200, 'y'),
    }));
    await seedOrder(orders, [
      toEvent('Order Placed', {
        ...placed,
        lines,
        totals: { currency: 'PLN', subtotal: LINES * 100, shipping: 0, discount: 0, total: LINES * 100 },
      }),
    ]);

    const wrongContact: LookupRequest = {
      shopId: SHOP_ID,
      orderNumber: ref.orderNumber,
      contact: 'someone.else@example.pl',
    };
    const unknownNumber = (i: number): LookupRequest => ({
      ...wrongContact,
      orderNumber: `ZAM/2099/01/${String(i).padStart(4, '0')}`,
    });

    /** The lookup before the fix: the whole partition of a known order, read and replayed. */
    const before = async (request: LookupRequest) => {
      const key = await orders.findByOrderNumber(request.shopId, request.orderNumber);
      const snapshot = await orders.load(key ?? { shopId: 'lookup-miss', orderId: 'lookup-miss' });
      if (!key || !snapshot?.trackingToken || snapshot.events.length === 0) return;
      const { state } = replay(snapshot.events.map((stored) => stored.event));
      if (state.customer) contactMatches(contactOf(request.contact), state.customer);
    };
    const after = async (request: LookupRequest) => {
      await lookupTrackingUrl({ orders, shops }, request);
    };
    const clock = { now: () => new Date('2026-11-21T12:00:00Z') };
    const context = lambdaContext('status-api');
    const viaHandler = (lookupMinResponseMs: number) => {
      const handler = makeStatusApiHandler({
        orders,
        notifications: new DynamoDbNotificationLog(documents, tableName),
        shops,
        clock,
        rateLimiter: new DynamoDbRateLimiter(documents, tableName, 'bench-salt-0123456789', clock),
        rateLimits: {
          lookup: { limit: 10_000_000, windowSeconds: 3600 },
          lookupPerOrder: { limit: 10_000_000, windowSeconds: 3600 },
          token: { limit: 10_000_000, windowSeconds: 3600 },
        },
        lookupMinResponseMs,
        logger: quietLogger(),
      });
      return async (request: LookupRequest) => {
        await handler(
          apiEvent('/v1/lookup', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(request),
          }),
          context,
        );
      };
    };

    const rows: string[][] = [
      [
        'path',
        'samples per kind',
        'unknown number p50 (ms)',
        'wrong contact p50 (ms)',
        'AUC',
        'best threshold accuracy',
      ],
    ];
    for (const [name, run] of [
      ['before: whole partition + replay', before],
      ['after: projection on both paths', after],
      ['after: whole POST /v1/lookup handler, no floor', viaHandler(0)],
      [
        `after: whole handler, ${DEFAULT_LOOKUP_MIN_RESPONSE_MS} ms floor (production)`,
        viaHandler(DEFAULT_LOOKUP_MIN_RESPONSE_MS),
      ],
    ] as const) {
      // Warm up, then interleave the two kinds at random so drift hits both alike.
      for (let i = 0; i < 30; i++) await run(i % 2 === 0 ? wrongContact : unknownNumber(i));
      const misses: number[] = [];
      const wrong: number[] = [];
      for (let i = 0; i < samples * 2; i++) {
        const isWrong = Math.random() < 0.5 ? wrong.length < samples : misses.length >= samples;
        const t0 = performance.now();
        await run(isWrong ? wrongContact : unknownNumber(i));
        (isWrong ? wrong : misses).push(performance.now() - t0);
      }
      rows.push([
        name,
        String(samples),
        median(misses).toFixed(2),
        median(wrong).toFixed(2),
        auc(misses, wrong).toFixed(3),
        `${(bestThresholdAccuracy(misses, wrong) * 100).toFixed(1)}%`,
      ]);
    }

    const section = [
      `### ${today()}: ${samples} lookups of each kind per path`,
      '',
      `machine: ${machine()}; DynamoDB Local; one order of ${LINES} lines (≈${Math.round(
        JSON.stringify(lines).length / 1024,
      )} KB of lines) against unknown order numbers; AUC 0.5 = indistinguishable`,
      '',
      ...markdownTable(rows),
      '',
    ].join('\n');
    console.log(section);
    if (append) await appendResult(SECTION, section);
  } finally {
    client.destroy();
    await dynamo.stop();
  }
};

await main();
