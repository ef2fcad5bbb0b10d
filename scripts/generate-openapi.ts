/**
 * Generates docs/openapi.json (OpenAPI 3.1) for the public status API from the zod schemas the handler
 * answers with (functions/domain/order-view.ts, functions/status-api/schemas.ts). `--check` writes
 * nothing and exits 1 when the file is out of date; it runs in `npm test`, so the published contract
 * cannot drift from the code.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { MAX_WEBHOOK_BODY_BYTES } from '../functions/connector-webhooks/webhooks.js';
import { SHOP_ID_MAX_LENGTH, SHOP_ID_PATTERN } from '../functions/domain/order-events.js';
import { DEFAULT_UNSUBSCRIBE_TTL_DAYS } from '../functions/domain/signed-links.js';
import {
  NOT_FOUND_MESSAGE,
  SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS,
} from '../functions/status-api/errors.js';
import { MAX_PATH_LENGTH, MAX_QUERY_LENGTH } from '../functions/status-api/http.js';
import { STATUS_API_SCHEMAS } from '../functions/status-api/schemas.js';
import { DEFAULT_RATE_LIMITS, MAX_LOOKUP_BODY_BYTES } from '../functions/status-api/status-api.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUTPUT = 'docs/openapi.json';

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

/** Components: every registered schema, with zod's per-schema $schema and $id dropped (OpenAPI has its own). */
const components = (): Record<string, unknown> => {
  const { schemas } = z.toJSONSchema(STATUS_API_SCHEMAS, {
    target: 'draft-2020-12',
    uri: (id) => `#/components/schemas/${id}`,
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _schema, $id: _id, ...rest } = schema as Record<string, unknown>;
      return [id, rest];
    }),
  );
};

const securityHeaders = {
  'Content-Security-Policy': {
    description:
      "`default-src 'none'` and, for the page, only its inline stylesheet (by hash) and the shop's logo origin.",
    schema: { type: 'string' },
  },
  'Referrer-Policy': {
    description: '`no-referrer`: the token never leaves in a Referer.',
    schema: { type: 'string' },
  },
  'Strict-Transport-Security': { schema: { type: 'string' } },
  'X-Content-Type-Options': { schema: { type: 'string', const: 'nosniff' } },
};

const cacheHeaders = {
  ETag: { description: 'Strong validator: a hash of the body.', schema: { type: 'string' } },
  'Cache-Control': { description: '`private, max-age=30`.', schema: { type: 'string' } },
  Vary: { schema: { type: 'string', const: 'Accept-Language' } },
  ...securityHeaders,
};

const errorResponse = (description: string, extraHeaders: Record<string, unknown> = {}) => ({
  description,
  headers: { 'Cache-Control': { description: '`no-store`.', schema: { type: 'string' } }, ...extraHeaders },
  content: { 'application/json': { schema: ref('Error') } },
});

/** The webhook route's refusals: a message only (WooCommerce logs the body it got). */
const webhookError = (description: string, extraHeaders: Record<string, unknown> = {}) => ({
  description,
  headers: { 'Cache-Control': { description: '`no-store`.', schema: { type: 'string' } }, ...extraHeaders },
  content: {
    'application/json': {
      schema: { type: 'object', required: ['message'], properties: { message: { type: 'string' } } },
    },
  },
});

const htmlResponse = (description: string, extraHeaders: Record<string, unknown> = {}) => ({
  description,
  headers: extraHeaders,
  content: { 'text/html': { schema: { type: 'string' } } },
});

const retryAfter = {
  'Retry-After': {
    description: 'Seconds until the client may try again.',
    schema: { type: 'integer', minimum: 1 },
  },
};

const allow = (methods: string) => ({
  Allow: {
    description: `The methods this path takes: \`${methods}\`.`,
    schema: { type: 'string', const: methods },
  },
});

const unavailable = (response: typeof errorResponse | typeof htmlResponse) =>
  response(
    `DynamoDB timed out, throttled or could not be reached: try again after Retry-After (${SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS} s). Answered within the function timeout, never a hang.`,
    retryAfter,
  );

/** The HEAD twin of a GET operation: the same status codes and headers, no body (RFC 9110 §9.3.2). */
const headOf = (operation: {
  operationId: string;
  summary: string;
  parameters?: unknown[];
  responses: Record<string, Record<string, unknown>>;
}) => ({
  operationId: `${operation.operationId}Head`,
  summary: `${operation.summary}: headers only`,
  description: 'Answers exactly like GET, without a body.',
  ...(operation.parameters ? { parameters: operation.parameters } : {}),
  responses: Object.fromEntries(
    Object.entries(operation.responses).map(([status, { content: _content, ...response }]) => [
      status,
      response,
    ]),
  ),
});

const tokenParameter = {
  name: 'token',
  in: 'path',
  required: true,
  description:
    "The order's tracking token from a message link: 32 URL-safe characters (192 random bits). Unknown, malformed and expired tokens all get the same 404.",
  schema: { type: 'string', maxLength: MAX_PATH_LENGTH },
};

const languageParameters = [
  {
    name: 'lang',
    in: 'query',
    required: false,
    description:
      "Language of the response, as the customer chose it (the page's language switch sets it); wins over everything. Default: the language the customer ordered in, then Accept-Language (only when the order's locale is neither pl nor en), then the shop's.",
    schema: { type: 'string', enum: ['pl', 'en'] },
  },
  { name: 'Accept-Language', in: 'header', required: false, schema: { type: 'string' } },
  {
    name: 'If-None-Match',
    in: 'header',
    required: false,
    description: 'An ETag from an earlier response: a 304 without a body if nothing changed.',
    schema: { type: 'string' },
  },
];

const tokenErrors = {
  '304': { description: 'Not modified: the If-None-Match ETag is current.', headers: cacheHeaders },
  '400': errorResponse('A bad `lang` value.'),
  '404': errorResponse(
    `No such order. Always the same body: \`{"error":"not_found","message":"${NOT_FOUND_MESSAGE}"}\`.`,
  ),
  '414': errorResponse(
    `The path is longer than ${MAX_PATH_LENGTH} or the query string than ${MAX_QUERY_LENGTH} characters.`,
  ),
  '405': errorResponse('Only GET and HEAD.', allow('GET, HEAD')),
  '429': errorResponse(
    `More than ${DEFAULT_RATE_LIMITS.token.limit} requests in ${DEFAULT_RATE_LIMITS.token.windowSeconds} s from one client (default, configurable) on the token routes together. A client is an IPv4 address or an IPv6 /64.`,
    retryAfter,
  ),
  '500': errorResponse('An unexpected error; the body never says more than that.'),
  '503': unavailable(errorResponse),
};

const orderStatus = {
  operationId: 'getOrderStatus',
  summary: 'The order behind a tracking token, as JSON',
  parameters: [tokenParameter, ...languageParameters],
  responses: {
    '200': {
      description: 'The public view of the order.',
      headers: cacheHeaders,
      content: { 'application/json': { schema: ref('OrderView') } },
    },
    ...tokenErrors,
  },
};

const trackingPage = {
  operationId: 'getTrackingPage',
  summary: 'The tracking page (HTML, Polish or English, no JavaScript)',
  parameters: [tokenParameter, ...languageParameters],
  responses: {
    '200': htmlResponse('The tracking page.', cacheHeaders),
    '304': tokenErrors['304'],
    '400': htmlResponse('A bad `lang` value, explained on the page.'),
    '404': htmlResponse('The same "not found" page for every unknown, malformed or expired token.'),
    '405': htmlResponse('Only GET and HEAD.', allow('GET, HEAD')),
    '414': htmlResponse('The address is too long.'),
    '429': htmlResponse('Too many requests from this client.', retryAfter),
    '500': htmlResponse('An unexpected error.'),
    '503': unavailable(htmlResponse),
  },
};

const unsubscribeToken = {
  name: 'token',
  in: 'query',
  required: true,
  description: `The unsubscribe token from the message: opaque (the shop, channel and address sealed with AES-256-GCM), valid for ${DEFAULT_UNSUBSCRIBE_TTL_DAYS} days after the message was sent (configurable).`,
  schema: { type: 'string', maxLength: 2048 },
};

const unsubscribePageResponses = {
  '400': htmlResponse(
    'The link is invalid, altered, expired or for a shop not configured here; the page says so.',
  ),
  '405': htmlResponse('Only GET, HEAD and POST.', allow('GET, HEAD, POST')),
};

const unsubscribeConfirm = {
  operationId: 'getUnsubscribePage',
  summary: 'The unsubscribe confirmation page (a button; link scanners unsubscribe nobody)',
  parameters: [
    unsubscribeToken,
    { name: 'Accept-Language', in: 'header', required: false, schema: { type: 'string' } },
  ],
  responses: {
    '200': htmlResponse('Asks whether to stop the notifications of this shop on this channel.'),
    ...unsubscribePageResponses,
  },
};

const buildOpenApiDocument = () => ({
  openapi: '3.1.0',
  info: {
    title: 'Order status API',
    version: '1.0.0',
    description:
      'Public, read-only order status for customers: the JSON view of an order, the tracking page, and a lookup for customers without the link. No login: the unguessable token in the link is the credential. See docs/status-api.md for the security model.',
    license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
  },
  servers: [
    {
      url: 'https://status.example.pl',
      description: "A shop's status domain (ShopConfig.statusPage.baseUrl).",
    },
  ],
  paths: {
    '/v1/orders/{token}': { get: orderStatus, head: headOf(orderStatus) },
    '/t/{token}': { get: trackingPage, head: headOf(trackingPage) },
    '/v1/lookup': {
      post: {
        operationId: 'lookupTrackingUrl',
        summary: "The tracking link for shop + order number + the customer's e-mail or phone",
        description:
          'Every mismatch (unknown shop, unknown order number, wrong contact, order not placed yet) gives the same 404 after the same reads.',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: ref('LookupRequest') } },
        },
        responses: {
          '200': {
            description: 'The order matched.',
            headers: {
              'Cache-Control': { description: '`no-store`.', schema: { type: 'string' } },
              ...securityHeaders,
            },
            content: { 'application/json': { schema: ref('LookupResponse') } },
          },
          '400': errorResponse(
            'The body is empty, not UTF-8, not JSON, or a field is wrong; the message names the field.',
          ),
          '404': errorResponse('No order matches.'),
          '405': errorResponse('Only POST.', allow('POST')),
          '413': errorResponse(`The body is larger than ${MAX_LOOKUP_BODY_BYTES} bytes.`),
          '415': errorResponse('The body is not `application/json` in UTF-8.'),
          '429': errorResponse(
            `More than ${DEFAULT_RATE_LIMITS.lookup.limit} lookups in ${DEFAULT_RATE_LIMITS.lookup.windowSeconds} s from one client (an IPv4 address or an IPv6 /64), or more than ${DEFAULT_RATE_LIMITS.lookupPerOrder.limit} failed lookups of this shop and order number in ${DEFAULT_RATE_LIMITS.lookupPerOrder.windowSeconds} s from anyone: then every lookup of that number, even with the right contact, gets this answer until the window ends (defaults, configurable). Whether such an order exists makes no difference.`,
            retryAfter,
          ),
          '500': errorResponse('An unexpected error; the body never says more than that.'),
          '503': unavailable(errorResponse),
        },
      },
    },
    '/v1/webhooks/woocommerce/{shopId}': {
      post: {
        operationId: 'woocommerceWebhook',
        summary: "A WooCommerce shop's order webhook (order.created, order.updated), and its creation ping",
        description:
          "For WooCommerce, not for people: the body is the order as WooCommerce's REST API v3 returns it, signed in X-WC-Webhook-Signature (base64 HMAC-SHA256 of the raw body under the shop's webhook secret). Every answer a delivery can get is 2xx unless it was not authenticated or could not be handed on, because WooCommerce disables a webhook after repeated failures and never retries one. See docs/connectors.md.",
        parameters: [
          {
            name: 'shopId',
            in: 'path',
            required: true,
            description: "The shop's id in this deployment's registry.",
            schema: { type: 'string', pattern: SHOP_ID_PATTERN.source, maxLength: SHOP_ID_MAX_LENGTH },
          },
          ...['X-WC-Webhook-Signature', 'X-WC-Webhook-Topic', 'X-WC-Webhook-Delivery-ID'].map((name) => ({
            name,
            in: 'header',
            required: false,
            description: 'Set by WooCommerce on every delivery but the creation ping.',
            schema: { type: 'string' },
          })),
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: { type: 'object', description: 'A WooCommerce REST v3 order.' } },
            'application/x-www-form-urlencoded': {
              schema: { type: 'string', description: 'The creation ping: webhook_id=<n>.' },
            },
          },
        },
        responses: {
          '200': {
            description:
              '`result`: `ping`, `accepted` (events put on the bus, with their types), `unchanged` (the store already says it all), `ignored` (not an order topic) or `dead-lettered` (with the WooCommerce field in `reason`).',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['result'],
                  properties: {
                    result: { enum: ['ping', 'accepted', 'unchanged', 'ignored', 'dead-lettered'] },
                    events: { type: 'integer' },
                    types: { type: 'array', items: { type: 'string' } },
                    notes: { type: 'array', items: { type: 'string' } },
                    reason: { type: 'string' },
                  },
                },
              },
            },
          },
          '401': webhookError('The signature does not verify; nothing was read or stored.'),
          '404': webhookError('The shop does not exist here or has no WooCommerce connector.'),
          '405': webhookError('Only POST.', allow('POST')),
          '413': webhookError(`The body is larger than ${MAX_WEBHOOK_BODY_BYTES} bytes.`),
          '503': webhookError(
            "The shop's webhook secret is not set up, or the events could not be handed on; nothing was recorded.",
          ),
        },
      },
    },
    '/v1/unsubscribe': {
      get: unsubscribeConfirm,
      head: headOf(unsubscribeConfirm),
      post: {
        operationId: 'unsubscribe',
        summary: "Unsubscribes: the page's button, or the mail client's RFC 8058 one-click POST",
        parameters: [unsubscribeToken],
        requestBody: {
          required: false,
          description:
            "RFC 8058 one-click: `List-Unsubscribe=One-Click`; the page's button sends an empty form.",
          content: {
            'application/x-www-form-urlencoded': {
              schema: { type: 'object', properties: { 'List-Unsubscribe': { const: 'One-Click' } } },
            },
          },
        },
        responses: {
          '200': htmlResponse('Done: the shop sends nothing more to this address on this channel.'),
          ...unsubscribePageResponses,
        },
      },
    },
  },
  components: { schemas: components() },
});

const main = async (): Promise<void> => {
  const content = `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
  const file = path.join(ROOT, OUTPUT);
  if (!process.argv.includes('--check')) {
    await writeFile(file, content);
    console.log(`wrote ${OUTPUT}`);
    return;
  }
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing === content) {
    console.log(`${OUTPUT} is up to date`);
    return;
  }
  console.error(
    `${OUTPUT} is ${existing === undefined ? 'missing' : 'stale'}: it does not match the status API's zod schemas.\nRun \`npm run openapi\` to regenerate, then commit the result.`,
  );
  process.exitCode = 1;
};

await main();
