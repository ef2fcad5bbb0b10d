/**
 * The local outbox page: every e-mail (rendered), SMS (with its segment count) and push the local stack
 * sent, newest first, each order with its tracking page, timeline and notification log. Local only: it
 * shows full addresses because they are the developer's test data.
 */
import { type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { documentClient } from '../functions/adapters/aws-clients.js';
import { DynamoDbNotificationLog } from '../functions/adapters/dynamodb-notification-log.js';
import { DynamoDbOrderRepository } from '../functions/adapters/dynamodb-order-repository.js';
import { STATE_SK } from '../functions/adapters/table-keys.js';
import { replay } from '../functions/domain/order-lifecycle.js';
import { contentSecurityPolicy, SECURITY_HEADERS, styleHash } from '../functions/domain/web/headers.js';
import { html, type SafeHtml, styleElement } from '../functions/domain/web/html.js';
import type { SesLocal } from './ses-local.js';
import type { SnsLocal } from './sns-local.js';

export interface OutboxDeps {
  readonly ses: SesLocal;
  readonly sns: SnsLocal;
  readonly dynamo: DynamoDBClient;
  readonly tableName: string;
  readonly apiUrl: string;
}

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#f5f6f8}
header{background:#1f4e79;color:#fff;padding:1rem 1.5rem}header a{color:#fff}main{padding:1rem 1.5rem;max-width:72rem}
section{background:#fff;border-radius:.5rem;padding:1rem 1.25rem;margin:0 0 1.25rem;box-shadow:0 1px 2px #0001}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e3e5e8;vertical-align:top}
th{font-weight:600;font-size:.85rem;color:#555}.muted{color:#666;font-size:.85rem}code{font-size:.85rem}
.pill{display:inline-block;padding:0 .5rem;border-radius:1rem;background:#e8eef5;font-size:.8rem}
iframe{width:100%;height:70vh;border:1px solid #ddd;border-radius:.4rem;background:#fff}pre{white-space:pre-wrap}`;

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

const page = (title: string, body: SafeHtml): APIGatewayProxyResultV2 => ({
  statusCode: 200,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': POLICY,
    ...SECURITY_HEADERS,
  },
  body: html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="refresh" content="5"><title>${title}</title>${styleElement(STYLE)}</head><body><header><strong><a href="/outbox">Local outbox</a></strong> · order-notifications, offline</header><main>${body}</main></body></html>`
    .value,
});

const notFound = (): APIGatewayProxyResultV2 => ({
  statusCode: 404,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body: 'not found',
});

const time = (value: number | string) => new Date(value).toISOString().replace('T', ' ').slice(0, 19);

interface OrderRow {
  shopId: string;
  orderId: string;
  orderNumber: string;
  status: string;
  trackingToken?: string;
  updatedAt?: string;
}

const listOrders = async (deps: OutboxDeps): Promise<OrderRow[]> => {
  const rows: OrderRow[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.dynamo.send(
      new ScanCommand({
        TableName: deps.tableName,
        FilterExpression: 'sk = :state',
        ExpressionAttributeValues: { ':state': { S: STATE_SK } },
        ProjectionExpression: 'shopId, orderId, orderNumber, #status, trackingToken, updatedAt',
        ExpressionAttributeNames: { '#status': 'status' },
        ExclusiveStartKey: start as never,
      }),
    );
    rows.push(...(page.Items ?? []).map((item) => unmarshall(item) as OrderRow));
    start = page.LastEvaluatedKey;
  } while (start);
  return rows.sort((a, b) => (b.updatedAt ?? '').localeCompare(a.updatedAt ?? ''));
};

const overview = async (deps: OutboxDeps): Promise<APIGatewayProxyResultV2> => {
  const [orders, emails] = await Promise.all([listOrders(deps), deps.ses.emails()]);
  const orderRows = orders
    .slice(0, 100)
    .map(
      (order) =>
        html`<tr><td><a href="/outbox/orders/${encodeURIComponent(order.shopId)}/${encodeURIComponent(order.orderId)}">${order.orderNumber}</a></td><td>${order.shopId}</td><td><span class="pill">${order.status}</span></td><td>${order.trackingToken ? html`<a href="/t/${encodeURIComponent(order.trackingToken)}">tracking page</a>` : '—'}</td><td class="muted">${order.updatedAt ? time(order.updatedAt) : ''}</td></tr>`,
    );
  const emailRows = [...emails]
    .reverse()
    .slice(0, 100)
    .map(
      (email) =>
        html`<tr><td class="muted">${time(email.at * 1000)}</td><td>${email.destination.to.join(', ')}</td><td><a href="/outbox/emails/${encodeURIComponent(email.messageId)}">${email.subject}</a></td></tr>`,
    );
  const smsRows = deps.sns
    .sms()
    .slice(0, 100)
    .map(
      (sms) =>
        html`<tr><td class="muted">${time(sms.at)}</td><td>${sms.phoneNumber}</td><td>${sms.text}</td><td>${sms.segments} × ${sms.encoding}${sms.delivered ? '' : ` (not delivered: ${sms.reason ?? ''})`}</td></tr>`,
    );
  const pushRows = deps.sns
    .pushes()
    .slice(0, 100)
    .map(
      (push) =>
        html`<tr><td class="muted">${time(push.at)}</td><td><code>${push.endpointArn}</code></td><td>${JSON.stringify(push.payload)}</td></tr>`,
    );
  return page(
    'Local outbox',
    html`<section><h2>Orders (${orders.length})</h2><table><tr><th>Order</th><th>Shop</th><th>Status</th><th>Customer view</th><th>Updated</th></tr>${orderRows}</table></section>
<section><h2>E-mails (${emails.length})</h2><table><tr><th>Sent</th><th>To</th><th>Subject</th></tr>${emailRows}</table></section>
<section><h2>SMS (${deps.sns.sms().length})</h2><table><tr><th>Sent</th><th>To</th><th>Text</th><th>Segments</th></tr>${smsRows}</table></section>
<section><h2>Push (${deps.sns.pushes().length})</h2><table><tr><th>Sent</th><th>Endpoint</th><th>Payload</th></tr>${pushRows}</table></section>`,
  );
};

const emailView = async (deps: OutboxDeps, messageId: string): Promise<APIGatewayProxyResultV2> => {
  const email = (await deps.ses.emails()).find((candidate) => candidate.messageId === messageId);
  if (!email) return notFound();
  // The message's own HTML in a sandboxed frame: it can neither run scripts nor reach this page.
  return page(
    email.subject,
    html`<section><h2>${email.subject}</h2><p class="muted">From ${email.from} to ${email.destination.to.join(', ')} at ${time(email.at * 1000)}</p><iframe sandbox title="e-mail" src="/outbox/emails/${encodeURIComponent(email.messageId)}/html"></iframe><h3>Plain text</h3><pre>${email.body.text ?? ''}</pre></section>`,
  );
};

const emailBody = async (deps: OutboxDeps, messageId: string): Promise<APIGatewayProxyResultV2> => {
  const email = (await deps.ses.emails()).find((candidate) => candidate.messageId === messageId);
  if (!email) return notFound();
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': EMAIL_BODY_POLICY,
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    },
    body: email.body.html ?? '',
  };
};

const orderView = async (
  deps: OutboxDeps,
  shopId: string,
  orderId: string,
): Promise<APIGatewayProxyResultV2> => {
  const documents = documentClient(deps.dynamo);
  const key = { shopId, orderId };
  const snapshot = await new DynamoDbOrderRepository(documents, deps.tableName).load(key);
  if (!snapshot) return notFound();
  const { state, timeline } = replay(snapshot.events.map((stored) => stored.event));
  const notifications = await new DynamoDbNotificationLog(documents, deps.tableName).list(key);
  const timelineRows = timeline.map(
    (entry) =>
      html`<tr><td class="muted">${time(entry.event.occurredAt)}</td><td>${entry.event.type}</td><td><span class="pill">${entry.outcome.kind}</span> ${'reason' in entry.outcome ? entry.outcome.reason : ''}</td></tr>`,
  );
  const notificationRows = notifications.map(
    (record) =>
      html`<tr><td class="muted">${time(record.updatedAt)}</td><td>${record.eventType}</td><td>${record.channel}</td><td><span class="pill">${record.outcome}</span> ${record.reason ?? ''}</td><td>${record.address ?? ''}</td><td>${record.attempts}</td></tr>`,
  );
  const token = snapshot.trackingToken && encodeURIComponent(snapshot.trackingToken);
  const tracking = token
    ? html`<p><a href="/t/${token}">The customer's tracking page</a> · <a href="/v1/orders/${token}">JSON</a></p>`
    : html`<p class="muted">No tracking page yet: the order is not placed.</p>`;
  return page(
    state.orderNumber,
    html`<section><h2>${state.orderNumber} <span class="pill">${state.status}</span></h2><p class="muted">${shopId} / ${orderId}</p>${tracking}
<h3>Timeline</h3><table><tr><th>Occurred</th><th>Event</th><th>Outcome</th></tr>${timelineRows}</table>
<h3>Notifications</h3><table><tr><th>Updated</th><th>About</th><th>Channel</th><th>Outcome</th><th>Address</th><th>Attempts</th></tr>${notificationRows}</table></section>`,
  );
};

export const makeOutboxHandler =
  (deps: OutboxDeps) =>
  async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
    if (event.requestContext.http.method !== 'GET') return notFound();
    if (event.rawPath === '/' || event.rawPath === '/outbox' || event.rawPath === '/outbox/') {
      return event.rawPath === '/'
        ? { statusCode: 302, headers: { location: '/outbox' }, body: '' }
        : overview(deps);
    }
    const body = /^\/outbox\/emails\/([^/]+)\/html$/.exec(event.rawPath);
    if (body?.[1]) return emailBody(deps, decodeURIComponent(body[1]));
    const email = /^\/outbox\/emails\/([^/]+)$/.exec(event.rawPath);
    if (email?.[1]) return emailView(deps, decodeURIComponent(email[1]));
    const order = /^\/outbox\/orders\/([^/]+)\/([^/]+)$/.exec(event.rawPath);
    if (order?.[1] && order[2])
      return orderView(deps, decodeURIComponent(order[1]), decodeURIComponent(order[2]));
    return notFound();
  };
