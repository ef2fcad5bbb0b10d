/**
 * The sender's metrics as the EMF lines Lambda's log turns into CloudWatch metrics: the real Powertools
 * Metrics, its output captured from stdout.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DELIVERY_METRICS_NAMESPACE,
  PowertoolsDeliveryMetrics,
} from '../../functions/adapters/powertools-delivery-metrics.js';

interface EmfLine {
  readonly _aws: {
    readonly CloudWatchMetrics: ReadonlyArray<{
      readonly Namespace: string;
      readonly Dimensions: string[][];
      readonly Metrics: ReadonlyArray<{ readonly Name: string; readonly Unit: string }>;
    }>;
  };
  readonly [field: string]: unknown;
}

const capture = (act: () => void): EmfLine[] => {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  });
  try {
    act();
  } finally {
    write.mockRestore();
    log.mockRestore();
  }
  return lines
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as EmfLine);
};

const metricsOf = () =>
  new PowertoolsDeliveryMetrics(
    new Metrics({
      namespace: DELIVERY_METRICS_NAMESPACE,
      serviceName: 'notification-sender',
      defaultDimensions: { FunctionName: 'sender-fn' },
    }),
  );

/** Each line as "metric value [dimension=value, …]". */
const summary = (lines: readonly EmfLine[]) =>
  lines.map((line) => {
    const [definition] = line._aws.CloudWatchMetrics;
    const name = definition?.Metrics[0]?.Name ?? '';
    const dimensions = (definition?.Dimensions[0] ?? []).map((key) => `${key}=${String(line[key])}`);
    return `${name} ${String(line[name])} [${dimensions.join(', ')}]`;
  });

describe('Adapter: PowertoolsDeliveryMetrics', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('counts a sent message by channel and by event type, and times it overall and by channel', () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');

    // Act
    const lines = capture(() =>
      metricsOf().settled({
        channel: 'sms',
        eventType: 'Order Shipped',
        outcome: 'sent',
        sinceStoredMs: 1234,
        sinceOccurredMs: 5000,
      }),
    );

    // Assess
    expect(lines.every((line) => line._aws.CloudWatchMetrics[0]?.Namespace === 'OrderNotifications')).toBe(
      true,
    );
    expect(summary(lines)).toEqual([
      'Notifications 1 [service=notification-sender, FunctionName=sender-fn, Channel=sms, Outcome=sent]',
      'Notifications 1 [service=notification-sender, FunctionName=sender-fn, EventType=Order Shipped, Outcome=sent]',
      'TimeToProvider 1234 [service=notification-sender, FunctionName=sender-fn]',
      'TimeToProvider 1234 [service=notification-sender, FunctionName=sender-fn, Channel=sms]',
      'TimeSinceOccurred 5000 [service=notification-sender, FunctionName=sender-fn, Channel=sms]',
    ]);
    expect(lines[2]?._aws.CloudWatchMetrics[0]?.Metrics[0]?.Unit).toBe('Milliseconds');
  });

  it('counts a message not sent without timing it, and never names a shop or an order', () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');

    // Act
    const lines = capture(() =>
      metricsOf().settled({ channel: 'push', eventType: 'Order Delivered', outcome: 'skipped' }),
    );

    // Assess
    expect(summary(lines)).toEqual([
      'Notifications 1 [service=notification-sender, FunctionName=sender-fn, Channel=push, Outcome=skipped]',
      'Notifications 1 [service=notification-sender, FunctionName=sender-fn, EventType=Order Delivered, Outcome=skipped]',
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/shopId|orderId/);
  });

  it('writes nothing when POWERTOOLS_METRICS_DISABLED is true, as the local stack sets it', () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');

    expect(
      capture(() =>
        metricsOf().settled({
          channel: 'email',
          eventType: 'Order Placed',
          outcome: 'sent',
          sinceStoredMs: 1,
        }),
      ),
    ).toEqual([]);
  });
});
