/**
 * One home for EventBridge PutEvents' request limits, for every caller that puts several entries: the
 * integration-event publisher (functions/adapters/eventbridge-outcome-publisher.ts), the connectors'
 * bus (functions/adapters/connector-adapters.ts) and the CLI's `events send` (cli/commands/events-send.ts).
 */
import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';

/** Entries per PutEvents request. */
export const PUT_EVENTS_MAX_ENTRIES = 10;
/**
 * Bytes per PutEvents request (the UTF-8 lengths of each entry's Source, DetailType and Detail): the
 * 256 KB every region takes. The local bus is laxer (1 MiB), so this is the one that holds everywhere.
 */
export const PUT_EVENTS_MAX_BYTES = 256 * 1024;

interface SizedEntry {
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: string;
}

/** EventBridge's size of a PutEvents entry: the UTF-8 lengths of its strings. */
export const entrySize = (entry: SizedEntry): number =>
  Buffer.byteLength(entry.Source) + Buffer.byteLength(entry.DetailType) + Buffer.byteLength(entry.Detail);

/** Batches of at most 10 entries and at most `maxBytes` (a single larger entry goes alone). */
export const batchEntries = <T extends SizedEntry>(
  entries: readonly T[],
  maxBytes = PUT_EVENTS_MAX_BYTES,
): T[][] => {
  const batches: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const entry of entries) {
    const bytes = entrySize(entry);
    if (current.length > 0 && (current.length === PUT_EVENTS_MAX_ENTRIES || size + bytes > maxBytes)) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(entry);
    size += bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
};

/**
 * Puts every entry, in as few requests as the limits allow, and fails if EventBridge did not take any one
 * of them, naming its detail-type and error code (never its detail): the caller's message or delivery is
 * then retried, and the entries carry ids for the consumers to deduplicate the redelivery by.
 */
export const putAllEntries = async (
  client: EventBridgeClient,
  entries: readonly (PutEventsRequestEntry & SizedEntry)[],
): Promise<void> => {
  for (const batch of batchEntries(entries)) {
    const result = await client.send(new PutEventsCommand({ Entries: batch }));
    if (result.FailedEntryCount) {
      const failed = (result.Entries ?? [])
        .map((entry, index) => ({ entry, sent: batch[index] }))
        .filter(({ entry }) => entry.ErrorCode);
      throw new Error(
        `EventBridge did not take ${result.FailedEntryCount} of ${batch.length} events: ${failed
          .map(({ entry, sent }) => `${sent?.DetailType}: ${entry.ErrorCode}: ${entry.ErrorMessage}`)
          .join('; ')}`,
      );
    }
  }
};
