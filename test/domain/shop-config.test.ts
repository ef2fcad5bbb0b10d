import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { channelsFor, InvalidShopConfigError, parseShopConfigs } from '../../functions/domain/shop-config.js';

const example = () =>
  JSON.parse(readFileSync(new URL('../../config/shops.example.json', import.meta.url), 'utf8'));

describe('Function: parseShopConfigs', () => {
  it('accepts the documented example', () => {
    const [shop] = parseShopConfigs(example());
    expect(shop?.name).toBe('Sklep Pod Dębem');
    expect(shop && channelsFor(shop, 'Order Shipped')).toEqual(['email', 'sms', 'push']);
    expect(shop && channelsFor(shop, 'Order Preparing')).toEqual([]);
  });

  it('fills defaults for a minimal shop', () => {
    const [shop] = parseShopConfigs([
      { shopId: 'mini', name: 'Mini', statusPage: { baseUrl: 'https://track.mini.example' } },
    ]);
    expect(shop).toMatchObject({
      defaultLanguage: 'pl',
      quietHours: { start: '21:00', end: '08:00' },
      fallbacks: { sms: ['email'], push: ['email'] },
      statusPage: { showPrices: false, reducedViewAfterDays: 30 },
    });
  });

  it('lists every problem with its path', () => {
    const shops = example();
    shops[0].links.returns = 'http://podebem.example.pl/zwroty';
    shops[0].quietHours.start = '9pm';
    shops[0].channels = { 'Order Teleported': ['sms'] };
    const error = (() => {
      try {
        parseShopConfigs(shops);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(InvalidShopConfigError);
    expect((error as InvalidShopConfigError).problems).toEqual([
      'shops[0].links.returns: expected an https:// URL (http:// only for localhost)',
      'shops[0].quietHours.start: expected a time as HH:MM (24-hour clock)',
    ]);
  });

  it('refuses channel overrides for unknown event types and shops configured twice', () => {
    const shops = example();
    shops[0].channels = { 'Order Teleported': ['sms'] };
    expect(() => parseShopConfigs(shops)).toThrow('Order Teleported is not an order event type');
    expect(() => parseShopConfigs([example()[0], example()[0]])).toThrow(
      'shopId sklep-pod-debem is configured twice',
    );
  });
});
