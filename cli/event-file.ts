/**
 * Reading a file of order events for `events send`, and checking each one with the contract.
 *
 * The file is a JSON array, or NDJSON (one event a line; blank lines are skipped). An entry is either
 * - the EventBridge event shape (what rules deliver, what the dead-letter queues hold, what
 *   `order show --json` is close to): `{ "detail-type": "...", "detail": { ... }, "source"?: "..." }`;
 * - or a PutEvents entry: `{ "DetailType": "...", "Detail": "<JSON text>" | { ... }, "Source"?: "..." }`.
 */
import { type EventProblem, parseOrderEvent } from '../functions/domain/order-events.js';

export interface EventEntry {
  /** Where it is in the file: `line 3` (NDJSON) or `[2]` (JSON array). */
  readonly location: string;
  readonly eventId?: string | undefined;
  readonly detailType?: string | undefined;
  readonly source?: string | undefined;
  /** The detail as it will be sent: the text given, or the object as JSON. */
  readonly detailText?: string | undefined;
  /** Empty when the event is valid. */
  readonly problems: readonly EventProblem[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const SHAPE_HINT =
  'expected {"detail-type", "detail", "source"?} or a PutEvents entry {"DetailType", "Detail", "Source"?}';

const checkEntry = (location: string, value: unknown): EventEntry => {
  if (!isObject(value)) return { location, problems: [{ path: 'entry', message: SHAPE_HINT }] };
  const putEventsShape = 'DetailType' in value || 'Detail' in value;
  const detailType = putEventsShape ? value.DetailType : value['detail-type'];
  const rawDetail = putEventsShape ? value.Detail : value.detail;
  const source = putEventsShape ? value.Source : value.source;
  const detailField = putEventsShape ? 'Detail' : 'detail';
  const problems: EventProblem[] = [];

  let detail: unknown = rawDetail;
  let detailText: string | undefined;
  if (typeof rawDetail === 'string') {
    detailText = rawDetail;
    try {
      detail = JSON.parse(rawDetail);
    } catch {
      problems.push({ path: detailField, message: 'is not valid JSON' });
    }
  } else if (isObject(rawDetail)) {
    detailText = JSON.stringify(rawDetail);
  }
  if (problems.length === 0 && !isObject(detail)) {
    problems.push({ path: detailField, message: 'must be a JSON object (the event detail)' });
  }
  if (source !== undefined && (typeof source !== 'string' || source.length === 0)) {
    problems.push({ path: putEventsShape ? 'Source' : 'source', message: 'must be a non-empty string' });
  }
  if (problems.length === 0) {
    const parsed = parseOrderEvent(detailType, detail);
    if (!parsed.ok) problems.push(...parsed.problems);
  }
  const eventId = isObject(detail) && typeof detail.eventId === 'string' ? detail.eventId : undefined;
  return {
    location,
    eventId,
    detailType: typeof detailType === 'string' ? detailType : undefined,
    source: typeof source === 'string' ? source : undefined,
    detailText,
    problems,
  };
};

/** Every entry of the file, valid or not, in file order. */
export const readEventEntries = (text: string): EventEntry[] => {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      return [
        {
          location: 'file',
          problems: [{ path: 'file', message: 'starts with [ but is not a valid JSON array' }],
        },
      ];
    }
    if (!Array.isArray(parsed))
      return [{ location: 'file', problems: [{ path: 'file', message: SHAPE_HINT }] }];
    return parsed.map((value, index) => checkEntry(`[${index}]`, value));
  }
  // One pretty-printed object is a file of one event.
  if (trimmed.startsWith('{')) {
    try {
      return [checkEntry('[0]', JSON.parse(trimmed))];
    } catch {
      // Not one object: NDJSON.
    }
  }
  return text.split(/\r?\n/).flatMap((line, index) => {
    if (line.trim() === '') return [];
    const location = `line ${index + 1}`;
    try {
      return [checkEntry(location, JSON.parse(line))];
    } catch {
      return [{ location, problems: [{ path: 'line', message: 'is not valid JSON' }] }];
    }
  });
};
