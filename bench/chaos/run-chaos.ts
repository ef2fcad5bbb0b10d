/**
 * The chaos run: the whole backend on this machine (local/stack-services.ts in this process, each
 * production handler in a process of its own, local/stack-workers.ts), fed orders whose events arrive
 * duplicated, out of order and concurrently, while SES and SNS throttle and fail a share of the calls and
 * the functions' processes are SIGKILLed mid-batch. When everything has settled, ./audit.ts checks what
 * was stored and sent against what should have been.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { SQSEvent } from 'aws-lambda';
import { decodeTag, EMAIL_TAGS } from '../../functions/adapters/ses-email-sender.js';
import type { NotificationJob } from '../../functions/domain/notification-planning.js';
import type { ShopConfigInput } from '../../functions/domain/shop-config.js';
import { toPutEventsEntry } from '../../local/demo.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local.js';
import {
  type Exchange,
  isSesSendEmail,
  randomFaults,
  sesThrottled,
  sesUnavailable,
  snsFaults,
  startFaultProxy,
} from '../../local/fault-proxy.js';
import type { SdkCall } from '../../local/sdk-trace.js';
import { startLocalServices } from '../../local/stack-services.js';
import { PIPELINE_FUNCTIONS, type PipelineFunction, startLocalWorkers } from '../../local/stack-workers.js';
import { waitUntilSettled } from '../settle.js';
import { type AuditInput, auditChaosRun, type ChaosAudit } from './audit.js';
import { buildWorkload, chaosShopIds, seededRandom, type WorkloadOptions } from './workload.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ChaosOptions extends WorkloadOptions {
  /** Share of SES SendEmail calls and SNS calls that fail (throttling or a transient error). */
  readonly faultRate: number;
  /** Parallel producers putting batches on the bus. */
  readonly producers: number;
  /** Deliveries per second over all producers; 0 for as fast as the bus takes them. */
  readonly rate: number;
  /** Pause between two kills, drawn from this range (ms). */
  readonly killEveryMs: readonly [number, number];
  /** Kills at most; they go on until the pipeline has settled. */
  readonly maxKills: number;
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
  readonly ingestConcurrency: number;
  readonly senderConcurrency: number;
  /** How long the pipeline may take to settle after the last batch (ms). */
  readonly settleTimeoutMs: number;
  /** A running DynamoDB to use (tests share one); otherwise DynamoDB Local is started. */
  readonly dynamoDbEndpoint?: string;
  /** Progress lines. @default none */
  readonly log?: (line: string) => void;
}

export const DEFAULT_CHAOS_OPTIONS: Omit<ChaosOptions, 'orders'> = {
  seed: 7,
  duplicateRate: 0.2,
  outOfOrderRate: 0.3,
  optedOutRate: 0.03,
  disabledDeviceRate: 0.03,
  contradictionRate: 0.1,
  invalidRate: 0.02,
  faultRate: 0.1,
  producers: 4,
  rate: 250,
  killEveryMs: [3000, 8000],
  maxKills: 1000,
  visibilityTimeoutSeconds: 3,
  maxReceiveCount: 5,
  ingestConcurrency: 3,
  senderConcurrency: 5,
  settleTimeoutMs: 10 * 60_000,
};

export interface Kill {
  readonly functionName: PipelineFunction;
  readonly at: number;
  /** Invocations the process was running. */
  readonly inFlight: number;
}

export interface ChaosResult {
  readonly audit: ChaosAudit;
  readonly options: ChaosOptions;
  readonly workload: ReturnType<typeof buildWorkload>['stats'] & { readonly orders: number };
  readonly kills: readonly Kill[];
  readonly faults: {
    readonly sesCalls: number;
    readonly sesInjected: number;
    readonly snsCalls: number;
    readonly snsInjected: number;
  };
  readonly invocations: Readonly<
    Record<PipelineFunction, { total: number; failed: number; coldStarts: number; initMs: number }>
  >;
  readonly logs: { readonly warnings: number; readonly errors: number };
  /** From the first PutEvents to the settled pipeline. */
  readonly wallSeconds: number;
  /** From the first to the last PutEvents. */
  readonly putSeconds: number;
  readonly settled: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The hour it is now in Warsaw, the fixtures' customers' time zone. */
const warsawHour = (now: Date): number =>
  Number(
    new Intl.DateTimeFormat('en-GB', { hour: 'numeric', hourCycle: 'h23', timeZone: 'Europe/Warsaw' }).format(
      now,
    ),
  );

const clock = (hour: number): string => `${String(((hour % 24) + 24) % 24).padStart(2, '0')}:00`;

/**
 * The run's shops: the example shop with quiet hours off (a deferral would make the run wait for the
 * morning), and in multi-shop mode more shops unlike it: English by default, their own channel matrix
 * (no SMS when shipped, SMS and push for payments, nothing on preparing), quiet hours set to a window
 * hours away from now, templates of their own, each bound to its own producer source as well.
 */
export const chaosShops = (count = 1, now = new Date()): ShopConfigInput[] => {
  const [example] = JSON.parse(
    readFileSync(path.join(ROOT, 'config', 'shops.example.json'), 'utf8'),
  ) as ShopConfigInput[];
  if (!example) throw new Error('config/shops.example.json holds no shop');
  const hour = warsawHour(now);
  return chaosShopIds(count).map((shopId, index): ShopConfigInput => {
    if (index === 0) return { ...example, quietHours: null };
    const variant = index % 3;
    return {
      ...example,
      shopId,
      name: `Chaos Shop ${index + 1}`,
      producers: ['shop.orders', `platform.chaos-${index + 1}`],
      defaultLanguage: index % 2 === 0 ? 'pl' : 'en',
      quietHours: variant === 0 ? null : { start: clock(hour + 6 + variant), end: clock(hour + 9 + variant) },
      channels:
        variant === 1
          ? { 'Order Shipped': ['email', 'push'], 'Payment Received': ['email', 'sms', 'push'] }
          : variant === 2
            ? { 'Order Preparing': [], 'Order Delivered': ['email', 'sms'] }
            : {},
      email: { from: `Chaos Shop ${index + 1} <zamowienia@podebem.example.pl>` },
      templates: {
        'order-shipped': {
          pl: { subject: `[${shopId}] Paczka {{orderNumber}} w drodze` },
          en: { subject: `[${shopId}] Parcel {{orderNumber}} is on its way` },
        },
      },
    };
  });
};

export const runChaos = async (options: ChaosOptions): Promise<ChaosResult> => {
  const log = options.log ?? (() => undefined);
  const random = seededRandom(options.seed + 1);
  const workload = buildWorkload(options);
  log(
    `workload: ${options.orders} orders, ${workload.stats.events} events, ${workload.stats.deliveries} deliveries in ${workload.batches.length} batches`,
  );

  const services = await startLocalServices({
    dynamoDbEndpoint: options.dynamoDbEndpoint,
    tableName: `chaos-${Date.now()}`,
    shops: chaosShops(options.shops),
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
    maxReceiveCount: options.maxReceiveCount,
    snsLogSize: 10_000_000,
  });
  const stops: Array<() => Promise<void>> = [() => services.stop()];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };

  try {
    for (const order of workload.orders) {
      if (order.optedOut && order.phoneE164) services.sns.optOut(order.phoneE164);
      if (order.deviceDisabled && order.deviceToken) services.sns.disableEndpoint(order.deviceToken);
    }

    // SES behind a proxy that throttles (429) or fails (503) a share of SendEmail calls and records what
    // SES accepted, with the e-mail's tags (shop, order, event): the provider's own view of every send.
    const accepted: AuditInput['emails'] = [];
    const ses = await startFaultProxy({
      target: services.urls.ses,
      decide: randomFaults({
        rate: options.faultRate,
        matches: isSesSendEmail,
        faults: [sesThrottled, sesUnavailable],
        random,
      }),
      onExchange: (exchange: Exchange) => {
        if (exchange.injected || !isSesSendEmail(exchange.request) || exchange.response.status !== 200)
          return;
        const request = JSON.parse(exchange.request.body.toString('utf8')) as {
          EmailTags?: Array<{ Name: string; Value: string }>;
        };
        const tag = (name: string) => request.EmailTags?.find((entry) => entry.Name === name)?.Value;
        const response = JSON.parse(exchange.response.body.toString('utf8')) as { MessageId?: string };
        accepted.push({
          messageId: response.MessageId ?? '',
          orderId: decodeTag(tag(EMAIL_TAGS.order) ?? ''),
          eventId: decodeTag(tag(EMAIL_TAGS.event) ?? ''),
          at: exchange.respondedAt,
        });
      },
    });
    stops.push(() => ses.stop());
    let snsInjected = 0;
    const sns = await startFaultProxy({
      target: services.urls.sns,
      decide: snsFaults({
        sns: {
          failNext: (action, code, times) => {
            snsInjected += times ?? 1;
            services.sns.failNext(action, code, times);
          },
        },
        rate: options.faultRate,
        random,
      }),
    });
    stops.push(() => sns.stop());

    const sdkCalls: Array<SdkCall & { readonly functionName: string }> = [];
    const senderJobs = new Map<string, NotificationJob>();
    const counts = Object.fromEntries(
      PIPELINE_FUNCTIONS.map((name) => [name, { total: 0, failed: 0 }]),
    ) as Record<PipelineFunction, { total: number; failed: number }>;
    const logs = { warnings: 0, errors: 0 };
    const workers = await startLocalWorkers(services, {
      environment: {
        'send-notifications': { AWS_ENDPOINT_URL_SESV2: ses.endpoint, AWS_ENDPOINT_URL_SNS: sns.endpoint },
      },
      ingestConcurrency: options.ingestConcurrency,
      senderConcurrency: options.senderConcurrency,
      trace: 'calls',
      onSdkCall: (call, functionName) => sdkCalls.push({ ...call, functionName }),
      onInvocation: (record) => {
        counts[record.functionName].total += 1;
        if (record.error) counts[record.functionName].failed += 1;
        if (record.functionName === 'send-notifications') {
          const body = (record.event as SQSEvent).Records[0]?.body;
          try {
            if (body) senderJobs.set(record.awsRequestId, JSON.parse(body) as NotificationJob);
          } catch {
            // not a job: the sender dead-letters it, and the audit finds it there
          }
        }
      },
      onLog: (line) => {
        if (line.includes('"level":"WARN"')) logs.warnings += 1;
        else if (line.includes('"level":"ERROR"')) logs.errors += 1;
      },
    });
    stops.push(() => workers.stop());
    log('services and workers are up');

    // Kills: a function's process, while it runs invocations, SIGKILLed and started again at once.
    const kills: Kill[] = [];
    let done = false;
    const killing = (async () => {
      while (kills.length < options.maxKills && !done) {
        const [min, max] = options.killEveryMs;
        await sleep(min + random() * (max - min));
        for (let tries = 0; tries < 50 && !done; tries++) {
          const busy = PIPELINE_FUNCTIONS.filter((name) => workers.hosts[name].inFlight() > 0);
          if (busy.length > 0) {
            // The function killed least so far, so every function gets its share.
            const target = busy.sort(
              (a, b) =>
                kills.filter((kill) => kill.functionName === a).length -
                kills.filter((kill) => kill.functionName === b).length,
            )[0] as PipelineFunction;
            const host = workers.hosts[target];
            kills.push({ functionName: target, at: Date.now(), inFlight: host.kill() });
            log(`killed ${target} with ${kills.at(-1)?.inFlight} invocation(s) in flight`);
            host.warm().catch(() => undefined);
            break;
          }
          await sleep(100);
        }
      }
    })();

    // Producers: each takes the next batch; together they keep to the rate.
    const client = new EventBridgeClient({
      endpoint: services.urls.eventBridge,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 5,
    });
    stops.push(async () => client.destroy());
    const putAt = new Map<string, number>();
    const started = Date.now();
    let sent = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: options.producers }, async () => {
        while (next < workload.batches.length) {
          const batch = workload.batches[next++] ?? [];
          if (options.rate > 0) {
            const due = started + (sent / options.rate) * 1000;
            if (due > Date.now()) await sleep(due - Date.now());
          }
          sent += batch.length;
          let entries = batch.map((delivery) => toPutEventsEntry(delivery.event, services.eventBusName));
          for (let attempt = 1; entries.length > 0; attempt++) {
            const at = Date.now();
            const result = await client.send(new PutEventsCommand({ Entries: entries }));
            for (const delivery of batch)
              if (!putAt.has(delivery.event.eventId)) putAt.set(delivery.event.eventId, at);
            // A producer retries the entries the bus refused, as the PutEvents contract asks.
            entries = entries.filter((_, index) => result.Entries?.[index]?.ErrorCode !== undefined);
            if (entries.length > 0 && attempt >= 5)
              throw new Error(`the bus kept refusing ${entries.length} entries`);
          }
        }
      }),
    );
    const putSeconds = (Date.now() - started) / 1000;
    log(
      `all ${workload.stats.deliveries} deliveries put in ${putSeconds.toFixed(1)} s; waiting for the pipeline`,
    );

    // Settled: both queues empty (in flight and hidden messages included), nothing running, and a quiet
    // spell longer than the pollers' intervals and batching windows. Kills only hit a function with
    // invocations in flight, so none can come after this point.
    const settled = await waitUntilSettled(services, workers, { timeoutMs: options.settleTimeoutMs });
    done = true;
    await killing;
    const wallSeconds = (Date.now() - started) / 1000;
    log(`settled: ${settled} after ${wallSeconds.toFixed(1)} s; auditing`);

    const audit = await auditChaosRun({
      services,
      orders: workload.orders,
      emails: accepted,
      storedEmails: (await services.ses.emails()).length,
      sdkCalls,
      senderJobs,
      plannerFailures: workers.plannerFailures(),
    });
    const hostStats = Object.fromEntries(
      PIPELINE_FUNCTIONS.map((name) => {
        const stats = workers.hosts[name].stats();
        const init = [...stats.initMs].sort((a, b) => a - b);
        return [
          name,
          {
            ...counts[name],
            coldStarts: stats.coldStarts,
            initMs: init[Math.floor(init.length / 2)] ?? Number.NaN,
          },
        ];
      }),
    ) as ChaosResult['invocations'];

    return {
      audit,
      options,
      workload: { ...workload.stats, orders: options.orders },
      kills,
      faults: {
        sesCalls: ses.stats().requests,
        sesInjected: ses.stats().injected,
        snsCalls: sns.stats().requests,
        snsInjected,
      },
      invocations: hostStats,
      logs,
      wallSeconds,
      putSeconds,
      settled,
    };
  } finally {
    await stopAll();
  }
};
