import { describe, expect, it } from 'vitest';
import {
  phpJson,
  trackingMeta,
  WOO_PING_BODY,
  wooOrder,
  wooOrderLater,
  wooOrderShipped,
  wooSignature,
} from '../../../fixtures/woocommerce/index.js';
import {
  actionOfStatus,
  isWooCommercePing,
  type TranslatedEvent,
  type TranslationContext,
  toMinorUnits,
  translateWooCommerceOrder,
  verifyWooCommerceSignature,
  WooCommerceConnectorSchema,
} from '../../../functions/domain/connectors/woocommerce.js';
import { parseOrderEvent } from '../../../functions/domain/order-events.js';
import { parseShopConfig } from '../../../functions/domain/shop-config.js';
import { producerSourcesOf } from '../../../functions/domain/shop-registry.js';

const context = (overrides: Partial<TranslationContext> = {}): TranslationContext => ({
  shopId: 'sklep-pod-debem',
  language: 'pl',
  connector: WooCommerceConnectorSchema.parse({}),
  ...overrides,
});

const eventsOf = (payload: unknown, ctx = context()): TranslatedEvent[] => {
  const result = translateWooCommerceOrder(payload, ctx);
  if (result.kind !== 'events') throw new Error(`untranslatable: ${result.field}: ${result.problem}`);
  return [...result.events];
};

/** Every event the connector makes must pass the contract the ingest checks. */
const valid = (events: readonly TranslatedEvent[]) =>
  events.map((event) => {
    const parsed = parseOrderEvent(event.type, event.detail);
    if (!parsed.ok) throw new Error(`${event.type}: ${JSON.stringify(parsed.problems)}`);
    return parsed.event;
  });

describe('WooCommerce order -> our events', () => {
  it('a new paid order becomes its placement, the payment and the acceptance, all valid', () => {
    const events = valid(eventsOf(wooOrder()));
    expect(events.map((event) => [event.type, event.eventId])).toEqual([
      ['Order Placed', 'woocommerce-4812-placed'],
      ['Payment Received', 'woocommerce-4812-paid-1796030109'],
      ['Order Accepted', 'woocommerce-4812-accepted-1796030109'],
    ]);
    const placed = events[0];
    if (placed?.type !== 'Order Placed') throw new Error('no placement');
    expect(placed).toMatchObject({
      shopId: 'sklep-pod-debem',
      orderId: '4812',
      orderNumber: '4812',
      occurredAt: '2026-11-30T09:15:02Z',
      customer: {
        name: 'Anna Kowalska',
        email: 'anna.kowalska@example.com',
        phone: '+48 601 234 567',
        locale: 'pl',
        timeZone: 'Europe/Warsaw',
        channels: { email: true, sms: false, push: false },
      },
      // Gross prices (VAT included), as the customer paid them; the total is exactly WooCommerce's.
      lines: [
        { sku: 'KUB-DAB-350', name: 'Kubek ceramiczny "Dąb" 350 ml', quantity: 2, unitPrice: 3500 },
        { sku: 'product-97-104', name: 'Dzbanek z grawerem', quantity: 1, unitPrice: 11000 },
      ],
      totals: { currency: 'PLN', subtotal: 18000, shipping: 1600, discount: 0, total: 19600 },
      payment: { method: 'online_transfer', status: 'awaiting' },
      delivery: {
        method: 'courier',
        carrier: 'Kurier DPD',
        city: 'Kraków',
        postcode: '31-147',
        country: 'PL',
      },
    });
    expect(events[1]).toMatchObject({ amount: { amount: 19600, currency: 'PLN' }, method: 'Przelewy24' });
  });

  it('a delivery of what the store already holds states nothing new', () => {
    const stored = {
      status: 'accepted',
      refundIds: [],
      paymentEventIds: ['woocommerce-4812-paid-1796030109'],
    };
    expect(eventsOf(wooOrder(), context({ stored }))).toEqual([]);
    // A later save of the same order (a note, a meta field) changes date_modified only: still nothing.
    expect(eventsOf(wooOrderLater({}), context({ stored }))).toEqual([]);
  });

  it('the same snapshot always gives the same events, so a replay is a duplicate downstream', () => {
    expect(eventsOf(wooOrder())).toEqual(eventsOf(JSON.parse(JSON.stringify(wooOrder()))));
  });

  it('a completed order with a Shipment Tracking item is shipped, with one event per parcel', () => {
    const stored = {
      status: 'accepted',
      refundIds: [],
      paymentEventIds: ['woocommerce-4812-paid-1796030109'],
    };
    const events = valid(eventsOf(wooOrderShipped(), context({ stored })));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'Order Shipped',
      eventId: 'woocommerce-4812-shipped-5f1c2a9e8b7d6c4a3e2f1d0c9b8a70',
      occurredAt: '2026-12-02T07:45:00.000Z',
      carrier: 'dpd-poland',
      trackingNumber: '0000123456789U',
      trackingUrl: 'https://tracktrace.dpd.com.pl/parcelDetails?p1=00001234567890U',
    });
    const twoParcels = wooOrderLater({
      status: 'completed',
      meta_data: [
        trackingMeta([
          { custom_tracking_link: 'https://a.example/1' },
          { custom_tracking_link: 'https://a.example/2' },
        ]),
      ],
    });
    expect(eventsOf(twoParcels, context({ stored })).map((event) => event.detail.eventId)).toEqual([
      'woocommerce-4812-shipped-5f1c2a9e8b7d6c4a3e2f1d0c9b8a70',
      'woocommerce-4812-shipped-5f1c2a9e8b7d6c4a3e2f1d0c9b8a71',
    ]);
  });

  it("a parcel without its own link gets the shop's page for its provider, the number encoded", () => {
    const connector = WooCommerceConnectorSchema.parse({
      trackingUrls: { 'dpd-poland': 'https://tracktrace.dpd.com.pl/parcelDetails?p1={number}' },
    });
    const payload = wooOrderLater({
      status: 'completed',
      meta_data: [trackingMeta([{ tracking_number: 'AB 12/3' }])],
    });
    const [shipped] = eventsOf(
      payload,
      context({ connector, stored: { status: 'accepted', refundIds: [], paymentEventIds: [] } }),
    ).filter((event) => event.type === 'Order Shipped');
    expect(shipped?.detail.trackingUrl).toBe('https://tracktrace.dpd.com.pl/parcelDetails?p1=AB%2012%2F3');
  });

  it('completed without a tracking number is refused, naming the WooCommerce field and the way out', () => {
    const result = translateWooCommerceOrder(wooOrderLater({ status: 'completed' }), context());
    expect(result).toMatchObject({ kind: 'untranslatable', field: 'meta_data._wc_shipment_tracking_items' });
    expect(result.kind === 'untranslatable' && result.problem).toContain('map completed to delivered');
    // Mapped to delivered, the same order translates.
    const connector = WooCommerceConnectorSchema.parse({ statuses: { completed: 'delivered' } });
    expect(
      eventsOf(
        wooOrderLater({ status: 'completed', date_completed_gmt: '2026-12-03T10:00:00' }),
        context({ connector }),
      ).at(-1),
    ).toMatchObject({
      type: 'Order Delivered',
      detail: { occurredAt: '2026-12-03T10:00:00Z' },
    });
  });

  it('a tracking item with no link and no provider page names the item', () => {
    const result = translateWooCommerceOrder(
      wooOrderLater({ status: 'completed', meta_data: [trackingMeta()] }),
      context(),
    );
    expect(result).toMatchObject({
      kind: 'untranslatable',
      field: 'meta_data._wc_shipment_tracking_items[0].custom_tracking_link',
    });
  });

  it('cancelled is told with the shop’s reason, once', () => {
    const connector = WooCommerceConnectorSchema.parse({ cancellationReason: 'out_of_stock' });
    const stored = {
      status: 'accepted',
      refundIds: [],
      paymentEventIds: ['woocommerce-4812-paid-1796030109'],
    };
    const events = valid(eventsOf(wooOrderLater({ status: 'cancelled' }), context({ connector, stored })));
    expect(events).toMatchObject([{ type: 'Order Cancelled', cancelledBy: 'shop', reason: 'out_of_stock' }]);
    expect(
      eventsOf(
        wooOrderLater({ status: 'cancelled' }, '2026-12-05T00:00:00'),
        context({ stored: { ...stored, status: 'cancelled' } }),
      ),
    ).toEqual([]);
  });

  it('refunds become Refund Issued (a positive amount), each refund id once', () => {
    const payload = wooOrderLater({
      status: 'refunded',
      refunds: [{ id: 4901, reason: 'Zwrot', total: '-70.00' }],
    });
    const stored = {
      status: 'accepted',
      refundIds: [],
      paymentEventIds: ['woocommerce-4812-paid-1796030109'],
    };
    const events = valid(eventsOf(payload, context({ stored })));
    expect(events).toMatchObject([
      {
        type: 'Refund Issued',
        refundId: 'woocommerce-refund-4901',
        amount: { amount: 7000, currency: 'PLN' },
      },
    ]);
    expect(
      eventsOf(payload, context({ stored: { ...stored, refundIds: ['woocommerce-refund-4901'] } })),
    ).toEqual([]);
  });

  it('custom statuses follow the shop’s mapping; an unmapped one is noted, not translated', () => {
    const connector = WooCommerceConnectorSchema.parse({ statuses: { packed: 'preparing' } });
    const stored = {
      status: 'accepted',
      refundIds: [],
      paymentEventIds: ['woocommerce-4812-paid-1796030109'],
    };
    expect(
      eventsOf(wooOrderLater({ status: 'packed' }), context({ connector, stored })).map(
        (event) => event.type,
      ),
    ).toEqual(['Order Preparing']);
    for (const status of ['awaiting-courier', 'constructor', 'tostring']) {
      const result = translateWooCommerceOrder(wooOrderLater({ status }), context({ connector, stored }));
      expect(result).toMatchObject({ kind: 'events', events: [] });
      expect(result.kind === 'events' && result.notes.join()).toContain(`status ${status} has no mapping`);
    }
  });

  it('pending and on-hold (awaiting payment) place the order and say nothing more', () => {
    for (const status of ['pending', 'on-hold']) {
      const payload = wooOrderLater({ status, date_paid_gmt: null, payment_method: 'bacs' });
      const events = valid(eventsOf(payload));
      expect(events.map((event) => event.type)).toEqual(['Order Placed']);
      expect(events[0]).toMatchObject({ payment: { method: 'bank_transfer', status: 'awaiting' } });
    }
  });

  it('names the WooCommerce field of a payload it cannot read', () => {
    const { id: _id, ...noId } = wooOrder();
    expect(translateWooCommerceOrder(noId, context())).toMatchObject({ kind: 'untranslatable', field: 'id' });
    expect(translateWooCommerceOrder({ ...wooOrder(), total: '1e9' }, context())).toMatchObject({
      kind: 'untranslatable',
      field: 'total',
    });
    expect(
      translateWooCommerceOrder({ ...wooOrder(), billing: { email: 'x' }, shipping: {} }, context()),
    ).toMatchObject({
      kind: 'untranslatable',
      field: 'billing.first_name',
    });
    expect(translateWooCommerceOrder([], context())).toMatchObject({ kind: 'untranslatable', field: 'body' });
    expect(translateWooCommerceOrder({ ...wooOrder(), line_items: [] }, context())).toMatchObject({
      kind: 'untranslatable',
      field: 'line_items',
    });
  });

  it('a bad phone number only costs the SMS; SMS goes to the billing phone only when the shop says so', () => {
    const events = eventsOf({ ...wooOrder(), billing: { ...(wooOrder().billing as object), phone: 'brak' } });
    expect(events[0]?.detail.customer).not.toHaveProperty('phone');
    const connector = WooCommerceConnectorSchema.parse({ smsToBillingPhone: true });
    expect(valid(eventsOf(wooOrder(), context({ connector })))[0]).toMatchObject({
      customer: { channels: { sms: true } },
    });
  });

  it('amounts are read exactly in the currency’s minor unit', () => {
    expect(toMinorUnits('129.99', 'PLN', 'total')).toBe(12999);
    expect(toMinorUnits('0.10', 'PLN', 'total')).toBe(10);
    expect(toMinorUnits('1500', 'JPY', 'total')).toBe(1500);
    expect(toMinorUnits('-70.00', 'PLN', 'total')).toBe(-7000);
    expect(toMinorUnits('19.990000', 'EUR', 'total')).toBe(1999);
    expect(() => toMinorUnits('1.005', 'PLN', 'total')).toThrow(/decimal places/);
    // 0.1 + 0.2 in floating point is 0.30000000000000004: strings, not floats.
    const payload = {
      ...wooOrder(),
      line_items: [{ id: 1, name: 'A', quantity: 3, subtotal: '0.30', subtotal_tax: '0.00' }],
      shipping_total: '0.00',
      shipping_tax: '0.00',
      total: '0.30',
    };
    expect(valid(eventsOf(payload))[0]).toMatchObject({
      totals: { subtotal: 30, total: 30 },
      lines: [{ unitPrice: 10 }],
    });
  });

  it('a line whose gross does not divide by its quantity still adds up to the exact total', () => {
    const payload = {
      ...wooOrder(),
      line_items: [{ id: 1, name: 'A', quantity: 3, subtotal: '8.13', subtotal_tax: '1.87' }],
      shipping_total: '0.00',
      shipping_tax: '0.00',
      total: '10.00',
    };
    const [placed] = valid(eventsOf(payload));
    expect(placed).toMatchObject({
      lines: [{ quantity: 3, unitPrice: 333 }],
      totals: { subtotal: 999, total: 1000, shipping: 1, discount: 0 },
    });
  });
});

describe('WooCommerce signature and ping', () => {
  const secret = 'wc-secret-0123456789abcdef';
  const body = phpJson(wooOrder());

  it('accepts the HMAC of the raw bytes, also under the previous secret during a change', () => {
    expect(body).toContain('Krak\\u00f3w');
    expect(verifyWooCommerceSignature(Buffer.from(body), wooSignature(body, secret), [secret])).toBe(true);
    expect(
      verifyWooCommerceSignature(Buffer.from(body), wooSignature(body, secret), [
        'new-secret-0123456789',
        secret,
      ]),
    ).toBe(true);
  });

  it('refuses another secret, another body, a re-serialised body and malformed headers', () => {
    const signature = wooSignature(body, secret);
    expect(verifyWooCommerceSignature(Buffer.from(body), signature, ['other-secret-0123456789'])).toBe(false);
    expect(verifyWooCommerceSignature(Buffer.from(`${body} `), signature, [secret])).toBe(false);
    expect(
      verifyWooCommerceSignature(Buffer.from(JSON.stringify(JSON.parse(body))), signature, [secret]),
    ).toBe(false);
    for (const header of [
      undefined,
      '',
      'abc',
      `${signature}x`,
      signature.slice(0, -1),
      Buffer.alloc(31).toString('base64'),
    ]) {
      expect(verifyWooCommerceSignature(Buffer.from(body), header, [secret])).toBe(false);
    }
    expect(verifyWooCommerceSignature(Buffer.from(body), signature, [])).toBe(false);
  });

  it('knows the ping WooCommerce sends when a webhook is created, and nothing else', () => {
    expect(isWooCommercePing(WOO_PING_BODY, undefined)).toBe(true);
    expect(isWooCommercePing(WOO_PING_BODY, 'x')).toBe(false);
    expect(isWooCommercePing('webhook_id=7&x=1', undefined)).toBe(false);
    expect(isWooCommercePing(body, undefined)).toBe(false);
  });
});

describe('the shop’s WooCommerce settings', () => {
  it('binds the connector’s source to a shop that has it, and only to it', () => {
    const base = { shopId: 'a', name: 'A', statusPage: { baseUrl: 'https://a.example' } };
    expect(producerSourcesOf(parseShopConfig(base))).toEqual(['shop.orders']);
    expect(producerSourcesOf(parseShopConfig({ ...base, connectors: { woocommerce: {} } }))).toEqual([
      'shop.orders',
      'order-notifications.connector.woocommerce',
    ]);
  });

  it('refuses unknown settings, prototype-named statuses and unusable tracking templates, naming them', () => {
    const base = { shopId: 'a', name: 'A', statusPage: { baseUrl: 'https://a.example' } };
    const problems = (woocommerce: unknown) => {
      try {
        parseShopConfig({ ...base, connectors: { woocommerce } });
        return [];
      } catch (error) {
        return (error as { problems: string[] }).problems;
      }
    };
    expect(problems({ secret: 'x' })).toEqual([expect.stringContaining('shop.connectors.woocommerce')]);
    expect(problems({ statuses: { __proto__: 'accepted' } })).toEqual([]);
    // A `__proto__` key in JSON is an own property: it must neither be taken as a status nor reach the
    // prototype.
    const shop = parseShopConfig({
      ...base,
      connectors: JSON.parse('{"woocommerce": {"statuses": {"__proto__": "accepted"}}}'),
    });
    const connector = shop.connectors?.woocommerce;
    if (!connector) throw new Error('no connector');
    expect(Object.hasOwn(connector.statuses, '__proto__')).toBe(false);
    expect(actionOfStatus(connector, '__proto__')).toBeUndefined();
    expect(actionOfStatus(connector, 'constructor')).toBeUndefined();
    expect(problems({ statuses: { packed: 'shipped-ish' } })).toEqual([
      expect.stringContaining('statuses.packed'),
    ]);
    expect(problems({ trackingUrls: { dpd: 'http://x.example/{number}' } })).toEqual([
      expect.stringContaining('trackingUrls.dpd'),
    ]);
    expect(problems({ trackingUrls: { dpd: 'https://x.example/track' } })).toEqual([
      expect.stringContaining('{number}'),
    ]);
    expect(problems({ timeZone: 'Mars/Olympus' })).toEqual([expect.stringContaining('timeZone')]);
  });
});
