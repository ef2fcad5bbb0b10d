import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_UNSUBSCRIBE_TTL_DAYS,
  type Subscription,
  signedLinks,
  signSubscription,
  verifySubscription,
} from '../../functions/domain/signed-links.js';

const SECRET = 's'.repeat(32);
const NOW = new Date('2026-11-21T12:00:00Z');
const DAY_MS = 86_400_000;

const subscription = fc.record({
  shopId: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,30}$/),
  channel: fc.constantFrom('email' as const, 'sms' as const, 'push' as const),
  address: fc.oneof(
    fc.emailAddress(),
    fc.stringMatching(/^\+48[0-9]{9}$/),
    fc.string({ minLength: 1, maxLength: 254 }),
  ),
});

/** A token of the first format: the fields in clear base64url, an HMAC, no expiry. */
const legacyToken = (secret: string, value: Subscription): string => {
  const payload = Buffer.from(JSON.stringify([value.shopId, value.channel, value.address])).toString(
    'base64url',
  );
  return `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;
};

describe('Module: signed-links', () => {
  describe('Method: signSubscription', () => {
    it('makes tokens that name nobody: no part of the address or shop can be read out of them', () => {
      fc.assert(
        fc.property(subscription, (value) => {
          // Act
          const token = signSubscription(SECRET, value, { now: NOW });

          // Assess: neither the token nor any decoding of it shows the address
          const decoded = Buffer.from(token, 'base64url').toString('latin1');
          for (const text of [token, decoded, decodeURIComponent(token)]) {
            if (value.address.length >= 4) expect(text).not.toContain(value.address);
            if (value.shopId.length >= 4) expect(text).not.toContain(value.shopId);
          }
          expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
          expect(token.length).toBeLessThanOrEqual(2048);
          expect(verifySubscription(SECRET, token, { now: NOW })).toEqual(value);
        }),
      );
    });

    it('gives the same subscription a different token each time, so tokens cannot be compared', () => {
      const value = { shopId: 'sklep', channel: 'email' as const, address: 'zofia@example.pl' };
      expect(signSubscription(SECRET, value, { now: NOW })).not.toBe(
        signSubscription(SECRET, value, { now: NOW }),
      );
    });
  });

  describe('Method: verifySubscription', () => {
    it('works until the link expires, and never after', () => {
      fc.assert(
        fc.property(
          subscription,
          fc.integer({ min: 30, max: 3650 }),
          fc.integer({ min: 0, max: 4000 * DAY_MS }),
          (value, ttlDays, elapsedMs) => {
            // Prepare
            const token = signSubscription(SECRET, value, { now: NOW, ttlDays });

            // Act
            const verified = verifySubscription(SECRET, token, { now: new Date(NOW.getTime() + elapsedMs) });

            // Assess
            expect(verified).toEqual(elapsedMs < ttlDays * DAY_MS ? value : undefined);
          },
        ),
      );
    });

    it('refuses any altered token, and tokens made with another secret', () => {
      fc.assert(
        fc.property(subscription, fc.nat(), fc.integer({ min: 1, max: 255 }), (value, position, flip) => {
          // Prepare
          const token = signSubscription(SECRET, value, { now: NOW });
          const bytes = Buffer.from(token, 'base64url');
          const index = position % bytes.length;
          bytes[index] = (bytes[index] ?? 0) ^ flip;

          // Act + Assess
          expect(verifySubscription(SECRET, bytes.toString('base64url'), { now: NOW })).toBeUndefined();
          expect(verifySubscription('x'.repeat(32), token, { now: NOW })).toBeUndefined();
        }),
      );
    });

    it('answers undefined, never throws, for any string', () => {
      fc.assert(
        fc.property(
          fc.oneof(fc.string({ maxLength: 3000 }), fc.base64String({ maxLength: 600 })),
          (token) => {
            expect(() => verifySubscription(SECRET, token, { now: NOW })).not.toThrow();
            expect(verifySubscription(SECRET, token, { now: NOW })).toBeUndefined();
          },
        ),
      );
    });

    it('refuses first-format tokens unless the deployment accepts them, and only until its date', () => {
      fc.assert(
        fc.property(subscription, fc.integer({ min: -400, max: 400 }), (value, daysLeft) => {
          // Prepare
          const token = legacyToken(SECRET, value);
          const until = new Date(NOW.getTime() + daysLeft * DAY_MS);

          // Act
          const refused = verifySubscription(SECRET, token, { now: NOW });
          const transition = verifySubscription(SECRET, token, { now: NOW, acceptLegacyUntil: until });
          const forged = verifySubscription('x'.repeat(32), token, { now: NOW, acceptLegacyUntil: until });

          // Assess
          expect(refused).toBeUndefined();
          expect(transition).toEqual(daysLeft > 0 ? value : undefined);
          expect(forged).toBeUndefined();
        }),
      );
    });
  });

  describe('Method: signedLinks', () => {
    it('builds the tracking and unsubscribe links on the shop’s base URL, expiring after the TTL', () => {
      // Prepare
      const value = { shopId: 'sklep', channel: 'sms' as const, address: '+48601234567' };
      const links = signedLinks(SECRET, { clock: { now: () => NOW } });

      // Act
      const unsubscribe = new URL(links.unsubscribeUrl('https://status.example.pl/', value));
      const token = unsubscribe.searchParams.get('token') ?? '';

      // Assess
      expect(links.trackingUrl('https://status.example.pl/', 'TOKEN', 'pl')).toBe(
        'https://status.example.pl/t/TOKEN?lang=pl',
      );
      expect(unsubscribe.pathname).toBe('/v1/unsubscribe');
      expect(unsubscribe.href).not.toContain('601234567');
      const lastDay = new Date(NOW.getTime() + DEFAULT_UNSUBSCRIBE_TTL_DAYS * DAY_MS - 1000);
      expect(verifySubscription(SECRET, token, { now: lastDay })).toEqual(value);
      expect(verifySubscription(SECRET, token, { now: new Date(lastDay.getTime() + 1000) })).toBeUndefined();
    });

    it('refuses a TTL out of range at construction', () => {
      expect(() => signedLinks(SECRET, { clock: { now: () => NOW }, ttlDays: 0 })).toThrow(/ttlDays/);
      expect(() => signedLinks(SECRET, { clock: { now: () => NOW }, ttlDays: 1.5 })).toThrow(/ttlDays/);
    });
  });
});
