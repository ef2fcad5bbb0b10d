import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CustomerContact,
  canonicalAddress,
  canonicalEmail,
  canonicalPhone,
  contactEntriesOf,
  contactKey,
  contactMatches,
  contactOf,
  lookupEntriesOf,
} from '../../functions/domain/contact.js';
import { CHANNELS } from '../../functions/domain/notification-log.js';

const SHOP = 'sklep-pod-debem';

/** Polish mobile numbers (9 digits after a mobile prefix): valid for libphonenumber. */
const polishMobile = fc
  .tuple(
    fc.constantFrom('50', '51', '53', '57', '60', '66', '69', '72', '73', '78', '79', '88'),
    fc.stringMatching(/^[0-9]{7}$/),
  )
  .map(([prefix, rest]) => `${prefix}${rest}`);

/** The ways one national number is written: spaced, dashed, with +48, 0048, brackets. */
const writtenAs = (national: string) =>
  fc
    .constantFrom(
      (n: string) => n,
      (n: string) => `+48${n}`,
      (n: string) => `+48 ${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`,
      (n: string) => `0048 ${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`,
      (n: string) => `(+48) ${n}`,
      (n: string) => ` ${n.slice(0, 3)} ${n.slice(3)} `,
    )
    .map((format) => format(national));

/** An address with its letters' case flipped at random and whitespace around it. */
const caseAndSpaceVariant = (address: string) =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: address.length, maxLength: address.length }),
      fc.constantFrom('', ' ', '\t', '  \n'),
      fc.constantFrom('', ' ', '\u00a0'),
    )
    .map(
      ([upper, before, after]) =>
        `${before}${[...address].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join('')}${after}`,
    );

const keysOf = (contact: CustomerContact, shopId = SHOP) =>
  lookupEntriesOf(contact).map((entry) => contactKey(shopId, entry));

describe('Module: contact', () => {
  describe('Function: canonicalEmail', () => {
    it('is idempotent on any text', () => {
      fc.assert(
        fc.property(fc.oneof(fc.string(), fc.emailAddress(), fc.string({ unit: 'grapheme' })), (value) => {
          expect(canonicalEmail(canonicalEmail(value))).toBe(canonicalEmail(value));
        }),
      );
    });

    it('maps case and whitespace variants of one address to one key, and matches them', () => {
      fc.assert(
        fc.property(
          fc.emailAddress().chain((address) => fc.tuple(fc.constant(address), caseAndSpaceVariant(address))),
          ([address, variant]) => {
            expect(canonicalEmail(variant)).toBe(canonicalEmail(address));
            expect(keysOf(contactOf(variant))).toEqual(keysOf(contactOf(address)));
            expect(contactMatches(contactOf(variant), { email: address })).toBe(true);
            expect(canonicalAddress('email', variant)).toBe(canonicalAddress('email', address));
          },
        ),
      );
    });

    it('keeps different addresses apart: no shared key, no match', () => {
      fc.assert(
        fc.property(fc.emailAddress(), fc.emailAddress(), (a, b) => {
          fc.pre(canonicalEmail(a) !== canonicalEmail(b));
          expect(keysOf(contactOf(a))).not.toEqual(keysOf(contactOf(b)));
          expect(contactMatches(contactOf(a), { email: b })).toBe(false);
        }),
      );
    });

    it('matches Unicode addresses written in another normal form', () => {
      const composed = 'zofia.wąsowska@example.pl';
      const decomposed = composed.normalize('NFD');
      expect(decomposed).not.toBe(composed);
      expect(contactMatches({ kind: 'email', email: decomposed }, { email: composed.toUpperCase() })).toBe(
        true,
      );
    });
  });

  describe('Function: canonicalPhone', () => {
    it('maps every way of writing one Polish number to one E.164 number and one key', () => {
      fc.assert(
        fc.property(
          polishMobile.chain((national) =>
            fc.tuple(fc.constant(national), writtenAs(national), writtenAs(national)),
          ),
          ([national, a, b]) => {
            expect(canonicalPhone(a, 'PL')).toBe(`+48${national}`);
            expect(canonicalPhone(canonicalPhone(a, 'PL') ?? '', 'DE')).toBe(`+48${national}`);
            expect(keysOf(contactOf(a))).toEqual(keysOf(contactOf(b)));
            expect(contactMatches(contactOf(a), { phone: b, country: 'PL' })).toBe(true);
            // The suppression key of a number is that of its E.164 form, however that was formatted.
            expect(canonicalAddress('sms', canonicalPhone(a, 'PL') ?? '')).toBe(`+48${national}`);
            expect(canonicalAddress('sms', `+48 ${national.slice(0, 3)} ${national.slice(3)}`)).toBe(
              `+48${national}`,
            );
          },
        ),
      );
    });

    it('keeps different numbers apart, and a number apart from the same digits in another country', () => {
      fc.assert(
        fc.property(polishMobile, polishMobile, (a, b) => {
          fc.pre(a !== b);
          expect(contactMatches(contactOf(a), { phone: `+48${b}`, country: 'PL' })).toBe(false);
          expect(keysOf(contactOf(a))).not.toEqual(keysOf(contactOf(b)));
        }),
      );
      expect(contactMatches(contactOf('601234567'), { phone: '+49 1512 3456789', country: 'DE' })).toBe(
        false,
      );
      // A national number is read in the order's delivery country.
      expect(contactMatches(contactOf('01512 3456789'), { phone: '+49 1512 3456789', country: 'DE' })).toBe(
        true,
      );
    });

    it('compares a number no country knows digit for digit, never as a prefix or suffix', () => {
      expect(contactMatches(contactOf('12-34-56-7'), { phone: '1234567' })).toBe(true);
      expect(contactMatches(contactOf('234567'), { phone: '1234567' })).toBe(false);
      expect(contactMatches(contactOf('12'), { phone: '12' })).toBe(false);
    });
  });

  describe('Function: contactKey', () => {
    it('separates shops and kinds: one address, one key per shop and kind', () => {
      fc.assert(
        fc.property(fc.emailAddress(), polishMobile, (email, phone) => {
          const [emailEntry] = contactEntriesOf({ email });
          const [phoneEntry] = contactEntriesOf({ phone, country: 'PL' });
          if (!emailEntry || !phoneEntry) throw new Error('entries');
          expect(contactKey(SHOP, emailEntry)).not.toBe(contactKey('another-shop', emailEntry));
          expect(contactKey(SHOP, emailEntry)).not.toBe(
            contactKey(SHOP, { kind: 'phone', canonical: emailEntry.canonical }),
          );
          expect(contactKey(SHOP, phoneEntry)).toMatch(/^[A-Za-z0-9_-]{43}$/);
        }),
      );
    });

    it('finds what the order was indexed under from what the operator types', () => {
      fc.assert(
        fc.property(
          polishMobile.chain((national) => fc.tuple(writtenAs(national), writtenAs(national))),
          ([stored, typed]) => {
            const indexed = contactEntriesOf({ phone: stored, country: 'PL' }).map((e) =>
              contactKey(SHOP, e),
            );
            expect(keysOf(contactOf(typed)).some((key) => indexed.includes(key))).toBe(true);
          },
        ),
      );
    });
  });

  describe('Function: canonicalAddress', () => {
    it('is idempotent on every channel', () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...CHANNELS),
          fc.oneof(fc.string(), fc.emailAddress()),
          (channel, value) => {
            const once = canonicalAddress(channel, value);
            expect(canonicalAddress(channel, once)).toBe(once);
          },
        ),
      );
    });
  });
});
