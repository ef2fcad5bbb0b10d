import { describe, expect, it } from 'vitest';
import { EventRefusedError } from '../../functions/domain/errors.js';
import { DEFAULT_EVENT_SOURCE } from '../../functions/domain/order-events.js';
import { InvalidShopConfigError, parseShopConfig } from '../../functions/domain/shop-config.js';
import {
  diffShopConfigs,
  type RegisteredShop,
  requireActiveShop,
  type ShopDirectory,
  sendingShop,
  shopRefusal,
} from '../../functions/domain/shop-registry.js';

const config = (overrides: Record<string, unknown> = {}) =>
  parseShopConfig({
    shopId: 'sklep-a',
    name: 'Sklep A',
    statusPage: { baseUrl: 'https://track.sklep-a.example.pl' },
    ...overrides,
  });

const entry = (overrides: Partial<RegisteredShop> = {}): RegisteredShop => ({
  config: config(),
  state: 'active',
  version: 3,
  updatedAt: '2026-12-01T10:00:00.000Z',
  updatedBy: 'ops',
  ...overrides,
});

const directoryOf = (...entries: RegisteredShop[]): ShopDirectory => {
  const byId = new Map(entries.map((shop) => [shop.config.shopId, shop]));
  return { get: async (shopId) => byId.get(shopId) };
};

describe('Function: shopRefusal', () => {
  it('takes an active shop from its own producers only, the default source when it names none', () => {
    const bound = entry({ config: config({ producers: ['platform.acme', 'platform.acme-pos'] }) });

    expect(shopRefusal('sklep-a', entry(), DEFAULT_EVENT_SOURCE)).toBeUndefined();
    expect(shopRefusal('sklep-a', entry(), 'platform.acme')).toMatch(
      /source "platform.acme" may not write orders of shop sklep-a \(its producers: shop.orders\)/,
    );
    expect(shopRefusal('sklep-a', bound, 'platform.acme-pos')).toBeUndefined();
    expect(shopRefusal('sklep-a', bound, DEFAULT_EVENT_SOURCE)).toMatch(
      /may not write orders of shop sklep-a/,
    );
    // A source is matched exactly: no prefix, no case folding, no trimming.
    expect(shopRefusal('sklep-a', bound, 'platform.acm')).toBeDefined();
    expect(shopRefusal('sklep-a', bound, 'Platform.Acme')).toBeDefined();
    expect(shopRefusal('sklep-a', bound, 'platform.acme ')).toBeDefined();
  });

  it('refuses an unknown, a suspended and a deleted shop, saying which and why', () => {
    expect(shopRefusal('sklep-x', undefined, DEFAULT_EVENT_SOURCE)).toBe(
      'shop sklep-x is not configured in this deployment',
    );
    expect(shopRefusal('sklep-a', entry({ state: 'suspended', note: 'unpaid invoice' }))).toBe(
      'shop sklep-a is suspended (unpaid invoice)',
    );
    expect(shopRefusal('sklep-a', entry({ state: 'deleted' }))).toBe(
      'shop sklep-a was deleted from this deployment',
    );
  });
});

describe('Function: requireActiveShop', () => {
  it('returns the configuration of an active shop its producer may write', async () => {
    await expect(
      requireActiveShop(directoryOf(entry()), 'sklep-a', DEFAULT_EVENT_SOURCE),
    ).resolves.toMatchObject({
      shopId: 'sklep-a',
    });
  });

  it('refuses permanently (a dead letter) and says nothing was stored', async () => {
    const directory = directoryOf(entry({ state: 'suspended' }));

    const refusal = requireActiveShop(directory, 'sklep-a', DEFAULT_EVENT_SOURCE);

    await expect(refusal).rejects.toBeInstanceOf(EventRefusedError);
    await expect(refusal).rejects.toThrow('shop sklep-a is suspended; nothing was stored');
    // Prototype names are ids like any other: unknown, not inherited.
    await expect(requireActiveShop(directory, 'constructor', DEFAULT_EVENT_SOURCE)).rejects.toThrow(
      'shop constructor is not configured in this deployment; nothing was stored',
    );
  });
});

describe('Function: sendingShop', () => {
  it('gives the configuration of an active shop and the reason for any other', async () => {
    const directory = directoryOf(
      entry(),
      entry({ config: config({ shopId: 'sklep-b' }), state: 'deleted' }),
    );

    expect((await sendingShop(directory, 'sklep-a')).shop?.shopId).toBe('sklep-a');
    expect(await sendingShop(directory, 'sklep-b')).toEqual({
      refusal: 'shop sklep-b was deleted from this deployment',
    });
    expect(await sendingShop(directory, 'toString')).toEqual({
      refusal: 'shop toString is not configured in this deployment',
    });
  });
});

describe('Function: diffShopConfigs', () => {
  it('lists each changed leaf by path, with both values, in path order', () => {
    const before = config({
      quietHours: { start: '21:00', end: '08:00' },
      contact: { phone: '+48221234567' },
    });
    const after = config({
      quietHours: null,
      contact: { email: 'pomoc@sklep-a.example.pl' },
      name: 'Sklep A+',
    });

    expect(diffShopConfigs(before, after)).toEqual([
      { path: 'contact.email', after: 'pomoc@sklep-a.example.pl' },
      { path: 'contact.phone', before: '+48221234567' },
      { path: 'name', before: 'Sklep A', after: 'Sklep A+' },
      { path: 'quietHours', before: { start: '21:00', end: '08:00' }, after: null },
    ]);
    expect(diffShopConfigs(before, before)).toEqual([]);
  });

  it('compares arrays as values and does not walk into inherited keys', () => {
    const before = config({ producers: ['a.one', 'a.two'] });
    const after = config({ producers: ['a.two', 'a.one'] });

    expect(diffShopConfigs(before, after)).toEqual([
      { path: 'producers', before: ['a.one', 'a.two'], after: ['a.two', 'a.one'] },
    ]);
    expect(diffShopConfigs({ constructor: 1 }, {})).toEqual([{ path: 'constructor', before: 1 }]);
  });
});

describe('Shop configuration: producers and sending identity', () => {
  it.each([
    [['order-notifications'], /producers\[0\]: must not be "order-notifications"/],
    [['aws.partner/shopify.com/1/orders'], /producers\[0\]: must not be .* or start with "aws\."/],
    [[' shop.a'], /producers\[0\]: must have no surrounding spaces/],
    [['shop.\u0000a'], /producers\[0\]: must not contain control characters/],
    [[], /producers: /],
  ])('refuses producers %j, naming the field', (producers, message) => {
    expect(() => config({ producers })).toThrow(InvalidShopConfigError);
    expect(() => config({ producers })).toThrow(message);
  });

  it('takes its own SES identity, configuration set, origination identity and push applications', () => {
    const shop = config({
      email: {
        from: 'Sklep A <zamowienia@sklep-a.example.pl>',
        identityArn: 'arn:aws:ses:eu-central-1:123456789012:identity/sklep-a.example.pl',
        configurationSet: 'sklep-a',
      },
      sms: { originationNumber: 'arn:aws:sms-voice:eu-central-1:123456789012:sender-id/SKLEPA/PL' },
      push: { fcm: 'arn:aws:sns:eu-central-1:123456789012:app/GCM/sklep-a' },
    });

    expect(shop.email?.identityArn).toContain('identity/sklep-a.example.pl');
    expect(shop.push?.fcm).toContain('app/GCM/sklep-a');
  });

  it('refuses a push application of the wrong platform and an identity ARN of another service', () => {
    expect(() => config({ push: { fcm: 'arn:aws:sns:eu-central-1:123456789012:app/APNS/sklep-a' } })).toThrow(
      /shop\.push\.fcm: expected the ARN of an SNS GCM \(FCM\) platform application/,
    );
    expect(() =>
      config({
        email: {
          from: 'a@sklep-a.example.pl',
          identityArn: 'arn:aws:sns:eu-central-1:123456789012:identity/x',
        },
      }),
    ).toThrow(/shop\.email\.identityArn: expected the ARN of a verified SES identity/);
  });

  it('names the shop root in template problems of one shop', () => {
    expect(() => config({ templates: { 'order-exploded': { pl: { subject: 'x' } } } })).toThrow(
      /shop\.templates\.order-exploded: not a template id/,
    );
  });
});

describe('Shop configuration: a sender outside its own identity', () => {
  it('is refused, naming the address and the identity; a subdomain is covered', () => {
    const identityArn = 'arn:aws:ses:eu-central-1:123456789012:identity/sklep-a.example.pl';

    expect(() => config({ email: { from: 'Sklep <zamowienia@example.com>', identityArn } })).toThrow(
      /shop\.email\.from: zamowienia@example\.com is not covered by the SES identity arn:aws:ses:.*sklep-a\.example\.pl/,
    );
    expect(() => config({ email: { from: 'x@sklep-a.example.pl.evil.example', identityArn } })).toThrow(
      /not covered/,
    );
    expect(config({ email: { from: 'Sklep <z@mail.sklep-a.example.pl>', identityArn } }).email?.from).toBe(
      'Sklep <z@mail.sklep-a.example.pl>',
    );
  });
});
