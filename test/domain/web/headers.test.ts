import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, styleHash } from '../../../functions/domain/web/headers.js';

const directives = (policy: string) =>
  new Map(policy.split('; ').map((directive) => [directive.split(' ')[0], directive.split(' ').slice(1)]));

describe('Function: contentSecurityPolicy', () => {
  it('allows nothing by default: no scripts, styles, images, forms, frames or base', () => {
    // Act
    const policy = directives(contentSecurityPolicy());

    // Assess
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.get('form-action')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.has('style-src')).toBe(false);
    expect(policy.has('script-src')).toBe(false);
  });

  it('allows exactly the named stylesheet hash, image origins, form target and frames', () => {
    // Prepare
    const css = 'body{color:#000}';

    // Act
    const policy = contentSecurityPolicy({
      styleSources: [styleHash(css)],
      imageOrigins: ['https://cdn.example.pl'],
      formActions: ["'self'"],
      frameSources: ["'self'"],
    });

    // Assess
    const parsed = directives(policy);
    expect(parsed.get('style-src')).toEqual([styleHash(css)]);
    expect(parsed.get('img-src')).toEqual(['https://cdn.example.pl']);
    expect(parsed.get('form-action')).toEqual(["'self'"]);
    expect(parsed.get('frame-src')).toEqual(["'self'"]);
    expect(policy).not.toContain('unsafe-inline');
    expect(styleHash(css)).toMatch(/^'sha256-[A-Za-z0-9+/]+={0,2}'$/);
  });
});
