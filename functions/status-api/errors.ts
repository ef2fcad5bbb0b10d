/**
 * Failures the status API answers with a 4xx: each carries its status, a stable code and a message that
 * names the offending field or header but never echoes the value sent.
 */
import type { ErrorCode } from './schemas.js';

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** One message for every miss: unknown, malformed or expired token, or lookup details that match nothing. */
export const NOT_FOUND_MESSAGE = 'No order was found: the link is not valid, or the details match no order.';

export class NotFoundError extends HttpError {
  constructor() {
    super(404, 'not_found', NOT_FOUND_MESSAGE);
    this.name = 'NotFoundError';
  }
}

export class BadRequestError extends HttpError {
  constructor(message: string) {
    super(400, 'bad_request', message);
    this.name = 'BadRequestError';
  }
}

export class MethodNotAllowedError extends HttpError {
  constructor(method: string, allowed: readonly string[]) {
    super(405, 'method_not_allowed', `method ${method} is not allowed here; use ${allowed.join(' or ')}`, {
      allow: allowed.join(', '),
    });
    this.name = 'MethodNotAllowedError';
  }
}

export class PayloadTooLargeError extends HttpError {
  constructor(maxBytes: number) {
    super(413, 'payload_too_large', `body: must be at most ${maxBytes} bytes`);
    this.name = 'PayloadTooLargeError';
  }
}

export class UriTooLongError extends HttpError {
  constructor(part: 'path' | 'query string', maxLength: number) {
    super(414, 'uri_too_long', `${part}: must be at most ${maxLength} characters`);
    this.name = 'UriTooLongError';
  }
}

export class UnsupportedMediaTypeError extends HttpError {
  constructor(message: string) {
    super(415, 'unsupported_media_type', message);
    this.name = 'UnsupportedMediaTypeError';
  }
}

export class TooManyRequestsError extends HttpError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'too_many_requests', `too many requests; try again in ${retryAfterSeconds} seconds`, {
      'retry-after': String(retryAfterSeconds),
    });
    this.name = 'TooManyRequestsError';
  }
}

/** How long a client is asked to wait when a dependency is slow, throttling or unreachable. */
export const SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** A dependency (DynamoDB) timed out, throttled or could not be reached: the request may be tried again. */
export class ServiceUnavailableError extends HttpError {
  constructor(retryAfterSeconds = SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS) {
    super(503, 'service_unavailable', `temporarily unavailable; try again in ${retryAfterSeconds} seconds`, {
      'retry-after': String(retryAfterSeconds),
    });
    this.name = 'ServiceUnavailableError';
  }
}
