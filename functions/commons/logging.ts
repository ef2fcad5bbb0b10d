/**
 * The one home of logging: every function's logger is made here, with its service name, and wired into
 * the handler here, so no switch can make a function log personal data.
 *
 * - `POWERTOOLS_LOGGER_LOG_EVENT=true` (the documented way to log every invocation's event) would print
 *   whole order events, unsubscribe links and tracking tokens: `logLambdaContext` passes `logEvent: false`,
 *   which Powertools lets beat the variable (`shouldLogEvent` prefers an explicit boolean).
 * - `POWERTOOLS_LOG_LEVEL=DEBUG`/`TRACE`, `POWERTOOLS_LOGGER_SAMPLE_RATE` and `POWERTOOLS_DEV` change how
 *   much and how it is printed, never what: the code logs ids, types and outcomes only, at every level.
 * - Errors: Powertools prints every enumerable field of a logged error, and SDK errors carry some that
 *   hold data (a condition failure's `Item`, a transaction's `CancellationReasons`); provider messages
 *   echo addresses ("…failed the check: zofia@example.pl"). Every value printed goes through
 *   `safeLogValue`: errors keep only name, message, stack, code and HTTP status, and e-mail addresses
 *   and phone numbers in any string are masked.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';

import { errorMessage, redactContacts } from '../domain/redaction.js';
import { SERVICE_NAMES, type ServiceName } from './service-names.js';

export { errorMessage, redactContacts, SERVICE_NAMES, type ServiceName };

const safeError = (error: Error): Record<string, unknown> => {
  const metadata = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    message: redactContacts(error.message),
    ...(typeof error.stack === 'string' ? { stack: redactContacts(error.stack) } : {}),
    ...(typeof code === 'string' ? { code } : {}),
    ...(metadata?.httpStatusCode ? { httpStatusCode: metadata.httpStatusCode } : {}),
    ...(error.cause instanceof Error ? { cause: safeError(error.cause) } : {}),
  };
};

/** The JSON replacer every logger prints through (see the module comment). */
export const safeLogValue = (_key: string, value: unknown): unknown => {
  if (value instanceof Error) return safeError(value);
  if (typeof value === 'string') return redactContacts(value);
  return value;
};

/** A function's logger. Tests pass `logLevel`; production reads POWERTOOLS_LOG_LEVEL. */
export const createLogger = (
  service: ServiceName,
  options: { readonly logLevel?: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT' } = {},
): Logger =>
  new Logger({
    serviceName: SERVICE_NAMES[service],
    jsonReplacerFn: safeLogValue,
    ...(options.logLevel ? { logLevel: options.logLevel } : {}),
  });

/** The middleware that adds the Lambda context to the logs; it never logs the event. */
export const logLambdaContext = (logger: Logger) =>
  injectLambdaContext(logger, { resetKeys: true, logEvent: false });
