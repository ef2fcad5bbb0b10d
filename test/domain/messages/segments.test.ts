import { describe, expect, it } from 'vitest';
import { measureSms, plainTypography, transliterate } from '../../../functions/domain/messages/segments.js';

describe('Function: measureSms', () => {
  it('fits 160 GSM-7 characters in one SMS and splits 161 into two parts of 153', () => {
    // Prepare
    const full = 'a'.repeat(160);
    const over = 'a'.repeat(161);

    // Act & Assess
    expect(measureSms(full)).toEqual({ encoding: 'GSM-7', segments: 1, units: 160 });
    expect(measureSms(over)).toEqual({ encoding: 'GSM-7', segments: 2, units: 161 });
    expect(measureSms('a'.repeat(306))).toEqual({ encoding: 'GSM-7', segments: 2, units: 306 });
    expect(measureSms('a'.repeat(307))).toEqual({ encoding: 'GSM-7', segments: 3, units: 307 });
  });

  it('keeps the whole GSM basic alphabet at one septet a character', () => {
    // Prepare: every character of the default alphabet except ESC, including the accented and Greek ones
    const basic =
      '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
      '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

    // Act
    const measured = measureSms(basic);

    // Assess
    expect(measured).toEqual({ encoding: 'GSM-7', segments: 1, units: 127 });
  });

  it('counts each character of the extension table as two septets', () => {
    // Prepare
    const extension = '^{}\\[~]|€\f';

    // Act & Assess
    expect(measureSms(extension)).toEqual({ encoding: 'GSM-7', segments: 1, units: 20 });
    expect(measureSms(`${'a'.repeat(158)}€`)).toEqual({ encoding: 'GSM-7', segments: 1, units: 160 });
    expect(measureSms(`${'a'.repeat(159)}€`)).toEqual({ encoding: 'GSM-7', segments: 2, units: 161 });
  });

  it('never splits an extension character across two parts', () => {
    // Prepare: 152 septets, then € (ESC + €) would straddle the 153-septet boundary of the first part
    const text = `${'a'.repeat(152)}€${'a'.repeat(152)}`;

    // Act
    const measured = measureSms(text);

    // Assess: 306 septets would fill exactly two parts if € could be split; it moves whole to the second
    expect(measured).toEqual({ encoding: 'GSM-7', segments: 3, units: 306 });
  });

  it('switches the whole text to UCS-2 for one Polish letter', () => {
    // Prepare
    const text = `${'a'.repeat(60)}ą`;

    // Act & Assess
    expect(measureSms(text)).toEqual({ encoding: 'UCS-2', segments: 1, units: 61 });
    expect(measureSms('ą')).toEqual({ encoding: 'UCS-2', segments: 1, units: 1 });
  });

  it('fits 70 UCS-2 units in one SMS and splits 71 into parts of 67', () => {
    // Prepare
    const full = 'ż'.repeat(70);
    const over = 'ż'.repeat(71);

    // Act & Assess
    expect(measureSms(full)).toEqual({ encoding: 'UCS-2', segments: 1, units: 70 });
    expect(measureSms(over)).toEqual({ encoding: 'UCS-2', segments: 2, units: 71 });
    expect(measureSms('ż'.repeat(134))).toEqual({ encoding: 'UCS-2', segments: 2, units: 134 });
    expect(measureSms('ż'.repeat(135))).toEqual({ encoding: 'UCS-2', segments: 3, units: 135 });
  });

  it('counts an emoji outside the BMP as two UTF-16 units and keeps its halves together', () => {
    // Prepare
    const emoji = '📦';

    // Act & Assess
    expect(measureSms(emoji)).toEqual({ encoding: 'UCS-2', segments: 1, units: 2 });
    expect(measureSms(`${'a'.repeat(68)}${emoji}`)).toEqual({ encoding: 'UCS-2', segments: 1, units: 70 });
    // 66 units + an emoji at the 67-unit boundary: it moves whole to the second part
    expect(measureSms(`${'a'.repeat(66)}${emoji}${'a'.repeat(66)}`)).toEqual({
      encoding: 'UCS-2',
      segments: 3,
      units: 134,
    });
  });

  it('treats the non-breaking space Intl puts into amounts as UCS-2 until it is made plain', () => {
    // Prepare: "PLN 1,234.50" from Intl has U+00A0 after the currency code
    const amount = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'PLN' }).format(1234.5);

    // Act & Assess
    expect(measureSms(`Refund ${amount}`)).toEqual({ encoding: 'UCS-2', segments: 1, units: 19 });
    expect(measureSms(plainTypography(`Refund ${amount}`))).toEqual({
      encoding: 'GSM-7',
      segments: 1,
      units: 19,
    });
  });
});

describe('Function: transliterate', () => {
  it('replaces every Polish letter, small and capital, so the text is GSM-7', () => {
    // Prepare
    const polish = 'Zażółć gęślą jaźń. ĄĆĘŁŃÓŚŹŻ ąćęłńóśźż';

    // Act
    const plain = transliterate(polish);

    // Assess
    expect(plain).toBe('Zazolc gesla jazn. ACELNOSZZ acelnoszz');
    expect(measureSms(plain).encoding).toBe('GSM-7');
  });

  it('keeps letters GSM-7 has (é, ü, Ñ) and strips marks from others (ú, Š, ř, á)', () => {
    // Act & Assess
    expect(transliterate('Café Müller, Ñandú, Škoda, Dvořák')).toBe('Café Müller, Ñandu, Skoda, Dvorak');
  });
});

describe('Function: plainTypography', () => {
  it('replaces typographic spaces, quotes, dashes and the ellipsis with GSM characters', () => {
    // Prepare
    const typographic = 'Grawer: „Dla Babci – 80 lat”\u2026 9:00\u202f–\u00a017:00 ‘ok’';

    // Act
    const plain = plainTypography(typographic);

    // Assess
    expect(plain).toBe('Grawer: "Dla Babci - 80 lat"... 9:00 - 17:00 \'ok\'');
    expect(measureSms(plain).encoding).toBe('GSM-7');
  });
});
