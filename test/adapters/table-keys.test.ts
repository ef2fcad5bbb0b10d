/**
 * The order table's key formats, in their one home: what a builder writes the parser reads back, for
 * ids holding `#` and names of Object.prototype too; what would read as another shop's key is refused;
 * and a stream image is an order state item exactly when the planner mapping's filter lets it through.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLAIM_SK,
  contactPk,
  contactSk,
  erasurePk,
  eventSk,
  NOTIFICATIONS_PK_PREFIX,
  notificationSk,
  notificationsPk,
  ORDER_PK_PREFIX,
  orderNumberPk,
  orderOfStateItem,
  orderOfStreamImage,
  orderPk,
  orderStateKey,
  parseContactSk,
  parseEventSk,
  parseNotificationsPk,
  parseOrderPk,
  ratePk,
  rateWindowSk,
  STATE_SK,
  shopOrderNumber,
  suppressionPk,
  suppressionSk,
  TableKeyError,
} from '../../functions/adapters/table-keys.js';
import { ORDER_STATE_STREAM_FILTER } from '../../lib/event-patterns.js';
import { PARTITION_KEY_PREFIXES } from '../../lib/order-table-access.js';
import { compilePattern } from '../../local/event-pattern.js';

const shopId = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/);
/** Any non-empty id, `#` and Object.prototype's names included. */
const id = fc.oneof(
  fc.string({ minLength: 1, maxLength: 40 }),
  fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', '#', '##', 'a#b#c', 'ORDER#x#y'),
);

describe('Module: table-keys', () => {
  describe('order keys', () => {
    it('round-trips every order, whatever its id holds', () => {
      fc.assert(
        fc.property(shopId, id, (shop, orderId) => {
          expect(parseOrderPk(orderPk({ shopId: shop, orderId }))).toEqual({ shopId: shop, orderId });
          expect(parseNotificationsPk(notificationsPk({ shopId: shop, orderId }))).toEqual({
            shopId: shop,
            orderId,
          });
          expect(orderOfStateItem(orderStateKey({ shopId: shop, orderId }))).toEqual({
            shopId: shop,
            orderId,
          });
        }),
      );
    });

    it('writes the formats the table has always held', () => {
      const key = { shopId: 'sklep-pod-debem', orderId: 'ZAM#12' };

      expect(orderPk(key)).toBe('ORDER#sklep-pod-debem#ZAM#12');
      expect(orderStateKey(key)).toEqual({ pk: 'ORDER#sklep-pod-debem#ZAM#12', sk: 'STATE' });
      expect(eventSk('evt-1')).toBe('EVENT#evt-1');
      expect(orderNumberPk('sklep-pod-debem', 'ZAM/2026/11/0042')).toBe(
        'ORDERNUMBER#sklep-pod-debem#ZAM/2026/11/0042',
      );
      expect(shopOrderNumber('sklep-pod-debem', '42')).toBe('sklep-pod-debem#42');
      expect(contactPk('sklep-pod-debem', 'abc')).toBe('CONTACT#sklep-pod-debem#abc');
      expect(contactSk('ZAM#12')).toBe('ORDER#ZAM#12');
      expect(notificationsPk(key)).toBe('NOTIFICATIONS#sklep-pod-debem#ZAM#12');
      expect(notificationSk('evt-1', 'email')).toBe('evt-1#email');
      expect(suppressionPk('sklep-pod-debem')).toBe('SUPPRESSION#sklep-pod-debem');
      expect(suppressionSk('sms', 'h4sh')).toBe('sms#h4sh');
      expect(ratePk('lookup', 'client')).toBe('RATE#lookup#client');
      expect(rateWindowSk(1_700_000_000)).toBe('WINDOW#1700000000');
      expect(erasurePk('sklep-pod-debem')).toBe('ERASURE#sklep-pod-debem');
      expect(CLAIM_SK).toBe('CLAIM');
    });

    it('round-trips event and contact sort keys', () => {
      fc.assert(
        fc.property(id, (value) => {
          expect(parseEventSk(eventSk(value))).toBe(value);
          expect(parseContactSk(contactSk(value))).toBe(value);
        }),
      );
    });

    it('refuses a shop id with "#" or empty, which would read as another shop’s key', () => {
      expect(() => orderPk({ shopId: 'shop#other', orderId: 'o-1' })).toThrow(TableKeyError);
      expect(() => orderPk({ shopId: 'shop#other', orderId: 'o-1' })).toThrow(/shop id .*"shop#other"/);
      expect(() => notificationsPk({ shopId: '', orderId: 'o-1' })).toThrow(TableKeyError);
      expect(() => suppressionPk('a#b')).toThrow(TableKeyError);
      expect(() => contactPk('a#b', 'k')).toThrow(TableKeyError);
      expect(() => orderNumberPk('a#b', '1')).toThrow(TableKeyError);
      expect(() => erasurePk('')).toThrow(TableKeyError);
    });

    it('refuses empty parts, naming them', () => {
      expect(() => orderPk({ shopId: 'shop', orderId: '' })).toThrow(
        /an order id must be a non-empty string/,
      );
      expect(() => eventSk('')).toThrow(/an event id/);
      expect(() => orderNumberPk('shop', '')).toThrow(/an order number/);
      expect(() => notificationSk('evt', '')).toThrow(/a channel/);
      expect(() => ratePk('', 'client')).toThrow(/a rate-limit bucket/);
      expect(() => rateWindowSk(-1)).toThrow(/epoch seconds/);
      expect(() => rateWindowSk(1.5)).toThrow(TableKeyError);
    });

    it('reads nothing out of keys of another kind or malformed ones', () => {
      for (const pk of [
        'ORDER#',
        'ORDER#shop',
        'ORDER#shop#',
        'ORDER##o-1',
        'order#shop#o-1',
        'NOTIFICATIONS#shop#o-1',
        'CONTACT#shop#o-1',
        ' ORDER#shop#o-1',
        undefined,
        42,
        { S: 'ORDER#shop#o-1' },
      ]) {
        expect(parseOrderPk(pk)).toBeUndefined();
      }
      expect(parseNotificationsPk('ORDER#shop#o-1')).toBeUndefined();
      expect(parseEventSk('EVENT#')).toBeUndefined();
      expect(parseEventSk('STATE')).toBeUndefined();
      expect(parseContactSk('ORDER#')).toBeUndefined();
    });

    it('gives lib/’s IAM conditions the same partition prefixes', () => {
      expect(PARTITION_KEY_PREFIXES.orders).toBe(ORDER_PK_PREFIX);
      expect(PARTITION_KEY_PREFIXES.notifications).toBe(NOTIFICATIONS_PK_PREFIX);
      expect(orderPk({ shopId: 's', orderId: 'o' }).startsWith(PARTITION_KEY_PREFIXES.orders)).toBe(true);
      expect(suppressionPk('s').startsWith(PARTITION_KEY_PREFIXES.suppressions)).toBe(true);
      expect(contactPk('s', 'k').startsWith(PARTITION_KEY_PREFIXES.contacts)).toBe(true);
      expect(orderNumberPk('s', '1').startsWith(PARTITION_KEY_PREFIXES.orderNumbers)).toBe(true);
      expect(ratePk('b', 'c').startsWith(PARTITION_KEY_PREFIXES.rateLimits)).toBe(true);
    });
  });

  describe('Function: orderOfStreamImage', () => {
    const image = (pk: string, sk: string) => ({ pk: { S: pk }, sk: { S: sk } });
    const passesFilter = compilePattern(ORDER_STATE_STREAM_FILTER);
    const asRecord = (newImage: Record<string, unknown>) => ({ dynamodb: { NewImage: newImage } });

    it('names the order of an order state item, from its key', () => {
      const newImage = {
        ...image('ORDER#shop#ZAM#1', STATE_SK),
        shopId: { S: 'other' },
        orderId: { S: 'x' },
      };

      expect(orderOfStreamImage(newImage)).toEqual({ shopId: 'shop', orderId: 'ZAM#1' });
    });

    it('says no to every other item of the table, and to images that are not DynamoDB JSON', () => {
      for (const newImage of [
        image('ORDER#shop#o-1', 'EVENT#e-1'),
        image('NOTIFICATIONS#shop#o-1', 'e-1#email'),
        image('SUPPRESSION#shop', 'email#h'),
        image('RATE#lookup#c', 'WINDOW#1'),
        image('ORDERNUMBER#shop#1', 'CLAIM'),
        image('CONTACT#shop#k', 'ORDER#o-1'),
        { pk: 'ORDER#shop#o-1', sk: 'STATE' },
        { pk: { N: '1' }, sk: { S: 'STATE' } },
        { sk: { S: 'STATE' } },
        {},
      ]) {
        expect(orderOfStreamImage(newImage)).toBeUndefined();
      }
      expect(orderOfStreamImage(undefined)).toBeUndefined();
    });

    it('does not find keys on Object.prototype', () => {
      const polluted = Object.create({ pk: { S: 'ORDER#shop#o-1' }, sk: { S: 'STATE' } }) as Record<
        string,
        unknown
      >;

      expect(orderOfStreamImage(polluted)).toBeUndefined();
      expect(
        orderOfStreamImage({ pk: Object.create({ S: 'ORDER#shop#o-1' }), sk: { S: 'STATE' } }),
      ).toBeUndefined();
    });

    it('accepts exactly the images the planner mapping’s filter lets through (for well-formed keys)', () => {
      const prefixes = ['ORDER#', 'NOTIFICATIONS#', 'SUPPRESSION#', 'CONTACT#', 'RATE#', 'ORDERNUMBER#'];
      const sortKeys = fc.oneof(
        fc.constantFrom('STATE', 'CLAIM', 'EVENT#e', 'state'),
        fc.string({ maxLength: 8 }),
      );
      fc.assert(
        fc.property(fc.constantFrom(...prefixes), shopId, id, sortKeys, (prefix, shop, orderId, sk) => {
          const newImage = image(`${prefix}${shop}#${orderId}`, sk);

          expect(orderOfStreamImage(newImage) !== undefined).toBe(passesFilter(asRecord(newImage)));
        }),
      );
    });
  });
});
