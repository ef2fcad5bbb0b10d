/**
 * The public order status API (API Gateway HTTP API, payload format 2.0):
 *
 *   GET  /v1/orders/{token}   the order's status as JSON
 *   GET  /t/{token}           the tracking page (HTML, Polish or English)
 *   POST /v1/lookup           a tracking link for shop + order number + the customer's e-mail or phone
 *
 * HEAD answers like GET without a body. This file only routes and translates: the reads are in
 * order-status.ts, the view in domain/order-view.ts, the page in render-page.ts, the HTTP details in
 * http.ts. Every failure is a 4xx with a message, a 503 with Retry-After when DynamoDB is slow, throttling
 * or unreachable, or a 500 with a generic body that is logged in full. Tokens are never logged: only a
 * short hash of them, to correlate requests.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { isServiceUnavailableError } from '../adapters/aws-clients.js';
import type { RateLimit, RateLimiter } from '../adapters/dynamodb-rate-limiter.js';
import { logLambdaContext } from '../commons/logging.js';
import { orderPageLanguage } from '../domain/i18n.js';
import { buildOrderView, type OrderView } from '../domain/order-view.js';
import type { Clock } from '../domain/ports.js';
import { clientBucket } from './client-address.js';
import {
  HttpError,
  MethodNotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
  TooManyRequestsError,
} from './errors.js';
import {
  browserLanguage,
  cacheable,
  checkUriLength,
  contentSecurityPolicy,
  fallbackLanguage,
  HTML_TYPE,
  type HttpResponse,
  htmlResponse,
  JSON_TYPE,
  jsonError,
  jsonResponse,
  MAX_PATH_LENGTH,
  readJsonBody,
  requestedLanguage,
} from './http.js';
import { findTrackedOrder, lookupTrackingUrl, type OrderStatusDeps } from './order-status.js';
import { type MessagePageKind, renderMessagePage, renderTrackingPage } from './render-page.js';
import { type LookupRequestBody, LookupRequestSchema } from './schemas.js';

export interface RateLimits {
  /** POST /v1/lookup, per client: tight, as each try guesses an order number and a contact. */
  readonly lookup: RateLimit;
  /**
   * POST /v1/lookup, per shop and order number, whoever asks: failed lookups allowed per window. After
   * them every lookup of that number answers 429 until the window ends, even with the right contact, so
   * guesses spread over many addresses still get at most this many answers per order.
   */
  readonly lookupPerOrder: RateLimit;
  /** GET /v1/orders/{token} and /t/{token} together, per client: loose, tokens cannot be guessed. */
  readonly token: RateLimit;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  lookup: { limit: 10, windowSeconds: 300 },
  lookupPerOrder: { limit: 5, windowSeconds: 3600 },
  token: { limit: 120, windowSeconds: 60 },
};

/** The rate-limit bucket of the per-order budget (its counters are keyed by shop and order number). */
const ORDER_BUDGET_BUCKET = 'lookup-order';

export const MAX_LOOKUP_BODY_BYTES = 4096;

/**
 * The least time a lookup takes to answer, whatever its outcome (production default). The two kinds of
 * miss do the same requests, but DynamoDB still reads a large order's item more slowly than a missing
 * one; answering no sooner than this (well above the path's usual 20-40 ms) leaves the time nothing to say.
 */
export const DEFAULT_LOOKUP_MIN_RESPONSE_MS = 150;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface StatusApiDeps extends OrderStatusDeps {
  readonly clock: Clock;
  readonly rateLimiter: RateLimiter;
  /** @default DEFAULT_RATE_LIMITS */
  readonly rateLimits?: Partial<RateLimits>;
  /**
   * Every lookup answers no sooner than this many milliseconds after it started (index.ts sets
   * DEFAULT_LOOKUP_MIN_RESPONSE_MS or LOOKUP_MIN_RESPONSE_MS).
   * @default 0: no padding
   */
  readonly lookupMinResponseMs?: number;
  readonly logger: Logger;
}

type Route = 'order_json' | 'tracking_page' | 'lookup' | 'unmatched';

const TOKEN_PATHS: ReadonlyArray<readonly [RegExp, Route]> = [
  [/^\/v1\/orders\/([^/]+)$/, 'order_json'],
  [/^\/t\/([^/]+)$/, 'tracking_page'],
];

const INTERNAL_ERROR_MESSAGE = 'Something went wrong on our side; please try again later.';

/** A correlation id for logs that cannot be turned back into the token. */
const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex').slice(0, 12);

const matchRoute = (path: string): { route: Route; token?: string } => {
  if (path === '/v1/lookup') return { route: 'lookup' };
  for (const [pattern, route] of TOKEN_PATHS) {
    const token = pattern.exec(path)?.[1];
    if (token !== undefined) return { route, token };
  }
  return { route: 'unmatched' };
};

const PAGE_KIND: Partial<Record<number, MessagePageKind>> = {
  404: 'not_found',
  429: 'too_many_requests',
  503: 'error',
};

const GET_METHODS = ['GET', 'HEAD'] as const;

export const makeStatusApiHandler = (deps: StatusApiDeps) => {
  const { logger } = deps;
  const limits: RateLimits = { ...DEFAULT_RATE_LIMITS, ...deps.rateLimits };

  const enforceLimit = async (event: APIGatewayProxyEventV2, bucket: 'lookup' | 'token'): Promise<void> => {
    const client = clientBucket(event.requestContext?.http?.sourceIp);
    const decision = await deps.rateLimiter.hit(bucket, client, limits[bucket]);
    if (!decision.allowed) throw new TooManyRequestsError(decision.retryAfterSeconds);
  };

  /**
   * Counts a failed lookup against its order number (a found one costs nothing but makes the same
   * request, so the two take the same time) and refuses every lookup of a number past its budget.
   * The counter is per shop and number as sent, whether or not such an order exists, so a 429 says
   * nothing about the order either.
   */
  const enforceOrderBudget = async (request: LookupRequestBody, found: boolean): Promise<void> => {
    const decision = await deps.rateLimiter.hit(
      ORDER_BUDGET_BUCKET,
      `${request.shopId}#${request.orderNumber}`,
      limits.lookupPerOrder,
      found ? 0 : 1,
    );
    if (!decision.allowed) throw new TooManyRequestsError(decision.retryAfterSeconds);
  };

  const orderView = async (event: APIGatewayProxyEventV2, token: string): Promise<OrderView> => {
    const explicit = requestedLanguage(event); // a bad ?lang= is a 400 before anything is read
    await enforceLimit(event, 'token');
    const order = await findTrackedOrder(deps, token);
    if (order.kind === 'shop_not_configured') {
      logger.warn('order of a shop that is not configured; answered as not found', {
        shopId: order.shopId,
        tokenHash: tokenHash(token),
      });
    }
    if (order.kind !== 'found') throw new NotFoundError();
    const { history, shop, notifications } = order;
    const language = orderPageLanguage({
      explicit,
      orderLocale: history.state.customer?.locale,
      browser: browserLanguage(event),
      shopDefault: shop.defaultLanguage,
    });
    return buildOrderView({
      history,
      notifications,
      shop,
      language,
      now: deps.clock.now(),
      lastChangedAt: order.updatedAt,
    });
  };

  /** One request to one response; failures are thrown as HttpError (4xx) or anything else (500). */
  const handle = async (
    event: APIGatewayProxyEventV2,
    route: Route,
    token?: string,
  ): Promise<HttpResponse> => {
    const method = event.requestContext?.http?.method ?? 'GET';
    if (route === 'unmatched') throw new NotFoundError();
    if (route === 'lookup') {
      if (method !== 'POST') throw new MethodNotAllowedError(method, ['POST']);
      const request = readJsonBody(event, LookupRequestSchema, MAX_LOOKUP_BODY_BYTES);
      // From here on the answer depends on stored orders: it leaves no sooner than the floor.
      const earliest = performance.now() + (deps.lookupMinResponseMs ?? 0);
      try {
        await enforceLimit(event, 'lookup');
        const result = await lookupTrackingUrl(deps, request);
        await enforceOrderBudget(request, result.kind === 'found');
        if (result.kind !== 'found') throw new NotFoundError();
        return jsonResponse(200, { trackingUrl: result.trackingUrl });
      } finally {
        const wait = earliest - performance.now();
        if (wait > 0) await sleep(wait);
      }
    }
    if (method !== 'GET' && method !== 'HEAD') throw new MethodNotAllowedError(method, GET_METHODS);
    const view = await orderView(event, token ?? '');
    if (route === 'order_json') {
      return cacheable(event, JSON.stringify(view), {
        contentType: JSON_TYPE,
        csp: contentSecurityPolicy(),
        language: view.language,
      });
    }
    const page = renderTrackingPage(view);
    return cacheable(event, page.html, {
      contentType: HTML_TYPE,
      csp: contentSecurityPolicy(page),
      language: view.language,
    });
  };

  const errorResponse = (event: APIGatewayProxyEventV2, html: boolean, error: HttpError | undefined) => {
    if (!html) {
      return error
        ? jsonError(error)
        : jsonResponse(500, { error: 'internal_error', message: INTERNAL_ERROR_MESSAGE });
    }
    const language = fallbackLanguage(event);
    const kind = error ? (PAGE_KIND[error.statusCode] ?? 'bad_request') : 'error';
    return htmlResponse(
      error?.statusCode ?? 500,
      renderMessagePage(kind, language, error?.message),
      language,
      error?.headers,
    );
  };

  return middy(async (event: APIGatewayProxyEventV2): Promise<HttpResponse> => {
    const path = event.rawPath ?? '';
    const html = path === '/t' || path.startsWith('/t/');
    const matched = path.length <= MAX_PATH_LENGTH ? matchRoute(path) : { route: 'unmatched' as const };
    const hash = matched.token === undefined ? undefined : tokenHash(matched.token);
    let response: HttpResponse;
    try {
      checkUriLength(event);
      response = await handle(event, matched.route, matched.token);
    } catch (error) {
      if (error instanceof HttpError) response = errorResponse(event, html, error);
      else if (isServiceUnavailableError(error)) {
        // Slow, throttled or unreachable: the client may try again; the error's name says which.
        logger.warn('status request: the store is unavailable', {
          route: matched.route,
          tokenHash: hash,
          errorName: error instanceof Error ? error.name : typeof error,
        });
        response = errorResponse(event, html, new ServiceUnavailableError());
      } else {
        logger.error('status request failed', {
          route: matched.route,
          tokenHash: hash,
          error: error instanceof Error ? error : new Error(String(error)),
        });
        response = errorResponse(event, html, undefined);
      }
    }
    const method = event.requestContext?.http?.method;
    logger.info('status request', {
      route: matched.route,
      method,
      statusCode: response.statusCode,
      tokenHash: hash,
    });
    // HEAD: the same status and headers as GET would get, without the body (RFC 9110 §9.3.2).
    return method === 'HEAD' ? { ...response, body: '' } : response;
  }).use(logLambdaContext(logger));
};
