import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  InvalidKeyRingError,
  keyRingOf,
  MAX_PREVIOUS_KEYS,
  parseKeyRing,
} from '../../functions/domain/key-ring.js';
import { signedLinks, signSubscription, verifySubscription } from '../../functions/domain/signed-links.js';

const OLD = 'old-unsubscribe-key-0123456789abcdefghij';
const NEW = 'new-unsubscribe-key-0123456789abcdefghij';
const OLDEST = 'oldest-unsubscribe-key-0123456789abcdefg';
const SUBSCRIPTION = { shopId: 'shop-1', channel: 'email', address: 'jan@example.pl' } as const;
const parse = (raw: string) => parseKeyRing(raw, { name: 'UNSUBSCRIBE_SECRET', minLength: 32 });

describe('parseKeyRing', () => {
  it('reads a bare key, as the stack generates it, as a ring without previous keys', () => {
    expect(parse(OLD)).toEqual({ current: OLD, previous: [] });
  });

  it('reads the rotated form with the current key and the previous ones in order', () => {
    expect(parse(JSON.stringify({ current: NEW, previous: [OLD, OLDEST] }))).toEqual({
      current: NEW,
      previous: [OLD, OLDEST],
    });
    expect(parse(`  ${JSON.stringify({ current: NEW })}`)).toEqual({ current: NEW, previous: [] });
  });

  it.each([
    ['a short bare key', 'short-key', 'UNSUBSCRIBE_SECRET: the secret must be at least 32 characters long'],
    ['broken JSON', `{"current": "${NEW}"`, 'starts with "{" but is not valid JSON'],
    ['no current key', JSON.stringify({ previous: [OLD] }), '"current" must be a string'],
    [
      'a short previous key',
      JSON.stringify({ current: NEW, previous: [OLD, 'tiny'] }),
      '"previous"[1] must be',
    ],
    ['previous not a list', JSON.stringify({ current: NEW, previous: OLD }), '"previous" must be an array'],
    ['a misspelt field', JSON.stringify({ current: NEW, previus: [OLD] }), 'unknown field(s) previus'],
    [
      'too many previous keys',
      JSON.stringify({ current: NEW, previous: Array.from({ length: MAX_PREVIOUS_KEYS + 1 }, () => OLD) }),
      `at most ${MAX_PREVIOUS_KEYS} keys`,
    ],
  ])('refuses %s, saying what is wrong and never quoting a key', (_, raw, message) => {
    let error: unknown;
    try {
      parse(raw);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidKeyRingError);
    expect((error as Error).message).toContain(message);
    for (const key of [OLD, NEW, 'short-key', 'tiny']) expect((error as Error).message).not.toContain(key);
  });

  it('refuses a prototype-named field rather than reading it', () => {
    expect(() => parse(`{"current":"${NEW}","__proto__":["${OLD}"]}`)).toThrow('unknown field(s) __proto__');
  });
});

describe('unsubscribe links across a rotation', () => {
  it('are opened with the current or a previous key, and made with the current one', () => {
    // Prepare: a link sent before the rotation, then the ring after it
    const before = signSubscription(OLD, SUBSCRIPTION);
    let ring = keyRingOf(OLD);
    const links = signedLinks(() => ring, { clock: { now: () => new Date() } });
    ring = parse(JSON.stringify({ current: NEW, previous: [OLD] }));

    // Act
    const after =
      new URL(links.unsubscribeUrl('https://s.example.pl', SUBSCRIPTION)).searchParams.get('token') ?? '';

    // Assess
    expect(verifySubscription(() => ring, before)).toEqual(SUBSCRIPTION);
    expect(verifySubscription(() => ring, after)).toEqual(SUBSCRIPTION);
    expect(verifySubscription(OLD, after)).toBeUndefined();
    expect(verifySubscription(NEW, after)).toEqual(SUBSCRIPTION);
  });

  it('stop opening once their key has left the ring', () => {
    const before = signSubscription(OLD, SUBSCRIPTION);
    expect(
      verifySubscription(parse(JSON.stringify({ current: NEW, previous: [OLDEST] })), before),
    ).toBeUndefined();
  });

  it('of the first format open under a previous key while the deployment still accepts them', () => {
    const payload = Buffer.from(JSON.stringify(['shop-1', 'email', 'jan@example.pl'])).toString('base64url');
    const legacy = `${payload}.${createHmac('sha256', OLD).update(payload).digest('base64url')}`;
    const ring = parse(JSON.stringify({ current: NEW, previous: [OLD] }));
    const now = new Date('2026-12-01T00:00:00Z');

    expect(
      verifySubscription(ring, legacy, { now, acceptLegacyUntil: new Date('2027-01-01T00:00:00Z') }),
    ).toEqual(SUBSCRIPTION);
    expect(verifySubscription(ring, legacy, { now })).toBeUndefined();
  });
});
