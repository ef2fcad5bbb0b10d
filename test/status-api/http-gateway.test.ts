import { request as httpRequest } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type HttpGateway, startHttpGateway } from '../../local/http-gateway.js';

let gateway: HttpGateway;
let received: APIGatewayProxyEventV2[] = [];
let reply: () => Promise<APIGatewayProxyResultV2> = async () => ({ statusCode: 204 });

beforeAll(async () => {
  gateway = await startHttpGateway({
    handler: async (event) => {
      received.push(event);
      return reply();
    },
  });
});

afterAll(async () => {
  await gateway.close();
});

beforeEach(() => {
  received = [];
  reply = async () => ({ statusCode: 204 });
});

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request with exact headers (fetch would merge or drop some), as raw name/value pairs. */
const send = (method: string, path: string, headers: string[] = [], body?: Buffer): Promise<RawResponse> =>
  new Promise((resolve, reject) => {
    const url = new URL(path, gateway.url);
    const req = httpRequest(
      {
        method,
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        headers: ['Host', url.host, ...headers],
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });

describe('Function: startHttpGateway', () => {
  it('turns a request into an HTTP API (payload 2.0) event', async () => {
    // Act
    await send('GET', '/t/abc%20d?lang=en&x=1&x=2', [
      'Accept-Language',
      'pl-PL',
      'X-Repeated',
      'a',
      'X-Repeated',
      'b',
      'Cookie',
      'session=1; theme=dark',
    ]);

    // Assess
    const [event] = received;
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/t/abc%20d',
      rawQueryString: 'lang=en&x=1&x=2',
      queryStringParameters: { lang: 'en', x: '1,2' },
      cookies: ['session=1', 'theme=dark'],
      headers: { 'accept-language': 'pl-PL', 'x-repeated': 'a,b' },
      isBase64Encoded: false,
      requestContext: { http: { method: 'GET', path: '/t/abc d', sourceIp: '127.0.0.1' }, stage: '$default' },
    });
    expect(event?.body).toBeUndefined();
  });

  it('passes text bodies as text and anything else base64-encoded', async () => {
    // Act
    await send('POST', '/v1/lookup', ['Content-Type', 'application/json'], Buffer.from('{"ą":1}'));
    await send('POST', '/upload', ['Content-Type', 'application/octet-stream'], Buffer.from([0, 255, 1]));

    // Assess
    expect(received.map((event) => [event.body, event.isBase64Encoded])).toEqual([
      ['{"ą":1}', false],
      ['AP8B', true],
    ]);
  });

  it('writes the status, headers, every cookie and a base64 body back', async () => {
    // Prepare
    reply = async () => ({
      statusCode: 201,
      headers: { 'content-type': 'image/png', 'x-count': 3 },
      cookies: ['a=1; Path=/', 'b=2; HttpOnly'],
      body: Buffer.from([137, 80, 78, 71]).toString('base64'),
      isBase64Encoded: true,
    });

    // Act
    const response = await send('GET', '/logo.png');

    // Assess
    expect(response.status).toBe(201);
    expect(response.headers['content-type']).toBe('image/png');
    expect(response.headers['x-count']).toBe('3');
    expect(response.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect([...response.body]).toEqual([137, 80, 78, 71]);
  });

  it('answers a bare string result as a 200 JSON body, as API Gateway does', async () => {
    // Prepare
    reply = async () => '{"ok":true}';

    // Act
    const response = await send('GET', '/');

    // Assess
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('{"ok":true}');
  });

  it('answers a generic 500 when the handler throws, without its message', async () => {
    // Prepare
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    reply = async () => {
      throw new Error('database password is hunter2');
    };

    // Act
    const response = await send('GET', '/boom');

    // Assess
    expect(response.status).toBe(500);
    expect(response.body.toString()).toBe('{"message":"Internal Server Error"}');
    expect(quiet).toHaveBeenCalled();
    quiet.mockRestore();
  });
});
