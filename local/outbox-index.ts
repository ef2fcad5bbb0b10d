/**
 * What the local outbox shows, kept as it arrives instead of read again on every refresh:
 *
 * - orders and notification-log records: one scan of the table when the outbox starts, then the
 *   table's stream (a reader of its own, from LATEST, opened before the scan so nothing falls between);
 * - e-mails: taken from aws-ses-v2-local's store with `since` (only the newest second is read again) and
 *   appended to `<dataDir>/outbox-emails.jsonl`, since aws-ses-v2-local keeps its store in memory only;
 * - SMS and pushes: from the local SNS, which keeps them in the data dir itself (local/sns-local.ts).
 *
 * Messages are joined to their orders by the notification log's providerMessageId. Local only: the
 * index holds full addresses and texts, the developer's test data.
 */
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { NOTIFICATIONS_PK_PREFIX, STATE_SK } from '../functions/adapters/table-keys.js';
import { CHANNELS, type Channel, type NotificationRecord } from '../functions/domain/notification-log.js';
import { openStream, type StreamReader } from './dynamodb-stream.js';
import { appendJsonLine, readJsonLines } from './journal.js';
import type { SesLocal, StoredEmail } from './ses-local.js';
import type { SnsLocal, SnsRecord } from './sns-local.js';

export const OUTBOX_EMAILS_FILE = 'outbox-emails.jsonl';

export interface OutboxOrder {
  readonly shopId: string;
  readonly orderId: string;
  readonly orderNumber: string;
  readonly status: string;
  readonly trackingToken?: string | undefined;
  readonly updatedAt?: string | undefined;
}

export interface OutboxMessage {
  /** The provider's MessageId (SES or SNS), as the notification log records it. */
  readonly id: string;
  readonly channel: Channel;
  /** When the local endpoint received it (ISO 8601). */
  readonly at: string;
  /** E-mail addresses, the phone number or the push endpoint. */
  readonly to: string;
  readonly from?: string | undefined;
  readonly subject?: string | undefined;
  /** The plain text, the SMS, or the push payload as JSON. */
  readonly text: string;
  readonly html?: string | undefined;
  readonly segments?: number | undefined;
  readonly encoding?: string | undefined;
  readonly delivered: boolean;
  readonly reason?: string | undefined;
}

export interface OutboxMessageView extends Omit<OutboxMessage, 'html'> {
  readonly order?: { readonly shopId: string; readonly orderId: string; readonly orderNumber?: string };
}

export interface Page<T> {
  readonly items: T[];
  /** Pass back as `cursor` for the next page; absent on the last one. */
  readonly nextCursor?: string | undefined;
  readonly total: number;
}

export class OutboxQueryError extends Error {}

const orderKey = (shopId: string, orderId: string) => `${shopId}\n${orderId}`;

/** How many rows a page has unless asked: enough to see, few enough to render at once. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export const parseLimit = (raw: string | undefined): number => {
  if (raw === undefined || raw === '') return DEFAULT_PAGE_SIZE;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)
    throw new OutboxQueryError(`limit=${raw} is not a whole number from 1 to ${MAX_PAGE_SIZE}`);
  return limit;
};

export const parseChannel = (raw: string | undefined): Channel | undefined => {
  if (raw === undefined || raw === '') return undefined;
  if (!(CHANNELS as readonly string[]).includes(raw))
    throw new OutboxQueryError(`channel=${raw} is not one of ${CHANNELS.join(', ')}`);
  return raw as Channel;
};

const encodeCursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decodeCursor = <T>(raw: string, check: (value: unknown) => value is T): T => {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!check(value))
    throw new OutboxQueryError('cursor is not one this outbox gave out: start again without it');
  return value;
};

const fromEmail = (email: StoredEmail): OutboxMessage => ({
  id: email.messageId,
  channel: 'email',
  at: new Date(email.at * 1000).toISOString(),
  to: email.destination.to.join(', '),
  from: email.from,
  subject: email.subject,
  text: email.body.text ?? '',
  html: email.body.html,
  delivered: true,
});

const fromSns = (record: SnsRecord): OutboxMessage =>
  record.kind === 'sms'
    ? {
        id: record.messageId,
        channel: 'sms',
        at: record.at,
        to: record.phoneNumber,
        from: record.senderId,
        text: record.text,
        segments: record.segments,
        encoding: record.encoding,
        delivered: record.delivered,
        reason: record.reason,
      }
    : {
        id: record.messageId,
        channel: 'push',
        at: record.at,
        to: record.endpointArn,
        text: JSON.stringify(record.payload),
        delivered: true,
      };

/** E-mails in the outbox's file (local/journal.ts reads it: a torn last line is dropped). */
const loadEmails = (file: string): OutboxMessage[] => readJsonLines<OutboxMessage>(file, 'an outbox e-mail');

export interface OutboxIndexDeps {
  readonly ses: SesLocal;
  readonly sns: SnsLocal;
  readonly dynamo: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  readonly tableName: string;
  /** Where e-mails are kept across restarts. @default memory only */
  readonly dataDir?: string | undefined;
  /**
   * How often it syncs without being asked, so an e-mail reaches the data dir within about this long
   * even while nobody looks (aws-ses-v2-local forgets it on a crash). 0: only when asked. @default 1000
   */
  readonly pollMs?: number | undefined;
}

export interface OutboxIndex {
  /** Takes in what arrived since the last call (stream records, new e-mails). */
  sync(): Promise<void>;
  messages(query: {
    channel?: Channel | undefined;
    q?: string | undefined;
    cursor?: string | undefined;
    limit?: number | undefined;
  }): Page<OutboxMessageView>;
  message(id: string): (OutboxMessageView & { readonly html?: string | undefined }) | undefined;
  orders(query: {
    q?: string | undefined;
    cursor?: string | undefined;
    limit?: number | undefined;
  }): Page<OutboxOrder>;
  /** The messages sent for one order, oldest first. */
  messagesOf(shopId: string, orderId: string): OutboxMessageView[];
  /** Notifications waiting for the end of quiet hours, the soonest first. */
  held(): NotificationRecord[];
  counts(): Record<Channel, number> & { readonly orders: number; readonly held: Record<Channel, number> };
  stop(): void;
}

export const startOutboxIndex = async (deps: OutboxIndexDeps): Promise<OutboxIndex> => {
  const orders = new Map<string, OutboxOrder>();
  const notifications = new Map<string, NotificationRecord>();
  /** providerMessageId -> order key */
  const sentFor = new Map<string, string>();
  /** Oldest first by (at, id): e-mails reach the index later than SMS, but take their place by time. */
  const messages: OutboxMessage[] = [];
  const byId = new Map<string, OutboxMessage>();
  const perChannel: Record<Channel, number> = { email: 0, sms: 0, push: 0 };
  const before = (a: { at: string; id: string }, b: { at: string; id: string }) =>
    a.at < b.at || (a.at === b.at && a.id < b.id);
  /** The position of the first message not before `key`. */
  const positionOf = (key: { at: string; id: string }) => {
    let low = 0;
    let high = messages.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (before(messages[middle] as OutboxMessage, key)) low = middle + 1;
      else high = middle;
    }
    return low;
  };

  const addMessage = (message: OutboxMessage): boolean => {
    if (byId.has(message.id)) return false;
    byId.set(message.id, message);
    messages.splice(positionOf(message), 0, message);
    perChannel[message.channel] += 1;
    return true;
  };

  const file = deps.dataDir && path.join(deps.dataDir, OUTBOX_EMAILS_FILE);
  if (deps.dataDir) mkdirSync(deps.dataDir, { recursive: true });
  const stored = file ? loadEmails(file) : [];
  let fd = file === undefined ? undefined : openSync(file, 'a', 0o600);
  let sesSince = 0;
  for (const email of stored) {
    addMessage(email);
    sesSince = Math.max(sesSince, Math.floor(Date.parse(email.at) / 1000));
  }
  for (const record of [
    ...deps.sns.sms().map((sms): SnsRecord => ({ kind: 'sms', ...sms })),
    ...deps.sns.pushes().map((push): SnsRecord => ({ kind: 'push', ...push })),
  ].sort((a, b) => a.at.localeCompare(b.at)))
    addMessage(fromSns(record));
  const unsubscribe = deps.sns.onRecord((record) => addMessage(fromSns(record)));

  const applyItem = (item: Record<string, unknown>, removed: boolean) => {
    const pk = String(item.pk ?? '');
    if (item.sk === STATE_SK && typeof item.shopId === 'string' && typeof item.orderId === 'string') {
      const key = orderKey(item.shopId, item.orderId);
      if (removed) {
        orders.delete(key);
        return;
      }
      const existing = orders.get(key);
      const updatedAt = typeof item.updatedAt === 'string' ? item.updatedAt : undefined;
      if (existing?.updatedAt && updatedAt && existing.updatedAt > updatedAt) return;
      if (typeof item.orderNumber !== 'string') return;
      orders.set(key, {
        shopId: item.shopId,
        orderId: item.orderId,
        orderNumber: item.orderNumber,
        status: String(item.status ?? ''),
        trackingToken: typeof item.trackingToken === 'string' ? item.trackingToken : undefined,
        updatedAt,
      });
    } else if (pk.startsWith(NOTIFICATIONS_PK_PREFIX)) {
      const key = `${pk}\n${String(item.sk)}`;
      if (removed) {
        notifications.delete(key);
        return;
      }
      const { pk: _pk, sk: _sk, ...rest } = item;
      const record = rest as unknown as NotificationRecord;
      const existing = notifications.get(key);
      if (existing && existing.updatedAt > record.updatedAt) return;
      notifications.set(key, record);
      if (record.providerMessageId)
        sentFor.set(record.providerMessageId, orderKey(record.shopId, record.orderId));
    }
  };

  // The stream first, so whatever is written during the scan is read from it afterwards.
  const reader: StreamReader = await openStream(deps.dynamo, deps.streams, deps.tableName, {
    from: 'LATEST',
  });
  // The reader takes its position (the end of each shard) at its first read, not when opened.
  await reader.read();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.dynamo.send(
      new ScanCommand({
        TableName: deps.tableName,
        FilterExpression: 'sk = :state OR begins_with(pk, :notifications)',
        ExpressionAttributeValues: {
          ':state': { S: STATE_SK },
          ':notifications': { S: NOTIFICATIONS_PK_PREFIX },
        },
        ExclusiveStartKey: start as never,
      }),
    );
    for (const item of page.Items ?? []) applyItem(unmarshall(item), false);
    start = page.LastEvaluatedKey;
  } while (start);

  const syncOnce = async () => {
    const { Records } = await reader.read();
    for (const record of Records) {
      const image = record.eventName === 'REMOVE' ? record.dynamodb?.OldImage : record.dynamodb?.NewImage;
      if (image) applyItem(unmarshall(image as never), record.eventName === 'REMOVE');
    }
    // `since` is inclusive and in whole seconds: the last second is read again and deduplicated.
    for (const email of await deps.ses.emails({ since: sesSince })) {
      sesSince = Math.max(sesSince, email.at);
      const message = fromEmail(email);
      if (!addMessage(message)) continue;
      if (fd !== undefined) appendJsonLine(fd, message, { fsync: true });
    }
  };
  let running: Promise<void> | undefined;
  let again = false;
  /** One sync at a time; a call during one waits for the next, which sees everything up to the call. */
  let stopped = false;
  const sync = async (): Promise<void> => {
    if (stopped) return;
    if (running) {
      again = true;
      while (running) await running;
      return;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await syncOnce();
        } while (again);
      } finally {
        running = undefined;
      }
    })();
    return running;
  };

  /** A sync cut short by `stop` (its stream reader closed under it) is no failure to report. */
  const reportSyncFailure = (error: unknown) => {
    if (!stopped)
      console.error(`local outbox: sync failed (${error instanceof Error ? error.name : 'error'}), retrying`);
  };
  const pollMs = deps.pollMs ?? 1000;
  const timer =
    pollMs > 0
      ? setInterval(() => {
          sync().catch(reportSyncFailure);
        }, pollMs)
      : undefined;
  timer?.unref();
  // An e-mail is copied to the data dir as soon as SES has answered its SendEmail, not up to a poll later:
  // aws-ses-v2-local keeps it in memory only, so a kill between the two would lose it from the outbox.
  const stopOnSent = deps.ses.onSent(() => {
    sync().catch(reportSyncFailure);
  });

  const viewOf = (message: OutboxMessage): OutboxMessageView => {
    const { html: _html, ...rest } = message;
    const key = sentFor.get(message.id);
    if (!key) return rest;
    const [shopId = '', orderId = ''] = key.split('\n');
    return { ...rest, order: { shopId, orderId, orderNumber: orders.get(key)?.orderNumber } };
  };

  const matches = (needle: string, ...haystack: Array<string | undefined>) =>
    haystack.some((value) => value?.toLowerCase().includes(needle));

  return {
    sync,
    messages: ({ channel, q, cursor, limit = DEFAULT_PAGE_SIZE }) => {
      // Newest first; the cursor is the last message given (its time and id), which arrivals never move.
      let from = messages.length - 1;
      if (cursor)
        from =
          positionOf(
            decodeCursor(
              cursor,
              (value): value is { at: string; id: string } =>
                typeof value === 'object' &&
                value !== null &&
                typeof (value as { at: unknown }).at === 'string' &&
                typeof (value as { id: unknown }).id === 'string',
            ),
          ) - 1;
      const needle = q?.trim().toLowerCase();
      const keep = (message: OutboxMessage) => {
        if (channel && message.channel !== channel) return false;
        if (!needle) return true;
        const view = viewOf(message);
        return matches(
          needle,
          message.id,
          message.to,
          message.subject,
          message.text,
          message.channel,
          view.order?.orderId,
          view.order?.orderNumber,
        );
      };
      const items: OutboxMessageView[] = [];
      let position = from;
      for (; position >= 0 && items.length < limit; position -= 1) {
        const message = messages[position];
        if (message && keep(message)) items.push(viewOf(message));
      }
      let more = false;
      for (let rest = position; rest >= 0; rest -= 1) {
        const message = messages[rest];
        if (message && keep(message)) {
          more = true;
          break;
        }
      }
      const total = !channel && !needle ? messages.length : channel && !needle ? perChannel[channel] : -1;
      return {
        items,
        nextCursor:
          more && items.length > 0 ? encodeCursor({ at: items.at(-1)?.at, id: items.at(-1)?.id }) : undefined,
        total: total >= 0 ? total : messages.filter(keep).length,
      };
    },
    message: (id) => {
      const message = byId.get(id);
      return message && { ...viewOf(message), html: message.html };
    },
    orders: ({ q, cursor, limit = DEFAULT_PAGE_SIZE }) => {
      const needle = q?.trim().toLowerCase();
      const all = [...orders.values()]
        .filter(
          (order) =>
            !needle ||
            matches(
              needle,
              order.orderId,
              order.orderNumber,
              order.shopId,
              order.status,
              order.trackingToken,
            ),
        )
        .sort(
          (a, b) =>
            (b.updatedAt ?? '').localeCompare(a.updatedAt ?? '') ||
            orderKey(a.shopId, a.orderId).localeCompare(orderKey(b.shopId, b.orderId)),
        );
      let startAt = 0;
      if (cursor) {
        const after = decodeCursor(
          cursor,
          (value): value is { updatedAt: string; key: string } =>
            typeof value === 'object' &&
            value !== null &&
            typeof (value as { updatedAt: unknown }).updatedAt === 'string' &&
            typeof (value as { key: unknown }).key === 'string',
        );
        // The first order after the last one given, in the same order: updatedAt descending, key ascending.
        startAt = all.findIndex((order) => {
          const updated = order.updatedAt ?? '';
          return (
            updated < after.updatedAt ||
            (updated === after.updatedAt && orderKey(order.shopId, order.orderId) > after.key)
          );
        });
        if (startAt < 0) startAt = all.length;
      }
      const items = all.slice(startAt, startAt + limit);
      const last = items.at(-1);
      return {
        items,
        nextCursor:
          last && startAt + limit < all.length
            ? encodeCursor({ updatedAt: last.updatedAt ?? '', key: orderKey(last.shopId, last.orderId) })
            : undefined,
        total: all.length,
      };
    },
    messagesOf: (shopId, orderId) => {
      const key = orderKey(shopId, orderId);
      const ids = [...notifications.values()]
        .filter((record) => orderKey(record.shopId, record.orderId) === key && record.providerMessageId)
        .map((record) => record.providerMessageId as string);
      return ids
        .map((id) => byId.get(id))
        .filter((message): message is OutboxMessage => message !== undefined)
        .sort((a, b) => (before(a, b) ? -1 : 1))
        .map(viewOf);
    },
    held: () =>
      [...notifications.values()]
        .filter((record) => record.outcome === 'deferred')
        .sort((a, b) => (a.deliverAfter ?? '').localeCompare(b.deliverAfter ?? '')),
    counts: () => {
      const held: Record<Channel, number> = { email: 0, sms: 0, push: 0 };
      for (const record of notifications.values())
        if (record.outcome === 'deferred') held[record.channel] += 1;
      return { ...perChannel, orders: orders.size, held };
    },
    stop: () => {
      stopped = true;
      if (timer) clearInterval(timer);
      stopOnSent();
      unsubscribe();
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
};
