import { describe, expect, it } from 'vitest';
import { canonicalPhone } from '../../functions/domain/contact.js';
import {
  addressFor,
  newlyApplied,
  planJobs,
  quietHoursEnd,
  supersededBy,
} from '../../functions/domain/notification-planning.js';
import { replay } from '../../functions/domain/order-lifecycle.js';
import { parseShopConfigs } from '../../functions/domain/shop-config.js';
import { lifecycleEvents, orderRef, SHOP_ID } from '../fixtures/order-events.js';

const [shop] = parseShopConfigs([
  {
    shopId: SHOP_ID,
    name: 'Sklep',
    statusPage: { baseUrl: 'https://status.example.pl' },
    email: { from: 'a@b.pl' },
  },
]);
const ref = orderRef(1);
const stateAfter = (count: number, name: Parameters<typeof lifecycleEvents>[1] = 'happyPath') =>
  replay(lifecycleEvents(ref, name).slice(0, count)).state;

describe('Function: newlyApplied', () => {
  it('returns the events applied since the previous image, including ones applied late', () => {
    expect(newlyApplied(['a', 'b'], ['a', 'x', 'b', 'c'])).toEqual(['x', 'c']);
    expect(newlyApplied(undefined, ['a'])).toEqual(['a']);
    expect(newlyApplied(['a'], ['a'])).toEqual([]);
  });
});

describe('Function: planJobs', () => {
  it('plans one job per channel of the shop’s matrix', () => {
    const events = lifecycleEvents(ref, 'happyPath');
    const jobs = planJobs(shop, events);
    const shipped = jobs.filter((job) => job.eventId.endsWith('-shipped')).map((job) => job.channel);
    const preparing = jobs.filter((job) => job.eventId.endsWith('-preparing'));
    expect(shipped).toEqual(['email', 'sms', 'push']);
    expect(preparing).toEqual([]);
  });

  it('still plans an e-mail job for an unconfigured shop so the sender records why nothing went out', () => {
    const [placed] = lifecycleEvents(ref, 'happyPath');
    expect(planJobs(undefined, placed ? [placed] : [])).toEqual([
      { shopId: SHOP_ID, orderId: ref.orderId, eventId: placed?.eventId, channel: 'email' },
    ]);
  });
});

describe('Function: supersededBy', () => {
  it('supersedes a status message once the order has left that status', () => {
    const delivered = stateAfter(7);
    expect(supersededBy('Order Shipped', delivered)).toBe('the order has moved on to delivered');
    expect(supersededBy('Order Accepted', delivered)).toBeDefined();
    expect(supersededBy('Order Delivered', delivered)).toBeUndefined();
  });

  it('keeps the confirmation and money matters worth telling', () => {
    const shipped = stateAfter(5);
    expect(supersededBy('Order Placed', shipped)).toBeUndefined();
    expect(supersededBy('Payment Received', shipped)).toBeUndefined();
  });

  it('does not ask a customer to call once the hold has ended', () => {
    const resumed = stateAfter(5, 'engravingHold');
    expect(resumed.status).toBe('accepted');
    expect(supersededBy('Order On Hold', resumed)).toBe('the order has moved on to accepted');
    expect(supersededBy('Order Placed', stateAfter(5, 'cancelledAfterHold'))).toBe(
      'the order has been cancelled',
    );
  });
});

describe('Function: quietHoursEnd', () => {
  const window = { start: '21:00', end: '08:00' };

  it('returns the end of the night in the customer’s time zone', () => {
    // 23:30 in Warsaw (CET, UTC+1) -> 08:00 Warsaw = 07:00Z the next day
    expect(quietHoursEnd(new Date('2026-11-20T22:30:00Z'), 'Europe/Warsaw', window)?.toISOString()).toBe(
      '2026-11-21T07:00:00.000Z',
    );
    // 06:15 in Warsaw -> 08:00 the same day
    expect(quietHoursEnd(new Date('2026-11-21T05:15:00Z'), 'Europe/Warsaw', window)?.toISOString()).toBe(
      '2026-11-21T07:00:00.000Z',
    );
  });

  it('lets messages through outside the window, and when the shop has no quiet hours', () => {
    expect(quietHoursEnd(new Date('2026-11-20T12:00:00Z'), 'Europe/Warsaw', window)).toBeUndefined();
    expect(quietHoursEnd(new Date('2026-11-20T22:30:00Z'), 'Europe/Warsaw', null)).toBeUndefined();
    // 22:30Z is 14:30 in Los Angeles
    expect(quietHoursEnd(new Date('2026-11-20T22:30:00Z'), 'America/Los_Angeles', window)).toBeUndefined();
  });

  it('ends at 08:00 local time across the switch from summer time', () => {
    // Night of 24-25 October 2026: Warsaw goes from UTC+2 to UTC+1 at 03:00
    const end = quietHoursEnd(new Date('2026-10-24T21:00:00Z'), 'Europe/Warsaw', window);
    expect(end?.toISOString()).toBe('2026-10-25T07:00:00.000Z');
  });

  it('handles a window within one day', () => {
    expect(
      quietHoursEnd(new Date('2026-11-20T12:30:00Z'), 'Europe/Warsaw', {
        start: '13:00',
        end: '14:00',
      })?.toISOString(),
    ).toBe('2026-11-20T13:00:00.000Z');
  });
});

describe('Function: addressFor', () => {
  it('normalises the phone number to E.164 with the delivery country', () => {
    const state = stateAfter(1);
    expect(addressFor('sms', state)).toEqual({
      channel: 'sms',
      phoneNumber: '+48601234567',
      masked: '+48 *** *** 567',
    });
    expect(canonicalPhone('601 234 567', 'PL')).toBe('+48601234567');
    expect(canonicalPhone('12', 'PL')).toBeUndefined();
  });

  it('says why there is no address', () => {
    const state = stateAfter(1);
    const noPhone = { ...state, customer: state.customer && { ...state.customer, phone: '+48 000' } };
    expect(addressFor('sms', noPhone)).toEqual({ missing: 'the phone number is not a valid number' });
    expect(addressFor('push', state)).toEqual({
      missing: 'the customer did not choose push',
      notChosen: true,
    });
  });

  it('leaves out disabled push devices', () => {
    const state = stateAfter(1);
    const withPush = {
      ...state,
      customer: state.customer && {
        ...state.customer,
        channels: { ...state.customer.channels, push: true },
        pushTargets: [
          { platform: 'fcm' as const, deviceToken: 'token-aaaa-1111' },
          { platform: 'apns' as const, deviceToken: 'token-bbbb-2222' },
        ],
      },
    };
    const address = addressFor('push', withPush, { disabledPushTokens: new Set(['token-aaaa-1111']) });
    expect(address).toMatchObject({
      channel: 'push',
      targets: [{ deviceToken: 'token-bbbb-2222' }],
      masked: 'apns …2222',
    });
    expect(
      addressFor('push', withPush, { disabledPushTokens: new Set(['token-aaaa-1111', 'token-bbbb-2222']) }),
    ).toEqual({
      missing: 'every push device of the order is disabled',
    });
  });
});
