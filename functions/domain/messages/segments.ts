/**
 * SMS length as the network counts it (3GPP TS 23.038, "GSM 03.38").
 *
 * A text made only of the GSM 7-bit default alphabet travels as GSM-7: 1 septet per character, 2 for the
 * characters of the extension table (sent as ESC + character). Anything else forces the whole message into
 * UCS-2, counted in UTF-16 code units (a character outside the BMP, such as most emoji, takes 2).
 * A single message holds 160 septets or 70 units; a longer one is split into parts of 153 or 67 (the rest
 * carries the concatenation header), and a character is never split across two parts.
 */

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsMeasurement {
  readonly encoding: SmsEncoding;
  /** How many SMS the operator bills. */
  readonly segments: number;
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  readonly units: number;
}

/** The GSM 7-bit default alphabet (without ESC, 0x1B), in code order. */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** The default extension table: each of these costs ESC + the character, 2 septets. */
const GSM_EXTENSION = '\f^{}\\[~]|€';

const BASIC = new Set(GSM_BASIC);
const EXTENSION = new Set(GSM_EXTENSION);

export const SMS_LIMITS: Readonly<Record<SmsEncoding, { readonly single: number; readonly part: number }>> = {
  'GSM-7': { single: 160, part: 153 },
  'UCS-2': { single: 70, part: 67 },
};

export const isGsmCharacter = (character: string): boolean =>
  BASIC.has(character) || EXTENSION.has(character);

export const measureSms = (text: string): SmsMeasurement => {
  const characters = Array.from(text);
  const encoding: SmsEncoding = characters.every(isGsmCharacter) ? 'GSM-7' : 'UCS-2';
  const sizes = characters.map((character) =>
    encoding === 'GSM-7' ? (EXTENSION.has(character) ? 2 : 1) : character.length,
  );
  const units = sizes.reduce((sum, size) => sum + size, 0);
  const limits = SMS_LIMITS[encoding];
  if (units <= limits.single) return { encoding, segments: 1, units };
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > limits.part) {
      segments += 1;
      used = 0;
    }
    used += size;
  }
  return { encoding, segments, units };
};

/* ------------------------------------------------------------------------------------------------ */
/* Making a text cheaper to send                                                                     */
/* ------------------------------------------------------------------------------------------------ */

/**
 * Typography that Intl and people put into texts but GSM-7 lacks: non-breaking and narrow spaces (Intl's
 * "115,97 zł" and "PLN 1 234" use U+00A0 / U+202F), typographic quotes, dashes and the ellipsis. Any one
 * of them would turn the whole SMS into UCS-2.
 */
const PLAIN_TYPOGRAPHY: Readonly<Record<string, string>> = {
  '\u00a0': ' ',
  '\u2000': ' ',
  '\u2001': ' ',
  '\u2002': ' ',
  '\u2003': ' ',
  '\u2004': ' ',
  '\u2005': ' ',
  '\u2006': ' ',
  '\u2007': ' ',
  '\u2008': ' ',
  '\u2009': ' ',
  '\u200a': ' ',
  '\u202f': ' ',
  '\u205f': ' ',
  '\u3000': ' ',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
  '\u201e': '"',
  '\u201c': '"',
  '\u201d': '"',
  '\u00ab': '"',
  '\u00bb': '"',
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u2026': '...',
};

const POLISH_LETTERS: Readonly<Record<string, string>> = {
  ą: 'a',
  ć: 'c',
  ę: 'e',
  ł: 'l',
  ń: 'n',
  ó: 'o',
  ś: 's',
  ź: 'z',
  ż: 'z',
  Ą: 'A',
  Ć: 'C',
  Ę: 'E',
  Ł: 'L',
  Ń: 'N',
  Ó: 'O',
  Ś: 'S',
  Ź: 'Z',
  Ż: 'Z',
};

/** Plain spaces, quotes and dashes instead of typographic ones; done for every SMS. */
export const plainTypography = (text: string): string =>
  Array.from(text, (character) => PLAIN_TYPOGRAPHY[character] ?? character).join('');

/**
 * Polish letters without diacritics (ą→a … Ż→Z), so a Polish text can travel as GSM-7. Other letters that
 * GSM-7 lacks (č, ř, ő…) lose their marks too when that leaves a GSM character; letters GSM-7 has (é, ü,
 * ñ…) are kept.
 */
export const transliterate = (text: string): string =>
  Array.from(text, (character) => {
    const polish = POLISH_LETTERS[character];
    if (polish) return polish;
    if (isGsmCharacter(character)) return character;
    const stripped = character.normalize('NFD').replace(/\p{M}/gu, '');
    return stripped.length > 0 && Array.from(stripped).every(isGsmCharacter) ? stripped : character;
  }).join('');
