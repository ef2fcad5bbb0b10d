/**
 * The sender's business metrics as CloudWatch Embedded Metric Format lines (Powertools Metrics): no
 * PutMetricData call, no extra latency, the log line is the metric. Dimensions are the channel, the event
 * type and the outcome, never the shop (thousands of shops would be thousands of custom metrics).
 *
 * - `Notifications` (Count) by Channel and Outcome, and by EventType and Outcome;
 * - `TimeToProvider` (Milliseconds): from the event being stored to the provider's acceptance, less any
 *   wait for quiet hours; for the whole sender (the alarm's metric) and by Channel;
 * - `TimeSinceOccurred` (Milliseconds): from the event's occurredAt, by Channel (includes the producer's
 *   own delay, so it is charted, not alarmed on).
 */
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DeliveryMetrics, SettledMessage } from '../domain/notification-ports.js';

/** The namespace of the sender's metrics, EMF and log metric filters alike (lib/monitoring.ts). */
export const DELIVERY_METRICS_NAMESPACE = 'OrderNotifications';

export const DELIVERY_METRIC_NAMES = {
  notifications: 'Notifications',
  timeToProvider: 'TimeToProvider',
  timeSinceOccurred: 'TimeSinceOccurred',
} as const;

export class PowertoolsDeliveryMetrics implements DeliveryMetrics {
  constructor(private readonly metrics: Metrics) {}

  settled(message: SettledMessage): void {
    const byChannel = this.metrics.singleMetric();
    byChannel.addDimensions({ Channel: message.channel, Outcome: message.outcome });
    byChannel.addMetric(DELIVERY_METRIC_NAMES.notifications, MetricUnit.Count, 1);
    const byEvent = this.metrics.singleMetric();
    byEvent.addDimensions({ EventType: message.eventType, Outcome: message.outcome });
    byEvent.addMetric(DELIVERY_METRIC_NAMES.notifications, MetricUnit.Count, 1);
    if (message.sinceStoredMs !== undefined) {
      const overall = this.metrics.singleMetric();
      overall.addMetric(DELIVERY_METRIC_NAMES.timeToProvider, MetricUnit.Milliseconds, message.sinceStoredMs);
      const channel = this.metrics.singleMetric();
      channel.addDimensions({ Channel: message.channel });
      channel.addMetric(DELIVERY_METRIC_NAMES.timeToProvider, MetricUnit.Milliseconds, message.sinceStoredMs);
    }
    if (message.sinceOccurredMs !== undefined) {
      const channel = this.metrics.singleMetric();
      channel.addDimensions({ Channel: message.channel });
      channel.addMetric(
        DELIVERY_METRIC_NAMES.timeSinceOccurred,
        MetricUnit.Milliseconds,
        message.sinceOccurredMs,
      );
    }
  }
}
