/**
 * The one home of which strings may become links (href, src, form action) in a page or an e-mail.
 *
 * - Web links: https, or http to localhost (shop configs allow it for development); never with
 *   credentials (`https://bank.example@evil.example/` shows one host and opens another), never with
 *   whitespace, control characters or bidi controls in the text (URL parsers drop tabs and line breaks,
 *   so `java\tscript:` would otherwise be read as a scheme, and bidi controls make a link read backwards).
 *   The result is the parsed, normalised URL: what is checked is exactly what the browser opens.
 * - `tel:` links: built from a phone number as shops write it, digits and one leading + only.
 * - `mailto:` links: a plain address, no query part (nothing can be added to the message).
 */

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1']);
const MAX_URL_LENGTH = 2048;
/** C0 and C1 controls, space, DEL, and the bidi controls (embeddings, overrides, isolates, marks). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSAFE_CHARACTERS = /[\u0000-\u0020\u007f-\u00a0\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

/** The URL if it may be an href or src (https, or http to localhost), normalised; else undefined. */
export const safeHref = (url: string | undefined): string | undefined => {
  if (!url || url.length > MAX_URL_LENGTH || UNSAFE_CHARACTERS.test(url)) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.username !== '' || parsed.password !== '') return undefined;
  if (parsed.protocol === 'https:' && parsed.hostname !== '') return parsed.href;
  if (parsed.protocol === 'http:' && LOCAL_HOSTS.has(parsed.hostname)) return parsed.href;
  return undefined;
};

/** The origin a checked URL loads from (for a CSP source list), or undefined. */
export const safeOrigin = (url: string | undefined): string | undefined => {
  const href = safeHref(url);
  return href ? new URL(href).origin : undefined;
};

/** tel: link for a phone number as shops write it ("+48 12 345 67 89"); undefined if it is not one. */
export const telHref = (phone: string | undefined): string | undefined => {
  if (!phone) return undefined;
  const digits = phone.replace(/[ ().-]/g, '');
  return /^\+?[0-9]{5,20}$/.test(digits) ? `tel:${digits}` : undefined;
};

/** mailto: link for a plain address (no query part, so nothing can be added to the message). */
export const mailtoHref = (email: string | undefined): string | undefined =>
  email &&
  email.length <= 254 &&
  /^[^\s@<>"'?&%#/\\:;,()[\]]+@[^\s@<>"'?&%#/\\:;,()[\]]+\.[^\s@<>"'?&%#/\\:;,()[\]]+$/.test(email) &&
  !UNSAFE_CHARACTERS.test(email)
    ? `mailto:${email}`
    : undefined;

/**
 * The tracking page link of an order: the status page base URL, the order's token, and the language the
 * page opens in (`?lang=`). Without a language the page opens in the order's locale (the page's own
 * rule). Messages, the CLI and the status lookup build it here.
 */
/**
 * One path segment, percent-encoded. `.` and `..` (spelt plainly or as %2E) are dot segments that URL
 * parsers and browsers resolve away (`/t/..` is `/`), so no encoding keeps them: they are refused. A
 * tracking token is never one (tracking-token.ts).
 */
const pathSegment = (value: string): string => {
  if (value === '.' || value === '..')
    throw new Error(`${JSON.stringify(value)} cannot be a path segment of a link`);
  return encodeURIComponent(value);
};

export const trackingPageUrl = (baseUrl: string, token: string, language?: string): string =>
  `${baseUrl.replace(/\/+$/, '')}/t/${pathSegment(token)}` +
  (language === undefined ? '' : `?lang=${encodeURIComponent(language)}`);
