/**
 * What a dead letter says: the reason the handler recorded in its message attributes (SqsDeadLetterSink:
 * `reason`, `errorType`, `sourceMessageId`, `receiveCount`, `failedAt`; EventBridge's rule dead-letter
 * queues: `ERROR_CODE`, `ERROR_MESSAGE`), and which order, event or job the body is about.
 */
import type { Message } from '@aws-sdk/client-sqs';

export interface DeadLetterSummary {
  readonly messageId: string;
  readonly reason: string;
  readonly errorType: string;
  readonly failedAt: string;
  /** Deliveries before it was dead-lettered (the handler's count), else this queue's receive count. */
  readonly receiveCount: string;
  readonly sourceMessageId: string;
  /** `order-event`, `notification-job`, `stream-failure`, `lambda-failure`, `bus-event` or `unknown`. */
  readonly kind: string;
  /** The ids in the body, never its personal data. */
  readonly ids: Readonly<Record<string, string>>;
  readonly bodyBytes: number;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const stringsOf = (source: Record<string, unknown>, keys: readonly string[]): Record<string, string> =>
  Object.fromEntries(
    keys.flatMap((key) => {
      const value = source[key];
      return typeof value === 'string' || typeof value === 'number' ? [[key, String(value)]] : [];
    }),
  );

/** The kind of message and its ids: enough to find the order, nothing of the customer. */
export interface BodyIdentity {
  readonly kind: string;
  readonly ids: Record<string, string>;
  /** For Lambda on-failure records: why Lambda gave up (`RetriesExhausted`…) and the function error. */
  readonly condition?: string | undefined;
  readonly functionError?: string | undefined;
}

/** Why Lambda wrote an on-failure record, from its requestContext / responseContext. */
const lambdaFailure = (json: Record<string, unknown>) => {
  const request = isObject(json.requestContext) ? json.requestContext : {};
  const response = isObject(json.responseContext) ? json.responseContext : {};
  return {
    condition: typeof request.condition === 'string' ? request.condition : undefined,
    functionError: typeof response.functionError === 'string' ? response.functionError : undefined,
    functionArn: typeof request.functionArn === 'string' ? request.functionArn : undefined,
  };
};

export const identifyBody = (body: string): BodyIdentity => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { kind: 'unknown', ids: {} };
  }
  if (!isObject(json)) return { kind: 'unknown', ids: {} };
  if (typeof json['detail-type'] === 'string') {
    const detail = isObject(json.detail) ? json.detail : {};
    // Another event on a bus (SES feedback in the feedback rule's dead-letter queue).
    if (typeof json.source === 'string' && json.source.startsWith('aws.')) {
      return {
        kind: 'bus-event',
        ids: { detailType: json['detail-type'], ...stringsOf(json, ['source', 'id']) },
      };
    }
    return {
      kind: 'order-event',
      ids: {
        ...stringsOf(detail, ['eventId', 'shopId', 'orderId']),
        detailType: json['detail-type'],
        ...stringsOf(json, ['source']),
      },
    };
  }
  if (['shopId', 'orderId', 'eventId', 'channel'].every((key) => typeof json[key] === 'string')) {
    return {
      kind: 'notification-job',
      ids: stringsOf(json, ['shopId', 'orderId', 'eventId', 'channel', 'fallbackFor']),
    };
  }
  // A Lambda on-failure record of the planner's stream mapping: the shard and sequence numbers.
  const batch = isObject(json.DDBStreamBatchInfo) ? json.DDBStreamBatchInfo : undefined;
  if (batch) {
    const { condition, functionError } = lambdaFailure(json);
    return {
      kind: 'stream-failure',
      ids: stringsOf(batch, ['shardId', 'startSequenceNumber', 'endSequenceNumber', 'batchSize']),
      condition,
      functionError,
    };
  }
  // A Lambda on-failure record of an asynchronous invocation (the feedback function): the event inside.
  if (isObject(json.requestContext) && isObject(json.requestPayload)) {
    const { condition, functionError, functionArn } = lambdaFailure(json);
    const payload = json.requestPayload;
    return {
      kind: 'lambda-failure',
      ids: {
        ...(functionArn ? { function: functionArn.split(':').slice(6, 7).join('') || functionArn } : {}),
        ...(typeof payload['detail-type'] === 'string' ? { detailType: payload['detail-type'] } : {}),
        ...stringsOf(payload, ['source', 'id']),
      },
      condition,
      functionError,
    };
  }
  return { kind: 'unknown', ids: {} };
};

export const summariseDeadLetter = (message: Message): DeadLetterSummary => {
  const attribute = (name: string): string | undefined => message.MessageAttributes?.[name]?.StringValue;
  const body = message.Body ?? '';
  const { kind, ids, condition, functionError } = identifyBody(body);
  const sentAt = Number(message.Attributes?.SentTimestamp);
  return {
    messageId: message.MessageId ?? '',
    reason:
      attribute('reason') ??
      attribute('ERROR_MESSAGE') ??
      (condition ? `Lambda gave up: ${condition}` : undefined) ??
      '(none recorded: moved here by the queue after its last delivery)',
    errorType: attribute('errorType') ?? attribute('ERROR_CODE') ?? functionError ?? '',
    failedAt: attribute('failedAt') ?? (Number.isFinite(sentAt) ? new Date(sentAt).toISOString() : ''),
    receiveCount: attribute('receiveCount') ?? message.Attributes?.ApproximateReceiveCount ?? '',
    sourceMessageId: attribute('sourceMessageId') ?? '',
    kind,
    ids,
    bodyBytes: Buffer.byteLength(body),
  };
};

/** `Order Placed ord-1-placed (sklep/ord-1)`, `sms job ord-1-shipped (sklep/ord-1)`. */
export const describeIds = (summary: Pick<DeadLetterSummary, 'kind' | 'ids'>): string => {
  const { ids } = summary;
  const order = ids.shopId && ids.orderId ? ` (${ids.shopId}/${ids.orderId})` : '';
  switch (summary.kind) {
    case 'order-event':
      return `${ids.detailType ?? '?'} ${ids.eventId ?? '(no eventId)'}${order}`;
    case 'notification-job':
      return `${ids.channel} job ${ids.eventId}${order}${ids.fallbackFor ? ` for ${ids.fallbackFor}` : ''}`;
    case 'stream-failure':
      return `stream records ${ids.startSequenceNumber ?? '?'}…${ids.endSequenceNumber ?? '?'} of ${ids.shardId ?? '?'}`;
    case 'bus-event':
      return `${ids.detailType} ${ids.id ?? ''} from ${ids.source}`.replace('  ', ' ');
    case 'lambda-failure':
      return `${ids.detailType ?? 'event'} ${ids.id ?? ''} for ${ids.function ?? 'a function'}`.replace(
        '  ',
        ' ',
      );
    default:
      return 'unrecognised body';
  }
};

/**
 * Dead letters the runbook (docs/operations.md, "Dead letters") says never to redrive, by the error type
 * the handler recorded: the same bytes would fail again. `dlq redrive` skips them unless asked.
 */
export const NOT_REDRIVABLE: Readonly<Record<string, string>> = {
  InvalidEventError:
    'the event breaks the contract: fix it (`dlq list --json --body`), `events send` the fixed event, then purge',
  EventIdConflictError: 'the event id belongs to different content: resend with a new eventId, or purge',
  InvalidJobError: 'a malformed notification job: purge it',
  UnknownJobError: 'a job for an order or event that does not exist: purge it',
};

/** Why this dead letter must not be redriven, or undefined when it may be. */
export const redriveRefusalOf = (summary: Pick<DeadLetterSummary, 'errorType'>): string | undefined =>
  Object.hasOwn(NOT_REDRIVABLE, summary.errorType) ? NOT_REDRIVABLE[summary.errorType] : undefined;
