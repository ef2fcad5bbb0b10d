import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  html,
  joinHtml,
  multiline,
  styleElement,
  textToHtml,
} from '../../../functions/domain/web/html.js';

/** Text with the characters that matter to HTML mixed in often. */
const hostileText = fc.string({
  unit: fc.oneof(
    fc.constantFrom('<', '>', '&', '"', "'", '\n', '=', '/', '`', ' ', 'a', ';', '#'),
    fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }),
  ),
  maxLength: 60,
});

const RAW_SPECIAL = /[<>"']|&(?!(?:amp|lt|gt|quot|#39);)/;

describe('Function: html', () => {
  it('never lets a raw < > & " or \' of an interpolated value into the markup', () => {
    fc.assert(
      fc.property(hostileText, fc.array(hostileText, { maxLength: 3 }), (value, list) => {
        // Act
        const text = html`${value}`.value;
        const attribute = html`${list.map((item) => html`<i title="${item}">${item}</i>`)}`.value;

        // Assess
        expect(text).not.toMatch(RAW_SPECIAL);
        const stripped = attribute.replaceAll('<i title="', '').replaceAll('">', '').replaceAll('</i>', '');
        expect(stripped).not.toMatch(RAW_SPECIAL);
      }),
    );
  });

  it('escapes a value exactly once, however fragments are nested and joined', () => {
    fc.assert(
      fc.property(hostileText, (value) => {
        // Act
        const nested = html`<p>${html`<b>${value}</b>`}</p>`;
        const joined = joinHtml([html`${value}`, html`${value}`], html`<br>`);

        // Assess
        expect(nested.value).toBe(`<p><b>${escapeHtml(value)}</b></p>`);
        expect(joined.value).toBe(`${escapeHtml(value)}<br>${escapeHtml(value)}`);
      }),
    );
  });

  it('drops undefined, null and false, and escapes numbers as text', () => {
    // Act & Assess
    expect(html`a${undefined}b${null}c${false}d${0}`.value).toBe('abcd0');
  });
});

describe('Function: multiline', () => {
  it('keeps line breaks as <br> and escapes each line', () => {
    fc.assert(
      fc.property(
        fc.array(
          hostileText.map((line) => line.replaceAll('\n', '')),
          { minLength: 1, maxLength: 4 },
        ),
        (lines) => {
          // Act
          const out = multiline(lines.join('\n')).value;

          // Assess
          expect(out).toBe(lines.map(escapeHtml).join('<br>'));
        },
      ),
    );
  });
});

describe('Function: styleElement', () => {
  it('refuses a stylesheet that could close its element', () => {
    // Act & Assess
    expect(() => styleElement('a{color:red}</style><script>alert(1)</script>')).toThrow(/must not contain/);
    expect(styleElement('a{content:"&"}').value).toBe('<style>a{content:"&"}</style>');
  });
});

describe('Function: textToHtml', () => {
  it('links only URLs that pass the link check, and nothing else of the text becomes markup', () => {
    fc.assert(
      fc.property(
        hostileText,
        fc.constantFrom(
          'https://x.example/a',
          'javascript:alert(1)',
          'https://u:p@x.example/',
          'data:text/html,x',
        ),
        (text, url) => {
          // Act
          const out = textToHtml(`${text} ${url} ${text}`, 'color:red;').value;

          // Assess
          const hrefs = [...out.matchAll(/<a href="([^"]*)"/g)].map((match) => match[1]);
          for (const href of hrefs) expect(href).toMatch(/^https:\/\/[^@]*$/);
          const withoutMarkup = out.replace(/<a href="[^"]*" style="color:red;">|<\/a>|<br>/g, '');
          expect(withoutMarkup).not.toMatch(RAW_SPECIAL);
        },
      ),
    );
  });
});
