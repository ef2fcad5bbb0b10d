/**
 * The unsubscribe page's HTML and headers, from the shared web rules (functions/domain/web/): the `html`
 * tag escapes every value, the stylesheet is allowed by its hash (no 'unsafe-inline'), the form may post
 * only to this page, and the button's colours keep AA contrast.
 */
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import type { Language } from '../domain/i18n.js';
import { brandPalette, DEFAULT_BRAND } from '../domain/web/colour.js';
import { contentSecurityPolicy, SECURITY_HEADERS, styleHash } from '../domain/web/headers.js';
import { html, type SafeHtml, styleElement } from '../domain/web/html.js';

const palette = brandPalette(DEFAULT_BRAND);
const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}button{font:inherit;padding:.6rem 1.2rem;border:0;border-radius:.4rem;background:${palette.brand};color:${palette.onBrand}}`;

export const POLICY = contentSecurityPolicy({ styleSources: [styleHash(STYLE)], formActions: ["'self'"] });

export interface UnsubscribePage {
  readonly language: Language;
  readonly title: string;
  readonly statusCode: number;
  readonly body: SafeHtml;
  readonly headers?: Readonly<Record<string, string>>;
}

export const unsubscribePage = (page: UnsubscribePage): APIGatewayProxyResultV2 => ({
  statusCode: page.statusCode,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': POLICY,
    ...SECURITY_HEADERS,
    ...page.headers,
  },
  body: html`<!doctype html><html lang="${page.language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex, nofollow"><title>${page.title}</title>${styleElement(STYLE)}</head><body><main><h1>${page.title}</h1>${page.body}</main></body></html>`
    .value,
});
