/**
 * The events this product emits (functions/domain/integration-events.ts) onto the bus: one PutEvents per
 * ten entries, every entry checked. A refused entry fails the call, so the caller's message or stream
 * record is retried; the events carry ids for the consumers to deduplicate the redelivery by.
 */
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  INTEGRATION_EVENT_SOURCE,
  type IntegrationEvent,
  notificationOutcomeEvent,
} from '../domain/integration-events.js';
import type { NotificationRecord } from '../domain/notification-log.js';
import type { IntegrationPublisher, OutcomePublisher } from '../domain/notification-ports.js';

export { INTEGRATION_EVENT_SOURCE as OUTCOME_SOURCE };

/** PutEvents takes at most 10 entries, of at most 1 MiB together (Source, DetailType and Detail in UTF-8). */
const PUT_EVENTS_ENTRIES = 10;
const PUT_EVENTS_BYTES = 1024 * 1024;

type Entry = {
  EventBusName: string;
  Source: string;
  DetailType: string;
  Detail: string;
  event: IntegrationEvent;
};

const sizeOf = (entry: Entry): number =>
  Buffer.byteLength(entry.Source) + Buffer.byteLength(entry.DetailType) + Buffer.byteLength(entry.Detail);

/** The entries in requests PutEvents takes: up to 10 each, and up to its byte limit. */
const batchesOf = (entries: readonly Entry[]): Entry[][] => {
  const batches: Entry[][] = [];
  let current: Entry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = sizeOf(entry);
    if (current.length > 0 && (current.length === PUT_EVENTS_ENTRIES || bytes + size > PUT_EVENTS_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
};

export class EventBridgeIntegrationPublisher implements IntegrationPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly eventBusName: string,
  ) {}

  async publish(events: readonly IntegrationEvent[]): Promise<void> {
    const entries = events.map(
      (event): Entry => ({
        EventBusName: this.eventBusName,
        Source: INTEGRATION_EVENT_SOURCE,
        DetailType: event.detailType,
        Detail: JSON.stringify(event.detail),
        event,
      }),
    );
    for (const batch of batchesOf(entries)) {
      const result = await this.client.send(
        new PutEventsCommand({ Entries: batch.map(({ event: _event, ...entry }) => entry) }),
      );
      if (result.FailedEntryCount) {
        const failed = (result.Entries ?? [])
          .map((entry, index) => ({ entry, event: batch[index]?.event }))
          .filter(({ entry }) => entry.ErrorCode);
        throw new Error(
          `EventBridge did not take ${result.FailedEntryCount} of ${batch.length} events: ${failed
            .map(({ entry, event }) => `${event?.detailType}: ${entry.ErrorCode}: ${entry.ErrorMessage}`)
            .join('; ')}`,
        );
      }
    }
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
