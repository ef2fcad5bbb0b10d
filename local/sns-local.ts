/**
 * A local SNS for SMS and mobile push, speaking the AWS Query protocol that @aws-sdk/client-sns uses
 * (form-encoded `Action=...&Version=2010-03-31`, XML answers in the SNS namespace), so the production
 * SnsSmsSender and SnsPushSender run unchanged against it. Nothing is sent anywhere: every SMS and push
 * is recorded, newest first, for the tests and the local outbox; with a data dir, in a JSONL file too
 * (fsynced before Publish answers), so the records survive a restart and a kill -9.
 *
 * Behaviour copied from SNS: E.164 phone numbers only; CreatePlatformEndpoint is idempotent for a token
 * (the same EndpointArn back, derived from the application and the token); publishing to a disabled
 * endpoint fails with EndpointDisabled; publishing to an opted-out number is accepted (SNS's Publish has
 * no OptedOut error) but not delivered, which the record says.
 */
import { createHash, randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, truncateSync } from 'node:fs';
import path from 'node:path';
import { measureSms, type SmsEncoding } from '../functions/domain/messages/segments.js';
import {
  type AwsRequest,
  type AwsResponse,
  LOCAL_ACCOUNT_ID,
  startAwsHttpServer,
} from './aws-http-server.js';
import { LOCAL_REGION } from './dynamodb-local.js';
import { appendJsonLine, readJsonLines } from './journal.js';

export const SNS_PORT_ENV = 'ORDER_NOTIFICATIONS_PORT_SNS';
const NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';

/** The Query error codes SNS answers with (the SDK maps them to its exception classes). */
const ERROR_CODES = {
  AuthorizationError: { status: 403, fault: 'Sender' },
  EndpointDisabled: { status: 400, fault: 'Sender' },
  InternalError: { status: 500, fault: 'Receiver' },
  InvalidAction: { status: 400, fault: 'Sender' },
  InvalidParameter: { status: 400, fault: 'Sender' },
  ParameterValueInvalid: { status: 400, fault: 'Sender' },
  NotFound: { status: 404, fault: 'Sender' },
  OptedOut: { status: 400, fault: 'Sender' },
  PlatformApplicationDisabled: { status: 400, fault: 'Sender' },
  RequestEntityTooLarge: { status: 413, fault: 'Sender' },
  Throttled: { status: 429, fault: 'Sender' },
} as const;

export type SnsErrorCode = keyof typeof ERROR_CODES;

export type SnsAction =
  | 'Publish'
  | 'CreatePlatformEndpoint'
  | 'SetEndpointAttributes'
  | 'GetEndpointAttributes'
  | 'DeleteEndpoint'
  | 'CheckIfPhoneNumberIsOptedOut'
  | 'ListPhoneNumbersOptedOut'
  | 'OptInPhoneNumber';

export interface SmsRecord {
  readonly messageId: string;
  readonly phoneNumber: string;
  readonly text: string;
  /** `AWS.SNS.SMS.SMSType`; SNS's account default is Promotional. */
  readonly smsType: 'Transactional' | 'Promotional';
  readonly senderId?: string | undefined;
  /** `AWS.MM.SMS.OriginationNumber`: the shop's own number, sender ID or pool, when it has one. */
  readonly originationNumber?: string | undefined;
  /** Billed parts, as the network counts them. */
  readonly segments: number;
  readonly encoding: SmsEncoding;
  /** False when SNS would have accepted the message but not delivered it (the number opted out). */
  readonly delivered: boolean;
  readonly reason?: string | undefined;
  readonly at: string;
}

export interface PushRecord {
  readonly messageId: string;
  readonly endpointArn: string;
  readonly token: string;
  /** APNS, APNS_SANDBOX, GCM… from the platform application. */
  readonly platform: string;
  readonly platformApplicationArn: string;
  /** What the device gets: the platform's payload parsed from its JSON, or the default text. */
  readonly payload: unknown;
  /** The Publish Message as sent. */
  readonly message: string;
  readonly at: string;
}

export interface SnsLocalOptions {
  /** @default a free port */
  readonly port?: number;
  /** @default LOCAL_REGION */
  readonly region?: string;
  /** How many SMS and pushes are kept in memory (each kind). @default 10000 */
  readonly logSize?: number;
  /**
   * Where the records are kept so they survive a restart and a kill -9: `<dataDir>/sns-records.jsonl`,
   * one JSON line per SMS or push, appended and fsynced before Publish answers. @default memory only
   */
  readonly dataDir?: string;
}

export type SnsRecord = ({ readonly kind: 'sms' } & SmsRecord) | ({ readonly kind: 'push' } & PushRecord);

/** The file the records are appended to, under the data dir. */
export const SNS_RECORDS_FILE = 'sns-records.jsonl';

export interface SnsLocal {
  readonly endpoint: string;
  readonly port: number;
  /** SMS, newest first. */
  sms(): SmsRecord[];
  /** Pushes, newest first. */
  pushes(): PushRecord[];
  /** Calls `listener` with every SMS and push recorded from now on; returns the unsubscribe. */
  onRecord(listener: (record: SnsRecord) => void): () => void;
  /** The number replied STOP. */
  optOut(phoneNumber: string): void;
  /** The platform said the device is gone: its endpoints (existing and future) are disabled. */
  disableEndpoint(token: string): void;
  /** The next `times` calls of `action` fail with `code` (Throttled, InternalError, EndpointDisabled…). */
  failNext(action: SnsAction, code: SnsErrorCode, times?: number): void;
  clear(): void;
  stop(): Promise<void>;
}

class SnsError extends Error {
  constructor(
    readonly code: SnsErrorCode,
    message: string,
  ) {
    super(message);
  }
}

interface Endpoint {
  readonly arn: string;
  readonly platformApplicationArn: string;
  readonly platform: string;
  token: string;
  enabled: boolean;
  customUserData?: string | undefined;
}

const E164 = /^\+[1-9]\d{1,14}$/;
const PLATFORM_APPLICATION_ARN =
  /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):app\/(APNS|APNS_SANDBOX|GCM|ADM|BAIDU|MPNS|WNS)\/([\w.-]{1,256})$/;
const SENDER_ID = /^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/;
const OPTED_OUT_PAGE = 100;

const escapeXml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (character) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[character] ?? character,
  );

const element = (tag: string, text: string): string => `<${tag}>${escapeXml(text)}</${tag}>`;

const xmlResponse = (action: string, result: string | undefined, requestId: string): AwsResponse => ({
  status: 200,
  headers: { 'content-type': 'text/xml' },
  body:
    `<?xml version="1.0"?>\n<${action}Response xmlns="${NAMESPACE}">` +
    (result === undefined ? '' : `<${action}Result>${result}</${action}Result>`) +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
});

const xmlError = (code: SnsErrorCode, message: string, requestId: string): AwsResponse => {
  const { status, fault } = ERROR_CODES[code];
  return {
    status,
    headers: { 'content-type': 'text/xml' },
    body:
      `<?xml version="1.0"?>\n<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${fault}</Type>` +
      `${element('Code', code)}${element('Message', message)}</Error>` +
      `<RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
};

/** A Query map: `Name.entry.N.key` / `.value` (or `.Name` / `.Value.StringValue` for message attributes). */
const entries = (params: URLSearchParams, name: string, keyField: string, valueField: string) => {
  const map = new Map<string, string>();
  for (let n = 1; params.has(`${name}.entry.${n}.${keyField}`); n += 1) {
    map.set(
      params.get(`${name}.entry.${n}.${keyField}`) ?? '',
      params.get(`${name}.entry.${n}.${valueField}`) ?? '',
    );
  }
  return map;
};

const required = (params: URLSearchParams, name: string): string => {
  const value = params.get(name);
  if (!value) {
    throw new SnsError('InvalidParameter', `Invalid parameter: ${name} Reason: cannot be empty`);
  }
  return value;
};

const phoneNumberOf = (params: URLSearchParams, name: string): string => {
  const phoneNumber = required(params, name);
  if (!E164.test(phoneNumber)) {
    throw new SnsError('InvalidParameter', `Invalid parameter: ${name} Reason: input incorrectly formatted`);
  }
  return phoneNumber;
};

/** A stable id from the application and the token: the same device gets the same EndpointArn, always. */
const endpointId = (platformApplicationArn: string, token: string): string => {
  const hex = createHash('sha256').update(`${platformApplicationArn}\n${token}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};

/**
 * The records in the file, oldest first. A last line cut short by a crash (no newline, or not JSON) is
 * dropped and cut off the file, so the next record starts on a line of its own; any other bad line is an
 * error naming the file and the line, since it means the file was edited or is not ours.
 */
const loadRecords = (file: string): SnsRecord[] =>
  readJsonLines<SnsRecord>(file, 'an SNS record', (value) => {
    const record = value as Partial<SnsRecord> | null;
    return (
      typeof record === 'object' &&
      record !== null &&
      (record.kind === 'sms' || record.kind === 'push') &&
      typeof record.messageId === 'string'
    );
  });

export const startSnsLocal = async (options: SnsLocalOptions = {}): Promise<SnsLocal> => {
  const logSize = options.logSize ?? 10_000;
  const file = options.dataDir && path.join(options.dataDir, SNS_RECORDS_FILE);
  const stored = file ? loadRecords(file) : [];
  let smsLog: SmsRecord[] = stored
    .filter((record) => record.kind === 'sms')
    .map(({ kind: _kind, ...record }) => record as SmsRecord)
    .reverse()
    .slice(0, logSize);
  let pushLog: PushRecord[] = stored
    .filter((record) => record.kind === 'push')
    .map(({ kind: _kind, ...record }) => record as PushRecord)
    .reverse()
    .slice(0, logSize);
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  let fd: number | undefined;
  const listeners = new Set<(record: SnsRecord) => void>();
  /** Durable before the caller hears back: written and fsynced, then kept in memory and announced. */
  const keep = (record: SnsRecord) => {
    if (fd !== undefined) appendJsonLine(fd, record, { fsync: true });
    const { kind, ...rest } = record;
    if (kind === 'sms') smsLog = [rest as SmsRecord, ...smsLog].slice(0, logSize);
    else pushLog = [rest as PushRecord, ...pushLog].slice(0, logSize);
    for (const listener of listeners) listener(record);
  };
  const optedOut = new Set<string>();
  const disabledTokens = new Set<string>();
  const endpoints = new Map<string, Endpoint>();
  const injected = new Map<SnsAction, SnsErrorCode[]>();

  const endpointOf = (arn: string): Endpoint => {
    const endpoint = endpoints.get(arn);
    if (!endpoint) throw new SnsError('NotFound', 'Endpoint does not exist');
    return endpoint;
  };

  /** With MessageStructure=json, the message for one protocol (or `default`); otherwise the text itself. */
  const structured = (params: URLSearchParams): Record<string, unknown> | undefined => {
    if (params.get('MessageStructure') !== 'json') return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(params.get('Message') ?? '');
    } catch {
      throw new SnsError(
        'InvalidParameter',
        'Invalid parameter: Message Structure - JSON message body failed to parse',
      );
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new SnsError(
        'InvalidParameter',
        'Invalid parameter: Message Structure - JSON message body failed to parse',
      );
    }
    if (typeof (parsed as Record<string, unknown>).default !== 'string') {
      throw new SnsError(
        'InvalidParameter',
        'Invalid parameter: Message Structure - No default entry in JSON message body',
      );
    }
    return parsed as Record<string, unknown>;
  };

  const publishSms = (params: URLSearchParams, messageId: string) => {
    const phoneNumber = phoneNumberOf(params, 'PhoneNumber');
    const structure = structured(params);
    const text = String(structure ? (structure.sms ?? structure.default) : params.get('Message'));
    const attributes = entries(params, 'MessageAttributes', 'Name', 'Value.StringValue');
    const smsType = attributes.get('AWS.SNS.SMS.SMSType') ?? 'Promotional';
    if (smsType !== 'Transactional' && smsType !== 'Promotional') {
      throw new SnsError(
        'InvalidParameter',
        'Invalid parameter: MessageAttributes Reason: AWS.SNS.SMS.SMSType must be Promotional or Transactional',
      );
    }
    const senderId = attributes.get('AWS.SNS.SMS.SenderID');
    if (senderId !== undefined && !SENDER_ID.test(senderId)) {
      throw new SnsError(
        'InvalidParameter',
        'Invalid parameter: MessageAttributes Reason: AWS.SNS.SMS.SenderID must be 1-11 letters and digits, at least one letter',
      );
    }
    const { segments, encoding } = measureSms(text);
    const blocked = optedOut.has(phoneNumber);
    const record: SmsRecord = {
      messageId,
      phoneNumber,
      text,
      smsType,
      senderId,
      originationNumber: attributes.get('AWS.MM.SMS.OriginationNumber'),
      segments,
      encoding,
      delivered: !blocked,
      reason: blocked ? 'the phone number opted out' : undefined,
      at: new Date().toISOString(),
    };
    keep({ kind: 'sms', ...record });
  };

  const publishPush = (params: URLSearchParams, targetArn: string, messageId: string) => {
    const endpoint = endpoints.get(targetArn);
    if (!endpoint) {
      throw new SnsError(
        'InvalidParameter',
        'Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified',
      );
    }
    if (!endpoint.enabled) throw new SnsError('EndpointDisabled', 'Endpoint is disabled');
    const message = params.get('Message') ?? '';
    const structure = structured(params);
    let payload: unknown = structure ? structure.default : message;
    const platformMessage = structure?.[endpoint.platform];
    if (typeof platformMessage === 'string') {
      try {
        payload = JSON.parse(platformMessage);
      } catch {
        throw new SnsError(
          'InvalidParameter',
          `Invalid parameter: Message Reason: Invalid notification for protocol ${endpoint.platform}: payload is not JSON`,
        );
      }
    }
    const record: PushRecord = {
      messageId,
      endpointArn: endpoint.arn,
      token: endpoint.token,
      platform: endpoint.platform,
      platformApplicationArn: endpoint.platformApplicationArn,
      payload,
      message,
      at: new Date().toISOString(),
    };
    keep({ kind: 'push', ...record });
  };

  const publish = (params: URLSearchParams): string => {
    const targets = ['TopicArn', 'TargetArn', 'PhoneNumber'].filter((name) => params.get(name));
    if (targets.length !== 1) {
      throw new SnsError(
        'InvalidParameter',
        targets.length === 0
          ? 'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter'
          : 'Invalid parameter: only one of TopicArn, TargetArn or PhoneNumber can be given',
      );
    }
    if (!params.get('Message')) throw new SnsError('InvalidParameter', 'Invalid parameter: Empty message');
    if (params.get('TopicArn')) throw new SnsError('NotFound', 'Topic does not exist');
    const messageId = randomUUID();
    const targetArn = params.get('TargetArn');
    if (targetArn) publishPush(params, targetArn, messageId);
    else publishSms(params, messageId);
    return element('MessageId', messageId);
  };

  const createPlatformEndpoint = (params: URLSearchParams, region: string): string => {
    const platformApplicationArn = required(params, 'PlatformApplicationArn');
    const application = PLATFORM_APPLICATION_ARN.exec(platformApplicationArn);
    if (!application) {
      throw new SnsError(
        'InvalidParameter',
        'Invalid parameter: PlatformApplicationArn Reason: Wrong format for the PlatformApplicationArn',
      );
    }
    const token = required(params, 'Token');
    const [, , account = LOCAL_ACCOUNT_ID, platform = 'GCM', name = 'app'] = application;
    const arn = `arn:aws:sns:${region}:${account}:endpoint/${platform}/${name}/${endpointId(platformApplicationArn, token)}`;
    const customUserData = params.get('CustomUserData') ?? undefined;
    const existing = endpoints.get(arn);
    if (existing) {
      if (customUserData !== undefined && customUserData !== existing.customUserData) {
        throw new SnsError(
          'InvalidParameter',
          `Invalid parameter: Token Reason: Endpoint ${arn} already exists with the same Token, but different attributes.`,
        );
      }
    } else {
      const attributes = entries(params, 'Attributes', 'key', 'value');
      endpoints.set(arn, {
        arn,
        platformApplicationArn,
        platform,
        token,
        enabled: !disabledTokens.has(token) && attributes.get('Enabled') !== 'false',
        customUserData,
      });
    }
    return element('EndpointArn', arn);
  };

  const setEndpointAttributes = (params: URLSearchParams): undefined => {
    const endpoint = endpointOf(required(params, 'EndpointArn'));
    for (const [key, value] of entries(params, 'Attributes', 'key', 'value')) {
      if (key === 'Enabled') {
        if (value !== 'true' && value !== 'false') {
          throw new SnsError(
            'InvalidParameter',
            'Invalid parameter: Attributes Reason: Enabled must be true or false',
          );
        }
        endpoint.enabled = value === 'true';
      } else if (key === 'Token') endpoint.token = value;
      else if (key === 'CustomUserData') endpoint.customUserData = value;
      else
        throw new SnsError(
          'InvalidParameter',
          `Invalid parameter: Attributes Reason: Invalid attribute name: ${key}`,
        );
    }
    return undefined;
  };

  const getEndpointAttributes = (params: URLSearchParams): string => {
    const endpoint = endpointOf(required(params, 'EndpointArn'));
    const attributes: Array<[string, string]> = [
      ['Enabled', String(endpoint.enabled)],
      ['Token', endpoint.token],
      ...(endpoint.customUserData === undefined
        ? []
        : [['CustomUserData', endpoint.customUserData] as [string, string]]),
    ];
    return `<Attributes>${attributes
      .map(([key, value]) => `<entry>${element('key', key)}${element('value', value)}</entry>`)
      .join('')}</Attributes>`;
  };

  const listPhoneNumbersOptedOut = (params: URLSearchParams): string => {
    const all = [...optedOut].sort();
    const start = Number(params.get('nextToken') ?? 0);
    if (!Number.isInteger(start) || start < 0 || start > all.length) {
      throw new SnsError('InvalidParameter', 'Invalid parameter: nextToken');
    }
    const page = all.slice(start, start + OPTED_OUT_PAGE);
    const next = start + page.length;
    return (
      `<phoneNumbers>${page.map((phone) => element('member', phone)).join('')}</phoneNumbers>` +
      (next < all.length ? element('nextToken', String(next)) : '')
    );
  };

  const actions: Record<SnsAction, (params: URLSearchParams, request: AwsRequest) => string | undefined> = {
    Publish: publish,
    CreatePlatformEndpoint: (params, request) => createPlatformEndpoint(params, request.region),
    SetEndpointAttributes: setEndpointAttributes,
    GetEndpointAttributes: getEndpointAttributes,
    DeleteEndpoint: (params) => {
      endpoints.delete(required(params, 'EndpointArn'));
      return undefined;
    },
    CheckIfPhoneNumberIsOptedOut: (params) =>
      element('isOptedOut', String(optedOut.has(phoneNumberOf(params, 'phoneNumber')))),
    ListPhoneNumbersOptedOut: listPhoneNumbersOptedOut,
    OptInPhoneNumber: (params) => {
      optedOut.delete(phoneNumberOf(params, 'phoneNumber'));
      return '';
    },
  };

  const handle = async (request: AwsRequest): Promise<AwsResponse> => {
    const params = new URLSearchParams(request.body.toString('utf8'));
    const action = params.get('Action') ?? '';
    if (request.method !== 'POST' || !Object.hasOwn(actions, action)) {
      return xmlError(
        'InvalidAction',
        `The action ${action} is not valid for this web service.`,
        request.requestId,
      );
    }
    const known = action as SnsAction;
    const failures = injected.get(known);
    const failure = failures?.shift();
    if (failure) {
      return xmlError(failure, `${failure} (injected by the local SNS)`, request.requestId);
    }
    try {
      return xmlResponse(known, actions[known](params, request), request.requestId);
    } catch (error) {
      if (error instanceof SnsError) return xmlError(error.code, error.message, request.requestId);
      throw error;
    }
  };

  const server = await startAwsHttpServer({
    name: 'local SNS',
    port: options.port,
    portEnvVar: SNS_PORT_ENV,
    maxBodyBytes: 1024 * 1024,
    defaultRegion: options.region ?? LOCAL_REGION,
    handle,
    tooLarge: (request) => xmlError('RequestEntityTooLarge', 'Request entity too large.', request.requestId),
    internalError: (request) =>
      xmlError('InternalError', 'Internal error in the local SNS.', request.requestId),
  });

  // Opened once the port is ours, so a busy port leaves no file handle behind.
  if (file !== undefined) fd = openSync(file, 'a', 0o600);

  return {
    endpoint: server.endpoint,
    port: server.port,
    sms: () => [...smsLog],
    pushes: () => [...pushLog],
    onRecord: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    optOut: (phoneNumber) => {
      optedOut.add(phoneNumber);
    },
    disableEndpoint: (token) => {
      disabledTokens.add(token);
      for (const endpoint of endpoints.values()) if (endpoint.token === token) endpoint.enabled = false;
    },
    failNext: (action, code, times = 1) => {
      if (!Number.isInteger(times) || times < 1) throw new RangeError('times must be a whole number >= 1');
      injected.set(action, [...(injected.get(action) ?? []), ...Array<SnsErrorCode>(times).fill(code)]);
    },
    clear: () => {
      smsLog = [];
      pushLog = [];
      if (file !== undefined) truncateSync(file, 0);
    },
    stop: async () => {
      await server.stop();
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
};
