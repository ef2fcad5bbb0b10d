/**
 * Hostile input for the fuzz tests: strings that break parsers, encoders, HTML, headers, paths and
 * queries, and JSON that is malformed, mistyped or huge. fast-check arbitraries, so every property can
 * mix them freely and shrink a failure to its smallest form.
 */
import fc from 'fast-check';

/** Runs per property: small in `npm test`, large in `npm run fuzz` (FUZZ_RUNS). */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 200);

/** Unicode that trips encoders and renderers. */
export const UNICODE_EDGES = [
  '\uD800', // lone high surrogate
  '\uDC00', // lone low surrogate
  'a\uDBFFb',
  '\u0000', // NUL
  'a\u0000b',
  '\u200B', // zero-width space
  '\u200D', // zero-width joiner
  '\uFEFF', // byte order mark
  '\u202E', // right-to-left override
  '\u202Ecod.exe',
  'שלום עולם', // Hebrew (RTL)
  'مرحبا', // Arabic (RTL)
  '👩‍👩‍👧‍👦', // family emoji: one grapheme, 11 UTF-16 units
  '🇵🇱',
  'Z\u0351\u0358\u0362a\u0315\u0360l\u0327\u0321g\u0354o', // zalgo
  '\u0085', // next line
  '\u2028', // line separator
  '\r\n',
  '\t',
  'ﬀ', // ligature that case-folds to two letters
  'İ', // dotted capital I: lower-cases to two code points
  'ą'.normalize('NFD'), // decomposed
] as const;

/** Injection attempts against every layer a value may reach. */
export const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE orders; --",
  '" OR 1=1 --',
  '{"$gt": ""}',
  '{"$where": "sleep(1000)"}',
  '$ne',
  'attribute_not_exists(pk)',
  ':pk',
  '#pk',
  'ORDER#other-shop#ord-1',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "javascript:alert('x')",
  '{{constructor.constructor("return process")()}}',
  // a template placeholder as text, for template engines
  `\${process.env}`,
  '__proto__',
  'constructor',
  'x\r\nSet-Cookie: a=b',
  'x\r\n\r\n<html>',
  '%0d%0aLocation:%20https://evil.example',
  '../../../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '..\\..\\windows\\win.ini',
  '%00',
  '%',
  '%E0%A4%A',
  'a'.repeat(300),
] as const;

/** A string that is hostile in one or more ways, with harmless text around it. */
export const hostileString = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(...UNICODE_EDGES, ...INJECTIONS),
    fc
      .tuple(
        fc.string({ maxLength: 8 }),
        fc.constantFrom(...UNICODE_EDGES, ...INJECTIONS),
        fc.string({ maxLength: 8 }),
      )
      .map(([before, hostile, after]) => `${before}${hostile}${after}`),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
  );

/** Values of the wrong type for whatever field they land in. */
export const wrongType = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant([]),
    fc.constant({}),
    fc.array(fc.string(), { minLength: 1, maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { minKeys: 1, maxKeys: 3 }),
  );

/** A huge string: far over any field's limit, up to `max` characters. */
export const hugeString = (min: number, max: number): fc.Arbitrary<string> =>
  fc
    .tuple(fc.integer({ min, max }), fc.constantFrom('x', 'ą', '😀', '<', '\u0000', '\uD800'))
    .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)));

const isJson = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** Text that is not JSON: garbage, hostile strings, JSON cut short or with a stray character. */
export const malformedJson = (valid: string): fc.Arbitrary<string> =>
  fc
    .oneof(
      fc.string({ maxLength: 60 }),
      fc.integer({ min: 1, max: Math.max(1, valid.length - 1) }).map((cut) => valid.slice(0, cut)),
      fc.constantFrom(`${valid}}`, `${valid},`, `[${valid}`, valid.replace(/"/g, "'"), `\uFEFF${valid}`),
      hostileString(),
    )
    .filter((text) => !isJson(text));
