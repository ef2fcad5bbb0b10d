/**
 * The events this product emits (functions/domain/integration-events.ts) onto the bus: as few PutEvents
 * requests as its limits allow (./put-events-batches.ts), every entry checked. A refused entry fails the
 * call, so the caller's message or stream record is retried; the events carry ids for the consumers to
 * deduplicate the redelivery by.
 */
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  INTEGRATION_EVENT_SOURCE,
  type IntegrationEvent,
  notificationOutcomeEvent,
} from '../domain/integration-events.js';
import type { NotificationRecord } from '../domain/notification-log.js';
import type { IntegrationPublisher, OutcomePublisher } from '../domain/notification-ports.js';
import { putAllEntries } from './put-events-batches.js';

export { INTEGRATION_EVENT_SOURCE as OUTCOME_SOURCE };

export class EventBridgeIntegrationPublisher implements IntegrationPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly eventBusName: string,
  ) {}

  publish(events: readonly IntegrationEvent[]): Promise<void> {
    return putAllEntries(
      this.client,
      events.map((event) => ({
        EventBusName: this.eventBusName,
        Source: INTEGRATION_EVENT_SOURCE,
        DetailType: event.detailType,
        Detail: JSON.stringify(event.detail),
      })),
    );
  }
}

/** Outcomes back onto the bus for the shop's CRM and support tools: ids and outcomes, no contact data. */
export class EventBridgeOutcomePublisher implements OutcomePublisher {
  private readonly events: EventBridgeIntegrationPublisher;

  constructor(client: EventBridgeClient, eventBusName: string) {
    this.events = new EventBridgeIntegrationPublisher(client, eventBusName);
  }

  async publish(record: NotificationRecord, orderNumber: string): Promise<void> {
    const event = notificationOutcomeEvent(record, orderNumber);
    if (event) await this.events.publish([event]);
  }
}
