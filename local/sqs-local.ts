/**
 * A local SQS (standard queues) speaking what @aws-sdk/client-sqs speaks since late 2023: AWS JSON 1.0
 * (`X-Amz-Target: AmazonSQS.<Operation>`) in "query compatible" mode, where each error carries its legacy
 * Query code in the `x-amzn-query-error` header, from which the SDK picks its exception class
 * (`AWS.SimpleQueueService.NonExistentQueue` → QueueDoesNotExist).
 *
 * Copied from SQS: visibility timeouts, per-message and per-queue delays, long polling up to 20 s,
 * ApproximateReceiveCount, redrive to a dead-letter queue on the receive that would exceed
 * maxReceiveCount (the message keeps its id, body, attributes and enqueue time), receipt handles that go
 * stale when a message is received again, retention, and the MD5 digests of bodies and message attributes
 * (the SDK checks MD5OfMessageBody / MD5OfBody on every send and receive).
 *
 * Fair queues (a standard queue's messages with a MessageGroupId), as AWS documents them in "How Amazon
 * SQS fair queues work" (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-fair-queues-detailed.html):
 * the MessageGroupId names the tenant; at every ReceiveMessage a tenant with messages waiting is noisy
 * when it holds more than 10% of the queue's messages in flight and at least 30 of its own, or more than
 * 10% of the consumers' recent processing time (receive to delete), unless it has sent nothing for
 * 5 minutes; quiet tenants' messages (and those without a group, each its own tenant) are then delivered
 * first, oldest first, and noisy tenants' only when no quiet message waits, the noisy tenant with the
 * fewest messages in flight first. Nothing is dropped or throttled, delivery stays at least once, and
 * there is no ordering promise within a group. Local choices where AWS gives no figure: "recent" is a
 * 30-second half-life, and this bookkeeping is not journaled (after a restart the recent processing
 * times start again from zero). CloudWatch's fair-queue metrics are not emitted.
 *
 * Queue URLs are `http://127.0.0.1:<port>/000000000000/<name>`, ARNs `arn:aws:sqs:<region>:000000000000:<name>`.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  type AwsRequest,
  type AwsResponse,
  LOCAL_ACCOUNT_ID,
  signedAccessKey,
  startAwsHttpServer,
} from './aws-http-server.js';
import { LOCAL_REGION } from './dynamodb-local.js';
import { type Journal, openJournal } from './journal.js';

export const SQS_PORT_ENV = 'ORDER_NOTIFICATIONS_PORT_SQS';

export interface SqsMessageAttribute {
  readonly DataType: string;
  readonly StringValue?: string;
  /** Base64, as on the wire. */
  readonly BinaryValue?: string;
}

/** A message as it sits in a queue, for tests and the local outbox (reading it changes nothing). */
export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly messageAttributes: Readonly<Record<string, SqsMessageAttribute>>;
  readonly receiveCount: number;
  readonly sentAt: string;
  /** Whether a ReceiveMessage could return it now. */
  readonly visible: boolean;
  /** Its fair-queue tenant, when it was sent with one. */
  readonly messageGroupId?: string;
}

export interface SqsLocalOptions {
  /** @default a free port */
  readonly port?: number;
  /** The region in queue ARNs. @default LOCAL_REGION */
  readonly region?: string;
  /**
   * Where queues and messages are kept across restarts (an append-only journal, see local/journal.ts):
   * every sent, received, deleted or moved message is written before SQS answers, so a crash of the
   * stack loses nothing SQS acknowledged, and a message in flight reappears after its visibility
   * timeout, as in SQS. @default in memory only
   */
  readonly journalFile?: string;
}

export interface SqsLocal {
  readonly endpoint: string;
  readonly port: number;
  /** The same as CreateQueue (attributes as SQS takes them, e.g. RedrivePolicy as JSON). */
  createQueue(name: string, attributes?: Readonly<Record<string, string>>): { url: string; arn: string };
  queueUrl(name: string): string;
  queueArn(name: string): string;
  /** The messages of a queue, oldest first, without receiving them. */
  peek(name: string): QueuedMessage[];
  stop(): Promise<void>;
}

/** Errors by the SDK's exception name: the legacy Query code (header) and the HTTP status. */
const ERRORS = {
  BatchEntryIdsNotDistinct: ['AWS.SimpleQueueService.BatchEntryIdsNotDistinct', 400],
  BatchRequestTooLong: ['AWS.SimpleQueueService.BatchRequestTooLong', 400],
  EmptyBatchRequest: ['AWS.SimpleQueueService.EmptyBatchRequest', 400],
  InternalError: ['InternalError', 500],
  InvalidAttributeName: ['InvalidAttributeName', 400],
  InvalidAttributeValue: ['InvalidAttributeValue', 400],
  InvalidBatchEntryId: ['AWS.SimpleQueueService.InvalidBatchEntryId', 400],
  InvalidMessageContents: ['InvalidMessageContents', 400],
  InvalidParameterValue: ['InvalidParameterValue', 400],
  MessageNotInflight: ['AWS.SimpleQueueService.MessageNotInflight', 400],
  MissingParameter: ['MissingParameter', 400],
  QueueDoesNotExist: ['AWS.SimpleQueueService.NonExistentQueue', 400],
  QueueNameExists: ['QueueAlreadyExists', 400],
  ReceiptHandleIsInvalid: ['ReceiptHandleIsInvalid', 404],
  RequestEntityTooLarge: ['RequestEntityTooLarge', 413],
  TooManyEntriesInBatchRequest: ['AWS.SimpleQueueService.TooManyEntriesInBatchRequest', 400],
  UnsupportedOperation: ['AWS.SimpleQueueService.UnsupportedOperation', 400],
} as const satisfies Record<string, readonly [string, number]>;

type SqsErrorName = keyof typeof ERRORS;

class SqsError extends Error {
  constructor(
    readonly type: SqsErrorName,
    message: string,
  ) {
    super(message);
  }
}

const JSON_CONTENT = 'application/x-amz-json-1.0';

const errorResponse = (type: SqsErrorName, message: string): AwsResponse => {
  const [code, status] = ERRORS[type];
  return {
    status,
    headers: {
      'content-type': JSON_CONTENT,
      'x-amzn-query-error': `${code};${status >= 500 ? 'Receiver' : 'Sender'}`,
    },
    body: JSON.stringify({ __type: `com.amazonaws.sqs#${type}`, message }),
  };
};

/* ------------------------------------------------------------------------------------------------ */
/* Digests                                                                                           */
/* ------------------------------------------------------------------------------------------------ */

const md5 = (data: Buffer | string): string => createHash('md5').update(data).digest('hex');

/**
 * MD5OfMessageAttributes as SQS computes it: attributes sorted by name; for each, the name, the data type
 * and the value, each as a 4-byte big-endian length then the bytes, with a transport byte (1 string,
 * 2 binary) before the value.
 */
export const md5OfMessageAttributes = (
  attributes: Readonly<Record<string, SqsMessageAttribute>>,
): string | undefined => {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const chunks: Buffer[] = [];
  const lengthPrefixed = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    chunks.push(length, bytes);
  };
  for (const name of names) {
    const attribute = attributes[name] as SqsMessageAttribute;
    lengthPrefixed(Buffer.from(name, 'utf8'));
    lengthPrefixed(Buffer.from(attribute.DataType, 'utf8'));
    if (attribute.StringValue !== undefined) {
      chunks.push(Buffer.from([1]));
      lengthPrefixed(Buffer.from(attribute.StringValue, 'utf8'));
    } else {
      chunks.push(Buffer.from([2]));
      lengthPrefixed(Buffer.from(attribute.BinaryValue ?? '', 'base64'));
    }
  }
  return md5(Buffer.concat(chunks));
};

/* ------------------------------------------------------------------------------------------------ */
/* Queues                                                                                            */
/* ------------------------------------------------------------------------------------------------ */

interface StoredMessage {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly attributes: Record<string, SqsMessageAttribute>;
  readonly traceHeader?: string | undefined;
  /** The fair-queue tenant (kept in the journal with the message). */
  readonly messageGroupId?: string | undefined;
  readonly senderId: string;
  readonly sentAt: number;
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  receiptHandle?: string;
}

interface Queue {
  readonly name: string;
  readonly createdAt: number;
  modifiedAt: number;
  attributes: Record<string, string>;
  messages: StoredMessage[];
  /** Long polls waiting for a message to become visible. */
  readonly waiters: Set<() => void>;
  readonly fairness: Fairness;
}

/* ------------------------------------------------------------------------------------------------ */
/* Fair queues                                                                                       */
/* ------------------------------------------------------------------------------------------------ */

/** AWS's documented thresholds for a noisy tenant, and the local choice for "recent". */
export const FAIR_QUEUE = {
  /** Share of the queue's in-flight messages, or of its consumers' recent processing time. */
  noisyShare: 0.1,
  /** A tenant's own messages in flight before its in-flight share counts. */
  noisyMinInFlight: 30,
  /** A tenant that sent nothing for this long is quiet again. */
  quietAfterSilenceMs: 5 * 60_000,
  /** Local choice: AWS says "recent" processing time without a figure. */
  processingHalfLifeMs: 30_000,
} as const;

/** A sum that halves every FAIR_QUEUE.processingHalfLifeMs. */
interface Decaying {
  readonly value: number;
  readonly at: number;
}

const decayed = (sum: Decaying | undefined, now: number): number =>
  sum === undefined ? 0 : sum.value * 2 ** (-(now - sum.at) / FAIR_QUEUE.processingHalfLifeMs);

const plus = (sum: Decaying | undefined, amount: number, now: number): Decaying => ({
  value: decayed(sum, now) + amount,
  at: now,
});

interface Tenant {
  /** Consumer time of its finished receipts (receive to delete or to the end of the visibility timeout). */
  processing?: Decaying;
  lastSentAt: number;
}

/** A queue's fair-queue bookkeeping: in memory only. */
interface Fairness {
  /** By MessageGroupId. */
  readonly tenants: Map<string, Tenant>;
  /** Consumer time of every finished receipt, grouped or not. */
  total?: Decaying;
  /** When each message received and not yet deleted was last received, by message id. */
  readonly receivedAt: Map<string, number>;
}

const newQueue = (name: string, createdAt: number, attributes: Record<string, string>): Queue => ({
  name,
  createdAt,
  modifiedAt: createdAt,
  attributes,
  messages: [],
  waiters: new Set(),
  fairness: { tenants: new Map(), receivedAt: new Map() },
});

/** Books the consumer time of a message's receipt that ended at `endedAt` (deleted, released, expired). */
const endReceipt = (queue: Queue, message: StoredMessage, endedAt: number, now: number) => {
  const { fairness } = queue;
  const receivedAt = fairness.receivedAt.get(message.messageId);
  if (receivedAt === undefined) return;
  fairness.receivedAt.delete(message.messageId);
  const held = Math.max(0, endedAt - receivedAt);
  fairness.total = plus(fairness.total, held, now);
  const tenant =
    message.messageGroupId === undefined ? undefined : fairness.tenants.get(message.messageGroupId);
  if (tenant) tenant.processing = plus(tenant.processing, held, now);
};

/**
 * The tenants that are noisy now, each with its messages in flight: of the tenants with messages
 * waiting and a send in the last 5 minutes, those above AWS's in-flight or processing-time thresholds.
 */
const noisyTenants = (queue: Queue, now: number): Map<string, number> => {
  const { fairness } = queue;
  const noisy = new Map<string, number>();
  if (fairness.tenants.size === 0) return noisy;
  const inFlight = new Map<string, number>();
  const holding = new Map<string, number>();
  const waiting = new Set<string>();
  let totalInFlight = 0;
  let totalHolding = 0;
  for (const message of queue.messages) {
    const group = message.messageGroupId;
    const flying = message.receiveCount > 0 && message.visibleAt > now;
    if (flying) totalInFlight += 1;
    const receivedAt = fairness.receivedAt.get(message.messageId);
    // Time held by a receipt still open (in flight, or expired and not yet received again).
    const held = receivedAt === undefined ? 0 : Math.max(0, Math.min(now, message.visibleAt) - receivedAt);
    totalHolding += held;
    if (group === undefined) continue;
    if (flying) inFlight.set(group, (inFlight.get(group) ?? 0) + 1);
    else waiting.add(group);
    if (held > 0) holding.set(group, (holding.get(group) ?? 0) + held);
  }
  const totalProcessing = decayed(fairness.total, now) + totalHolding;
  for (const [group, tenant] of fairness.tenants) {
    const silent = now - tenant.lastSentAt >= FAIR_QUEUE.quietAfterSilenceMs;
    if (!waiting.has(group)) {
      // Forgotten once it has no message left and its recent processing time has faded.
      if (!inFlight.has(group) && decayed(tenant.processing, now) < 1) fairness.tenants.delete(group);
      continue;
    }
    if (silent) continue;
    const flying = inFlight.get(group) ?? 0;
    const byConcurrency =
      flying >= FAIR_QUEUE.noisyMinInFlight && flying > FAIR_QUEUE.noisyShare * totalInFlight;
    const processing = decayed(tenant.processing, now) + (holding.get(group) ?? 0);
    const byProcessingTime = totalProcessing > 0 && processing > FAIR_QUEUE.noisyShare * totalProcessing;
    if (byConcurrency || byProcessingTime) noisy.set(group, flying);
  }
  return noisy;
};

/**
 * The visible messages in the order a fair queue delivers them: quiet tenants' (and ungrouped) oldest
 * first, then noisy tenants', the one with the fewest in flight first (counting what this receive took).
 * `took(message)` is to be called for each message actually received.
 */
const deliveryOrder = (queue: Queue, now: number) => {
  const visible = queue.messages.filter((message) => message.visibleAt <= now);
  const noisy = noisyTenants(queue, now);
  if (noisy.size === 0) {
    let next = 0;
    return { next: () => visible[next++], took: (_message: StoredMessage) => {} };
  }
  const quiet: StoredMessage[] = [];
  const backlogs = new Map<string, StoredMessage[]>();
  for (const message of visible) {
    const group = message.messageGroupId;
    if (group === undefined || !noisy.has(group)) quiet.push(message);
    else backlogs.set(group, [...(backlogs.get(group) ?? []), message]);
  }
  let nextQuiet = 0;
  const next = (): StoredMessage | undefined => {
    if (nextQuiet < quiet.length) return quiet[nextQuiet++];
    let best: string | undefined;
    for (const [group, backlog] of backlogs) {
      const head = backlog[0];
      if (!head) continue;
      const bestHead = best === undefined ? undefined : backlogs.get(best)?.[0];
      const fewer = (noisy.get(group) ?? 0) - (best === undefined ? 0 : (noisy.get(best) ?? 0));
      if (!bestHead || fewer < 0 || (fewer === 0 && head.sentAt < bestHead.sentAt)) best = group;
    }
    return best === undefined ? undefined : backlogs.get(best)?.shift();
  };
  const took = (message: StoredMessage) => {
    const group = message.messageGroupId;
    if (group !== undefined && noisy.has(group)) noisy.set(group, (noisy.get(group) ?? 0) + 1);
  };
  return { next, took };
};

/** One change to the queues, as the journal keeps it. */
type JournalEntry =
  | {
      readonly op: 'queue';
      readonly name: string;
      readonly createdAt: number;
      readonly attributes: Record<string, string>;
    }
  | {
      readonly op: 'attributes';
      readonly name: string;
      readonly modifiedAt: number;
      readonly attributes: Record<string, string>;
    }
  | { readonly op: 'deleteQueue'; readonly name: string }
  | { readonly op: 'purge'; readonly name: string }
  | { readonly op: 'send'; readonly name: string; readonly message: StoredMessage }
  | {
      readonly op: 'receive';
      readonly name: string;
      readonly id: string;
      readonly receiveCount: number;
      readonly visibleAt: number;
      readonly firstReceivedAt: number | undefined;
      readonly receiptHandle: string | undefined;
    }
  | { readonly op: 'visible'; readonly name: string; readonly id: string; readonly visibleAt: number }
  | { readonly op: 'delete'; readonly name: string; readonly id: string }
  | {
      readonly op: 'move';
      readonly name: string;
      readonly to: string;
      readonly id: string;
      readonly visibleAt: number;
    };

/** Compacts the journal once this many changes have been appended since the last compaction. */
const COMPACT_AFTER = 20_000;

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
/** Letters, digits and punctuation (printable ASCII but the space), 1-128 of them. */
const MESSAGE_GROUP_ID = /^[\x21-\x7E]{1,128}$/;
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;
/** The characters SQS allows in a body or string attribute (XML 1.0's). */
const INVALID_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ATTRIBUTE_NAME = /^(?!\.)(?!.*\.\.)(?!.*\.$)(?!(aws|amazon)\.)[A-Za-z0-9_.-]{1,256}$/i;
const MAX_BATCH_ENTRIES = 10;

const DEFAULT_ATTRIBUTES: Readonly<Record<string, string>> = {
  DelaySeconds: '0',
  MaximumMessageSize: '1048576',
  MessageRetentionPeriod: '345600',
  ReceiveMessageWaitTimeSeconds: '0',
  VisibilityTimeout: '30',
  SqsManagedSseEnabled: 'true',
};

/** Settable attributes with numeric ranges; the others are kept as given. */
const RANGES: Readonly<Record<string, readonly [number, number]>> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, 1048576],
  MessageRetentionPeriod: [60, 1209600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43200],
  KmsDataKeyReusePeriodSeconds: [60, 86400],
};
const OTHER_SETTABLE = new Set([
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'Policy',
  'KmsMasterKeyId',
  'SqsManagedSseEnabled',
]);
const SYSTEM_ATTRIBUTES = [
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'AWSTraceHeader',
  'MessageGroupId',
] as const;

type Input = Record<string, unknown>;

const isObject = (value: unknown): value is Input =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const stringOf = (input: Input, name: string): string | undefined => {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new SqsError('InvalidParameterValue', `Value for parameter ${name} is invalid.`);
  return value;
};

const requiredString = (input: Input, name: string): string => {
  const value = stringOf(input, name);
  if (value === undefined || value === '') {
    throw new SqsError('MissingParameter', `The request must contain the parameter ${name}.`);
  }
  return value;
};

const integerOf = (input: Input, name: string, [min, max]: readonly [number, number]): number | undefined => {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new SqsError(
      'InvalidParameterValue',
      `Value ${String(value)} for parameter ${name} is invalid. Reason: must be between ${min} and ${max}, if provided.`,
    );
  }
  return value;
};

const namesOf = (input: Input, name: string): string[] => {
  const value = input[name];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
};

interface RedrivePolicy {
  readonly deadLetterTargetArn: string;
  readonly maxReceiveCount: number;
}

const parseRedrivePolicy = (text: string): RedrivePolicy | undefined => {
  try {
    const policy: unknown = JSON.parse(text);
    if (!isObject(policy) || typeof policy.deadLetterTargetArn !== 'string') return undefined;
    const maxReceiveCount = Number(policy.maxReceiveCount);
    if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) return undefined;
    return { deadLetterTargetArn: policy.deadLetterTargetArn, maxReceiveCount };
  } catch {
    return undefined;
  }
};

/** Rebuilds the queues from a journal's entries, oldest first. */
const replay = (queues: Map<string, Queue>, entries: readonly JournalEntry[]) => {
  const messages = new Map<string, StoredMessage>();
  const keyOf = (name: string, id: string) => `${name}\n${id}`;
  const removed = new Set<StoredMessage>();
  for (const entry of entries) {
    const queue = queues.get(entry.name);
    switch (entry.op) {
      case 'queue':
        queues.set(entry.name, newQueue(entry.name, entry.createdAt, entry.attributes));
        break;
      case 'attributes':
        if (queue) Object.assign(queue, { attributes: entry.attributes, modifiedAt: entry.modifiedAt });
        break;
      case 'deleteQueue':
        queues.delete(entry.name);
        break;
      case 'purge':
        if (queue) for (const message of queue.messages) removed.add(message);
        break;
      case 'send':
        if (queue) {
          const message = { ...entry.message };
          queue.messages.push(message);
          messages.set(keyOf(entry.name, message.messageId), message);
        }
        break;
      case 'receive': {
        const message = messages.get(keyOf(entry.name, entry.id));
        if (message) {
          message.receiveCount = entry.receiveCount;
          message.visibleAt = entry.visibleAt;
          message.firstReceivedAt = entry.firstReceivedAt;
          message.receiptHandle = entry.receiptHandle;
        }
        break;
      }
      case 'visible': {
        const message = messages.get(keyOf(entry.name, entry.id));
        if (message) message.visibleAt = entry.visibleAt;
        break;
      }
      case 'delete': {
        const message = messages.get(keyOf(entry.name, entry.id));
        if (message) removed.add(message);
        messages.delete(keyOf(entry.name, entry.id));
        break;
      }
      case 'move': {
        const message = messages.get(keyOf(entry.name, entry.id));
        const target = queues.get(entry.to);
        if (message) {
          removed.add(message);
          messages.delete(keyOf(entry.name, entry.id));
          if (target) {
            const moved = { ...message, visibleAt: entry.visibleAt, receiptHandle: undefined };
            target.messages.push(moved);
            messages.set(keyOf(entry.to, moved.messageId), moved);
          }
        }
        break;
      }
    }
  }
  for (const queue of queues.values())
    queue.messages = queue.messages.filter((message) => !removed.has(message));
};

export const startSqsLocal = async (options: SqsLocalOptions = {}): Promise<SqsLocal> => {
  const region = options.region ?? LOCAL_REGION;
  const queues = new Map<string, Queue>();
  let endpoint = '';
  let stopping = false;
  let journal: Journal<JournalEntry> | undefined;
  let appended = 0;
  /** Writes a change before it is acknowledged; compacts now and then so restarts stay fast. */
  const record = (entry: JournalEntry) => {
    if (!journal) return;
    journal.append(entry);
    appended += 1;
    if (appended >= COMPACT_AFTER) {
      journal.compact(snapshot());
      appended = 0;
    }
  };
  /** The entries that rebuild the current queues and messages. */
  function* snapshot(): Generator<JournalEntry> {
    for (const queue of queues.values()) {
      yield { op: 'queue', name: queue.name, createdAt: queue.createdAt, attributes: queue.attributes };
      yield {
        op: 'attributes',
        name: queue.name,
        modifiedAt: queue.modifiedAt,
        attributes: queue.attributes,
      };
      for (const message of queue.messages) yield { op: 'send', name: queue.name, message };
    }
  }

  const urlOf = (name: string) => `${endpoint}/${LOCAL_ACCOUNT_ID}/${name}`;
  const arnOf = (name: string) => `arn:aws:sqs:${region}:${LOCAL_ACCOUNT_ID}:${name}`;
  const numberAttribute = (queue: Queue, name: string) =>
    Number(queue.attributes[name] ?? DEFAULT_ATTRIBUTES[name]);

  const notify = (queue: Queue) => {
    for (const wake of [...queue.waiters]) wake();
  };

  /** The queue of a QueueUrl (any host: localhost and 127.0.0.1 are the same queue). */
  const queueOf = (input: Input): Queue => {
    const url = requiredString(input, 'QueueUrl');
    let name: string | undefined;
    try {
      name = new URL(url).pathname.split('/').filter(Boolean).pop();
    } catch {
      name = undefined;
    }
    const queue = name === undefined ? undefined : queues.get(name);
    if (!queue) throw new SqsError('QueueDoesNotExist', 'The specified queue does not exist.');
    return queue;
  };

  const queueByArn = (arn: string): Queue | undefined => {
    const match = /^arn:aws[a-z-]*:sqs:[^:]*:[^:]*:([^:]+)$/.exec(arn);
    return match?.[1] === undefined ? undefined : queues.get(match[1]);
  };

  const checkedAttributes = (attributes: unknown): Record<string, string> => {
    if (attributes === undefined || attributes === null) return {};
    if (!isObject(attributes)) throw new SqsError('InvalidAttributeValue', 'Attributes must be a map.');
    const checked: Record<string, string> = {};
    for (const [name, raw] of Object.entries(attributes)) {
      const value = String(raw);
      const range = RANGES[name];
      if (name === 'FifoQueue' || name === 'ContentBasedDeduplication') {
        throw new SqsError('UnsupportedOperation', 'FIFO queues are not supported by the local SQS.');
      }
      if (!range && !OTHER_SETTABLE.has(name)) {
        throw new SqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
      }
      if (range && !(/^\d+$/.test(value) && Number(value) >= range[0] && Number(value) <= range[1])) {
        throw new SqsError('InvalidAttributeValue', `Invalid value for the parameter ${name}.`);
      }
      if (name === 'RedrivePolicy' && value !== '') {
        const policy = parseRedrivePolicy(value);
        if (!policy)
          throw new SqsError('InvalidAttributeValue', 'Invalid value for the parameter RedrivePolicy.');
        if (!queueByArn(policy.deadLetterTargetArn)) {
          throw new SqsError(
            'InvalidParameterValue',
            `Value ${value} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.`,
          );
        }
      }
      checked[name] = value;
    }
    return checked;
  };

  const createQueue = (name: string, attributes: unknown): Queue => {
    if (name.endsWith('.fifo')) {
      throw new SqsError('UnsupportedOperation', 'FIFO queues are not supported by the local SQS.');
    }
    if (!QUEUE_NAME.test(name)) {
      throw new SqsError(
        'InvalidParameterValue',
        'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
      );
    }
    const checked = checkedAttributes(attributes);
    const existing = queues.get(name);
    if (existing) {
      for (const [key, value] of Object.entries(checked)) {
        if ((existing.attributes[key] ?? DEFAULT_ATTRIBUTES[key]) !== value) {
          throw new SqsError(
            'QueueNameExists',
            `A queue already exists with the same name and a different value for attribute ${key}`,
          );
        }
      }
      return existing;
    }
    const now = Date.now();
    const queue = newQueue(name, now, checked);
    record({ op: 'queue', name, createdAt: now, attributes: checked });
    queues.set(name, queue);
    return queue;
  };

  /* ---- sending ---- */

  const checkedMessageAttributes = (raw: unknown): Record<string, SqsMessageAttribute> => {
    if (raw === undefined || raw === null) return {};
    if (!isObject(raw)) throw new SqsError('InvalidParameterValue', 'MessageAttributes must be a map.');
    const entries = Object.entries(raw);
    if (entries.length > 10) {
      throw new SqsError(
        'InvalidParameterValue',
        `Number of message attributes [${entries.length}] exceeds the allowed maximum [10].`,
      );
    }
    const attributes: Record<string, SqsMessageAttribute> = {};
    for (const [name, value] of entries) {
      if (!ATTRIBUTE_NAME.test(name)) {
        throw new SqsError('InvalidParameterValue', `Message attribute name '${name}' is invalid.`);
      }
      const attribute = isObject(value) ? value : {};
      const dataType = attribute.DataType;
      if (typeof dataType !== 'string' || !/^(String|Number|Binary)(\.[^\s]{1,250})?$/.test(dataType)) {
        throw new SqsError(
          'InvalidParameterValue',
          `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
        );
      }
      const binary = dataType.startsWith('Binary');
      const content = binary ? attribute.BinaryValue : attribute.StringValue;
      if (typeof content !== 'string' || content === '') {
        throw new SqsError(
          'InvalidParameterValue',
          `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${dataType}'.`,
        );
      }
      if (dataType.startsWith('Number') && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(content)) {
        throw new SqsError(
          'InvalidParameterValue',
          `Can't cast the value of message attribute '${name}' to a number.`,
        );
      }
      if (!binary && INVALID_CHARACTER.test(content)) {
        throw new SqsError(
          'InvalidMessageContents',
          `Invalid characters in the value of message attribute '${name}'.`,
        );
      }
      attributes[name] = binary
        ? { DataType: dataType, BinaryValue: content }
        : { DataType: dataType, StringValue: content };
    }
    return attributes;
  };

  const attributesSize = (attributes: Record<string, SqsMessageAttribute>) =>
    Object.entries(attributes).reduce(
      (sum, [name, attribute]) =>
        sum +
        Buffer.byteLength(name) +
        Buffer.byteLength(attribute.DataType) +
        (attribute.StringValue !== undefined
          ? Buffer.byteLength(attribute.StringValue)
          : Buffer.from(attribute.BinaryValue ?? '', 'base64').length),
      0,
    );

  const traceHeaderOf = (raw: unknown): string | undefined => {
    if (!isObject(raw)) return undefined;
    for (const name of Object.keys(raw)) {
      if (name !== 'AWSTraceHeader') {
        throw new SqsError('InvalidParameterValue', `Message system attribute name ${name} is invalid.`);
      }
    }
    const header = raw.AWSTraceHeader;
    return isObject(header) && typeof header.StringValue === 'string' ? header.StringValue : undefined;
  };

  /** Validates and stores one message; returns what SendMessage answers. */
  const enqueue = (queue: Queue, input: Input, senderId: string) => {
    const body = stringOf(input, 'MessageBody');
    if (body === undefined || body === '') {
      throw new SqsError('MissingParameter', 'The request must contain the parameter MessageBody.');
    }
    if (INVALID_CHARACTER.test(body)) {
      throw new SqsError(
        'InvalidMessageContents',
        'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
      );
    }
    const delaySeconds = integerOf(input, 'DelaySeconds', [0, 900]) ?? numberAttribute(queue, 'DelaySeconds');
    const attributes = checkedMessageAttributes(input.MessageAttributes);
    const traceHeader = traceHeaderOf(input.MessageSystemAttributes);
    const messageGroupId = stringOf(input, 'MessageGroupId');
    if (messageGroupId !== undefined && !MESSAGE_GROUP_ID.test(messageGroupId)) {
      throw new SqsError(
        'InvalidParameterValue',
        'Value for parameter MessageGroupId is invalid. Reason: use 1 to 128 letters, digits and punctuation.',
      );
    }
    const maxSize = numberAttribute(queue, 'MaximumMessageSize');
    if (Buffer.byteLength(body) + attributesSize(attributes) > maxSize) {
      throw new SqsError(
        'InvalidParameterValue',
        `One or more parameters are invalid. Reason: Message must be shorter than ${maxSize} bytes.`,
      );
    }
    const now = Date.now();
    const message: StoredMessage = {
      messageId: randomUUID(),
      body,
      md5OfBody: md5(body),
      attributes,
      traceHeader,
      ...(messageGroupId === undefined ? {} : { messageGroupId }),
      senderId,
      sentAt: now,
      visibleAt: now + delaySeconds * 1000,
      receiveCount: 0,
    };
    record({ op: 'send', name: queue.name, message });
    queue.messages.push(message);
    if (messageGroupId !== undefined) {
      const tenant = queue.fairness.tenants.get(messageGroupId);
      if (tenant) tenant.lastSentAt = now;
      else queue.fairness.tenants.set(messageGroupId, { lastSentAt: now });
    }
    if (delaySeconds === 0) notify(queue);
    return {
      MessageId: message.messageId,
      MD5OfMessageBody: message.md5OfBody,
      MD5OfMessageAttributes: md5OfMessageAttributes(attributes),
      MD5OfMessageSystemAttributes:
        traceHeader === undefined
          ? undefined
          : md5OfMessageAttributes({ AWSTraceHeader: { DataType: 'String', StringValue: traceHeader } }),
    };
  };

  /** Batch checks SQS makes before looking at any entry. */
  const batchEntries = (input: Input, entryName: string): Input[] => {
    const entries = input.Entries;
    if (!Array.isArray(entries) || entries.length === 0) {
      throw new SqsError('EmptyBatchRequest', `There should be at least one ${entryName} in the request.`);
    }
    if (entries.length > MAX_BATCH_ENTRIES) {
      throw new SqsError(
        'TooManyEntriesInBatchRequest',
        `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${entries.length}.`,
      );
    }
    const ids = new Set<string>();
    return entries.map((entry) => {
      const id = isObject(entry) ? entry.Id : undefined;
      if (typeof id !== 'string' || !BATCH_ENTRY_ID.test(id)) {
        throw new SqsError(
          'InvalidBatchEntryId',
          'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
        );
      }
      if (ids.has(id)) throw new SqsError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
      ids.add(id);
      return entry as Input;
    });
  };

  /** Runs each entry on its own: a bad entry fails alone, as in SQS. */
  const perEntry = <T>(entries: Input[], run: (entry: Input) => T) => {
    const successful: Array<T & { Id: string }> = [];
    const failed: Array<{ Id: string; SenderFault: boolean; Code: string; Message: string }> = [];
    for (const entry of entries) {
      const id = entry.Id as string;
      try {
        successful.push({ Id: id, ...run(entry) });
      } catch (error) {
        if (!(error instanceof SqsError)) throw error;
        const [code, status] = ERRORS[error.type];
        failed.push({ Id: id, SenderFault: status < 500, Code: code, Message: error.message });
      }
    }
    return { Successful: successful, Failed: failed };
  };

  /* ---- receiving ---- */

  const receiptHandleFor = (queue: Queue, message: StoredMessage) =>
    Buffer.from(`${queue.name}\n${message.messageId}\n${message.receiveCount}\n${randomUUID()}`).toString(
      'base64url',
    );

  /** The message a receipt handle names, and whether the handle is the latest one issued for it. */
  const messageOfHandle = (queue: Queue, handle: string) => {
    const [queueName, messageId, count, nonce] = Buffer.from(handle, 'base64url')
      .toString('utf8')
      .split('\n');
    if (!queueName || !messageId || !count || !nonce || queueName !== queue.name) {
      throw new SqsError(
        'ReceiptHandleIsInvalid',
        `The input receipt handle "${handle}" is not a valid receipt handle.`,
      );
    }
    const message = queue.messages.find((candidate) => candidate.messageId === messageId);
    return { message, current: message !== undefined && message.receiptHandle === handle };
  };

  const dropExpired = (queue: Queue, now: number) => {
    const retentionMs = numberAttribute(queue, 'MessageRetentionPeriod') * 1000;
    const before = queue.messages.length;
    queue.messages = queue.messages.filter((message) => message.sentAt + retentionMs > now);
    if (queue.messages.length < before) forgetReceipts(queue);
  };

  /** Drops the receive times of messages no longer in the queue (expired, purged). */
  const forgetReceipts = (queue: Queue) => {
    const ids = new Set(queue.messages.map((message) => message.messageId));
    for (const id of queue.fairness.receivedAt.keys()) if (!ids.has(id)) queue.fairness.receivedAt.delete(id);
  };

  const moveToDeadLetterQueue = (queue: Queue, message: StoredMessage, target: Queue, now: number) => {
    record({ op: 'move', name: queue.name, to: target.name, id: message.messageId, visibleAt: now });
    endReceipt(queue, message, message.visibleAt, now);
    queue.messages = queue.messages.filter((candidate) => candidate !== message);
    // Same id, body, attributes and enqueue time (standard queues); receivable at once in the DLQ.
    target.messages.push({ ...message, visibleAt: now, receiptHandle: undefined });
    notify(target);
  };

  const take = (queue: Queue, max: number, visibilityTimeout: number): StoredMessage[] => {
    const now = Date.now();
    dropExpired(queue, now);
    const redrive = parseRedrivePolicy(queue.attributes.RedrivePolicy ?? '');
    const deadLetterQueue = redrive && queueByArn(redrive.deadLetterTargetArn);
    const taken: StoredMessage[] = [];
    const order = deliveryOrder(queue, now);
    while (taken.length < max) {
      const message = order.next();
      if (!message) break;
      // The receive that would exceed maxReceiveCount moves the message instead of returning it.
      if (redrive && deadLetterQueue && message.receiveCount >= redrive.maxReceiveCount) {
        moveToDeadLetterQueue(queue, message, deadLetterQueue, now);
        continue;
      }
      // A receipt whose visibility timeout ran out held the consumer until then.
      endReceipt(queue, message, message.visibleAt, now);
      queue.fairness.receivedAt.set(message.messageId, now);
      order.took(message);
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + visibilityTimeout * 1000;
      message.receiptHandle = receiptHandleFor(queue, message);
      record({
        op: 'receive',
        name: queue.name,
        id: message.messageId,
        receiveCount: message.receiveCount,
        visibleAt: message.visibleAt,
        firstReceivedAt: message.firstReceivedAt,
        receiptHandle: message.receiptHandle,
      });
      taken.push(message);
    }
    return taken;
  };

  /** Resolves on a send or visibility change in the queue, at `untilMs`, or when the client leaves. */
  const waitForChange = (queue: Queue, untilMs: number, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        queue.waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, untilMs - Date.now()));
      queue.waiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });

  const systemAttributesOf = (message: StoredMessage, names: ReadonlySet<string>) => {
    const all = names.has('All');
    const values: Record<(typeof SYSTEM_ATTRIBUTES)[number], string | undefined> = {
      SenderId: message.senderId,
      SentTimestamp: String(message.sentAt),
      ApproximateReceiveCount: String(message.receiveCount),
      ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
      AWSTraceHeader: message.traceHeader,
      MessageGroupId: message.messageGroupId,
    };
    const selected = Object.fromEntries(
      SYSTEM_ATTRIBUTES.filter((name) => (all || names.has(name)) && values[name] !== undefined).map(
        (name) => [name, values[name]],
      ),
    );
    return Object.keys(selected).length > 0 ? selected : undefined;
  };

  const messageAttributesOf = (message: StoredMessage, names: readonly string[]) => {
    const wanted = (name: string) =>
      names.some(
        (pattern) =>
          pattern === 'All' ||
          pattern === '.*' ||
          pattern === name ||
          (pattern.endsWith('.*') && name.startsWith(pattern.slice(0, -1))),
      );
    const selected = Object.fromEntries(Object.entries(message.attributes).filter(([name]) => wanted(name)));
    return Object.keys(selected).length > 0 ? selected : undefined;
  };

  const receiveMessage = async (input: Input, request: AwsRequest) => {
    const queue = queueOf(input);
    const max = integerOf(input, 'MaxNumberOfMessages', [1, 10]) ?? 1;
    const visibilityTimeout =
      integerOf(input, 'VisibilityTimeout', [0, 43200]) ?? numberAttribute(queue, 'VisibilityTimeout');
    const waitSeconds =
      integerOf(input, 'WaitTimeSeconds', [0, 20]) ?? numberAttribute(queue, 'ReceiveMessageWaitTimeSeconds');
    const systemNames = new Set([
      ...namesOf(input, 'AttributeNames'),
      ...namesOf(input, 'MessageSystemAttributeNames'),
    ]);
    const attributeNames = namesOf(input, 'MessageAttributeNames');
    const deadline = Date.now() + waitSeconds * 1000;
    let messages: StoredMessage[] = [];
    for (;;) {
      if (request.signal.aborted || stopping || !queues.has(queue.name)) break;
      messages = take(queue, max, visibilityTimeout);
      if (messages.length > 0 || Date.now() >= deadline) break;
      const nextVisible = Math.min(...queue.messages.map((message) => message.visibleAt));
      await waitForChange(queue, Math.min(deadline, nextVisible), request.signal);
    }
    if (messages.length === 0) return {};
    return {
      Messages: messages.map((message) => {
        const attributes = messageAttributesOf(message, attributeNames);
        return {
          MessageId: message.messageId,
          ReceiptHandle: message.receiptHandle,
          MD5OfBody: message.md5OfBody,
          Body: message.body,
          Attributes: systemAttributesOf(message, systemNames),
          MD5OfMessageAttributes: attributes && md5OfMessageAttributes(attributes),
          MessageAttributes: attributes,
        };
      }),
    };
  };

  /* ---- deleting and visibility ---- */

  const deleteOne = (queue: Queue, handle: string) => {
    const { message, current } = messageOfHandle(queue, handle);
    // A stale handle (the message was received again since) succeeds without deleting, as SQS allows.
    if (message && current) {
      record({ op: 'delete', name: queue.name, id: message.messageId });
      endReceipt(queue, message, Date.now(), Date.now());
      queue.messages = queue.messages.filter((candidate) => candidate !== message);
    }
    return {};
  };

  const changeVisibility = (queue: Queue, handle: string, timeout: number) => {
    const { message, current } = messageOfHandle(queue, handle);
    if (message && !current) {
      throw new SqsError(
        'InvalidParameterValue',
        `Value ${handle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`,
      );
    }
    if (!message || message.visibleAt <= Date.now()) {
      throw new SqsError(
        'MessageNotInflight',
        'Message does not exist or is not available for visibility timeout change.',
      );
    }
    // Released (timeout 0): the consumer's hold on it ends now.
    if (timeout === 0) endReceipt(queue, message, Date.now(), Date.now());
    message.visibleAt = Date.now() + timeout * 1000;
    record({ op: 'visible', name: queue.name, id: message.messageId, visibleAt: message.visibleAt });
    if (timeout === 0) notify(queue);
    return {};
  };

  /* ---- queue attributes ---- */

  const queueAttributes = (queue: Queue, names: readonly string[]) => {
    const now = Date.now();
    dropExpired(queue, now);
    const count = (test: (message: StoredMessage) => boolean) => String(queue.messages.filter(test).length);
    const all: Record<string, () => string | undefined> = {
      ApproximateNumberOfMessages: () => count((message) => message.visibleAt <= now),
      ApproximateNumberOfMessagesNotVisible: () =>
        count((message) => message.visibleAt > now && message.receiveCount > 0),
      ApproximateNumberOfMessagesDelayed: () =>
        count((message) => message.visibleAt > now && message.receiveCount === 0),
      CreatedTimestamp: () => String(Math.floor(queue.createdAt / 1000)),
      LastModifiedTimestamp: () => String(Math.floor(queue.modifiedAt / 1000)),
      QueueArn: () => arnOf(queue.name),
    };
    for (const name of [...Object.keys(DEFAULT_ATTRIBUTES), ...Object.keys(RANGES), ...OTHER_SETTABLE]) {
      all[name] = () => queue.attributes[name] ?? DEFAULT_ATTRIBUTES[name];
    }
    const selected = names.includes('All') ? Object.keys(all) : names;
    const attributes: Record<string, string> = {};
    for (const name of selected) {
      const read = all[name];
      if (!read) throw new SqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
      const value = read();
      if (value !== undefined) attributes[name] = value;
    }
    return attributes;
  };

  /* ---- operations ---- */

  const senderOf = (request: AwsRequest) => signedAccessKey(request.headers) ?? 'AIDALOCALSQS';

  const operations: Record<string, (input: Input, request: AwsRequest) => object | Promise<object>> = {
    CreateQueue: (input) => {
      const queue = createQueue(requiredString(input, 'QueueName'), input.Attributes);
      return { QueueUrl: urlOf(queue.name) };
    },
    GetQueueUrl: (input) => {
      const name = requiredString(input, 'QueueName');
      if (!queues.has(name)) throw new SqsError('QueueDoesNotExist', 'The specified queue does not exist.');
      return { QueueUrl: urlOf(name) };
    },
    ListQueues: (input) => {
      const prefix = stringOf(input, 'QueueNamePrefix') ?? '';
      const urls = [...queues.keys()]
        .filter((name) => name.startsWith(prefix))
        .sort()
        .map(urlOf);
      return urls.length > 0 ? { QueueUrls: urls } : {};
    },
    DeleteQueue: (input) => {
      const queue = queueOf(input);
      record({ op: 'deleteQueue', name: queue.name });
      queues.delete(queue.name);
      notify(queue);
      return {};
    },
    GetQueueAttributes: (input) => {
      const queue = queueOf(input);
      const names = namesOf(input, 'AttributeNames');
      // Like SQS: no names asked, no attributes returned.
      return names.length > 0 ? { Attributes: queueAttributes(queue, names) } : {};
    },
    SetQueueAttributes: (input) => {
      const queue = queueOf(input);
      queue.attributes = { ...queue.attributes, ...checkedAttributes(input.Attributes) };
      queue.modifiedAt = Date.now();
      record({
        op: 'attributes',
        name: queue.name,
        modifiedAt: queue.modifiedAt,
        attributes: queue.attributes,
      });
      notify(queue);
      return {};
    },
    PurgeQueue: (input) => {
      const queue = queueOf(input);
      record({ op: 'purge', name: queue.name });
      queue.messages = [];
      forgetReceipts(queue);
      return {};
    },
    SendMessage: (input, request) => enqueue(queueOf(input), input, senderOf(request)),
    SendMessageBatch: (input, request) => {
      const queue = queueOf(input);
      const entries = batchEntries(input, 'SendMessageBatchRequestEntry');
      const maxSize = numberAttribute(queue, 'MaximumMessageSize');
      const total = entries.reduce(
        (sum, entry) =>
          sum +
          (typeof entry.MessageBody === 'string' ? Buffer.byteLength(entry.MessageBody) : 0) +
          (isObject(entry.MessageAttributes)
            ? attributesSize(entry.MessageAttributes as Record<string, SqsMessageAttribute>)
            : 0),
        0,
      );
      if (total > maxSize) {
        throw new SqsError(
          'BatchRequestTooLong',
          `Batch requests cannot be longer than ${maxSize} bytes. You have sent ${total} bytes.`,
        );
      }
      return perEntry(entries, (entry) => enqueue(queue, entry, senderOf(request)));
    },
    ReceiveMessage: receiveMessage,
    DeleteMessage: (input) => deleteOne(queueOf(input), requiredString(input, 'ReceiptHandle')),
    DeleteMessageBatch: (input) => {
      const queue = queueOf(input);
      const entries = batchEntries(input, 'DeleteMessageBatchRequestEntry');
      return perEntry(entries, (entry) => deleteOne(queue, requiredString(entry, 'ReceiptHandle')));
    },
    ChangeMessageVisibility: (input) => {
      const queue = queueOf(input);
      const timeout = integerOf(input, 'VisibilityTimeout', [0, 43200]);
      if (timeout === undefined) {
        throw new SqsError('MissingParameter', 'The request must contain the parameter VisibilityTimeout.');
      }
      return changeVisibility(queue, requiredString(input, 'ReceiptHandle'), timeout);
    },
  };

  const handle = async (request: AwsRequest): Promise<AwsResponse> => {
    const target = String(request.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('AmazonSQS.')
      ? operations[target.slice('AmazonSQS.'.length)]
      : undefined;
    if (request.method !== 'POST' || !operation) {
      return {
        status: 400,
        headers: { 'content-type': JSON_CONTENT },
        body: JSON.stringify({ __type: 'com.amazon.coral.service#UnknownOperationException' }),
      };
    }
    let input: unknown;
    try {
      input = JSON.parse(request.body.toString('utf8') || '{}');
    } catch {
      input = undefined;
    }
    if (!isObject(input)) {
      return {
        status: 400,
        headers: { 'content-type': JSON_CONTENT },
        body: JSON.stringify({ __type: 'com.amazon.coral.service#SerializationException' }),
      };
    }
    try {
      const output = await operation(input, request);
      return { status: 200, headers: { 'content-type': JSON_CONTENT }, body: JSON.stringify(output) };
    } catch (error) {
      if (error instanceof SqsError) return errorResponse(error.type, error.message);
      throw error;
    }
  };

  if (options.journalFile) {
    const opened = openJournal<JournalEntry>(options.journalFile);
    replay(queues, opened.entries);
    journal = opened.journal;
    journal.compact(snapshot());
  }

  const server = await startAwsHttpServer({
    name: 'local SQS',
    port: options.port,
    portEnvVar: SQS_PORT_ENV,
    // Above the largest message (1 MiB) with JSON's escaping, so SQS's own size errors come first.
    maxBodyBytes: 3 * 1024 * 1024,
    defaultRegion: region,
    handle,
    tooLarge: () => errorResponse('RequestEntityTooLarge', 'Request entity too large.'),
    internalError: () => errorResponse('InternalError', 'Internal error in the local SQS.'),
  });
  endpoint = server.endpoint;

  const existing = (name: string) => {
    const queue = queues.get(name);
    if (!queue) throw new Error(`the local SQS has no queue named ${name}`);
    return queue;
  };

  return {
    endpoint: server.endpoint,
    port: server.port,
    createQueue: (name, attributes) => {
      try {
        const queue = createQueue(name, attributes ?? {});
        return { url: urlOf(queue.name), arn: arnOf(queue.name) };
      } catch (error) {
        if (error instanceof SqsError) throw new Error(`cannot create queue ${name}: ${error.message}`);
        throw error;
      }
    },
    queueUrl: (name) => urlOf(existing(name).name),
    queueArn: (name) => arnOf(existing(name).name),
    peek: (name) => {
      const now = Date.now();
      return existing(name).messages.map((message) => ({
        messageId: message.messageId,
        body: message.body,
        messageAttributes: message.attributes,
        receiveCount: message.receiveCount,
        sentAt: new Date(message.sentAt).toISOString(),
        visible: message.visibleAt <= now,
        ...(message.messageGroupId === undefined ? {} : { messageGroupId: message.messageGroupId }),
      }));
    },
    stop: async () => {
      stopping = true;
      for (const queue of queues.values()) notify(queue);
      await server.stop();
      journal?.close();
      journal = undefined;
    },
  };
};
