/**
 * A small HTTP proxy that puts faults between a client and a local endpoint: each request is handed to
 * `decide`, which answers it with an injected error response or lets it through to the target. What went
 * through is reported to `onExchange` with the request, the target's answer and the times, so a test can
 * see exactly what the provider accepted (an SES e-mail's tags and MessageId, say).
 *
 * Used by the chaos run to throttle the local SES the way SES throttles (HTTP 429,
 * `TooManyRequestsException`, which the SDK retries as throttling) or to fail it with a 503 (retried as a
 * transient error), and to trigger the local SNS's own `failNext` at a configurable rate.
 */
import { randomUUID } from 'node:crypto';
import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SnsAction, SnsErrorCode, SnsLocal } from './sns-local.js';

export interface ProxiedRequest {
  readonly method: string;
  /** Path and query string, as sent. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** Epoch milliseconds (fractional) when the whole request had arrived. */
  readonly receivedAt: number;
}

export interface ProxiedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly body: Buffer | string;
}

export interface Exchange {
  readonly request: ProxiedRequest;
  readonly response: ProxiedResponse;
  /** True when `decide` answered instead of the target. */
  readonly injected: boolean;
  /** Epoch milliseconds (fractional) when the answer was complete. */
  readonly respondedAt: number;
}

/** An injected answer, or undefined to let the request through. */
export type FaultDecision = ProxiedResponse | undefined;

export interface FaultProxyOptions {
  /** Where requests go when no fault is injected, e.g. the local SES's endpoint. */
  readonly target: string;
  /** @default a free port */
  readonly port?: number;
  /** @default every request goes through */
  readonly decide?: (request: ProxiedRequest) => FaultDecision | Promise<FaultDecision>;
  readonly onExchange?: (exchange: Exchange) => void;
  /** Request bodies above this are refused with 413 before `decide` sees them. @default 16 MiB */
  readonly maxBodyBytes?: number;
}

export interface FaultProxyStats {
  readonly requests: number;
  readonly injected: number;
  readonly forwarded: number;
  /** Requests the target could not be reached for (answered 502). */
  readonly unreachable: number;
}

export interface FaultProxy {
  readonly endpoint: string;
  readonly port: number;
  stats(): FaultProxyStats;
  stop(): Promise<void>;
}

const now = (): number => performance.timeOrigin + performance.now();

/** Hop-by-hop headers a proxy must not pass on. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

export const startFaultProxy = async (options: FaultProxyOptions): Promise<FaultProxy> => {
  const target = new URL(options.target);
  const maxBodyBytes = options.maxBodyBytes ?? 16 * 1024 * 1024;
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const stats = { requests: 0, injected: 0, forwarded: 0, unreachable: 0 };

  const forward = (request: ProxiedRequest): Promise<ProxiedResponse> =>
    new Promise((resolve) => {
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
      }
      headers.host = target.host;
      headers['content-length'] = String(request.body.length);
      const outgoing = httpRequest(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: request.method,
          path: request.path,
          headers,
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('end', () => {
            const responseHeaders: Record<string, string | string[]> = {};
            for (const [name, value] of Object.entries(incoming.headers)) {
              if (value !== undefined && !HOP_BY_HOP.has(name)) responseHeaders[name] = value;
            }
            resolve({
              status: incoming.statusCode ?? 502,
              headers: responseHeaders,
              body: Buffer.concat(chunks),
            });
          });
          incoming.on('error', () => {
            stats.unreachable += 1;
            resolve({ status: 502, headers: {}, body: 'fault proxy: the target broke off its answer' });
          });
        },
      );
      outgoing.on('error', () => {
        stats.unreachable += 1;
        resolve({ status: 502, headers: {}, body: 'fault proxy: the target cannot be reached' });
      });
      outgoing.end(request.body);
    });

  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) refused = true;
      else chunks.push(chunk);
    });
    incoming.on('end', async () => {
      stats.requests += 1;
      if (refused) {
        outgoing.writeHead(413, { 'content-type': 'text/plain' }).end('fault proxy: request too large');
        return;
      }
      const request: ProxiedRequest = {
        method: incoming.method ?? 'GET',
        path: incoming.url ?? '/',
        headers: incoming.headers,
        body: Buffer.concat(chunks),
        receivedAt: now(),
      };
      let response: ProxiedResponse;
      let injected = false;
      try {
        const fault = await options.decide?.(request);
        if (fault) {
          injected = true;
          stats.injected += 1;
          response = fault;
        } else {
          stats.forwarded += 1;
          response = await forward(request);
        }
      } catch (error) {
        response = {
          status: 500,
          headers: { 'content-type': 'text/plain' },
          body: `fault proxy: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
      const body = typeof response.body === 'string' ? Buffer.from(response.body) : response.body;
      outgoing.writeHead(response.status, { ...response.headers, 'content-length': String(body.length) });
      outgoing.end(body);
      options.onExchange?.({ request, response: { ...response, body }, injected, respondedAt: now() });
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    stats: () => ({ ...stats }),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
};

/* ------------------------------------------------------------------------------------------------ */
/* Faults                                                                                            */
/* ------------------------------------------------------------------------------------------------ */

/** SES v2's SendEmail (REST JSON): `POST /v2/email/outbound-emails`. */
export const isSesSendEmail = (request: ProxiedRequest): boolean =>
  request.method === 'POST' && request.path.split('?')[0] === '/v2/email/outbound-emails';

/**
 * SES's answer when the sending rate is exceeded: HTTP 429 with the error type the SESv2 client models as
 * `TooManyRequestsException`. The SDK classifies it as throttling (by status and by name) and retries it
 * with its throttling backoff before the sender sees it.
 */
export const sesThrottled = (): ProxiedResponse => ({
  status: 429,
  headers: {
    'content-type': 'application/json',
    'x-amzn-errortype': 'TooManyRequestsException',
    'x-amzn-requestid': randomUUID(),
  },
  body: JSON.stringify({ message: 'Maximum sending rate exceeded.' }),
});

/** A passing outage: HTTP 503, which the SDK retries as a transient error. */
export const sesUnavailable = (): ProxiedResponse => ({
  status: 503,
  headers: {
    'content-type': 'application/json',
    'x-amzn-errortype': 'ServiceUnavailable',
    'x-amzn-requestid': randomUUID(),
  },
  body: JSON.stringify({ message: 'Service unavailable. Try again later.' }),
});

export interface RandomFaultsOptions {
  /** The share of matching requests that fail, 0 to 1. */
  readonly rate: number;
  /** Which requests may fail. @default every request */
  readonly matches?: (request: ProxiedRequest) => boolean;
  /** The faults, picked at random. */
  readonly faults: ReadonlyArray<() => ProxiedResponse>;
  /** @default Math.random */
  readonly random?: () => number;
}

/** A `decide` that fails a share of the matching requests with one of the given faults. */
export const randomFaults =
  (options: RandomFaultsOptions) =>
  (request: ProxiedRequest): FaultDecision => {
    const random = options.random ?? Math.random;
    if (options.matches && !options.matches(request)) return undefined;
    if (random() >= options.rate) return undefined;
    const fault = options.faults[Math.floor(random() * options.faults.length)];
    return fault?.();
  };

/** The SNS action of a Query-protocol request (`Action=Publish&…`). */
export const snsActionOf = (request: ProxiedRequest): string | undefined =>
  new URLSearchParams(request.body.toString('utf8')).get('Action') ?? undefined;

export interface SnsFaultsOptions {
  readonly sns: Pick<SnsLocal, 'failNext'>;
  /** The share of calls that fail, 0 to 1. */
  readonly rate: number;
  /** @default Publish, CreatePlatformEndpoint, CheckIfPhoneNumberIsOptedOut */
  readonly actions?: readonly SnsAction[];
  /** @default Throttled (429, retried as throttling) and InternalError (500, retried as transient) */
  readonly codes?: readonly SnsErrorCode[];
  /** @default Math.random */
  readonly random?: () => number;
}

/**
 * A `decide` that makes the local SNS itself fail a share of the calls, through its `failNext` hook: the
 * request then gets SNS's own error answer (Query XML with the code), not one made up here.
 */
export const snsFaults = (options: SnsFaultsOptions) => {
  const actions = new Set<string>(
    options.actions ?? ['Publish', 'CreatePlatformEndpoint', 'CheckIfPhoneNumberIsOptedOut'],
  );
  const codes = options.codes ?? ['Throttled', 'InternalError'];
  const random = options.random ?? Math.random;
  return (request: ProxiedRequest): FaultDecision => {
    const action = snsActionOf(request);
    if (!action || !actions.has(action) || random() >= options.rate) return undefined;
    const code = codes[Math.floor(random() * codes.length)] ?? 'Throttled';
    options.sns.failNext(action as SnsAction, code, 1);
    return undefined;
  };
};
