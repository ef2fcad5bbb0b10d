import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventBridgeEnvelope, lifecycleEvents, orderRef } from '../../fixtures/order-events.js';
import { parseOrderEvent } from '../../functions/domain/order-events.js';
import { orderEventPattern } from '../../lib/event-patterns.js';
import {
  type BusEvent,
  type EventBridgeLocal,
  startEventBridgeLocal,
} from '../../local/eventbridge-local.js';
import { type CliEnv, localEnv, runCli, tempFile } from './harness.js';

let bus: EventBridgeLocal;
let env: CliEnv;
let delivered: BusEvent[];

/** The EventBridge event shape, as a rule delivers it and the dead-letter queues hold it. */
const entryOf = (event: ReturnType<typeof lifecycleEvents>[number]) => {
  const { 'detail-type': detailType, detail, source } = eventBridgeEnvelope(event);
  return { 'detail-type': detailType, source, detail };
};

beforeAll(async () => {
  bus = await startEventBridgeLocal();
  bus.addRule({
    name: 'order-events',
    eventBusName: 'orders',
    pattern: orderEventPattern('shop.orders'),
    target: async (event) => {
      delivered.push(event);
    },
  });
  env = localEnv({ AWS_ENDPOINT_URL_EVENTBRIDGE: bus.endpoint, EVENT_BUS_NAME: 'orders' });
});

beforeEach(() => {
  delivered = [];
  bus.clear();
});

afterAll(async () => {
  await bus.stop();
});

describe('Command: events send', () => {
  it('reports an invalid line with its field and problem, and sends the valid ones', async () => {
    // Prepare
    const [placed, paid, accepted] = lifecycleEvents(orderRef(11), 'happyPath');
    if (!placed || !paid || !accepted) throw new Error('fixture');
    const broken = entryOf(paid);
    const lines = [
      JSON.stringify(entryOf(placed)),
      JSON.stringify({ ...broken, detail: { ...broken.detail, amount: { amount: 11597, currency: 'zł' } } }),
      '',
      JSON.stringify(entryOf(accepted)),
    ];
    const file = tempFile('events.ndjson', `${lines.join('\n')}\n`);

    // Act
    const result = await runCli(['events', 'send', file], env);
    await bus.idle();

    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${file}: 3 event(s), 2 valid, 1 invalid`);
    expect(result.stdout).toMatch(
      /^line 2 +ord-000011-paid +Payment Received +detail\.amount\.currency +expected an ISO 4217 currency code such as PLN or EUR$/m,
    );
    expect(result.stdout).toContain('Sent 2 event(s) to bus orders: 2 accepted, 0 failed');
    expect(delivered.map((event) => event.detail.eventId).sort()).toEqual([
      'ord-000011-accepted',
      'ord-000011-placed',
    ]);
    for (const event of delivered) expect(parseOrderEvent(event['detail-type'], event.detail).ok).toBe(true);
  });

  it('reads the events from standard input when the file is -', async () => {
    // Prepare
    const [placed, paid] = lifecycleEvents(orderRef(12), 'happyPath');
    if (!placed || !paid) throw new Error('fixture');
    const stdin = `${JSON.stringify(entryOf(placed))}\n${JSON.stringify(entryOf(paid))}\n`;

    // Act
    const result = await runCli(['events', 'send', '-'], env, { stdin });
    const empty = await runCli(['events', 'send', '-'], env, { stdin: '' });
    await bus.idle();

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('standard input: 2 event(s), 2 valid, 0 invalid');
    expect(delivered.map((event) => event.detail.eventId).sort()).toEqual([
      'ord-000012-paid',
      'ord-000012-placed',
    ]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('standard input holds no events');
  });

  it('takes a JSON array of PutEvents entries, sends in batches of ten, and reports with --json', async () => {
    // Prepare
    const events = [1, 2].flatMap((n) => lifecycleEvents(orderRef(20 + n), 'happyPath'));
    const entries = events.map((event) => {
      const { detail } = eventBridgeEnvelope(event);
      return { Source: 'shop.orders', DetailType: event.type, Detail: JSON.stringify(detail) };
    });
    const file = tempFile('events.json', JSON.stringify(entries, null, 2));

    // Act
    const result = await runCli(['events', 'send', file, '--bus', 'orders', '--json'], env);
    await bus.idle();

    // Assess
    expect(result.code).toBe(0);
    const report = result.json<{
      total: number;
      valid: number;
      sent: Array<{ location: string }>;
      failed: unknown[];
    }>();
    expect(report).toMatchObject({ total: 14, valid: 14, failed: [], invalid: [] });
    expect(report.sent.map((entry) => entry.location)).toEqual(events.map((_, index) => `[${index}]`));
    expect(delivered).toHaveLength(14);
    expect(
      bus
        .events()
        .map((received) => received.event.detail.eventId)
        .sort(),
    ).toEqual(events.map((event) => event.eventId).sort());
  });

  it('reports what EventBridge refused, entry by entry, and exits 1', async () => {
    // Prepare
    const [placed, paid] = lifecycleEvents(orderRef(30), 'happyPath');
    if (!placed || !paid) throw new Error('fixture');
    const file = tempFile(
      'events.ndjson',
      [JSON.stringify(entryOf(placed)), JSON.stringify({ ...entryOf(paid), source: 'aws.orders' })].join(
        '\n',
      ),
    );

    // Act
    const result = await runCli(['events', 'send', file, '--json'], env);
    await bus.idle();

    // Assess
    expect(result.code).toBe(1);
    const report = result.json<{ sent: unknown[]; failed: Array<Record<string, unknown>> }>();
    expect(report.sent).toHaveLength(1);
    expect(report.failed).toEqual([
      expect.objectContaining({
        location: 'line 2',
        eventId: 'ord-000030-paid',
        errorCode: 'NotAuthorizedForSourceException',
      }),
    ]);
    expect(delivered.map((event) => event.detail.eventId)).toEqual(['ord-000030-placed']);
  });

  it('validates only with --dry-run', async () => {
    // Prepare
    const [placed] = lifecycleEvents(orderRef(40), 'happyPath');
    if (!placed) throw new Error('fixture');
    const file = tempFile('events.ndjson', `${JSON.stringify(entryOf(placed))}\nnot json\n{"detail":{}}\n`);

    // Act
    const result = await runCli(['events', 'send', file, '--dry-run', '--json'], localEnv());

    // Assess
    expect(result.code).toBe(1);
    expect(result.json()).toMatchObject({
      dryRun: true,
      valid: 1,
      invalid: [
        { location: 'line 2', problems: [{ path: 'line', message: 'is not valid JSON' }] },
        { location: 'line 3', problems: [expect.objectContaining({ path: 'detail-type' })] },
      ],
      sent: [],
    });
    expect(bus.events()).toEqual([]);
  });

  it('exits 2 without a bus, and for a file it cannot read', async () => {
    // Prepare
    const [placed] = lifecycleEvents(orderRef(50), 'happyPath');
    if (!placed) throw new Error('fixture');
    const file = tempFile('events.ndjson', JSON.stringify(entryOf(placed)));

    // Act
    const noBus = await runCli(['events', 'send', file], localEnv());
    const noFile = await runCli(['events', 'send', `${file}.missing`, '--bus', 'orders'], env);

    // Assess
    expect(noBus.code).toBe(2);
    expect(noBus.stderr).toContain('pass --bus <name> or set EVENT_BUS_NAME');
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain('ENOENT');
  });
});
