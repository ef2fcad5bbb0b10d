/**
 * The local outbox: every e-mail (rendered), SMS (with its segment count) and push the local stack sent,
 * newest first, paged and searchable, the messages held for quiet hours with when they go, and each order
 * with its tracking page, timeline, notification log and messages; as HTML pages and a JSON API under
 * /outbox/api (docs/local-stack.md). It reads an index kept as messages arrive (local/outbox-index.ts),
 * not the whole table and SES store per refresh. Local only: it shows full addresses because they are
 * the developer's test data, so it has a port of its own.
 */

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { documentClient } from '../functions/adapters/aws-clients.js';
import { DynamoDbNotificationLog } from '../functions/adapters/dynamodb-notification-log.js';
import { DynamoDbOrderRepository } from '../functions/adapters/dynamodb-order-repository.js';
import { replay } from '../functions/domain/order-lifecycle.js';
import { type ShopRegistryStore, shopSummary } from '../functions/domain/shop-registry.js';
import { contentSecurityPolicy, SECURITY_HEADERS, styleHash } from '../functions/domain/web/headers.js';
import { html, type SafeHtml, styleElement } from '../functions/domain/web/html.js';
import {
  type OutboxIndex,
  type OutboxMessageView,
  type OutboxOrder,
  OutboxQueryError,
  parseChannel,
  parseLimit,
} from './outbox-index.js';

export interface OutboxDeps {
  readonly index: OutboxIndex;
  /** The shop registry, for the list of shops the stack serves (and their states). */
  readonly shops: Pick<ShopRegistryStore, 'list'>;
  readonly dynamo: DynamoDBClient;
  readonly tableName: string;
}

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#f5f6f8}
header{background:#1f4e79;color:#fff;padding:1rem 1.5rem}header a{color:#fff}main{padding:1rem 1.5rem;max-width:72rem}
section{background:#fff;border-radius:.5rem;padding:1rem 1.25rem;margin:0 0 1.25rem;box-shadow:0 1px 2px #0001}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e3e5e8;vertical-align:top}
th{font-weight:600;font-size:.85rem;color:#555}.muted{color:#666;font-size:.85rem}code{font-size:.85rem}
.pill{display:inline-block;padding:0 .5rem;border-radius:1rem;background:#e8eef5;font-size:.8rem}
iframe{width:100%;height:70vh;border:1px solid #ddd;border-radius:.4rem;background:#fff}pre{white-space:pre-wrap}
form{margin:0 0 1rem}input,select,button{font:inherit;padding:.25rem .5rem}nav a{margin-right:.75rem}.held{background:#fff6e0}`;

const POLICY = contentSecurityPolicy({ styleSources: [styleHash(STYLE)], frameSources: ["'self'"] });

/**
 * An e-mail's own HTML, framed by its outbox page: sandboxed (no scripts, forms or same-origin access),
 * its inline styles allowed since an e-mail has no others, images from web addresses only.
 */
const EMAIL_BODY_POLICY = contentSecurityPolicy({
  styleSources: ["'unsafe-inline'"],
  imageOrigins: ['https:', 'http://localhost:*', 'http://127.0.0.1:*'],
  frameAncestors: ["'self'"],
  sandbox: true,
});

const page = (title: string, body: SafeHtml, refresh = true): APIGatewayProxyResultV2 => ({
  statusCode: 200,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': POLICY,
    ...SECURITY_HEADERS,
  },
  body: html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">${refresh ? html`<meta http-equiv="refresh" content="5">` : ''}<title>${title}</title>${styleElement(STYLE)}</head><body><header><strong><a href="/outbox">Local outbox</a></strong> · order-notifications, offline</header><main>${body}</main></body></html>`
    .value,
});

const notFound = (): APIGatewayProxyResultV2 => ({
  statusCode: 404,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body: 'not found',
});

const json = (statusCode: number, value: unknown): APIGatewayProxyResultV2 => ({
  statusCode,
  headers: {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  },
  body: JSON.stringify(value),
});

const time = (value: number | string) => new Date(value).toISOString().replace('T', ' ').slice(0, 19);

const orderHref = (shopId: string, orderId: string) =>
  `/outbox/orders/${encodeURIComponent(shopId)}/${encodeURIComponent(orderId)}`;

/** The overview's own address with some query parameters changed (empty ones left out). */
const withQuery = (params: Record<string, string | undefined>) => {
  const query = new URLSearchParams(
    Object.entries(params).filter((entry): entry is [string, string] => Boolean(entry[1])),
  ).toString();
  return query ? `/outbox?${query}` : '/outbox';
};

const messageRow = (message: OutboxMessageView) => {
  const order = message.order
    ? html`<a href="${orderHref(message.order.shopId, message.order.orderId)}">${message.order.orderNumber ?? message.order.orderId}</a>`
    : html`<span class="muted">—</span>`;
  const what =
    message.channel === 'email'
      ? html`<a href="/outbox/emails/${encodeURIComponent(message.id)}">${message.subject ?? ''}</a>`
      : message.channel === 'sms'
        ? html`${message.text} <span class="muted">${message.segments} × ${message.encoding}</span>`
        : html`<code>${message.text}</code>`;
  const delivery = message.delivered
    ? ''
    : html` <span class="pill">not delivered: ${message.reason ?? ''}</span>`;
  return html`<tr><td class="muted">${time(message.at)}</td><td><span class="pill">${message.channel}</span></td><td>${message.to}</td><td>${what}${delivery}</td><td>${order}</td></tr>`;
};

const CHANNEL_LABELS = { email: 'E-mails', sms: 'SMS', push: 'Push' } as const;

/** The registry's shops as the outbox shows them: no configuration beyond what tells them apart. */
const shopSummaries = async (deps: OutboxDeps) =>
  (await deps.shops.list({ includeDeleted: true })).map(shopSummary);

const overview = async (
  deps: OutboxDeps,
  query: Record<string, string | undefined>,
): Promise<APIGatewayProxyResultV2> => {
  const shops = await shopSummaries(deps);
  const shopRows = shops.map(
    (shop) =>
      html`<tr><td><code>${shop.shopId}</code></td><td>${shop.name}</td><td><span class="pill">${shop.state}</span>${shop.note ? html` <span class="muted">${shop.note}</span>` : ''}</td><td>${shop.version}</td><td><code>${shop.producers.join(', ')}</code></td><td class="muted">${time(shop.updatedAt)} · ${shop.updatedBy}</td></tr>`,
  );
  const channel = parseChannel(query.channel);
  const q = query.q?.trim() || undefined;
  const counts = deps.index.counts();
  const held = deps.index.held();
  const messages = deps.index.messages({ channel, q, cursor: query.cursor, limit: parseLimit(query.limit) });
  const orders = deps.index.orders({ q, cursor: query.orders, limit: parseLimit(query.limit) });
  // Every channel with its count, and what waits for quiet hours, so "SMS (0)" never stands unexplained.
  const tabs = (['email', 'sms', 'push'] as const).map((name) => {
    const label = html`${CHANNEL_LABELS[name]} (${counts[name]})${counts.held[name] > 0 ? html`, ${counts.held[name]} held for quiet hours` : ''}`;
    return name === channel
      ? html`<strong>${label}</strong>`
      : html`<a href="${withQuery({ channel: name, q })}">${label}</a>`;
  });
  const heldRows = held.map(
    (record) =>
      html`<tr class="held"><td>${record.deliverAfter ? time(record.deliverAfter) : '?'}</td><td><span class="pill">${record.channel}</span></td><td>${record.eventType}</td><td>${record.address ?? ''}</td><td><a href="${orderHref(record.shopId, record.orderId)}">${record.orderId}</a></td><td class="muted">${record.reason ?? ''}</td></tr>`,
  );
  const heldSection =
    held.length > 0
      ? html`<section><h2>Held for quiet hours (${held.length})</h2><p class="muted">Waiting in the notification log for the end of the customer's quiet hours; each goes at the time shown (UTC). Set ORDER_NOTIFICATIONS_QUIET_HOURS=off for <code>npm start</code> to send at any hour.</p><table><tr><th>Goes at</th><th>Channel</th><th>About</th><th>To</th><th>Order</th><th>Why</th></tr>${heldRows}</table></section>`
      : '';
  const orderRows = orders.items.map(
    (order: OutboxOrder) =>
      html`<tr><td><a href="${orderHref(order.shopId, order.orderId)}">${order.orderNumber}</a></td><td>${order.shopId}</td><td><span class="pill">${order.status}</span></td><td>${order.trackingToken ? html`<a href="/t/${encodeURIComponent(order.trackingToken)}">tracking page</a>` : '—'}</td><td class="muted">${order.updatedAt ? time(order.updatedAt) : ''}</td></tr>`,
  );
  const more = (cursor: string | undefined, name: 'cursor' | 'orders', what: string) =>
    cursor
      ? html`<p><a href="${withQuery({ channel, q, [name]: cursor, limit: query.limit })}">Older ${what} →</a></p>`
      : '';
  const paging = Boolean(query.cursor || query.orders);
  return page(
    'Local outbox',
    html`<form method="get" action="/outbox"><input type="search" name="q" value="${q ?? ''}" placeholder="order id or number, recipient, text" aria-label="Search"> <select name="channel" aria-label="Channel"><option value="">all channels</option>${(['email', 'sms', 'push'] as const).map((name) => html`<option value="${name}"${name === channel ? html` selected` : ''}>${name}</option>`)}</select> <button>Search</button> <a href="/outbox">clear</a> · <a href="/outbox/api/messages${q || channel ? `?${new URLSearchParams({ ...(q ? { q } : {}), ...(channel ? { channel } : {}) }).toString()}` : ''}">JSON</a></form>
${heldSection}<section><h2>Messages (${messages.total})</h2><nav>${tabs}</nav><table><tr><th>Sent</th><th>Channel</th><th>To</th><th>Message</th><th>Order</th></tr>${messages.items.map(messageRow)}</table>${more(messages.nextCursor, 'cursor', 'messages')}</section>
<section><h2>Orders (${orders.total})</h2><table><tr><th>Order</th><th>Shop</th><th>Status</th><th>Customer view</th><th>Updated</th></tr>${orderRows}</table>${more(orders.nextCursor, 'orders', 'orders')}</section>
<section><h2>Shops (${shops.length})</h2><p class="muted">The shop registry (<code>npm run cli -- shops list</code>; change one with <code>shops put</code>: live within 5 s) · <a href="/outbox/api/shops">JSON</a></p><table><tr><th>Shop</th><th>Name</th><th>State</th><th>Version</th><th>Producers</th><th>Updated</th></tr>${shopRows}</table></section>`,
    // A page further back stays put; the first page follows new messages.
    !paging,
  );
};

const emailView = (deps: OutboxDeps, messageId: string): APIGatewayProxyResultV2 => {
  const email = deps.index.message(messageId);
  if (email?.channel !== 'email') return notFound();
  // The message's own HTML in a sandboxed frame: it can neither run scripts nor reach this page.
  return page(
    email.subject ?? '',
    html`<section><h2>${email.subject ?? ''}</h2><p class="muted">From ${email.from ?? ''} to ${email.to} at ${time(email.at)}${email.order ? html` · <a href="${orderHref(email.order.shopId, email.order.orderId)}">order ${email.order.orderNumber ?? email.order.orderId}</a>` : ''}</p><iframe sandbox title="e-mail" src="/outbox/emails/${encodeURIComponent(email.id)}/html"></iframe><h3>Plain text</h3><pre>${email.text}</pre></section>`,
    false,
  );
};

const emailBody = (deps: OutboxDeps, messageId: string): APIGatewayProxyResultV2 => {
  const email = deps.index.message(messageId);
  if (email?.channel !== 'email') return notFound();
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': EMAIL_BODY_POLICY,
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    },
    body: email.html ?? '',
  };
};

const loadOrder = async (deps: OutboxDeps, shopId: string, orderId: string) => {
  const documents = documentClient(deps.dynamo);
  const key = { shopId, orderId };
  // One order's partitions (its events, its notification log): queries, not a scan.
  const snapshot = await new DynamoDbOrderRepository(documents, deps.tableName).load(key);
  if (!snapshot) return undefined;
  const { state, timeline } = replay(snapshot.events.map((stored) => stored.event));
  const notifications = await new DynamoDbNotificationLog(documents, deps.tableName).list(key);
  return { snapshot, state, timeline, notifications, messages: deps.index.messagesOf(shopId, orderId) };
};

const api = async (
  deps: OutboxDeps,
  rawPath: string,
  query: Record<string, string | undefined>,
): Promise<APIGatewayProxyResultV2> => {
  if (rawPath === '/outbox/api/messages') {
    const result = deps.index.messages({
      channel: parseChannel(query.channel),
      q: query.q,
      cursor: query.cursor,
      limit: parseLimit(query.limit),
    });
    return json(200, { messages: result.items, nextCursor: result.nextCursor, total: result.total });
  }
  const message = /^\/outbox\/api\/messages\/([^/]+)$/.exec(rawPath);
  if (message?.[1]) {
    const found = deps.index.message(decodeURIComponent(message[1]));
    return found ? json(200, found) : json(404, { error: 'no message with this id' });
  }
  if (rawPath === '/outbox/api/orders') {
    const result = deps.index.orders({ q: query.q, cursor: query.cursor, limit: parseLimit(query.limit) });
    return json(200, { orders: result.items, nextCursor: result.nextCursor, total: result.total });
  }
  const order = /^\/outbox\/api\/orders\/([^/]+)\/([^/]+)$/.exec(rawPath);
  if (order?.[1] && order[2]) {
    const loaded = await loadOrder(deps, decodeURIComponent(order[1]), decodeURIComponent(order[2]));
    if (!loaded) return json(404, { error: 'no order with this shop id and order id' });
    return json(200, {
      order: {
        shopId: decodeURIComponent(order[1]),
        orderId: decodeURIComponent(order[2]),
        orderNumber: loaded.state.orderNumber,
        status: loaded.state.status,
        trackingToken: loaded.snapshot.trackingToken,
      },
      timeline: loaded.timeline.map((entry) => ({
        occurredAt: entry.event.occurredAt,
        type: entry.event.type,
        outcome: entry.outcome,
      })),
      notifications: loaded.notifications,
      messages: loaded.messages,
    });
  }
  if (rawPath === '/outbox/api/held') return json(200, { held: deps.index.held() });
  if (rawPath === '/outbox/api/shops') return json(200, { shops: await shopSummaries(deps) });
  return json(404, {
    error:
      'unknown outbox API path: /outbox/api/messages, /outbox/api/messages/{id}, /outbox/api/orders, /outbox/api/orders/{shopId}/{orderId}, /outbox/api/held, /outbox/api/shops',
  });
};

const orderView = async (
  deps: OutboxDeps,
  shopId: string,
  orderId: string,
): Promise<APIGatewayProxyResultV2> => {
  const loaded = await loadOrder(deps, shopId, orderId);
  if (!loaded) return notFound();
  const { snapshot, state, timeline, notifications, messages } = loaded;
  const timelineRows = timeline.map(
    (entry) =>
      html`<tr><td class="muted">${time(entry.event.occurredAt)}</td><td>${entry.event.type}</td><td><span class="pill">${entry.outcome.kind}</span> ${'reason' in entry.outcome ? entry.outcome.reason : ''}</td></tr>`,
  );
  const notificationRows = notifications.map(
    (record) =>
      html`<tr${record.outcome === 'deferred' ? html` class="held"` : ''}><td class="muted">${time(record.updatedAt)}</td><td>${record.eventType}</td><td>${record.channel}</td><td><span class="pill">${record.outcome}</span> ${record.reason ?? ''}${record.outcome === 'deferred' && record.deliverAfter ? html` · goes at ${time(record.deliverAfter)} UTC` : ''}</td><td>${record.address ?? ''}</td><td>${record.attempts}</td></tr>`,
  );
  const token = snapshot.trackingToken && encodeURIComponent(snapshot.trackingToken);
  const tracking = token
    ? html`<p><a href="/t/${token}">The customer's tracking page</a> · <a href="/v1/orders/${token}">JSON</a></p>`
    : html`<p class="muted">No tracking page yet: the order is not placed.</p>`;
  return page(
    state.orderNumber,
    html`<section><h2>${state.orderNumber} <span class="pill">${state.status}</span></h2><p class="muted">${shopId} / ${orderId} · <a href="/outbox/api/orders/${encodeURIComponent(shopId)}/${encodeURIComponent(orderId)}">JSON</a></p>${tracking}
<h3>Timeline</h3><table><tr><th>Occurred</th><th>Event</th><th>Outcome</th></tr>${timelineRows}</table>
<h3>Notifications</h3><table><tr><th>Updated</th><th>About</th><th>Channel</th><th>Outcome</th><th>Address</th><th>Attempts</th></tr>${notificationRows}</table>
<h3>Messages (${messages.length})</h3><table><tr><th>Sent</th><th>Channel</th><th>To</th><th>Message</th><th>Order</th></tr>${messages.map(messageRow)}</table></section>`,
  );
};

export const makeOutboxHandler =
  (deps: OutboxDeps) =>
  async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
    if (event.requestContext.http.method !== 'GET') return notFound();
    const query = (event.queryStringParameters ?? {}) as Record<string, string | undefined>;
    const isApi = event.rawPath.startsWith('/outbox/api/');
    try {
      if (event.rawPath === '/') return { statusCode: 302, headers: { location: '/outbox' }, body: '' };
      await deps.index.sync();
      if (isApi) return await api(deps, event.rawPath, query);
      if (event.rawPath === '/outbox' || event.rawPath === '/outbox/') return await overview(deps, query);
      const body = /^\/outbox\/emails\/([^/]+)\/html$/.exec(event.rawPath);
      if (body?.[1]) return emailBody(deps, decodeURIComponent(body[1]));
      const email = /^\/outbox\/emails\/([^/]+)$/.exec(event.rawPath);
      if (email?.[1]) return emailView(deps, decodeURIComponent(email[1]));
      const order = /^\/outbox\/orders\/([^/]+)\/([^/]+)$/.exec(event.rawPath);
      if (order?.[1] && order[2])
        return await orderView(deps, decodeURIComponent(order[1]), decodeURIComponent(order[2]));
      return notFound();
    } catch (error) {
      // A bad query parameter or a malformed %-escape in the path: the caller's mistake, said plainly.
      if (!(error instanceof OutboxQueryError) && !(error instanceof URIError)) throw error;
      return isApi
        ? json(400, { error: error.message })
        : { statusCode: 400, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: error.message };
    }
  };
