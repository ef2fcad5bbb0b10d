/**
 * The one home of HTML escaping: every page and e-mail this project renders (the e-mails, the tracking
 * page, the unsubscribe page, the local outbox) builds its markup with the `html` tag below.
 *
 * Escaping is escape-goat's `htmlEscape` (& < > " '), which covers text and quoted attribute values. The
 * `html` tag escapes every interpolated value unless it is already `SafeHtml`, i.e. the output of another
 * `html` call, so fragments compose without double escaping and no string ever reaches the markup
 * unescaped. `SafeHtml` cannot be made from a string outside this module; the one raw way in is a
 * stylesheet, which `styleElement` refuses if it could end its element.
 *
 * Escaping does not make a URL safe (`javascript:` survives it): links go through ./links.ts.
 */
import { htmlEscape } from 'escape-goat';
import { safeHref } from './links.js';

class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type { SafeHtml };

export type Interpolation = SafeHtml | string | number | undefined | null | false | readonly Interpolation[];

const interpolate = (value: Interpolation): string => {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(interpolate).join('');
  if (value === undefined || value === null || value === false) return '';
  return htmlEscape(String(value));
};

/** Escapes one value for text or a quoted attribute. */
export const escapeHtml = (value: string): string => htmlEscape(value);

/** Tagged template: the literal parts are markup, every interpolated value is escaped. */
export const html = (strings: TemplateStringsArray, ...values: readonly Interpolation[]): SafeHtml =>
  new SafeHtml(strings.reduce((out, part, index) => out + interpolate(values[index - 1]) + part));

export const joinHtml = (fragments: readonly SafeHtml[], separator: SafeHtml = html``): SafeHtml =>
  new SafeHtml(fragments.map((fragment) => fragment.value).join(separator.value));

/**
 * A `<style>` element. CSS is raw text there (entities are not decoded), so it cannot be escaped; a
 * stylesheet that contains `<` could close the element and is refused instead.
 */
export const styleElement = (css: string): SafeHtml => {
  if (css.includes('<')) throw new Error('a stylesheet must not contain "<"');
  return new SafeHtml(`<style>${css}</style>`);
};

/** Text with its line breaks kept. */
export const multiline = (text: string): SafeHtml =>
  joinHtml(
    text.split('\n').map((line) => html`${line}`),
    html`<br>`,
  );

/** An https URL in running text, without the punctuation that usually follows one. */
const URL_IN_TEXT = /https:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

/**
 * Plain text as HTML: escaped, line breaks kept, and https URLs (only those that pass `safeHref`) made
 * into links. Used for the text shops write in their overrides, so a `javascript:` URL there stays text.
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
