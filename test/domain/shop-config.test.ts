import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  channelsFor,
  InvalidShopConfigError,
  parseShopConfigs,
  senderProblems,
} from '../../functions/domain/shop-config.js';

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

describe('Function: senderProblems', () => {
  const DEPLOYMENT = 'arn:aws:ses:eu-central-1:123456789012:identity/podebem.example.pl';
  const withEmail = (email: Record<string, unknown> | undefined) => {
    const [shop] = parseShopConfigs([
      { shopId: 'nadawca', name: 'N', statusPage: { baseUrl: 'https://track.n.example' }, email },
    ]);
    if (!shop) throw new Error('unreachable');
    return shop;
  };

  it.each([
    ['the identity’s domain', 'Sklep <zamowienia@podebem.example.pl>'],
    ['a subdomain of it', 'zamowienia@sklep.podebem.example.pl'],
    ['any case', 'Sklep <Zamowienia@PODEBEM.example.pl>'],
  ])('lets a shop without an identity of its own send from %s', (_, from) => {
    expect(senderProblems(withEmail({ from }), DEPLOYMENT)).toEqual([]);
    expect(senderProblems(withEmail({ from }), 'podebem.example.pl')).toEqual([]);
  });

  it.each([
    ['another domain', 'Sklep <zamowienia@inny.example.com>', 'zamowienia@inny.example.com'],
    ['a domain that only ends like it', 'a@notpodebem.example.pl', 'a@notpodebem.example.pl'],
    ['a display name that names it', '"podebem.example.pl" <a@evil.example>', 'a@evil.example'],
  ])('refuses %s, naming email.from and the address', (_, from, address) => {
    expect(senderProblems(withEmail({ from }), DEPLOYMENT)).toEqual([
      `email.from: ${address} is not covered by the deployment's SES identity ${DEPLOYMENT}; send from that domain or give the shop its own verified identity (email.identityArn)`,
    ]);
  });

  it('checks a shop’s own identity against the deployment’s region and account, not its domain', () => {
    const own = (arn: string) => withEmail({ from: 'a@sklep.example.com', identityArn: arn });

    expect(
      senderProblems(own('arn:aws:ses:eu-central-1:123456789012:identity/sklep.example.com'), DEPLOYMENT),
    ).toEqual([]);
    expect(
      senderProblems(own('arn:aws:ses:eu-west-1:123456789012:identity/sklep.example.com'), DEPLOYMENT),
    ).toEqual([
      "email.identityArn: arn:aws:ses:eu-west-1:123456789012:identity/sklep.example.com is not in the deployment's region and account (eu-central-1, 123456789012); verify the shop's domain there",
    ]);
    expect(
      senderProblems(own('arn:aws:ses:eu-central-1:999999999999:identity/sklep.example.com'), DEPLOYMENT),
    ).toHaveLength(1);
    // Known only by name, the deployment has no region or account to compare
    expect(
      senderProblems(
        own('arn:aws:ses:eu-west-1:999999999999:identity/sklep.example.com'),
        'podebem.example.pl',
      ),
    ).toEqual([]);
  });

  it('has nothing to say about a shop that sends no e-mail', () => {
    expect(senderProblems(withEmail(undefined), DEPLOYMENT)).toEqual([]);
  });
});
