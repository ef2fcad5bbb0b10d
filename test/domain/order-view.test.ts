import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  exampleDetails,
  LIFECYCLES,
  type LifecycleName,
  lifecycleEvents,
  orderRef,
  toEvent,
} from '../../fixtures/order-events.js';
import {
  CUSTOMER_SECRETS,
  eventsUntil,
  lateHold,
  notification,
  shopConfig,
} from '../../fixtures/status-api.js';
import { anonymiseOrder } from '../../functions/domain/erasure.js';
import type { Language } from '../../functions/domain/i18n.js';
import { supersededBy } from '../../functions/domain/notification-planning.js';
import type { OrderEvent, OrderEventDetailInput } from '../../functions/domain/order-events.js';
import { replay } from '../../functions/domain/order-lifecycle.js';
import {
  buildOrderView,
  isReducedView,
  maskAddress,
  type OrderView,
  OrderViewSchema,
} from '../../functions/domain/order-view.js';
import type { ShopConfig } from '../../functions/domain/shop-config.js';
import { renderTrackingPage } from '../../functions/status-api/render-page.js';

const NOW = new Date('2026-11-21T12:00:00Z');
const SHOP = shopConfig();

const viewOf = (
  events: readonly OrderEvent[],
  options: {
    language?: Language;
    now?: Date;
    shop?: ShopConfig;
    notifications?: Parameters<typeof buildOrderView>[0]['notifications'];
  } = {},
): OrderView =>
  buildOrderView({
    history: replay(events),
    notifications: options.notifications ?? [],
    shop: options.shop ?? SHOP,
    language: options.language ?? 'pl',
    now: options.now ?? NOW,
  });

/** Intl uses narrow no-break spaces in some formats; compare with plain spaces. */
const plain = (text: string | undefined) => text?.replace(/\s/g, ' ');

const withDetail = <T extends OrderEvent['type']>(
  type: T,
  ref: ReturnType<typeof orderRef>,
  changes: Partial<OrderEventDetailInput<T>>,
): OrderEvent => toEvent(type, { ...exampleDetails(ref)[type], ...changes } as OrderEventDetailInput<T>);

describe('Function: buildOrderView', () => {
  it('describes a shipped order in Polish, with dates in the customer’s time zone', () => {
    // Prepare
    const events = eventsUntil(orderRef(1), 'happyPath', 'Order Shipped');

    // Act
    const view = viewOf(events);

    // Assess
    expect(OrderViewSchema.parse(view)).toEqual(JSON.parse(JSON.stringify(view)));
    expect(view).toMatchObject({
      language: 'pl',
      view: 'full',
      orderNumber: 'ZAM/2026/11/0001',
      status: { code: 'shipped', label: 'Wysłane', since: { text: '20 listopada 2026 10:20' } },
      nextStep: 'Paczka jest w drodze. Możesz ją śledzić na stronie przewoźnika.',
      shipment: {
        carrier: 'InPost',
        trackingNumber: '620123456789012345678901',
        trackingUrl: 'https://inpost.pl/sledzenie-przesylek?number=620123456789012345678901',
        expectedDeliveryDate: { date: '2026-11-25', text: '25 listopada 2026' },
      },
      delivery: { city: 'Kraków', postcode: '30-001', method: { label: 'Automat paczkowy' } },
      customer: { firstName: 'Zofia', email: 'z***@example.pl', phone: '+48 *** *** 567' },
      payment: { status: { code: 'paid', label: 'Opłacone' } },
    });
    // 09:00 UTC is 10:00 in Warsaw
    expect(view.timeline?.map((entry) => [entry.label, entry.at.text])).toEqual([
      ['Zamówienie złożone', '20 listopada 2026 10:00'],
      ['Płatność zaksięgowana', '20 listopada 2026 10:05'],
      ['Zamówienie przyjęte do realizacji', '20 listopada 2026 10:10'],
      ['Przygotowanie do wysyłki', '20 listopada 2026 10:15'],
      ['Przesyłka nadana', '20 listopada 2026 10:20'],
    ]);
    expect(view.timeline?.at(-1)?.detail).toBe('InPost, numer przesyłki 620123456789012345678901');
  });

  it('writes dates in the customer’s own time zone, wherever the shop is', () => {
    // Prepare
    const ref = orderRef(2);
    const [placed, ...rest] = eventsUntil(ref, 'happyPath', 'Order Accepted');
    const abroad = withDetail('Order Placed', ref, {
      occurredAt: placed?.occurredAt,
      customer: {
        ...exampleDetails(ref)['Order Placed'].customer,
        timeZone: 'America/New_York',
        locale: 'en-US',
      },
    });

    // Act
    const view = viewOf([abroad, ...rest], { language: 'en' });

    // Assess: 09:00 UTC is 04:00 in New York
    expect(view.placedAt.text).toBe('20 November 2026 at 04:00');
    expect(view.status.label).toBe('Accepted for fulfilment');
  });

  it('shows only the events that changed the order, never superseded or rejected ones', () => {
    // Prepare: a late hold after delivery is rejected; a second acceptance is superseded
    const ref = orderRef(3);
    const events = lifecycleEvents(ref, 'happyPath');
    const lateAccepted = withDetail('Order Accepted', ref, {
      eventId: `${ref.orderId}-accepted-again`,
      occurredAt: '2026-11-20T11:00:00.000Z',
    });
    const history = replay([...events, lateHold(ref), lateAccepted]);
    expect(history.timeline.map((entry) => entry.outcome.kind)).toContain('rejected');
    expect(history.timeline.map((entry) => entry.outcome.kind)).toContain('superseded');

    // Act
    const view = viewOf([...events, lateHold(ref), lateAccepted]);

    // Assess
    expect(view.timeline?.map((entry) => entry.type)).toEqual(LIFECYCLES.happyPath);
    expect(view.hold).toBeUndefined();
  });

  describe('an order on hold', () => {
    const events = eventsUntil(orderRef(4), 'engravingHold', 'Order On Hold');

    it('tells what to confirm, by when, and how to reach the shop about it', () => {
      // Act
      const view = viewOf(events);

      // Assess
      expect(view.status.label).toBe('Oczekuje na kontakt');
      expect(view.hold).toEqual({
        reason: { code: 'personalisation', label: 'Potwierdzenie personalizacji (np. treści graweru)' },
        toConfirm: 'Prosimy o potwierdzenie treści graweru: „Dla Babci – 80 lat”.',
        contactBy: { at: '2026-11-22T18:00:00+01:00', text: '22 listopada 2026 18:00' },
        deadline: { state: 'upcoming', text: 'Termin upływa za 1 dzień.' },
        contact: {
          phone: '+48 12 345 67 89',
          email: 'pracownia@podebem.example.pl',
          hours: 'pn–pt 9:00–17:00',
        },
      });
    });

    it.each([
      ['2026-11-19T12:00:00Z', 'upcoming', 'Termin upływa za 3 dni.'],
      ['2026-11-22T08:00:00Z', 'today', 'Termin upływa dzisiaj.'],
      ['2026-11-22T17:00:00Z', 'passed', 'Termin już minął – skontaktuj się ze sklepem jak najszybciej.'],
    ])('at %s says the deadline is %s', (now, state, text) => {
      expect(viewOf(events, { now: new Date(now) }).hold?.deadline).toEqual({ state, text });
    });

    it('falls back to the shop’s contact when the hold names none', () => {
      // Prepare
      const ref = orderRef(5);
      const withoutContact = eventsUntil(ref, 'engravingHold', 'Order Accepted');
      const hold = withDetail('Order On Hold', ref, {
        contact: undefined,
        occurredAt: '2026-11-20T09:15:00.000Z',
      });

      // Act
      const view = viewOf([...withoutContact, hold], { language: 'en' });

      // Assess
      expect(view.hold?.contact).toEqual({
        phone: '+48 12 345 67 89',
        email: 'pomoc@podebem.example.pl',
        chatUrl: 'https://podebem.example.pl/czat',
        hours: 'Mon–Fri 9:00–17:00',
      });
      expect(view.hold?.deadline.text).toBe('That is in 1 day.');
    });
  });

  it('tells a customer who must still pay how, by when and how much, even when the shop hides prices', () => {
    // Prepare
    const placed = eventsUntil(orderRef(6), 'happyPath', 'Order Placed');

    // Act
    const hidden = viewOf(placed);
    const shown = viewOf(placed, {
      shop: shopConfig({ statusPage: { ...SHOP.statusPage, showPrices: true } }),
    });

    // Assess
    expect(hidden.nextStep).toMatch(/^Opłać zamówienie/);
    const { amount, ...instructions } = hidden.payment?.instructions ?? {};
    expect(instructions).toEqual({
      dueBy: { at: '2026-11-23T23:59:00+01:00', text: '23 listopada 2026 23:59' },
      bankAccount: 'PL61109010140000071219812874',
      transferTitle: 'Zamówienie ZAM/2026/11/0006',
    });
    // The amount to transfer is the customer's to know: shown whether or not the shop shows prices...
    expect(amount).toMatchObject({ amount: 11597, currency: 'PLN' });
    expect(plain(amount?.text)).toBe('115,97 zł');
    expect(plain(shown.payment?.instructions?.amount?.text)).toBe('115,97 zł');
    // ...while the prices themselves stay hidden
    expect(hidden.totals).toBeUndefined();
    expect(hidden.items?.every((item) => item.total === undefined && item.unitPrice === undefined)).toBe(
      true,
    );
    const page = renderTrackingPage(hidden).html;
    expect(plain(page)).toContain('115,97 zł');
    expect(page).not.toContain('Kwotę do zapłaty znajdziesz w potwierdzeniu');
  });

  it('writes the payment deadline in the customer’s time zone, not the shop’s or the server’s', () => {
    // Prepare: due 23:59 in Warsaw is 17:59 in New York
    const ref = orderRef(66);
    const [placed] = eventsUntil(ref, 'happyPath', 'Order Placed');
    const abroad = withDetail('Order Placed', ref, {
      occurredAt: placed?.occurredAt,
      customer: { ...exampleDetails(ref)['Order Placed'].customer, timeZone: 'America/New_York' },
    });

    // Act
    const view = viewOf([abroad]);

    // Assess
    expect(view.payment?.instructions?.dueBy).toEqual({
      at: '2026-11-23T23:59:00+01:00',
      text: '23 listopada 2026 17:59',
    });
  });

  it('tells a cash-on-delivery customer that there is nothing to pay yet', () => {
    // Prepare
    const ref = orderRef(7);
    const placed = withDetail('Order Placed', ref, {
      payment: { method: 'cash_on_delivery' },
      occurredAt: '2026-11-20T09:00:00.000Z',
    });

    // Act
    const view = viewOf([placed], { language: 'en' });

    // Assess
    expect(view.nextStep).toMatch(/^You will pay on delivery\./);
    expect(view.payment).toEqual({
      status: { code: 'awaiting', label: 'Awaiting payment' },
      method: { code: 'cash_on_delivery', label: 'Cash on delivery' },
    });
  });

  it('gives the reason and the refund of a cancelled order, amounts only when prices are shown', () => {
    // Prepare
    const events = lifecycleEvents(orderRef(8), 'cancelledAfterHold');

    // Act
    const hidden = viewOf(events);
    const shown = viewOf(events, {
      language: 'en',
      shop: shopConfig({ statusPage: { ...SHOP.statusPage, showPrices: true } }),
    });

    // Assess
    expect(hidden.cancellation).toEqual({
      at: { at: '2026-11-20T09:20:00.000Z', text: '20 listopada 2026 10:20' },
      by: { code: 'customer', label: 'Ty' },
      reason: { code: 'customer_request', label: 'Na Twoją prośbę' },
      refund: {
        expectedBy: { date: '2026-11-27', text: '27 listopada 2026' },
        text: 'Pieniądze wrócą do Ciebie najpóźniej 27 listopada 2026.',
      },
    });
    expect(hidden.nextStep).toBe(
      'Zamówienie zostało anulowane. Sklep zwróci Ci zapłacone pieniądze – szczegóły znajdziesz poniżej.',
    );
    expect(hidden.hold).toBeUndefined();
    expect(hidden.payment?.instructions).toBeUndefined();
    expect(shown.cancellation?.reason.label).toBe('At your request');
    expect(plain(shown.cancellation?.refund?.amount?.text)).toBe('PLN 115.97');
  });

  describe('a cancelled order once its refund is issued', () => {
    const refund = (
      ref: ReturnType<typeof orderRef>,
      amount: number,
      suffix = '1',
      minute = '30',
    ): OrderEvent => {
      const { returnId: _none, ...detail } = exampleDetails(ref)['Refund Issued'];
      return toEvent('Refund Issued', {
        ...detail,
        eventId: `${ref.orderId}-refund-${suffix}`,
        refundId: `RF-${suffix}`,
        amount: { amount, currency: 'PLN' },
        occurredAt: `2026-11-22T23:${minute}:00.000Z`,
      });
    };

    it.each([
      [
        'pl',
        'Pieniądze zostały zwrócone 23 listopada 2026.',
        'Zamówienie zostało anulowane, a pieniądze zostały Ci zwrócone.',
      ],
      [
        'en',
        'Your money was refunded on 23 November 2026.',
        'Your order has been cancelled and your money has been refunded.',
      ],
    ] as const)(
      'says in %s that the money was returned, and when (in the customer’s day)',
      (language, text, nextStep) => {
        // Prepare: refunded at 23:30 UTC on the 22nd, which is already the 23rd in Warsaw
        const ref = orderRef(81);
        const events = [...lifecycleEvents(ref, 'cancelledAfterHold'), refund(ref, 11597)];

        // Act
        const view = viewOf(events, { language });

        // Assess
        expect(view.cancellation?.refund).toMatchObject({
          refundedAt: { at: '2026-11-22T23:30:00.000Z' },
          text,
        });
        expect(view.nextStep).toBe(nextStep);
        const page = renderTrackingPage(view).html;
        expect(page).toContain(text);
        expect(page).not.toMatch(/wrócą do Ciebie najpóźniej|by 27 November|należy Ci się|If you are due/);
      },
    );

    it('keeps the future tense while only part of the announced refund is issued, then dates the last', () => {
      // Prepare
      const ref = orderRef(82);
      const events = [...lifecycleEvents(ref, 'cancelledAfterHold'), refund(ref, 5000, '1', '10')];

      // Act
      const partly = viewOf(events);
      const whole = viewOf([...events, refund(ref, 6597, '2', '40')], { language: 'en' });

      // Assess
      expect(partly.cancellation?.refund?.refundedAt).toBeUndefined();
      expect(partly.cancellation?.refund?.text).toBe(
        'Pieniądze wrócą do Ciebie najpóźniej 27 listopada 2026.',
      );
      expect(partly.nextStep).toMatch(/Sklep zwróci Ci zapłacone pieniądze/);
      expect(whole.cancellation?.refund?.refundedAt?.at).toBe('2026-11-22T23:40:00.000Z');
      expect(whole.nextStep).toBe('Your order has been cancelled and your money has been refunded.');
    });

    it('says there is nothing to return when nothing was paid', () => {
      // Prepare: cancelled straight after placement, before any payment
      const ref = orderRef(83);
      const [placed] = eventsUntil(ref, 'happyPath', 'Order Placed');
      const { refund: _none, ...cancel } = exampleDetails(ref)['Order Cancelled'];
      const cancelled = toEvent('Order Cancelled', cancel);

      // Act
      const view = viewOf([placed as OrderEvent, cancelled], { language: 'en' });

      // Assess
      expect(view.status.code).toBe('cancelled');
      expect(view.nextStep).toBe(
        'Your order has been cancelled. Nothing was paid, so there is nothing to refund.',
      );
      expect(view.cancellation?.refund).toBeUndefined();
    });
  });

  it('shows no price anywhere unless the shop enables it', () => {
    // Prepare
    const events = lifecycleEvents(orderRef(9), 'returnAndRefund');

    // Act
    const hidden = JSON.stringify(viewOf(events));
    const shown = viewOf(events, {
      shop: shopConfig({ statusPage: { ...SHOP.statusPage, showPrices: true } }),
    });

    // Assess
    expect(hidden).not.toMatch(/\d\szł|PLN|"amount"|unitPrice|"totals"/);
    expect(plain(shown.totals?.total.text)).toBe('115,97 zł');
    expect(plain(shown.items?.[0]?.total?.text)).toBe('99,98 zł');
    expect(shown.timeline?.find((entry) => entry.type === 'Refund Issued')?.detail?.replace(/\s/g, ' ')).toBe(
      '49,99 zł',
    );
  });

  it('follows a return and a complaint', () => {
    // Act
    const returned = viewOf(lifecycleEvents(orderRef(10), 'returnAndRefund'));
    const complained = viewOf(lifecycleEvents(orderRef(11), 'complaint'), { language: 'en' });

    // Assess
    expect(returned.returns).toEqual([
      {
        id: 'ZW-0042-1',
        status: { code: 'refunded', label: 'Pieniądze zostały zwrócone' },
        items: '1 produkt',
        requestedAt: { at: '2026-11-20T09:25:00.000Z', text: '20 listopada 2026 10:25' },
        receivedAt: { at: '2026-11-20T09:30:00.000Z', text: '20 listopada 2026 10:30' },
        refundedAt: { at: '2026-11-20T09:35:00.000Z', text: '20 listopada 2026 10:35' },
      },
    ]);
    expect(complained.complaints).toEqual([
      expect.objectContaining({
        id: 'REK-0042-1',
        kind: { code: 'complaint', label: 'Complaint' },
        status: { code: 'resolved', label: 'Decided' },
        outcome: { code: 'accepted', label: 'Accepted' },
        remedy: { code: 'replacement', label: 'Replacement with a new product' },
      }),
    ]);
    expect(complained.timeline?.at(-1)?.detail).toBe('Accepted: replacement with a new product');
  });

  it('lists the messages sent with their outcome and a masked address, leaving out those never sent', () => {
    // Prepare
    const ref = orderRef(12);
    const notifications = [
      notification(ref, {
        eventType: 'Order Placed',
        channel: 'email',
        outcome: 'delivered',
        address: 'zofia.wasowska@example.pl',
      }),
      notification(ref, {
        eventType: 'Order Shipped',
        channel: 'sms',
        outcome: 'bounced',
        address: '+48 601 234 567',
      }),
      notification(ref, {
        eventType: 'Order Shipped',
        channel: 'email',
        outcome: 'sent',
        address: 'z***@example.pl',
      }),
      notification(ref, {
        eventType: 'Order Shipped',
        channel: 'push',
        outcome: 'skipped',
        reason: 'no device',
      }),
    ];

    // Act
    const view = viewOf(eventsUntil(ref, 'happyPath', 'Order Shipped'), { notifications });

    // Assess
    expect(
      view.notifications?.map((entry) => [
        entry.channel.code,
        entry.about.label,
        entry.outcome.label,
        entry.arrived,
        entry.address,
      ]),
    ).toEqual([
      ['email', 'Zamówienie złożone', 'Dostarczono', true, 'z***@example.pl'],
      ['sms', 'Przesyłka nadana', 'Nie dotarła – adres odrzucił wiadomość', false, '+48 *** *** 567'],
      ['email', 'Przesyłka nadana', 'Wysłano', null, 'z***@example.pl'],
    ]);
  });

  it('does not show as scheduled a held message that the planner will supersede when quiet hours end', () => {
    // Prepare: shipped, out for delivery and delivered in one night; all three SMS held till morning
    const ref = orderRef(13);
    const events = lifecycleEvents(ref, 'happyPath');
    const idOf = (type: OrderEvent['type']) => events.find((event) => event.type === type)?.eventId ?? '';
    const held = (
      type: 'Order Shipped' | 'Order Delivered' | 'Order Preparing',
      outcome: 'deferred' | 'retrying',
    ) =>
      notification(ref, { eventType: type, eventId: idOf(type), channel: 'sms', outcome, sentAt: undefined });
    const notifications = [
      held('Order Preparing', 'retrying'),
      held('Order Shipped', 'deferred'),
      held('Order Delivered', 'deferred'),
      notification(ref, {
        eventType: 'Order Shipped',
        eventId: idOf('Order Shipped'),
        channel: 'email',
        outcome: 'delivered',
      }),
    ];
    const history = replay(events);
    expect(history.state.status).toBe('delivered');
    // the planner's rule: shipped and preparing are old news, delivered is not
    expect(
      supersededBy(events.find((e) => e.type === 'Order Shipped') as OrderEvent, history.state),
    ).toBeDefined();
    expect(
      supersededBy(events.find((e) => e.type === 'Order Delivered') as OrderEvent, history.state),
    ).toBeUndefined();

    // Act
    const view = viewOf(events, { notifications, language: 'en' });

    // Assess: what will actually reach the customer, and nothing that will not
    expect(
      view.notifications?.map((entry) => [entry.channel.code, entry.about.code, entry.outcome.code]),
    ).toEqual([
      ['sms', 'Order Delivered', 'deferred'],
      ['email', 'Order Shipped', 'delivered'],
    ]);
    const page = renderTrackingPage(view).html;
    expect(page.match(/Scheduled/g)).toHaveLength(1);
  });

  describe('the reduced view', () => {
    const events = lifecycleEvents(orderRef(13), 'happyPath'); // delivered 2026-11-20T09:30Z

    it('is reduced at once for an order whose customer data was erased on request', () => {
      // Prepare: an order still under way, erased the day after it was placed
      const underWay = anonymiseOrder(lifecycleEvents(orderRef(14), 'engravingHold').slice(0, 4)).events;

      // Act
      const view = viewOf(underWay, { now: new Date('2026-11-21T09:00:00Z') });

      // Assess
      expect(view.view).toBe('reduced');
      expect(JSON.stringify(view)).not.toContain('Wąsowska');
    });

    it('keeps the full view until the configured days have passed since delivery', () => {
      expect(viewOf(events, { now: new Date('2026-12-20T09:29:00Z') }).view).toBe('full');
    });

    it('shows only the status, the delivery date and the after-sales links afterwards', () => {
      // Act
      const view = viewOf(events, {
        now: new Date('2026-12-20T09:30:00Z'),
        notifications: [
          notification(orderRef(13), {
            eventType: 'Order Placed',
            channel: 'email',
            address: 'z***@example.pl',
          }),
        ],
      });

      // Assess
      expect(Object.keys(view).sort()).toEqual(
        [
          'deliveredAt',
          'language',
          'nextStep',
          'notice',
          'orderNumber',
          'placedAt',
          'shop',
          'status',
          'view',
        ].sort(),
      );
      expect(view).toMatchObject({
        view: 'reduced',
        status: { code: 'delivered', label: 'Dostarczone' },
        deliveredAt: { text: '20 listopada 2026 10:30' },
        notice: expect.stringMatching(/^To zamówienie jest zakończone/),
      });
      expect(view.shop.links.map((entry) => entry.kind)).toEqual([
        'returns',
        'complaints',
        'warranty',
        'knowledgeBase',
      ]);
      expect(JSON.stringify(view)).not.toMatch(/\*\*\*|InPost|Zofia/);
    });

    it('counts the days from the last change, so a later return stays visible while it lasts', () => {
      // Prepare
      const returned = lifecycleEvents(orderRef(14), 'returnAndRefund');
      const laterRefund = returned.map((event) =>
        event.type === 'Refund Issued' ? { ...event, occurredAt: '2026-12-15T10:00:00.000Z' } : event,
      );

      // Act
      const reduced = isReducedView(replay(laterRefund), SHOP, new Date('2026-12-25T00:00:00Z'));

      // Assess
      expect(reduced).toBe(false);
      expect(isReducedView(replay(laterRefund), SHOP, new Date('2027-01-14T10:00:00Z'))).toBe(true);
    });

    it('applies to cancelled orders and to orders stuck under way alike', () => {
      const later = new Date('2027-06-01T00:00:00Z');
      expect(viewOf(lifecycleEvents(orderRef(15), 'cancelledAfterHold'), { now: later }).view).toBe(
        'reduced',
      );
      expect(viewOf(eventsUntil(orderRef(16), 'happyPath', 'Order Shipped'), { now: later }).view).toBe(
        'reduced',
      );
    });

    it('counts from the last change in the store, not from the times the producer wrote', () => {
      // Prepare: whatever the events claim, the store changed the order `idleDays` before now
      fc.assert(
        fc.property(
          fc.constantFrom(...(Object.keys(LIFECYCLES) as LifecycleName[])),
          fc.integer({ min: 1, max: 4 }),
          fc.integer({ min: 0, max: 90 }),
          (name, eventCount, idleDays) => {
            const events = lifecycleEvents(orderRef(17), name).slice(0, eventCount);
            const now = new Date('2026-11-21T12:00:00Z');
            const lastChangedAt = new Date(now.getTime() - idleDays * 86_400_000).toISOString();

            // Act
            const reduced = isReducedView(replay(events), SHOP, now, lastChangedAt);

            // Assess
            expect(reduced).toBe(idleDays >= SHOP.statusPage.reducedViewAfterDays);
          },
        ),
      );
    });
  });

  it('keeps the customer’s surname, full contacts, notes and personalisation out of every view', () => {
    // Prepare
    const names = Object.keys(LIFECYCLES) as LifecycleName[];
    const lifecycle = fc.constantFrom(...names);

    fc.assert(
      fc.property(
        lifecycle,
        fc.nat(),
        fc.constantFrom<Language>('pl', 'en'),
        fc.date({
          min: new Date('2026-11-20T00:00:00Z'),
          max: new Date('2027-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.boolean(),
        (name, cut, language, now, showPrices) => {
          // Act
          const all = lifecycleEvents(orderRef(17), name);
          const events = all.slice(0, 1 + (cut % all.length));
          const view = viewOf(events, {
            language,
            now,
            shop: shopConfig({ statusPage: { ...SHOP.statusPage, showPrices } }),
          });
          const json = JSON.stringify(view);

          // Assess: the contract holds, and nothing private leaks (the hold's own text may quote the engraving)
          expect(OrderViewSchema.safeParse(view).success).toBe(true);
          const visible = view.hold ? json.replace(JSON.stringify(view.hold.toConfirm), '') : json;
          for (const secret of CUSTOMER_SECRETS) expect(visible).not.toContain(secret);
          expect(view.timeline?.length ?? 0).toBeLessThanOrEqual(events.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('Function: maskAddress', () => {
  it.each([
    ['z***@example.pl', 'z***@example.pl'],
    ['zofia.wasowska@example.pl', 'z***@example.pl'],
    ['+48 601 234 567', '+48 *** *** 567'],
    ['fcm …a1b2', 'fcm …a1b2'],
    ['device-token', '***'],
    [undefined, undefined],
  ])('masks %j as %j', (address, masked) => {
    expect(maskAddress(address)).toBe(masked);
  });
});

describe('Property: a stored order never breaks its view', () => {
  /** Values a store may hold that today's code never wrote: codes named after Object.prototype members,
   * codes a later version dropped, instants that are not instants, a zone a newer ICU removed. */
  const storedValue = fc.constantFrom(...Object.getOwnPropertyNames(Object.prototype), 'retired_code', '');
  const CODE_PATHS = [
    ['status'],
    ['payment', 'status'],
    ['payment', 'method'],
    ['delivery', 'method'],
    ['shipment', 'method'],
    ['hold', 'reason'],
    ['cancellation', 'reason'],
    ['cancellation', 'cancelledBy'],
    ['customer', 'timeZone'],
    ['statusSince'],
    ['placedAt'],
    ['shipment', 'at'],
    ['hold', 'contactBy'],
  ] as const;

  it('builds and renders with any of its codes, instants or zone replaced by a value never written', () => {
    // Prepare: an order with a shipment, a hold, a cancellation, a return and a complaint at once
    const ref = orderRef(77);
    const base = replay([
      ...lifecycleEvents(ref, 'returnAndRefund'),
      ...lifecycleEvents(ref, 'complaint').slice(4),
    ]);
    const held = replay(lifecycleEvents(ref, 'engravingHold').slice(0, 4)).state.hold;
    const cancelled = replay(lifecycleEvents(ref, 'cancelledAfterHold')).state.cancellation;
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...CODE_PATHS), { minLength: 1, maxLength: 5 }),
        fc.array(storedValue, { minLength: 5, maxLength: 5 }),
        fc.constantFrom<Language>('pl', 'en'),
        (paths, values, language) => {
          const state = structuredClone({ ...base.state, hold: held, cancellation: cancelled }) as Record<
            string,
            unknown
          >;
          paths.forEach((path, i) => {
            const [head, leaf] = path;
            if (leaf === undefined) state[head] = values[i];
            else state[head] = { ...(state[head] as object), [leaf]: values[i] };
          });
          const history = { ...base, state: state as unknown as typeof base.state };

          // Act
          const view = buildOrderView({ history, notifications: [], shop: SHOP, language, now: NOW });
          const page = renderTrackingPage(view);

          // Assess: every label is a string (the code itself when unknown), and the page is whole
          const labels = JSON.stringify(view).match(/"label":(?!")[^,}]*/g) ?? [];
          expect(labels).toEqual([]);
          expect(page.html).toContain('</html>');
        },
      ),
      { numRuns: 300 },
    );
  });
});
