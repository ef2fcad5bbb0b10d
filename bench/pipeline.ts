/**
 * The whole pipeline on the local stack, PutEvents to provider call, against the storage floor measured
 * in the same run:
 *
 * 1. floor: conditional PutItems (attribute_not_exists) of the events, 16 at a time, on the same
 *    DynamoDB Local: the cheapest durable, duplicate-safe write of a status change;
 * 2. throughput: orders put on the bus as fast as 4 producers can, in lifecycle order; status changes
 *    per second from the first PutEvents to the last provider call, and the ratio to the floor;
 * 3. latency: orders at about half that rate, each order's events 10 s apart (so nothing is superseded),
 *    p50/p99 from the PutEvents call to the provider's record of the message;
 * 4. operations: fresh orders with every SDK call of the functions recorded (ReturnConsumedCapacity on
 *    DynamoDB), then every event delivered again: DynamoDB requests and capacity per status change and
 *    per duplicate for ingest + planner + sender + notification log, and the cost per million changes.
 *
 * Each function runs in its own process (local/stack-workers.ts) as in the chaos run; SES sits behind a
 * recording proxy without faults (local/fault-proxy.ts), for millisecond times and the e-mails' tags.
 *
 *   npm run bench:pipeline -- [--orders 300] [--ops-orders 100] [--no-append]
 *
 * Appends the report to bench/RESULTS.md under "## Pipeline".
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PutCommand, paginateScan } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../functions/adapters/aws-clients.js';
import { decodeTag, EMAIL_TAGS } from '../functions/adapters/ses-email-sender.js';
import {
  eventSk,
  parseEventSk,
  parseNotificationsPk,
  parseOrderPk,
} from '../functions/adapters/table-keys.js';
import { eventTypeOfTemplate } from '../functions/domain/messages/index.js';
import type { NotificationRecord } from '../functions/domain/notification-log.js';
import type { OrderEvent } from '../functions/domain/order-events.js';
import type { ShopConfigInput } from '../functions/domain/shop-config.js';
import { toPutEventsEntry } from '../local/demo.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/dynamodb-local.js';
import { isSesSendEmail, startFaultProxy } from '../local/fault-proxy.js';
import type { SdkCall } from '../local/sdk-trace.js';
import { type LocalServices, startLocalServices } from '../local/stack-services.js';
import {
  type InvocationRecord,
  type LocalWorkers,
  type LocalWorkersOptions,
  PIPELINE_FUNCTIONS,
  startLocalWorkers,
} from '../local/stack-workers.js';
import { buildWorkload, type ChaosOrder, type Delivery } from './chaos/workload.js';
import {
  appendResult,
  machine,
  markdownTable,
  numberArgument,
  percentile,
  ROOT,
  thousands,
  today,
} from './report.js';
import { waitUntilSettled } from './settle.js';

const ORDERS = numberArgument('orders', 300);
const OPS_ORDERS = numberArgument('ops-orders', 100);
const FLOOR_CONCURRENCY = 16;
const PRODUCERS = 4;
const LATENCY_GAP_MS = 10_000;
const append = !process.argv.includes('--no-append');

/** List prices, us-east-1, on demand, as in docs/deploy.md. */
const PRICES = {
  writeUnit: 0.625 / 1e6,
  readUnit: 0.125 / 1e6,
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecond: 0.0000133334,
  sqsRequest: 0.4 / 1e6,
  eventBridgeEvent: 1 / 1e6,
};
const LAMBDA_GB = 0.25;

const log = (line: string) => console.log(`[pipeline ${new Date().toISOString().slice(11, 19)}] ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface ProviderMessage {
  readonly channel: 'email' | 'sms' | 'push';
  readonly messageId: string;
  readonly orderId: string;
  readonly eventId?: string | undefined;
  readonly at: number;
}

/** Quiet hours off: a deferral would measure the clock, not the pipeline. */
const shops = (): ShopConfigInput[] =>
  (
    JSON.parse(readFileSync(path.join(ROOT, 'config', 'shops.example.json'), 'utf8')) as ShopConfigInput[]
  ).map((shop) => ({ ...shop, quietHours: null }));

/** Orders with customers of their own (unique contacts), numbered from `first`, events in order. */
const ordersFrom = (first: number, count: number): readonly ChaosOrder[] =>
  buildWorkload({
    orders: count,
    firstOrder: first,
    seed: 3,
    duplicateRate: 0,
    outOfOrderRate: 0,
    optedOutRate: 0,
    disabledDeviceRate: 0,
    contradictionRate: 0,
    invalidRate: 0,
  }).orders;

const percentiles = (values: readonly number[]) =>
  `${percentile(values, 0.5).toFixed(0)} / ${percentile(values, 0.99).toFixed(0)}`;

const main = async () => {
  const services = await startLocalServices({
    tableName: 'orders-bench-pipeline',
    shops: shops(),
    snsLogSize: 10_000_000,
  });
  const emails: ProviderMessage[] = [];
  const ses = await startFaultProxy({
    target: services.urls.ses,
    onExchange: (exchange) => {
      if (!isSesSendEmail(exchange.request) || exchange.response.status !== 200) return;
      const request = JSON.parse(exchange.request.body.toString('utf8')) as {
        EmailTags?: Array<{ Name: string; Value: string }>;
      };
      const tag = (name: string) =>
        decodeTag(request.EmailTags?.find((entry) => entry.Name === name)?.Value ?? '');
      emails.push({
        channel: 'email',
        messageId: (JSON.parse(exchange.response.body.toString('utf8')) as { MessageId: string }).MessageId,
        orderId: tag(EMAIL_TAGS.order),
        eventId: tag(EMAIL_TAGS.event),
        at: exchange.respondedAt,
      });
    },
  });
  const client = new EventBridgeClient({
    endpoint: services.urls.eventBridge,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const documents = documentClient(services.dynamo);
  let workers: LocalWorkers | undefined;
  const invocations: InvocationRecord[] = [];
  const calls: Array<SdkCall & { functionName: string }> = [];
  const startWorkers = async (options: Partial<LocalWorkersOptions>) => {
    await workers?.stop();
    workers = await startLocalWorkers(services, {
      environment: { 'send-notifications': { AWS_ENDPOINT_URL_SESV2: ses.endpoint } },
      ingestConcurrency: 3,
      senderConcurrency: 5,
      onInvocation: (record) => invocations.push(record),
      ...options,
    });
    return workers;
  };

  /** Puts deliveries with `PRODUCERS` producers; returns when each event was put (epoch ms). */
  const put = async (batches: ReadonlyArray<readonly Delivery[]>, schedule?: (index: number) => number) => {
    const putAt = new Map<string, number>();
    let next = 0;
    await Promise.all(
      Array.from({ length: PRODUCERS }, async () => {
        while (next < batches.length) {
          const index = next++;
          const batch = batches[index] ?? [];
          const due = schedule?.(index);
          if (due !== undefined && due > Date.now()) await sleep(due - Date.now());
          const at = performance.timeOrigin + performance.now();
          const result = await client.send(
            new PutEventsCommand({
              Entries: batch.map((delivery) => toPutEventsEntry(delivery.event, services.eventBusName)),
            }),
          );
          if (result.FailedEntryCount) throw new Error(`the bus refused ${result.FailedEntryCount} entries`);
          for (const delivery of batch) putAt.set(delivery.event.eventId, at);
        }
      }),
    );
    return putAt;
  };

  /** Every provider message of the given orders, each with its event where the message tells it. */
  const providerMessages = async (orders: readonly ChaosOrder[]): Promise<ProviderMessage[]> => {
    const byId = new Map(orders.map((order) => [order.orderId, order]));
    const byPhone = new Map(orders.flatMap((order) => (order.phoneE164 ? [[order.phoneE164, order]] : [])));
    const byDevice = new Map(
      orders.flatMap((order) => (order.deviceToken ? [[order.deviceToken, order]] : [])),
    );
    const logged = new Map<string, string>();
    for await (const page of paginateScan({ client: documents }, { TableName: services.tableName })) {
      for (const item of page.Items ?? []) {
        const record = item as unknown as NotificationRecord & { pk: string };
        if (!parseNotificationsPk(record.pk) || !byId.has(record.orderId)) continue;
        for (const id of (record.providerMessageId ?? '').split(',')) if (id) logged.set(id, record.eventId);
      }
    }
    return [
      ...emails.filter((email) => byId.has(email.orderId)),
      ...services.sns.sms().flatMap((sms) => {
        const order = byPhone.get(sms.phoneNumber);
        return order
          ? [
              {
                channel: 'sms' as const,
                messageId: sms.messageId,
                orderId: order.orderId,
                eventId: logged.get(sms.messageId),
                at: Date.parse(sms.at),
              },
            ]
          : [];
      }),
      ...services.sns.pushes().flatMap((push) => {
        const order = byDevice.get(push.token);
        const template = JSON.stringify(push.payload).match(/"templateId\\?":\\?"([a-z-]+)/)?.[1];
        const event = order?.events.find(
          (candidate) => eventTypeOfTemplate(template ?? '') === candidate.type,
        );
        return order
          ? [
              {
                channel: 'push' as const,
                messageId: push.messageId,
                orderId: order.orderId,
                eventId: event?.eventId,
                at: Date.parse(push.at),
              },
            ]
          : [];
      }),
    ];
  };

  try {
    // --- 1. The storage floor --------------------------------------------------------------------------
    log('floor: conditional PutItem of the events');
    const floorOrders = ordersFrom(900_001, Math.max(100, Math.round(ORDERS / 2)));
    const floorEvents = floorOrders.flatMap((order) => order.events);
    const raw = documentClient(
      new DynamoDBClient({
        endpoint: services.urls.dynamodb,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
      }),
    );
    const writeFloor = async (events: readonly OrderEvent[], prefix: string) => {
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: FLOOR_CONCURRENCY }, async () => {
          while (next < events.length) {
            const event = events[next++] as OrderEvent;
            await raw.send(
              new PutCommand({
                TableName: services.tableName,
                Item: {
                  pk: `${prefix}#${event.orderId}`,
                  sk: eventSk(event.eventId),
                  event,
                  receivedAt: new Date().toISOString(),
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              }),
            );
          }
        }),
      );
      return events.length / ((performance.now() - started) / 1000);
    };
    await writeFloor(floorEvents.slice(0, 500), 'WARMUP');
    const floor = await writeFloor(floorEvents, 'FLOOR');
    log(`floor: ${floor.toFixed(0)} conditional writes/s`);

    // --- 2. Throughput ----------------------------------------------------------------------------------
    await startWorkers({});
    const throughputOrders = ordersFrom(1, ORDERS);
    const throughputBatches = buildBatches(throughputOrders);
    log(
      `throughput: ${ORDERS} orders, ${throughputOrders.reduce((sum, order) => sum + order.events.length, 0)} events`,
    );
    const firstPut = Date.now();
    const putAt = await put(throughputBatches);
    const putDone = Date.now();
    if (!(await waitUntilSettled(services, workers as LocalWorkers, { timeoutMs: 20 * 60_000 }))) {
      throw new Error('the pipeline did not settle');
    }
    const changes = throughputOrders.reduce((sum, order) => sum + order.events.length, 0);
    const sent = await providerMessages(throughputOrders);
    const lastSend = Math.max(...sent.map((message) => message.at));
    const lastCommit = await lastReceivedAt(documents, services, throughputOrders);
    const pipelineRate = changes / ((lastSend - firstPut) / 1000);
    const ingestRate = changes / ((lastCommit - firstPut) / 1000);
    const burstLatency = sent.flatMap((message) => {
      const at = message.eventId ? putAt.get(message.eventId) : undefined;
      return at === undefined ? [] : [message.at - at];
    });
    log(
      `throughput: ${pipelineRate.toFixed(1)} changes/s to the providers, ${ingestRate.toFixed(1)}/s stored`,
    );

    // --- 3. Latency at about half that rate ------------------------------------------------------------
    const rate = Math.max(2, pipelineRate / 2);
    const latencyCount = Math.max(10, Math.round((rate * LATENCY_GAP_MS) / 1000));
    const latencyOrders = ordersFrom(ORDERS + 1, latencyCount);
    // Round k holds every order's k-th event, spread evenly over the gap.
    const rounds = Math.max(...latencyOrders.map((order) => order.events.length));
    const latencyBatches: Delivery[][] = [];
    const due: number[] = [];
    const start = Date.now() + 1000;
    for (let round = 0; round < rounds; round++) {
      latencyOrders.forEach((order, index) => {
        const event = order.events[round];
        if (!event) return;
        latencyBatches.push([{ event, copy: 1 }]);
        due.push(start + round * LATENCY_GAP_MS + (index * LATENCY_GAP_MS) / latencyOrders.length);
      });
    }
    log(
      `latency: ${latencyCount} orders, one event each per ${LATENCY_GAP_MS / 1000} s (${rate.toFixed(1)} events/s)`,
    );
    const latencyPutAt = await put(latencyBatches, (index) => due[index] ?? 0);
    await waitUntilSettled(services, workers as LocalWorkers, { timeoutMs: 10 * 60_000 });
    const latencies = (await providerMessages(latencyOrders)).flatMap((message) => {
      const at = message.eventId ? latencyPutAt.get(message.eventId) : undefined;
      return at === undefined ? [] : [message.at - at];
    });

    // --- 4. Operations per change and per duplicate -------------------------------------------------------
    await startWorkers({
      trace: 'capacity',
      streamFrom: 'LATEST',
      onSdkCall: (call, functionName) => calls.push({ ...call, functionName }),
    });
    invocations.length = 0;
    const opsOrders = ordersFrom(ORDERS + latencyCount + 1, OPS_ORDERS);
    const opsEvents = opsOrders.reduce((sum, order) => sum + order.events.length, 0);
    log(`operations: ${OPS_ORDERS} orders, ${opsEvents} events, then each again`);
    await put(buildBatches(opsOrders));
    await waitUntilSettled(services, workers as LocalWorkers, { timeoutMs: 10 * 60_000 });
    const firstPass = summarise(calls.splice(0), invocations.splice(0));
    await put(buildBatches(opsOrders));
    await waitUntilSettled(services, workers as LocalWorkers, { timeoutMs: 10 * 60_000 });
    const duplicatePass = summarise(calls.splice(0), invocations.splice(0));
    const jobs = firstPass.invocations['send-notifications'] ?? 0;

    // --- Report ---------------------------------------------------------------------------------------
    const per = (value: number, count: number) => (value / count).toFixed(2);
    const opsRows = [...new Set([...Object.keys(firstPass.dynamo), ...Object.keys(duplicatePass.dynamo)])]
      .sort()
      .map((key) => [
        key,
        per(firstPass.dynamo[key] ?? 0, opsEvents),
        per(duplicatePass.dynamo[key] ?? 0, opsEvents),
      ]);
    const dynamoCost =
      (firstPass.writeUnits * PRICES.writeUnit + firstPass.readUnits * PRICES.readUnit) / opsEvents;
    const failedWriteUnits = firstPass.failedWrites;
    const lambdaRequests = Object.values(firstPass.invocations).reduce((sum, count) => sum + count, 0);
    const lambdaSeconds = Object.values(firstPass.seconds).reduce((sum, seconds) => sum + seconds, 0);
    const ingestBatches = firstPass.invocations['ingest-order-events'] ?? 0;
    // SQS: the rule's SendMessage per event; each ingest batch one ReceiveMessage and one DeleteMessageBatch;
    // the functions' own calls (planner's SendMessageBatch, dead letters); each job one receive and one delete.
    const sqsRequests = opsEvents + 2 * ingestBatches + firstPass.sqs + 2 * jobs;
    const eventBridgeEvents = opsEvents + firstPass.outcomeEvents;
    const costs: Array<[string, string, number]> = [
      [
        'DynamoDB (measured units; failed conditional writes at 1 WRU each)',
        `${per(firstPass.readUnits, opsEvents)} RRU + ${per(firstPass.writeUnits + failedWriteUnits, opsEvents)} WRU`,
        dynamoCost + (failedWriteUnits * PRICES.writeUnit) / opsEvents,
      ],
      [
        'Lambda requests',
        `${per(lambdaRequests, opsEvents)} invocations`,
        (lambdaRequests * PRICES.lambdaRequest) / opsEvents,
      ],
      [
        'Lambda duration (256 MB; local durations, an upper bound)',
        `${((lambdaSeconds * 1000) / opsEvents).toFixed(0)} ms`,
        (lambdaSeconds * LAMBDA_GB * PRICES.lambdaGbSecond) / opsEvents,
      ],
      [
        'SQS (rule send, batch receive/delete, jobs)',
        `${per(sqsRequests, opsEvents)} requests`,
        (sqsRequests * PRICES.sqsRequest) / opsEvents,
      ],
      [
        'EventBridge (the order event, the outcome events)',
        `${per(eventBridgeEvents, opsEvents)} events`,
        (eventBridgeEvents * PRICES.eventBridgeEvent) / opsEvents,
      ],
    ];
    const total = costs.reduce((sum, [, , cost]) => sum + cost, 0);
    const byFunction = PIPELINE_FUNCTIONS.map((name) => {
      const stats = firstPass.byFunction[name] ?? { requests: 0, readUnits: 0, writeUnits: 0 };
      return `${name} ${per(stats.requests, opsEvents)} requests (${per(stats.readUnits, opsEvents)} RRU, ${per(stats.writeUnits, opsEvents)} WRU)`;
    }).join('; ');
    const messages = sent.length;

    const text = [
      `### ${today()}: ${thousands(ORDERS)} orders for throughput, ${latencyCount} for latency, ${OPS_ORDERS} for operations`,
      '',
      `machine: ${machine()}; DynamoDB Local (in memory), SES, SQS, SNS and EventBridge in one process, each function in its own; ingest 3 pollers × 10 messages, sender 5 × 1 job (the CDK's maxConcurrency); quiet hours off`,
      '',
      ...markdownTable([
        ['measure', 'value', 'vs floor'],
        ['floor: conditional PutItem of an event, 16 in flight', `${floor.toFixed(0)} writes/s`, '1.00'],
        [
          'status changes stored (PutEvents to the last commit)',
          `${ingestRate.toFixed(1)} /s`,
          (ingestRate / floor).toFixed(3),
        ],
        [
          'status changes through to the providers (PutEvents to the last provider call)',
          `${pipelineRate.toFixed(1)} /s`,
          (pipelineRate / floor).toFixed(3),
        ],
        [
          'provider messages in that run',
          `${thousands(messages)} (${(messages / ((lastSend - firstPut) / 1000)).toFixed(1)} /s)`,
          '',
        ],
        [
          'producers done after',
          `${((putDone - firstPut) / 1000).toFixed(1)} s of ${((lastSend - firstPut) / 1000).toFixed(1)} s`,
          '',
        ],
        ['latency, PutEvents to provider, at full load: p50 / p99 ms', percentiles(burstLatency), ''],
        [
          `latency at ${rate.toFixed(1)} events/s (half the throughput): p50 / p99 ms`,
          percentiles(latencies),
          '',
        ],
        ['latency at half load: messages measured', String(latencies.length), ''],
      ]),
      '',
      `DynamoDB requests per status change and per duplicate delivery, ingest + planner + sender + notification log (ReturnConsumedCapacity TOTAL; ${opsEvents} changes, ${thousands(jobs)} notification jobs = ${per(jobs, opsEvents)} per change):`,
      '',
      ...markdownTable([
        ['per event', 'status change', 'duplicate'],
        ...opsRows,
        ['read capacity units', per(firstPass.readUnits, opsEvents), per(duplicatePass.readUnits, opsEvents)],
        [
          'write capacity units',
          per(firstPass.writeUnits, opsEvents),
          per(duplicatePass.writeUnits, opsEvents),
        ],
        [
          'failed conditional writes (no units reported locally)',
          per(firstPass.failedWrites, opsEvents),
          per(duplicatePass.failedWrites, opsEvents),
        ],
      ]),
      '',
      `by function, per status change: ${byFunction}`,
      '',
      `Core pipeline cost per million status changes (provider fees excluded; us-east-1 list prices: DynamoDB $0.625 / $0.125 per million write / read request units, Lambda arm64 $0.20 per million requests and $0.0000133334 per GB-s, SQS $0.40 per million requests, EventBridge $1.00 per million events):`,
      '',
      ...markdownTable([
        ['item', 'per status change', 'per million changes'],
        ...costs.map(([item, amount, cost]) => [item, amount, `$${(cost * 1e6).toFixed(2)}`]),
        ['total', '', `$${(total * 1e6).toFixed(2)}`],
      ]),
    ].join('\n');
    console.log(`\n${text}`);
    if (append) {
      await appendResult('## Pipeline', text);
      console.log('\nappended to bench/RESULTS.md');
    }
  } finally {
    await workers?.stop();
    await ses.stop();
    client.destroy();
    await services.stop();
  }
};

/** Batches of up to 10, each order's events in lifecycle order, orders interleaved. */
const buildBatches = (orders: readonly ChaosOrder[]): Delivery[][] => {
  const deliveries: Delivery[] = [];
  const longest = Math.max(...orders.map((order) => order.events.length));
  // 20 orders at a time, so an order's events are near each other, as a shop's would be.
  for (let first = 0; first < orders.length; first += 20) {
    const group = orders.slice(first, first + 20);
    for (let step = 0; step < longest; step++) {
      for (const order of group) {
        const event = order.events[step];
        if (event) deliveries.push({ event, copy: 1 });
      }
    }
  }
  const batches: Delivery[][] = [];
  for (let i = 0; i < deliveries.length; i += 10) batches.push(deliveries.slice(i, i + 10));
  return batches;
};

/** The last time an event of these orders was stored (the event items' receivedAt). */
const lastReceivedAt = async (
  documents: ReturnType<typeof documentClient>,
  services: LocalServices,
  orders: readonly ChaosOrder[],
): Promise<number> => {
  const ids = new Set(orders.map((order) => order.orderId));
  let last = 0;
  for await (const page of paginateScan({ client: documents }, { TableName: services.tableName })) {
    for (const item of page.Items ?? []) {
      const order = parseOrderPk(item.pk);
      if (order && parseEventSk(item.sk) !== undefined && ids.has(order.orderId)) {
        last = Math.max(last, Date.parse(String(item.receivedAt)));
      }
    }
  }
  return last;
};

interface PassSummary {
  /** DynamoDB requests by `function command`. */
  readonly dynamo: Record<string, number>;
  readonly readUnits: number;
  readonly writeUnits: number;
  readonly failedWrites: number;
  readonly byFunction: Partial<Record<string, { requests: number; readUnits: number; writeUnits: number }>>;
  /** The functions' own SQS requests (job batches, dead letters). */
  readonly sqs: number;
  readonly outcomeEvents: number;
  readonly invocations: Record<string, number>;
  readonly seconds: Record<string, number>;
}

const summarise = (
  calls: ReadonlyArray<SdkCall & { functionName: string }>,
  invocations: readonly InvocationRecord[],
): PassSummary => {
  const dynamo: Record<string, number> = {};
  const byFunction: Record<string, { requests: number; readUnits: number; writeUnits: number }> = {};
  let readUnits = 0;
  let writeUnits = 0;
  let failedWrites = 0;
  let sqs = 0;
  let outcomeEvents = 0;
  for (const call of calls) {
    if (call.service === 'SQS') sqs += 1;
    if (call.service === 'EventBridge') outcomeEvents += 1;
    if (call.service !== 'DynamoDB') continue;
    const short = call.functionName.replace('-order-events', '').replace('-notifications', '');
    const key = `${short}: ${call.command.replace(/Command$/, '')}${call.error ? ` (${call.error})` : ''}`;
    dynamo[key] = (dynamo[key] ?? 0) + 1;
    readUnits += call.readUnits ?? 0;
    writeUnits += call.writeUnits ?? 0;
    if (call.error && /^(Put|Update|Delete|TransactWrite)/.test(call.command)) failedWrites += 1;
    const stats = byFunction[call.functionName] ?? { requests: 0, readUnits: 0, writeUnits: 0 };
    stats.requests += 1;
    stats.readUnits += call.readUnits ?? 0;
    stats.writeUnits += call.writeUnits ?? 0;
    byFunction[call.functionName] = stats;
  }
  const counts: Record<string, number> = {};
  const seconds: Record<string, number> = {};
  for (const invocation of invocations) {
    counts[invocation.functionName] = (counts[invocation.functionName] ?? 0) + 1;
    seconds[invocation.functionName] =
      (seconds[invocation.functionName] ?? 0) + (invocation.end - invocation.start) / 1000;
  }
  return {
    dynamo,
    readUnits,
    writeUnits,
    failedWrites,
    byFunction,
    sqs,
    outcomeEvents,
    invocations: counts,
    seconds,
  };
};

await main();
