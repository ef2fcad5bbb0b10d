import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { messageInput, shop, shopInput, TRACKING_URL } from '../../../fixtures/messages.js';
import {
  PLACEHOLDERS,
  renderEmail,
  renderPush,
  renderSms,
  validateTemplateOverrides,
} from '../../../functions/domain/messages/index.js';
import {
  InvalidShopConfigError,
  parseShopConfigs,
  type ShopConfigInput,
} from '../../../functions/domain/shop-config.js';

const shipped = {
  'order-shipped': {
    pl: {
      subject: 'Paczka {{orderNumber}} już jedzie do Ciebie!',
      intro: 'Cześć {{customerFirstName}}! Twój kubek jest już w drodze.',
      sms: 'Paczka {{orderNumber}} jedzie{{#carrier}} z {{carrier}}{{/carrier}}: {{trackingUrl}}',
      pushTitle: 'Paczka w drodze!',
      pushBody:
        '{{carrier}} dowiezie ją{{#expectedDeliveryDate}} {{expectedDeliveryDate}}{{/expectedDeliveryDate}}.',
    },
  },
};

const problemsOf = (input: ShopConfigInput): readonly string[] => {
  try {
    parseShopConfigs([input]);
  } catch (error) {
    if (error instanceof InvalidShopConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('Template overrides', () => {
  it("replace the subject, intro, SMS and push of that template for that shop's language", () => {
    // Prepare
    const input = messageInput('Order Shipped', { shop: shop({ templates: shipped }) });

    // Act
    const email = renderEmail(input);
    const sms = renderSms(input);
    const push = renderPush(input);

    // Assess
    expect(email.subject).toBe('Paczka ZAM/2026/11/0042 już jedzie do Ciebie!');
    expect(email.text).toContain(
      'Dzień dobry, Zofia!\n\nCześć Zofia! Twój kubek jest już w drodze.\n\nPrzekazaliśmy',
    );
    expect(email.html).toContain('Cześć Zofia! Twój kubek jest już w drodze.');
    expect(sms.text).toBe(`PodDebem: Paczka ZAM/2026/11/0042 jedzie z InPost: ${TRACKING_URL}`);
    expect(sms.encoding).toBe('GSM-7');
    expect(push.title).toBe('Paczka w drodze!');
    expect(push.body).toBe('InPost dowiezie ją 25 listopada 2026.');
    // The standard content stays below the intro.
    expect(email.text).toContain('Numer przesyłki: 620123456789012345678901');
  });

  it('leave the other language, the other templates and the other shops alone', () => {
    // Prepare
    const overridden = shop({ templates: shipped });

    // Act
    const english = renderEmail(messageInput('Order Shipped', { shop: overridden, language: 'en' }));
    const delivered = renderEmail(messageInput('Order Delivered', { shop: overridden }));
    const otherShop = renderEmail(messageInput('Order Shipped', { shop: shop() }));

    // Assess
    expect(english.subject).toBe('Order ZAM/2026/11/0042 has shipped');
    expect(delivered.subject).toBe('Zamówienie ZAM/2026/11/0042 zostało dostarczone');
    expect(otherShop.subject).toBe('Zamówienie ZAM/2026/11/0042 zostało wysłane');
    expect(otherShop.text).not.toContain('Cześć');
  });

  it('render values as text: triple mustaches cannot inject markup into the e-mail', () => {
    // Prepare
    const overridden = shop({ templates: { 'order-placed': { en: { intro: 'Hi {{{customerName}}}!' } } } });
    const input = messageInput('Order Placed', {
      shop: overridden,
      language: 'en',
      details: (details) => {
        details['Order Placed'].customer.name = '<b>Zofia</b>';
      },
    });

    // Act
    const email = renderEmail(input);

    // Assess
    expect(email.html).toContain('Hi &lt;b&gt;Zofia&lt;/b&gt;!');
    expect(email.text).toContain('Hi <b>Zofia</b>!');
  });

  it('fall back to the standard SMS when real values make the override longer than two SMS', () => {
    // Prepare
    const long = shop({
      templates: { 'order-shipped': { pl: { sms: 'Paczka {{trackingNumber}}: {{trackingUrl}}' } } },
    });
    const input = messageInput('Order Shipped', {
      shop: long,
      details: (details) => {
        // Cyrillic: no transliteration makes it GSM-7, so the override cannot fit two SMS.
        details['Order Shipped'].trackingNumber = 'ж'.repeat(64);
      },
    });

    // Act
    const sms = renderSms(input);

    // Assess
    expect(sms.segments).toBeLessThanOrEqual(2);
    expect(sms.text).toContain('wysłane');
  });

  it('offer exactly the placeholders docs/messages.md documents', () => {
    // Prepare
    const docs = readFileSync(new URL('../../../docs/messages.md', import.meta.url), 'utf8');

    // Act
    const documented = [...docs.matchAll(/^\| `\{\{(\w+)\}\}` \| (.+) \|$/gm)].map(([, name, text]) => [
      name,
      text,
    ]);

    // Assess
    expect(Object.fromEntries(documented)).toEqual(PLACEHOLDERS);
  });

  it('are accepted in the documented example configuration', () => {
    // Prepare
    const example = JSON.parse(
      readFileSync(new URL('../../../config/shops.example.json', import.meta.url), 'utf8'),
    );

    // Act
    const [configured] = parseShopConfigs(example);

    // Assess
    expect(configured?.templates?.['order-shipped']?.pl?.sms).toContain('{{trackingUrl}}');
    expect(configured && validateTemplateOverrides(configured)).toEqual([]);
  });
});

describe('Function: parseShopConfigs (template overrides)', () => {
  it.each([
    [
      'an unknown placeholder',
      { 'order-shipped': { pl: { sms: 'Paczka {{trackingNo}}: {{trackingUrl}}' } } },
      'shops[sklep-pod-debem].templates.order-shipped.pl.sms: uses an unknown placeholder {{trackingNo}}; known: {{shopName}}, {{orderNumber}}',
    ],
    [
      'an unknown placeholder inside a section',
      { 'order-shipped': { en: { subject: '{{#carrier}}{{carier}}{{/carrier}}' } } },
      'shops[sklep-pod-debem].templates.order-shipped.en.subject: uses an unknown placeholder {{carier}}',
    ],
    [
      'an unclosed tag',
      { 'order-placed': { pl: { subject: 'Zamówienie {{orderNumber' } } },
      'shops[sklep-pod-debem].templates.order-placed.pl.subject: does not parse: Unclosed tag',
    ],
    [
      'an unclosed section',
      { 'order-placed': { en: { intro: '{{#carrier}}Carrier {{carrier}}' } } },
      'shops[sklep-pod-debem].templates.order-placed.en.intro: does not parse: Unclosed section "carrier"',
    ],
    [
      'a placeholder with single braces',
      { 'order-placed': { pl: { subject: 'Zamówienie {orderNumber}' } } },
      'shops[sklep-pod-debem].templates.order-placed.pl.subject: has a lone brace: write placeholders as {{name}}',
    ],
    [
      'a partial',
      { 'order-placed': { pl: { intro: '{{> footer}}' } } },
      'shops[sklep-pod-debem].templates.order-placed.pl.intro: uses a partial ({{>footer}}); overrides cannot include other templates',
    ],
    [
      'an object property instead of a placeholder',
      { 'order-placed': { pl: { subject: '{{constructor}} {{orderNumber}}' } } },
      'shops[sklep-pod-debem].templates.order-placed.pl.subject: uses an unknown placeholder {{constructor}}',
    ],
    [
      'an unknown template id',
      { 'order-teleported': { pl: { subject: 'Teleport {{orderNumber}}' } } },
      'shops[sklep-pod-debem].templates.order-teleported: not a template id; expected one of order-placed, payment-received',
    ],
    [
      'an SMS too long with long values',
      {
        'order-shipped': {
          pl: {
            sms: 'Zamówienie {{orderNumber}} zostało właśnie przekazane firmie kurierskiej {{carrier}}. Możesz je śledzić tutaj: {{trackingUrl}}',
          },
        },
      },
      'shops[sklep-pod-debem].templates.order-shipped.pl.sms: takes 3 SMS (UCS-2) with long values (20-character order number and carrier, 60-character tracking link); at most 2 are allowed',
    ],
    [
      'a push title too long with long values',
      { 'order-shipped': { en: { pushTitle: 'Your order {{orderNumber}} from {{shopName}} has shipped' } } },
      'shops[sklep-pod-debem].templates.order-shipped.en.pushTitle: is 64 characters with long values (20-character order number and carrier, 60-character tracking link); a push title holds at most 50',
    ],
  ])('refuses %s, naming the shop, template, language and field', (_, templates, expected) => {
    // Act
    const problems = problemsOf(shopInput({ templates }));

    // Assess
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(expected);
  });

  it('refuses a misspelt field with its path', () => {
    // Act
    const problems = problemsOf(
      shopInput({ templates: { 'order-placed': { pl: { subjcet: 'x' } } } as never }),
    );

    // Assess
    expect(problems).toEqual(['shops[0].templates.order-placed.pl: Unrecognized key: "subjcet"']);
  });

  it('lists every bad override of every shop at once', () => {
    // Prepare
    const shops = [
      shopInput({ templates: { 'order-placed': { pl: { subject: '{{nope}}' }, en: { sms: '{{nope}}' } } } }),
      shopInput({ shopId: 'drugi-sklep', templates: { 'order-delivered': { pl: { pushBody: '{{#x}}' } } } }),
    ];

    // Act
    const error = (() => {
      try {
        parseShopConfigs(shops);
      } catch (caught) {
        return caught;
      }
    })();

    // Assess
    expect(error).toBeInstanceOf(InvalidShopConfigError);
    expect((error as InvalidShopConfigError).problems.map((problem) => problem.split(':')[0])).toEqual([
      'shops[sklep-pod-debem].templates.order-placed.pl.subject',
      'shops[sklep-pod-debem].templates.order-placed.en.sms',
      'shops[drugi-sklep].templates.order-delivered.pl.pushBody',
    ]);
  });
});
