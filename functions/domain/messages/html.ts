/**
 * Safe HTML building for the e-mails.
 *
 * Escaping is escape-goat's `htmlEscape` (& < > " '), which covers text and quoted attribute values. The
 * `html` tag escapes every interpolated value unless it is already `SafeHtml`, i.e. the output of another
 * `html` call, so fragments compose without double escaping and no string ever reaches the markup
 * unescaped. `SafeHtml` cannot be made from a string outside this module.
 *
 * Escaping does not make a URL safe: `javascript:` survives it. Every href and src goes through
 * `safeHref`, which lets https through (and http to localhost, which shop configs allow for development)
 * and nothing else; tel: and mailto: links are built here from checked values.
 */
import { htmlEscape } from 'escape-goat';

class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type { SafeHtml };

type Interpolation = string | number | SafeHtml | readonly SafeHtml[] | undefined | null | false;

const interpolate = (value: Interpolation): string => {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map((item: SafeHtml) => item.value).join('');
  if (value === undefined || value === null || value === false) return '';
  return htmlEscape(String(value));
};

/** Tagged template: the literal parts are markup, every interpolated value is escaped. */
export const html = (strings: TemplateStringsArray, ...values: readonly Interpolation[]): SafeHtml =>
  new SafeHtml(strings.reduce((out, part, index) => out + interpolate(values[index - 1]) + part));

export const joinHtml = (fragments: readonly SafeHtml[], separator: SafeHtml = html``): SafeHtml =>
  new SafeHtml(fragments.map((fragment) => fragment.value).join(separator.value));

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1']);

/** The URL if it may be an href or src (https, or http to localhost), else undefined. */
export const safeHref = (url: string | undefined): string | undefined => {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol === 'https:') return url;
  if (parsed.protocol === 'http:' && LOCAL_HOSTS.has(parsed.hostname)) return url;
  return undefined;
};

/** tel: link for a phone number as shops write it ("+48 12 345 67 89"); undefined if it is not one. */
export const telHref = (phone: string): string | undefined => {
  const digits = phone.replace(/[\s().-]/g, '');
  return /^\+?[0-9]{5,20}$/.test(digits) ? `tel:${digits}` : undefined;
};

/** mailto: link for a plain address (no query part, so nothing can be added to the message). */
export const mailtoHref = (email: string): string | undefined =>
  /^[^\s@<>"'?&%]+@[^\s@<>"'?&%]+\.[^\s@<>"'?&%]+$/.test(email) ? `mailto:${email}` : undefined;

/** An https URL in running text, without the punctuation that usually follows one. */
const URL_IN_TEXT = /https:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

/**
 * Plain text as HTML: escaped, line breaks kept, and https URLs (only those) made into links. Used for
 * the text shops write in their overrides, so a `javascript:` URL there stays visible text.
 */
export const textToHtml = (text: string, linkStyle: string): SafeHtml => {
  const pieces: SafeHtml[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    const href = safeHref(match[0]);
    pieces.push(html`${text.slice(last, match.index)}`);
    pieces.push(href ? html`<a href="${href}" style="${linkStyle}">${match[0]}</a>` : html`${match[0]}`);
    last = match.index + match[0].length;
  }
  pieces.push(html`${text.slice(last)}`);
  return joinHtml(
    joinHtml(pieces)
      .value.split('\n')
      .map((line) => new SafeHtml(line)),
    html`<br>`,
  );
};
