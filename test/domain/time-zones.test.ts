import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTimeZone } from '../../functions/domain/time-zones.js';

describe('isTimeZone, the one check the contract and the messages share', () => {
  it('knows every zone this runtime lists, and the UTC aliases', () => {
    for (const zone of [...Intl.supportedValuesOf('timeZone'), 'UTC', 'Etc/UTC']) {
      expect(isTimeZone(zone), zone).toBe(true);
    }
  });

  it('refuses what is not a zone, however often it is asked (refusals are not remembered as zones)', () => {
    for (const value of ['', 'Europe/Nowhere', 'constructor', '__proto__', 'Europe/Warsaw\n', '../etc']) {
      expect(isTimeZone(value), JSON.stringify(value)).toBe(false);
      expect(isTimeZone(value), `${JSON.stringify(value)} a second time`).toBe(false);
    }
  });

  it('agrees with Intl for arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (value) => {
        let intlAccepts = true;
        try {
          new Intl.DateTimeFormat('en', { timeZone: value });
        } catch {
          intlAccepts = false;
        }
        expect(isTimeZone(value)).toBe(intlAccepts);
      }),
    );
  });
});
