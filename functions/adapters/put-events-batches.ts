/**
 * One home for EventBridge PutEvents' request limits, for every caller that puts several entries: the
 * integration-event publisher (functions/adapters/eventbridge-outcome-publisher.ts) and the CLI's
 * `events send` (cli/commands/events-send.ts).
 */

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
