import { describe, expect, it } from 'vitest';
import {
  formatDate,
  formatDateTime,
  formatMoney,
  LANGUAGES,
  languageFromAcceptLanguage,
  orderPageLanguage,
  PAYMENT_LABELS,
  plural,
  resolveLanguage,
  STATUS_LABELS,
} from '../../functions/domain/i18n.js';
import { maskEmail, maskPhone } from '../../functions/domain/notification-log.js';

describe('Module: i18n', () => {
  it.each([
    ['pl-PL', 'pl'],
    ['en-GB', 'en'],
    ['EN', 'en'],
    ['de-DE', 'pl'],
    [undefined, 'pl'],
  ])('resolves %s to %s', (locale, language) => {
    expect(resolveLanguage(locale)).toBe(language);
  });

  it('falls back to the shop default given', () => {
    expect(resolveLanguage('fr', 'en')).toBe('en');
  });

  it.each([
    // [explicit ?lang, order locale, browser, shop default, expected]
    [undefined, 'pl-PL', 'en', 'en', 'pl'], // the order's locale beats the browser and the shop
    ['en', 'pl-PL', 'pl', 'pl', 'en'], // the customer's switch beats everything
    ['pl', 'en-GB', 'en', 'en', 'pl'],
    [undefined, 'de-DE', 'en', 'pl', 'en'], // a locale we do not have: the browser
    [undefined, undefined, 'en', 'pl', 'en'],
    [undefined, 'de-DE', undefined, 'en', 'en'], // nothing usable: the shop's default
    [undefined, 'EN_us', 'pl', 'pl', 'en'],
  ] as const)(
    'orders the page language: ?lang=%s, locale %s, browser %s, shop %s → %s',
    (explicit, orderLocale, browser, shopDefault, expected) => {
      expect(orderPageLanguage({ explicit, orderLocale, browser, shopDefault })).toBe(expected);
    },
  );

  it.each([
    ['pl-PL,pl;q=0.9,en;q=0.8', 'pl'],
    ['de-DE,de;q=0.9,en;q=0.5,pl;q=0.4', 'en'],
    ['en;q=0.2, pl;q=0.9', 'pl'],
    ['fr-FR', undefined],
    ['pl;q=0, en;q=0.1', 'en'],
    ['', undefined],
  ])('picks the language from Accept-Language %j', (header, language) => {
    expect(languageFromAcceptLanguage(header)).toBe(language);
  });

  it('has a label for every status and payment status in every language', () => {
    for (const language of LANGUAGES) {
      expect(Object.keys(STATUS_LABELS[language]).sort()).toEqual(Object.keys(STATUS_LABELS.pl).sort());
      expect(Object.values(STATUS_LABELS[language]).every((label) => label.length > 0)).toBe(true);
      expect(Object.keys(PAYMENT_LABELS[language]).sort()).toEqual(Object.keys(PAYMENT_LABELS.pl).sort());
    }
  });

  it('formats dates in the customer’s language and time zone, with Polish month inflection', () => {
    // 23:30 UTC is already the next day in Warsaw
    expect(formatDateTime('2026-11-24T23:30:00Z', 'pl', 'Europe/Warsaw')).toBe('25 listopada 2026 00:30');
    expect(formatDateTime('2026-11-24T23:30:00Z', 'en', 'Europe/London')).toBe('24 November 2026 at 23:30');
    expect(formatDate('2026-11-25', 'pl', 'America/Los_Angeles')).toBe('25 listopada 2026');
  });

  it('formats money from minor units', () => {
    expect(formatMoney(11597, 'PLN', 'pl').replace(/\s/g, ' ')).toBe('115,97 zł');
    expect(formatMoney(11597, 'PLN', 'en').replace(/\s/g, ' ')).toBe('PLN 115.97');
    expect(formatMoney(500, 'JPY', 'en')).toBe('JP¥500');
  });

  it('uses the Polish plural forms', () => {
    const forms = { one: '# produkt', few: '# produkty', many: '# produktów', other: '# produktu' };
    expect([1, 2, 4, 5, 12, 22, 25].map((n) => plural(n, forms, 'pl'))).toEqual([
      '1 produkt',
      '2 produkty',
      '4 produkty',
      '5 produktów',
      '12 produktów',
      '22 produkty',
      '25 produktów',
    ]);
    expect(plural(1, { one: '# item', other: '# items' }, 'en')).toBe('1 item');
  });

  it('masks contact details so only their owner recognises them', () => {
    expect(maskEmail('zofia.wasowska@example.pl')).toBe('z***@example.pl');
    expect(maskPhone('+48 601 234 567')).toBe('+48 *** *** 567');
    expect(maskEmail('broken')).toBe('***');
  });
});
