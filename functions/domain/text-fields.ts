/**
 * The one home of the rule for free text a producer or a shop's configuration supplies: which characters a
 * text may hold. Every text reaches a customer somewhere (an e-mail subject, an SMS, a push, the tracking
 * page), so a character that controls a terminal, breaks a header, hides text or reverses its display is
 * refused at the edge, with the field named and the value never echoed.
 *
 * Refused in every text:
 * - C0 controls (U+0000–U+001F: NUL, bell, tab, escape…), DEL (U+007F) and C1 controls (U+0080–U+009F);
 * - bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they reorder what
 *   follows them, so `txt.exe` can be shown as `exe.txt` ("Trojan Source" spoofing);
 * - invisible characters with no use in a name or a note: zero-width space (U+200B), word joiner and
 *   invisible operators (U+2060–U+2064), the byte order mark (U+FEFF) and interlinear annotations
 *   (U+FFF9–U+FFFB, which hide text); they make two different texts look the same;
 * - unpaired surrogates, which are not text at all (UTF-8 cannot encode them).
 * Line breaks (LF, CR, U+2028, U+2029) are refused in single-line texts; a multi-line text keeps them,
 * with CR LF, a lone CR and U+2028/U+2029 normalised to LF, so every renderer sees one kind of break.
 *
 * Allowed on purpose: the directional marks LRM, RLM and ALM (U+200E, U+200F, U+061C), which only give
 * neighbouring punctuation a direction and cannot reorder a run, and which Arabic or Hebrew names mixed
 * with Latin text need; the zero-width joiner and non-joiner (U+200C, U+200D), which Persian and Indic
 * scripts and emoji sequences need; the soft hyphen and emoji tag characters, which show no hidden text.
 */
import * as z from 'zod';

/** Regex sources written with escapes, so no file (schemas included) holds the characters themselves. */
const CONTROL = '\\u0000-\\u0009\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F';
const BIDI = '\\u202A-\\u202E\\u2066-\\u2069';
const INVISIBLE = '\\u200B\\u2060-\\u2064\\uFEFF\\uFFF9-\\uFFFB';
const LINE_BREAK = '\\n\\r\\u2028\\u2029';

const CONTROL_OR_BIDI = new RegExp(`[${CONTROL}${BIDI}]`);
const INVISIBLE_CHARACTER = new RegExp(`[${INVISIBLE}]`);
const LINE_BREAKS = new RegExp(`[${LINE_BREAK}]`);
/** A high surrogate not followed by a low one, or a low one not preceded by a high one (no `u` flag). */
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LINE_BREAKS_TO_NORMALISE = /\r\n?|[\u2028\u2029]/g;

export type TextKind = 'single-line' | 'multi-line';

export const TEXT_PROBLEMS = {
  malformed: 'must be well-formed Unicode text (no unpaired surrogates)',
  lineBreak: 'must be a single line (no line breaks)',
  control: 'must not contain control characters or bidirectional overrides',
  invisible: 'must not contain invisible characters (zero-width space, word joiner, byte order mark)',
} as const;

/** Why `value` is not an acceptable text of this kind (never quoting it), or undefined when it is. */
export const textProblem = (value: string, kind: TextKind): string | undefined => {
  if (UNPAIRED_SURROGATE.test(value)) return TEXT_PROBLEMS.malformed;
  if (kind === 'single-line' && LINE_BREAKS.test(value)) return TEXT_PROBLEMS.lineBreak;
  if (CONTROL_OR_BIDI.test(value)) return TEXT_PROBLEMS.control;
  if (INVISIBLE_CHARACTER.test(value)) return TEXT_PROBLEMS.invisible;
  return undefined;
};

/** The same rule for JSON Schema consumers (a producer's own validator); a multi-line text may hold CR. */
export const TEXT_PATTERNS: Readonly<Record<TextKind, string>> = {
  'single-line': `^[^${CONTROL}${BIDI}${INVISIBLE}${LINE_BREAK}]*$`,
  'multi-line': `^[^${CONTROL}${BIDI}${INVISIBLE}]*$`,
};
const patternOf = (kind: TextKind): string => TEXT_PATTERNS[kind];

const refineText =
  (kind: TextKind) =>
  (value: string, ctx: z.core.$RefinementCtx<string>): void => {
    const problem = textProblem(value, kind);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  };

/**
 * The single-line rule as a zod refinement, for strings with a format of their own (URLs). Put it first:
 * zod's URL check strips tabs and line breaks from the value before later checks see it.
 */
export const refineSingleLine = refineText('single-line');

/** A one-line text of 1 to `max` UTF-16 units after trimming: names, numbers, titles, subjects. */
export const singleLineText = (max: number) =>
  z
    .string()
    // Before trimming, which would quietly drop a break or a byte order mark at either end.
    .superRefine(refineText('single-line'))
    .trim()
    .min(1)
    .max(max)
    .meta({ pattern: patternOf('single-line') });

/** A text that may span lines (notes, instructions, message bodies); line breaks are normalised to LF. */
export const multiLineText = (max: number) =>
  z
    .string()
    .overwrite((value) => value.replace(LINE_BREAKS_TO_NORMALISE, '\n'))
    .superRefine(refineText('multi-line'))
    .trim()
    .min(1)
    .max(max)
    .meta({ pattern: patternOf('multi-line') });
