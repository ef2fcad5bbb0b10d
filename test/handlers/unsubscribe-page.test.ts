import { createHash } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { html } from '../../functions/domain/web/html.js';
import { unsubscribePage } from '../../functions/unsubscribe/unsubscribe-page.js';

describe('Function: unsubscribePage', () => {
  it('escapes its title and allows only its own stylesheet and a form posting to itself', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (title) => {
        // Act
        const page = unsubscribePage({
          language: 'pl',
          title,
          statusCode: 200,
          body: html`<p>${title}</p>`,
        }) as APIGatewayProxyStructuredResultV2;

        // Assess
        const body = String(page.body);
        const css = /<style>([^<]*)<\/style>/.exec(body)?.[1] ?? '';
        const hash = `'sha256-${createHash('sha256').update(css).digest('base64')}'`;
        const policy = String(page.headers?.['content-security-policy']);
        expect(policy).toContain(`style-src ${hash}`);
        expect(policy).toContain("form-action 'self'");
        expect(policy).not.toContain('unsafe-inline');
        expect(page.headers?.['x-frame-options']).toBe('DENY');
        const withoutMarkup = body.replace(/<[a-z/!][^<>]*>/g, '').replace(css, '');
        expect(withoutMarkup).not.toMatch(/[<>"']/);
      }),
    );
  });
});
