/**
 * The HTTP plumbing the local AWS endpoints share: a server on 127.0.0.1 (a free port unless one is
 * given), request bodies capped, one request id per request, a clear message when the port is taken, and
 * a stop that does not wait for idle keep-alive connections.
 *
 * Signatures are not checked: the real SDK clients sign every request (SigV4) and any credentials pass.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The account id in every local ARN and queue URL. */
export const LOCAL_ACCOUNT_ID = '000000000000';

export interface AwsRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly requestId: string;
  /** The region the client signed for (SigV4 credential scope), or the server's default. */
  readonly region: string;
  /** Aborted when the client goes away, so a long poll stops taking messages nobody will read. */
  readonly signal: AbortSignal;
}

export interface AwsResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface AwsHttpServerOptions {
  /** For messages: "local SQS". */
  readonly name: string;
  /** @default a free port */
  readonly port?: number | undefined;
  /** The environment variable the local stack reads this server's port from; named in the busy-port error. */
  readonly portEnvVar: string;
  readonly maxBodyBytes: number;
  readonly defaultRegion: string;
  handle(request: AwsRequest): Promise<AwsResponse>;
  /** The service's own error shape for a body over the cap (HTTP 413). */
  tooLarge(request: AwsRequest): AwsResponse;
  /** The service's own error shape for a bug in the emulator (HTTP 500): never a stack trace. */
  internalError(request: AwsRequest): AwsResponse;
}

export interface AwsHttpServer {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    name: string,
    portEnvVar: string,
  ) {
    super(
      `port ${port} is in use, so the ${name} cannot start: stop the other process or set ${portEnvVar} to a free port`,
    );
    this.name = 'PortInUseError';
  }
}

const credentialScope = (headers: IncomingHttpHeaders) =>
  /Credential=([^/,\s]+)\/\d{8}\/([a-z0-9-]+)\//.exec(headers.authorization ?? '');

/** The region of the SigV4 credential scope: `Credential=AKID/20260101/eu-central-1/sqs/aws4_request`. */
export const signedRegion = (headers: IncomingHttpHeaders): string | undefined =>
  credentialScope(headers)?.[2];

/** The access key id the request was signed with. */
export const signedAccessKey = (headers: IncomingHttpHeaders): string | undefined =>
  credentialScope(headers)?.[1];

/** Reads the whole body even past the cap (answering mid-upload would reset the client's connection). */
const readBody = (request: IncomingMessage, maxBytes: number): Promise<Buffer | 'too_large'> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > maxBytes ? 'too_large' : Buffer.concat(chunks)));
    request.on('error', reject);
  });

const listen = (server: ReturnType<typeof createServer>, port: number): Promise<void> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });

export const startAwsHttpServer = async (options: AwsHttpServerOptions): Promise<AwsHttpServer> => {
  const serve = async (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const abort = new AbortController();
    outgoing.on('close', () => {
      if (!outgoing.writableFinished) abort.abort();
    });
    const requestId = randomUUID();
    let request: AwsRequest = {
      method: incoming.method ?? 'GET',
      path: incoming.url ?? '/',
      headers: incoming.headers,
      body: Buffer.alloc(0),
      requestId,
      region: signedRegion(incoming.headers) ?? options.defaultRegion,
      signal: abort.signal,
    };
    let response: AwsResponse;
    try {
      const body = await readBody(incoming, options.maxBodyBytes);
      if (body === 'too_large') response = options.tooLarge(request);
      else {
        request = { ...request, body };
        response = await options.handle(request);
      }
    } catch (error) {
      // An emulator bug: say so on stderr, answer like AWS would (a 500 the SDK retries), no stack trace.
      console.error(`${options.name}: request failed:`, error);
      response = options.internalError(request);
    }
    if (outgoing.destroyed) return;
    outgoing.writeHead(response.status, {
      'x-amzn-requestid': requestId,
      'content-length': Buffer.byteLength(response.body),
      ...response.headers,
    });
    outgoing.end(response.body);
  };

  const server = createServer((incoming, outgoing) => {
    void serve(incoming, outgoing);
  });
  // Port 0 lets the kernel pick a free port atomically (no window for another process to take it).
  const port = options.port ?? 0;
  try {
    await listen(server, port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new PortInUseError(port, options.name, options.portEnvVar);
    }
    throw error;
  }
  const address = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    port: address.port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
