import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  mailtoHref,
  safeHref,
  safeOrigin,
  telHref,
  trackingPageUrl,
} from '../../../functions/domain/web/links.js';

const CONTROL_OR_BIDI = fc.constantFrom(
  ...[...Array(0x21).keys(), ...Array.from({ length: 0x22 }, (_, i) => 0x7f + i)].map((code) =>
    String.fromCharCode(code),
  ),
  '\u061c',
  '\u200e',
  '\u200f',
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\ufeff',
);

const host = fc.domain();

describe('Function: safeHref', () => {
  it.each([
    ['https://podebem.example.pl/zwroty', 'https://podebem.example.pl/zwroty'],
    ['http://localhost:3000/x', 'http://localhost:3000/x'],
    ['http://127.0.0.1/x', 'http://127.0.0.1/x'],
    ['HTTPS://Podebem.Example.PL', 'https://podebem.example.pl/'],
    ['http://podebem.example.pl/zwroty', undefined],
    ['https://bank.example.pl@evil.example/', undefined],
    ['https://user:pass@podebem.example.pl/', undefined],
    ['javascript:alert(1)', undefined],
    [' JavaScript:alert(1)', undefined],
    ['java\tscript:alert(1)', undefined],
    ['https://podebem.example.pl/\u202egnp.exe', undefined],
    ['data:text/html;base64,PHNjcmlwdD4=', undefined],
    ['//evil.example/x', undefined],
    ['/relative', undefined],
    ['not a url', undefined],
    [undefined, undefined],
  ])('%j -> %j', (url, expected) => {
    // Act & Assess
    expect(safeHref(url)).toBe(expected);
  });

  it('refuses every scheme but https (and http to localhost)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9+.-]{0,12}$/),
        host,
        fc.webPath(),
        (scheme, domain, path) => {
          // Prepare
          const url = `${scheme}://${domain}${path}`;

          // Act
          const href = safeHref(url);

          // Assess
          if (scheme.toLowerCase() === 'https') expect(href).toMatch(/^https:\/\//);
          else expect(href).toBeUndefined();
        },
      ),
    );
  });

  it('refuses any URL with a control character, space or bidi control anywhere in it', () => {
    fc.assert(
      fc.property(host, fc.webPath(), CONTROL_OR_BIDI, fc.nat(), (domain, path, bad, at) => {
        // Prepare
        const url = `https://${domain}${path}`;
        const position = at % (url.length + 1);

        // Act & Assess
        expect(safeHref(url.slice(0, position) + bad + url.slice(position))).toBeUndefined();
      }),
    );
  });

  it('returns only what it checked: an https URL without credentials whose origin is its host', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
        // Act
        const href = safeHref(url);

        // Assess
        if (href === undefined) return;
        const parsed = new URL(href);
        expect(parsed.protocol).toBe('https:');
        expect(parsed.username + parsed.password).toBe('');
        expect(safeOrigin(href)).toBe(parsed.origin);
        expect(safeHref(href)).toBe(href);
      }),
    );
  });
});

describe('Function: telHref', () => {
  it('links phone numbers as shops write them', () => {
    // Act & Assess
    expect(telHref('+48 12 345 67 89')).toBe('tel:+48123456789');
    expect(telHref('(012) 345-67-89')).toBe('tel:0123456789');
    expect(telHref('javascript:alert(1)')).toBeUndefined();
    expect(telHref('+48 12 345 67 89?x')).toBeUndefined();
    expect(telHref(undefined)).toBeUndefined();
  });

  it('builds only tel: followed by digits and at most one leading +, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (phone) => {
        // Act
        const href = telHref(phone);

        // Assess
        if (href !== undefined) expect(href).toMatch(/^tel:\+?[0-9]{5,20}$/);
      }),
    );
  });
});

describe('Function: mailtoHref', () => {
  it('links a plain address and nothing that could add headers or a body', () => {
    // Act & Assess
    expect(mailtoHref('pracownia@podebem.example.pl')).toBe('mailto:pracownia@podebem.example.pl');
    expect(mailtoHref('a@b.pl?cc=evil@x.example')).toBeUndefined();
    expect(mailtoHref('a@b.pl&body=x')).toBeUndefined();
    expect(mailtoHref('"a b"@b.pl')).toBeUndefined();
    expect(mailtoHref('javascript:alert(1)//@b.pl')).toBeUndefined();
  });

  it('never yields a query, fragment, quote, angle bracket or control character', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.emailAddress(), fc.string({ maxLength: 40 })),
        CONTROL_OR_BIDI,
        (email, bad) => {
          // Act
          const href = mailtoHref(email);
          const spoilt = mailtoHref(`${email.slice(0, 2)}${bad}${email.slice(2)}`);

          // Assess
          if (href !== undefined) expect(href).toMatch(/^mailto:[^?#&%<>"'\s]+@[^?#&%<>"'\s]+$/);
          expect(spoilt).toBeUndefined();
        },
      ),
    );
  });
});

describe('trackingPageUrl, the one builder of tracking links', () => {
  it('joins base and token with one slash, and adds the language only when one is given', () => {
    expect(trackingPageUrl('https://status.example.pl/', 'tok_AbC-9', 'pl')).toBe(
      'https://status.example.pl/t/tok_AbC-9?lang=pl',
    );
    expect(trackingPageUrl('https://status.example.pl//', 'tok_AbC-9')).toBe(
      'https://status.example.pl/t/tok_AbC-9',
    );
  });

  it('refuses a token of dots, which a URL parser would resolve away (/t/.. is /)', () => {
    for (const token of ['.', '..']) {
      expect(() => trackingPageUrl('https://status.example.pl', token)).toThrow('cannot be a path segment');
    }
  });

  it('keeps whatever token or language it is given inside its own path segment and parameter', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 30 }).filter((token) => token !== '.' && token !== '..'),
        fc.string({ maxLength: 10 }),
        (token, language) => {
          const url = new URL(trackingPageUrl('https://status.example.pl', token, language));
          expect(url.origin).toBe('https://status.example.pl');
          expect(decodeURIComponent(url.pathname)).toBe(`/t/${token}`);
          expect(url.searchParams.get('lang')).toBe(language);
          expect([...url.searchParams.keys()]).toEqual(['lang']);
        },
      ),
    );
  });
});
