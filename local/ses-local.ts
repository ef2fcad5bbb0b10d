/**
 * The local SES: `aws-ses-v2-local` speaks the SES v2 API (SendEmail with Simple content and headers) and
 * keeps what it was sent, readable over HTTP (`GET /store`, `GET /get-emlContent?messageId=`).
 */
import type { Server } from 'node:http';
import sesLocalModule from 'aws-ses-v2-local';
import { freePort } from './dynamodb-local.js';

// A CommonJS module with `exports.default`: Node hands ESM the exports object, bundlers the function.
type StartServer = (typeof sesLocalModule)['default'];
const startServer: StartServer =
  typeof sesLocalModule === 'function' ? (sesLocalModule as unknown as StartServer) : sesLocalModule.default;

export interface SesLocal {
  readonly endpoint: string;
  /** The e-mails received so far, newest last; with `since` (epoch seconds, inclusive) only those from then on. */
  emails(options?: { readonly since?: number }): Promise<StoredEmail[]>;
  /** The raw MIME message of one e-mail, as SES would have sent it. */
  rawEmail(messageId: string): Promise<string>;
  clear(): Promise<void>;
  /**
   * Calls `listener` each time a SendEmail has been answered (the e-mail is in the store), so whoever
   * keeps e-mails beyond this process (the outbox) takes them in at once rather than at its next poll.
   * Returns the unsubscribe function.
   */
  onSent(listener: () => void): () => void;
  stop(): Promise<void>;
}

export interface StoredEmail {
  readonly messageId: string;
  readonly from: string;
  readonly destination: { readonly to: string[] };
  readonly subject: string;
  readonly body: { readonly html?: string; readonly text?: string };
  readonly headers?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  readonly at: number;
}

export const startSesLocal = async (options: { readonly port?: number } = {}): Promise<SesLocal> => {
  const port = options.port ?? (await freePort());
  const server: Server = await startServer({ port, host: '127.0.0.1' });
  const endpoint = `http://127.0.0.1:${port}`;
  const listeners = new Set<() => void>();
  server.on('request', (request, response) => {
    // SES v2 SendEmail: POST /v2/email/outbound-emails; only an accepted one is in the store.
    if (request.method !== 'POST' || !request.url?.startsWith('/v2/email/outbound-emails')) return;
    response.on('finish', () => {
      if (response.statusCode !== 200) return;
      for (const listener of listeners) listener();
    });
  });
  const get = async (path: string) => {
    const response = await fetch(`${endpoint}${path}`);
    if (!response.ok) throw new Error(`local SES ${path}: HTTP ${response.status}`);
    return response;
  };
  return {
    endpoint,
    emails: async (options = {}) =>
      (
        (await (
          await get(options.since === undefined ? '/store' : `/store?since=${Math.floor(options.since)}`)
        ).json()) as { emails: StoredEmail[] }
      ).emails,
    rawEmail: async (messageId) => {
      // The body comes as a JSON-serialised Buffer: { type: 'Buffer', data: [bytes] }.
      const eml = (await (
        await get(`/get-emlContent?messageId=${encodeURIComponent(messageId)}`)
      ).json()) as {
        body: { data: number[] };
      };
      return Buffer.from(eml.body.data).toString('utf8');
    },
    onSent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    clear: async () => {
      await fetch(`${endpoint}/clear-store`, { method: 'POST' });
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
};
