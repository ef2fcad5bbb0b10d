/**
 * A local EventBridge bus: `PutEvents` over the AWS JSON 1.1 protocol (what @aws-sdk/client-eventbridge
 * speaks), so the production EventBridge adapters and the shop's own producers run unchanged against it.
 *
 * Each accepted entry becomes the full event envelope and goes to every rule of its bus whose pattern
 * matches, compiled from the same pattern objects the CDK stack deploys (lib/event-patterns.ts). Like
 * EventBridge, delivery happens after PutEvents has answered; a failing target is retried with
 * exponential backoff, then recorded as a dead letter with the reason (the rule's DLQ).
 */
import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from 'aws-lambda';
import {
  type AwsRequest,
  type AwsResponse,
  LOCAL_ACCOUNT_ID,
  startAwsHttpServer,
} from './aws-http-server.js';
import { LOCAL_REGION } from './dynamodb-local.js';
import { compilePattern } from './event-pattern.js';
import { openJournal } from './journal.js';

export const EVENTBRIDGE_PORT_ENV = 'ORDER_NOTIFICATIONS_PORT_EVENTBRIDGE';

/** An event as EventBridge delivers it to a target. */
export type BusEvent = EventBridgeEvent<string, Record<string, unknown>>;

export type EventTarget = (event: BusEvent) => Promise<void>;

export interface LocalRule {
  readonly name: string;
  /** @default 'default' */
  readonly eventBusName?: string;
  /** The EventBridge pattern, e.g. `orderEventPattern(source)`; checked when the rule is added. */
  readonly pattern: object;
  readonly target: EventTarget;
  /** Retries after a failed delivery (EventBridge's MaximumRetryAttempts). @default the server's */
  readonly retryAttempts?: number;
}

export interface ReceivedEvent {
  readonly event: BusEvent;
  readonly eventBusName: string;
  /** The rules whose pattern matched. */
  readonly rules: readonly string[];
}

export interface DeadLetterEvent {
  readonly rule: string;
  readonly eventBusName: string;
  readonly event: BusEvent;
  /** The last error's message. */
  readonly reason: string;
  readonly attempts: number;
  readonly failedAt: string;
}

export interface EventBridgeLocalOptions {
  /** @default a free port */
  readonly port?: number;
  /** The region of events whose request carries none in its signature. @default LOCAL_REGION */
  readonly region?: string;
  /** @default 2 */
  readonly retryAttempts?: number;
  /** The first retry waits this long, each next one twice as long. @default 200 */
  readonly retryBaseDelayMs?: number;
  /** How many received events (and dead letters) are kept, newest first. @default 500 */
  readonly logSize?: number;
  /** The limit on the entries' total size (EventBridge's entry size calculation). @default 1 MiB, as AWS */
  readonly maxEntriesBytes?: number;
  /**
   * Whether PutEvents is accepted at once. A stack that adds its rules after starting the bus passes
   * false and calls `open()` once they exist: until then PutEvents answers 503 (the SDK retries it), so
   * no event is accepted that no rule could route. @default true
   */
  readonly open?: boolean;
  /**
   * Where accepted events wait for their targets across restarts (an append-only journal, see
   * local/journal.ts): an event is written before PutEvents answers and forgotten once its delivery
   * ended (delivered or dead-lettered), so a crash loses no accepted event; `open()` delivers what the
   * last run left. Dead letters are kept there too. @default in memory only
   */
  readonly journalFile?: string;
}

export interface EventBridgeLocal {
  readonly endpoint: string;
  readonly port: number;
  /**
   * Starts accepting PutEvents (when started with `open: false`) and delivers the events a previous run
   * accepted but had not delivered, to the rules of the same name (an event whose rule is gone becomes a
   * dead letter saying so). Call it after adding the rules.
   */
  open(): void;
  /** Adds a rule; throws InvalidPatternError for a bad pattern, and an Error for a name taken on the bus. */
  addRule(rule: LocalRule): void;
  removeRule(name: string, eventBusName?: string): void;
  /**
   * Puts an event on a bus as an AWS service would (SES feedback on `default`, say): `aws.` sources are
   * allowed, which PutEvents refuses. Returns the event id; throws for an entry PutEvents would fail.
   */
  emit(entry: {
    readonly source: string;
    readonly detailType: string;
    readonly detail: Record<string, unknown>;
    /** @default 'default' */
    readonly eventBusName?: string;
    readonly resources?: readonly string[];
  }): string;
  /** Events accepted, newest first (bounded). */
  events(): ReceivedEvent[];
  /** Deliveries that failed every attempt, newest first (bounded). */
  deadLetters(): DeadLetterEvent[];
  /** Resolves when every delivery started so far, retries included, has finished. */
  idle(): Promise<void>;
  clear(): void;
  stop(): Promise<void>;
}

const MAX_ENTRIES = 10;

/** A delivery cut short by `stop` while a journal keeps it for the next run. */
class StoppedBeforeRetry extends Error {}
const JSON_CONTENT = { 'content-type': 'application/x-amz-json-1.1' };

interface CompiledRule extends LocalRule {
  readonly eventBusName: string;
  readonly matches: (event: unknown) => boolean;
}

type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

/** What the journal keeps: deliveries under way, their end, and dead letters. */
type JournalEntry =
  | {
      readonly op: 'deliver';
      readonly key: string;
      readonly rule: string;
      readonly eventBusName: string;
      readonly event: BusEvent;
    }
  | { readonly op: 'done'; readonly key: string }
  | { readonly op: 'dead'; readonly letter: DeadLetterEvent };

/** Compacts the journal once this many changes have been appended since the last compaction. */
const COMPACT_AFTER = 20_000;

const errorResponse = (status: number, type: string, message?: string): AwsResponse => ({
  status,
  headers: JSON_CONTENT,
  body: JSON.stringify(message === undefined ? { __type: type } : { __type: type, message }),
});

const utf8Length = (value: unknown): number => (typeof value === 'string' ? Buffer.byteLength(value) : 0);

/** EventBridge's PutEventsRequestEntry size: Time counts 14 bytes, the strings their UTF-8 length. */
const entrySize = (entry: Record<string, unknown>): number =>
  (entry.Time === undefined ? 0 : 14) +
  utf8Length(entry.Source) +
  utf8Length(entry.DetailType) +
  utf8Length(entry.Detail) +
  (Array.isArray(entry.Resources) ? entry.Resources.reduce<number>((sum, r) => sum + utf8Length(r), 0) : 0);

/** A bus named by its name or ARN (`arn:aws:events:<region>:<account>:event-bus/<name>`). */
const busName = (nameOrArn: unknown): string => {
  if (typeof nameOrArn !== 'string' || nameOrArn === '') return 'default';
  const arn = /^arn:aws[a-z-]*:events:[^:]*:[^:]*:event-bus\/(.+)$/.exec(nameOrArn);
  return arn?.[1] ?? nameOrArn;
};

/** ISO time to the second, like EventBridge's `time`. */
const isoSeconds = (date: Date): string => `${date.toISOString().slice(0, 19)}Z`;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const invalid = (parameter: string): EntryResult => ({
  ErrorCode: 'InvalidArgument',
  ErrorMessage: `Parameter ${parameter} is not valid. Reason: ${parameter} is a required argument.`,
});

export const startEventBridgeLocal = async (
  options: EventBridgeLocalOptions = {},
): Promise<EventBridgeLocal> => {
  const logSize = options.logSize ?? 500;
  const defaultRetries = options.retryAttempts ?? 2;
  const baseDelayMs = options.retryBaseDelayMs ?? 200;
  const maxEntriesBytes = options.maxEntriesBytes ?? 1024 * 1024;
  const rules: CompiledRule[] = [];
  let received: ReceivedEvent[] = [];
  let deadLetters: DeadLetterEvent[] = [];
  const deliveries = new Set<Promise<void>>();
  const sleepers = new Set<() => void>();
  let stopped = false;
  let accepting = options.open ?? true;
  /** Deliveries not yet ended, by key: what a restart must still deliver. */
  const pending = new Map<string, Extract<JournalEntry, { op: 'deliver' }>>();
  const opened = options.journalFile ? openJournal<JournalEntry>(options.journalFile) : undefined;
  const journal = opened?.journal;
  let appended = 0;
  function* snapshot(): Generator<JournalEntry> {
    yield* pending.values();
    for (const letter of [...deadLetters].reverse()) yield { op: 'dead', letter };
  }
  const record = (entry: JournalEntry) => {
    if (!journal) return;
    journal.append(entry);
    appended += 1;
    if (appended >= COMPACT_AFTER) {
      journal.compact(snapshot());
      appended = 0;
    }
  };
  /** What the last run left: its dead letters now, its pending deliveries when the bus opens. */
  const leftOver: Array<Extract<JournalEntry, { op: 'deliver' }>> = [];
  if (opened) {
    const left = new Map<string, Extract<JournalEntry, { op: 'deliver' }>>();
    for (const entry of opened.entries) {
      if (entry.op === 'deliver') left.set(entry.key, entry);
      else if (entry.op === 'done') left.delete(entry.key);
      else deadLetters = [entry.letter, ...deadLetters].slice(0, logSize);
    }
    leftOver.push(...left.values());
    for (const entry of leftOver) pending.set(entry.key, entry);
    journal?.compact(snapshot());
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });

  const deadLetter = (letter: DeadLetterEvent) => {
    record({ op: 'dead', letter });
    deadLetters = [letter, ...deadLetters].slice(0, logSize);
  };

  const deliver = async (rule: CompiledRule, event: BusEvent): Promise<void> => {
    const attempts = 1 + (rule.retryAttempts ?? defaultRetries);
    for (let attempt = 1; ; attempt += 1) {
      try {
        // A copy per target: a target that changes its event changes neither the log nor other targets.
        await rule.target(structuredClone(event));
        return;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        // With a journal, a stop before the last attempt leaves the event for the next run to deliver.
        if (stopped && attempt < attempts && journal) throw new StoppedBeforeRetry();
        if (attempt >= attempts || stopped) {
          deadLetter({
            rule: rule.name,
            eventBusName: rule.eventBusName,
            event,
            reason: stopped && attempt < attempts ? `${reason} (the bus stopped before a retry)` : reason,
            attempts: attempt,
            failedAt: new Date().toISOString(),
          });
          return;
        }
        await sleep(baseDelayMs * 2 ** (attempt - 1));
      }
    }
  };

  /** Starts a delivery on a later turn of the event loop, so PutEvents never waits for a target. */
  const schedule = (rule: CompiledRule, event: BusEvent, key: string = randomUUID(), journaled = false) => {
    if (!journaled) {
      const entry = { op: 'deliver', key, rule: rule.name, eventBusName: rule.eventBusName, event } as const;
      record(entry);
      pending.set(key, entry);
    }
    const delivery = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => deliver(rule, event))
      .then(
        () => {
          pending.delete(key);
          record({ op: 'done', key });
        },
        (error: unknown) => {
          // Stopped before a retry: still pending, in the journal, for the next run.
          if (!(error instanceof StoppedBeforeRetry)) throw error;
        },
      );
    deliveries.add(delivery);
    void delivery.finally(() => deliveries.delete(delivery));
  };

  const accept = (entry: Record<string, unknown>, region: string, fromAws = false): EntryResult => {
    if (typeof entry.Source !== 'string' || entry.Source === '') return invalid('Source');
    if (typeof entry.DetailType !== 'string' || entry.DetailType === '') return invalid('DetailType');
    if (typeof entry.Detail !== 'string' || entry.Detail === '') return invalid('Detail');
    if (entry.Source.startsWith('aws.') && !fromAws) {
      return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' };
    }
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail);
    } catch {
      detail = undefined;
    }
    if (!isObject(detail)) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    const resources = entry.Resources ?? [];
    if (!Array.isArray(resources) || !resources.every((resource) => typeof resource === 'string')) {
      return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Resources is not valid.' };
    }
    // The SDK sends Time as epoch seconds.
    const time = typeof entry.Time === 'number' ? new Date(entry.Time * 1000) : new Date();
    if (Number.isNaN(time.getTime())) {
      return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Time is not valid.' };
    }
    const eventBusName = busName(entry.EventBusName);
    const event: BusEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: LOCAL_ACCOUNT_ID,
      time: isoSeconds(time),
      region,
      resources: resources as string[],
      detail,
    };
    const matched = rules.filter((rule) => rule.eventBusName === eventBusName && rule.matches(event));
    for (const rule of matched) schedule(rule, event);
    received = [{ event, eventBusName, rules: matched.map((rule) => rule.name) }, ...received].slice(
      0,
      logSize,
    );
    return { EventId: event.id };
  };

  const putEvents = (request: AwsRequest): AwsResponse => {
    let input: unknown;
    try {
      input = JSON.parse(request.body.toString('utf8'));
    } catch {
      return errorResponse(
        400,
        'SerializationException',
        'Start of structure or map found where not expected.',
      );
    }
    const entries = isObject(input) ? input.Entries : undefined;
    if (!Array.isArray(entries)) {
      return errorResponse(
        400,
        'ValidationException',
        "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
      );
    }
    if (entries.length < 1 || entries.length > MAX_ENTRIES) {
      const constraint =
        entries.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_ENTRIES}`;
      return errorResponse(
        400,
        'ValidationException',
        `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length ${constraint}`,
      );
    }
    const objects = entries.map((entry) => (isObject(entry) ? entry : {}));
    if (objects.reduce((sum, entry) => sum + entrySize(entry), 0) > maxEntriesBytes) {
      return errorResponse(
        400,
        'ValidationException',
        'Total size of the entries in the request is over the limit.',
      );
    }
    const results = objects.map((entry) => accept(entry, request.region));
    return {
      status: 200,
      headers: JSON_CONTENT,
      body: JSON.stringify({
        FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length,
        Entries: results,
      }),
    };
  };

  const server = await startAwsHttpServer({
    name: 'local EventBridge',
    port: options.port,
    portEnvVar: EVENTBRIDGE_PORT_ENV,
    maxBodyBytes: Math.max(2 * maxEntriesBytes, 1024 * 1024),
    defaultRegion: options.region ?? LOCAL_REGION,
    handle: async (request) => {
      const target = request.headers['x-amz-target'];
      if (request.method !== 'POST' || target !== 'AWSEvents.PutEvents') {
        return errorResponse(400, 'UnknownOperationException');
      }
      if (!accepting) {
        return errorResponse(
          503,
          'ServiceUnavailableException',
          'The local event bus is starting: its rules are not in place yet. Retry shortly.',
        );
      }
      return putEvents(request);
    },
    tooLarge: () => errorResponse(413, 'RequestEntityTooLargeException', 'Request entity too large.'),
    internalError: () => errorResponse(500, 'InternalException', 'Internal error in the local EventBridge.'),
  });

  return {
    endpoint: server.endpoint,
    port: server.port,
    open: () => {
      if (accepting && leftOver.length === 0) return;
      accepting = true;
      for (const entry of leftOver.splice(0)) {
        const rule = rules.find(
          (candidate) => candidate.name === entry.rule && candidate.eventBusName === entry.eventBusName,
        );
        if (rule) {
          schedule(rule, entry.event, entry.key, true);
          continue;
        }
        pending.delete(entry.key);
        record({ op: 'done', key: entry.key });
        deadLetter({
          rule: entry.rule,
          eventBusName: entry.eventBusName,
          event: entry.event,
          reason: `accepted before a restart, but the rule ${entry.rule} no longer exists on the bus ${entry.eventBusName}`,
          attempts: 0,
          failedAt: new Date().toISOString(),
        });
      }
    },
    addRule: (rule) => {
      const eventBusName = busName(rule.eventBusName);
      if (rules.some((other) => other.name === rule.name && other.eventBusName === eventBusName)) {
        throw new Error(`rule ${rule.name} already exists on the event bus ${eventBusName}`);
      }
      const retryAttempts = rule.retryAttempts;
      if (retryAttempts !== undefined && (!Number.isInteger(retryAttempts) || retryAttempts < 0)) {
        throw new RangeError(`rule ${rule.name}: retryAttempts must be a whole number >= 0`);
      }
      rules.push({ ...rule, eventBusName, matches: compilePattern(rule.pattern) });
    },
    removeRule: (name, eventBusName) => {
      const bus = busName(eventBusName);
      const index = rules.findIndex((rule) => rule.name === name && rule.eventBusName === bus);
      if (index !== -1) rules.splice(index, 1);
    },
    emit: (entry) => {
      const result = accept(
        {
          Source: entry.source,
          DetailType: entry.detailType,
          Detail: JSON.stringify(entry.detail),
          EventBusName: entry.eventBusName,
          Resources: entry.resources ? [...entry.resources] : undefined,
        },
        options.region ?? LOCAL_REGION,
        true,
      );
      if ('ErrorCode' in result) throw new Error(`${result.ErrorCode}: ${result.ErrorMessage}`);
      return result.EventId;
    },
    events: () => [...received],
    deadLetters: () => [...deadLetters],
    idle: async () => {
      while (deliveries.size > 0) await Promise.allSettled([...deliveries]);
    },
    clear: () => {
      received = [];
      deadLetters = [];
    },
    stop: async () => {
      stopped = true;
      for (const wake of [...sleepers]) wake();
      await server.stop();
      while (deliveries.size > 0) await Promise.allSettled([...deliveries]);
      journal?.close();
    },
  };
};
