/**
 * A rotating secret as the domain uses it: the key new values are made with, and the keys of the last
 * rotations that values made before may still carry (links in e-mails already sent).
 *
 * Stored (Secrets Manager, docs/deploy.md "Rotating the secrets") either as the bare key, which is what
 * the stack generates, or as JSON `{"current": "...", "previous": ["..."]}` once it has been rotated.
 */

export interface KeyRing {
  /** Signs everything made from now on. */
  readonly current: string;
  /** Still accepted when verifying, newest first. */
  readonly previous: readonly string[];
}

/** A key ring, or a function that gives the one in force (a secret refreshed at run time). */
export type KeySource = string | KeyRing | (() => KeyRing);

/** At most this many previous keys are kept: every one is tried for a value that fits none. */
export const MAX_PREVIOUS_KEYS = 3;

export class InvalidKeyRingError extends Error {
  constructor(name: string, problem: string) {
    super(`${name}: ${problem}`);
    this.name = 'InvalidKeyRingError';
  }
}

/**
 * The key ring a stored secret holds. `name` says which secret in errors; the errors never quote a key.
 * A value that starts with `{` is the JSON form; anything else is a bare key.
 */
export const parseKeyRing = (raw: string, options: { name: string; minLength: number }): KeyRing => {
  const { name, minLength } = options;
  const checked = (key: unknown, where: string): string => {
    if (typeof key !== 'string') throw new InvalidKeyRingError(name, `${where} must be a string`);
    if (key.length < minLength) {
      throw new InvalidKeyRingError(name, `${where} must be at least ${minLength} characters long`);
    }
    return key;
  };
  if (!raw.trimStart().startsWith('{')) return { current: checked(raw, 'the secret'), previous: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new InvalidKeyRingError(name, 'the secret starts with "{" but is not valid JSON');
  }
  const record = parsed as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => key !== 'current' && key !== 'previous');
  if (unknown.length > 0) {
    throw new InvalidKeyRingError(
      name,
      `unknown field(s) ${unknown.join(', ')}: use "current" and "previous"`,
    );
  }
  const previous = record.previous ?? [];
  if (!Array.isArray(previous)) throw new InvalidKeyRingError(name, '"previous" must be an array of keys');
  if (previous.length > MAX_PREVIOUS_KEYS) {
    throw new InvalidKeyRingError(name, `"previous" holds at most ${MAX_PREVIOUS_KEYS} keys`);
  }
  return {
    current: checked(record.current, '"current"'),
    previous: previous.map((key, index) => checked(key, `"previous"[${index}]`)),
  };
};

/** The key ring a source gives now. */
export const keyRingOf = (source: KeySource): KeyRing => {
  if (typeof source === 'string') return { current: source, previous: [] };
  return typeof source === 'function' ? source() : source;
};

/** Every key a value may have been made with, the current one first. */
export const acceptedKeys = (ring: KeyRing): readonly string[] => [ring.current, ...ring.previous];
