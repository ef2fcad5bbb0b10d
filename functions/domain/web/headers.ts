/**
 * The one home of the browser security headers of every HTML or JSON response (the status API, the
 * unsubscribe page, the local outbox): a Content-Security-Policy that allows only what the page names,
 * and headers that stop framing, sniffing and referrers (a token in the URL never leaves the page).
 */
import { createHash } from 'node:crypto';

export interface CspSources {
  /** `style-src` sources: hashes of inline stylesheets (see `styleHash`). None: no styles. */
  readonly styleSources?: readonly string[];
  /** `img-src` origins (a shop's logo). None: no images. */
  readonly imageOrigins?: readonly string[];
  /** `form-action`: `'self'` for a page that posts to itself. @default 'none' */
  readonly formActions?: readonly string[];
  /** `frame-src` sources. @default none (default-src 'none') */
  readonly frameSources?: readonly string[];
  /** `frame-ancestors`: who may frame the page. @default 'none' */
  readonly frameAncestors?: readonly string[];
  /** Adds `sandbox` (no scripts, forms, popups or same-origin access), for third-party markup. */
  readonly sandbox?: boolean;
}

/** `default-src 'none'` and only what the page names (the pages here name hashes, not 'unsafe-inline'). */
export const contentSecurityPolicy = (sources: CspSources = {}): string => {
  const list = (directive: string, values: readonly string[] | undefined, otherwise?: string) =>
    values && values.length > 0
      ? `${directive} ${values.join(' ')}`
      : otherwise && `${directive} ${otherwise}`;
  return [
    "default-src 'none'",
    list('style-src', sources.styleSources),
    list('img-src', sources.imageOrigins),
    list('frame-src', sources.frameSources),
    "base-uri 'none'",
    list('form-action', sources.formActions, "'none'"),
    list('frame-ancestors', sources.frameAncestors, "'none'"),
    sources.sandbox ? 'sandbox' : undefined,
  ]
    .filter(Boolean)
    .join('; ');
};

/** The CSP source expression that allows exactly this inline stylesheet. */
export const styleHash = (css: string): string =>
  `'sha256-${createHash('sha256').update(css).digest('base64')}'`;

/** Browsers get nothing to run, frame, embed or refer with. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'permissions-policy':
    'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'x-robots-tag': 'noindex, nofollow',
};
