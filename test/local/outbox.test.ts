import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { makeOutboxHandler } from '../../local/outbox.js';
import type { SesLocal, StoredEmail } from '../../local/ses-local.js';
import type { SnsLocal } from '../../local/sns-local.js';

const HOSTILE = '<script>alert(1)</script>"\'&';

const email: StoredEmail = {
  messageId: 'm-1',
  at: 1_700_000_000,
  from: 'sklep@example.pl',
  destination: { to: [`zofia${HOSTILE}@example.pl`] },
  subject: `Zamówienie ${HOSTILE}`,
  body: { html: '<p style="color:red">Hi</p><script>alert(2)</script>', text: `Plain ${HOSTILE}` },
} as unknown as StoredEmail;

const handler = makeOutboxHandler({
  ses: { emails: async () => [email] } as unknown as SesLocal,
  sns: {
    sms: () => [
      { at: 0, phoneNumber: '+48500100200', text: HOSTILE, segments: 1, encoding: 'GSM-7', delivered: true },
    ],
    pushes: () => [],
  } as unknown as SnsLocal,
  dynamo: {
    send: async () => ({
      Items: [
        {
          shopId: { S: 'shop-1' },
          orderId: { S: 'A/1"' },
          orderNumber: { S: `Z/${HOSTILE}` },
          status: { S: 'placed' },
          trackingToken: { S: 'tok<en' },
        },
      ],
    }),
  } as never,
  tableName: 'unused',
  apiUrl: 'http://localhost:3000',
});

const get = async (rawPath: string) =>
  (await handler({
    rawPath,
    requestContext: { http: { method: 'GET' } },
  } as unknown as APIGatewayProxyEventV2)) as APIGatewayProxyStructuredResultV2;

describe('Function: makeOutboxHandler', () => {
  it('escapes every stored value on the e-mail page and frames the message only sandboxed', async () => {
    // Act
    const response = await get('/outbox/emails/m-1');

    // Assess
    const body = String(response.body);
    expect(body).not.toContain('<script>');
    expect(body).toContain('Zamówienie &lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;');
    expect(body).toContain('<iframe sandbox title="e-mail" src="/outbox/emails/m-1/html">');
    const policy = String(response.headers?.['content-security-policy']);
    expect(policy).toMatch(/style-src 'sha256-/);
    expect(policy).not.toContain('unsafe-inline');
    expect(response.headers?.['x-content-type-options']).toBe('nosniff');
  });

  it('serves the message itself under a sandbox policy that runs no script', async () => {
    // Act
    const response = await get('/outbox/emails/m-1/html');

    // Assess
    const policy = String(response.headers?.['content-security-policy']);
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain('sandbox');
    expect(policy).toContain("frame-ancestors 'self'");
    expect(policy).not.toMatch(/script-src/);
  });

  it('escapes SMS texts and links orders by encoded ids on the overview', async () => {
    // Act
    const response = await get('/outbox');

    // Assess
    const body = String(response.body);
    expect(body).not.toContain('<script>');
    expect(body).toContain('<td>&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;</td>');
    expect(body).toContain('<a href="/t/tok%3Cen">tracking page</a>');
    expect(body).toContain('href="/outbox/orders/shop-1/A%2F1%22"');
  });
});
