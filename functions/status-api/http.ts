/**
 * HTTP translation for the status API: reading an API Gateway (HTTP API, payload 2.0) request safely,
 * and building responses with the security and caching headers every route shares.
 */
import { createHash } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type * as z from 'zod';
import { type Language, languageFromAcceptLanguage } from '../domain/i18n.js';
import { contentSecurityPolicy, SECURITY_HEADERS } from '../domain/web/headers.js';
import {
  BadRequestError,
  type HttpError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  UriTooLongError,
} from './errors.js';
import type { RenderedPage } from './render-page.js';

export type HttpResponse = APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
};

/* ------------------------------------------------------------------------------------------------ */
/* Requests                                                                                          */
/* ------------------------------------------------------------------------------------------------ */

export const MAX_PATH_LENGTH = 512;
export const MAX_QUERY_LENGTH = 1024;

/** Header names arrive lower-cased from API Gateway; lower-case again for other callers. */
export const header = (event: APIGatewayProxyEventV2, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
};

export const checkUriLength = (event: APIGatewayProxyEventV2): void => {
  if (event.rawPath.length > MAX_PATH_LENGTH) throw new UriTooLongError('path', MAX_PATH_LENGTH);
  if ((event.rawQueryString ?? '').length > MAX_QUERY_LENGTH) {
    throw new UriTooLongError('query string', MAX_QUERY_LENGTH);
  }
};

const queryParams = (event: APIGatewayProxyEventV2): URLSearchParams => {
  try {
    return new URLSearchParams(event.rawQueryString ?? '');
  } catch {
    throw new BadRequestError('query string: cannot be decoded');
  }
};

/** The language the customer chose on the page (`?lang=`, which the language switch links set); undefined if none. */
export const requestedLanguage = (event: APIGatewayProxyEventV2): Language | undefined => {
  const values = queryParams(event).getAll('lang');
  if (values.length > 1) throw new BadRequestError('lang: give it at most once');
  const [lang] = values;
  if (lang !== undefined) {
    if (lang !== 'pl' && lang !== 'en') throw new BadRequestError('lang: expected pl or en');
    return lang;
  }
  return undefined;
};

/** The language the browser asks for (Accept-Language); undefined when it names none we have. */
export const browserLanguage = (event: APIGatewayProxyEventV2): Language | undefined =>
  languageFromAcceptLanguage(header(event, 'accept-language')?.slice(0, 256));

/** Like `requestedLanguage`, but never fails: for error pages, which must render whatever was sent. */
export const fallbackLanguage = (event: APIGatewayProxyEventV2): Language => {
  try {
    return requestedLanguage(event) ?? browserLanguage(event) ?? 'pl';
  } catch {
    return browserLanguage(event) ?? 'pl';
  }
};

/**
 * The JSON body of a request, checked in order: media type, size, encoding, syntax, then the schema. Each
 * failure is a 4xx whose message names the problem (and, for the schema, each field) without the value.
 */
export const readJsonBody = <T extends z.ZodType>(
  event: APIGatewayProxyEventV2,
  schema: T,
  maxBytes: number,
): z.output<T> => {
  const contentType = header(event, 'content-type');
  const [mediaType = '', ...parameters] = (contentType ?? '')
    .split(';')
    .map((part) => part.trim().toLowerCase());
  if (mediaType !== 'application/json') {
    throw new UnsupportedMediaTypeError('content-type: expected application/json');
  }
  const charset = parameters.find((parameter) => parameter.startsWith('charset='))?.slice('charset='.length);
  if (charset !== undefined && charset.replace(/"/g, '') !== 'utf-8') {
    throw new UnsupportedMediaTypeError('content-type: the body must be encoded as utf-8');
  }
  const raw = event.body ?? '';
  // Cheap upper bound before decoding: base64 is 4 characters per 3 bytes.
  if (raw.length > (event.isBase64Encoded ? Math.ceil((maxBytes * 4) / 3) + 4 : maxBytes * 4)) {
    throw new PayloadTooLargeError(maxBytes);
  }
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > maxBytes) throw new PayloadTooLargeError(maxBytes);
  if (bytes.length === 0) throw new BadRequestError('body: is empty; expected a JSON object');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new BadRequestError('body: is not valid UTF-8');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BadRequestError('body: is not valid JSON');
  }
  const parsed = schema.safeParse(json, { reportInput: false });
  if (!parsed.success) {
    throw new BadRequestError(
      parsed.error.issues
        .map(
          (issue) => `${issue.path.length > 0 ? issue.path.map(String).join('.') : 'body'}: ${issue.message}`,
        )
        .join('; '),
    );
  }
  return parsed.data;
};

/* ------------------------------------------------------------------------------------------------ */
/* Responses                                                                                         */
/* ------------------------------------------------------------------------------------------------ */

/** The one CSP and security headers live in functions/domain/web/headers.ts; re-exported for the routes. */
export { contentSecurityPolicy, SECURITY_HEADERS };

export const CACHE_FOUND = 'private, max-age=30';
export const CACHE_NONE = 'no-store';

/** A strong validator: the hash of the exact body bytes. */
export const etagOf = (body: string): string =>
  `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): a W/ prefix does not matter. */
const matchesEtag = (ifNoneMatch: string | undefined, etag: string): boolean => {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch
    .slice(0, 2048)
    .split(',')
    .some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
};

interface ResponseOptions {
  readonly contentType: string;
  readonly csp: string;
  readonly cache: string;
  readonly language?: Language;
  readonly extraHeaders?: Readonly<Record<string, string>>;
}

const respond = (statusCode: number, body: string, options: ResponseOptions): HttpResponse => ({
  statusCode,
  headers: {
    'content-type': options.contentType,
    'cache-control': options.cache,
    'content-security-policy': options.csp,
    ...SECURITY_HEADERS,
    ...(options.language ? { 'content-language': options.language } : {}),
    ...options.extraHeaders,
  },
  body,
  isBase64Encoded: false,
});

/**
 * A cacheable 200 with its ETag, or a 304 without a body when the client already has it. The response
 * depends on Accept-Language, so caches must key on it.
 */
export const cacheable = (
  event: APIGatewayProxyEventV2,
  body: string,
  options: Omit<ResponseOptions, 'cache'>,
): HttpResponse => {
  const etag = etagOf(body);
  const extraHeaders = { ...options.extraHeaders, etag, vary: 'Accept-Language' };
  const response = respond(200, body, { ...options, cache: CACHE_FOUND, extraHeaders });
  if (!matchesEtag(header(event, 'if-none-match'), etag)) return response;
  const { 'content-type': _type, ...headers } = response.headers;
  return { ...response, statusCode: 304, headers, body: '' };
};

export const JSON_TYPE = 'application/json; charset=utf-8';
export const HTML_TYPE = 'text/html; charset=utf-8';

export const jsonResponse = (statusCode: number, value: unknown, cache = CACHE_NONE): HttpResponse =>
  respond(statusCode, JSON.stringify(value), { contentType: JSON_TYPE, csp: contentSecurityPolicy(), cache });

export const jsonError = (error: HttpError): HttpResponse =>
  respond(error.statusCode, JSON.stringify({ error: error.code, message: error.message }), {
    contentType: JSON_TYPE,
    csp: contentSecurityPolicy(),
    cache: CACHE_NONE,
    extraHeaders: error.headers,
  });

export const htmlResponse = (
  statusCode: number,
  page: RenderedPage,
  language: Language,
  extraHeaders: Readonly<Record<string, string>> = {},
): HttpResponse =>
  respond(statusCode, page.html, {
    contentType: HTML_TYPE,
    csp: contentSecurityPolicy(page),
    cache: CACHE_NONE,
    language,
    extraHeaders,
  });
