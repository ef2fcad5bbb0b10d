import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { NotificationOutcome, NotificationRecord } from '../domain/notification-log.js';
import type { OutcomePublisher } from '../domain/notification-ports.js';

import { OUTCOME_SOURCE } from '../domain/order-events.js';

export { OUTCOME_SOURCE };

const DETAIL_TYPE: Partial<Record<NotificationOutcome, string>> = {
  sent: 'Notification Sent',
  failed: 'Notification Failed',
  skipped: 'Notification Suppressed',
  superseded: 'Notification Suppressed',
  bounced: 'Notification Failed',
  complained: 'Notification Failed',
};

/** Outcomes back onto the bus for the shop's CRM and support tools: ids and outcomes, no contact data. */
export class EventBridgeOutcomePublisher implements OutcomePublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly eventBusName: string,
  ) {}

  async publish(record: NotificationRecord, orderNumber: string): Promise<void> {
    const detailType = DETAIL_TYPE[record.outcome];
    if (!detailType) return;
    const result = await this.client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: this.eventBusName,
            Source: OUTCOME_SOURCE,
            DetailType: detailType,
            Detail: JSON.stringify({
              schemaVersion: 1,
              shopId: record.shopId,
              orderId: record.orderId,
              orderNumber,
              eventId: record.eventId,
              eventType: record.eventType,
              channel: record.channel,
              template: record.template,
              outcome: record.outcome,
              reason: record.reason,
              at: record.updatedAt,
            }),
          },
        ],
      }),
    );
    if (result.FailedEntryCount) {
      const entry = result.Entries?.find((candidate) => candidate.ErrorCode);
      throw new Error(
        `EventBridge did not take the outcome event: ${entry?.ErrorCode}: ${entry?.ErrorMessage}`,
      );
    }
  }
}
