import { describe, expect, it } from 'vitest';
import {
  type Details,
  englishDetails,
  englishShop,
  messageInput,
  TRACKING_URL,
  UNSUBSCRIBE_URL,
} from '../../../fixtures/messages.js';
import type { Language } from '../../../functions/domain/i18n.js';
import {
  PUSH_LIMITS,
  renderEmail,
  renderPush,
  renderSms,
  templateIdOf,
} from '../../../functions/domain/messages/index.js';
import { clampText } from '../../../functions/domain/messages/push.js';
import { ORDER_EVENT_TYPES, type OrderEventType } from '../../../functions/domain/order-events.js';

/** Intl puts non-breaking spaces into amounts and times; the assertions read better with plain ones. */
const plain = (text: string): string => text.replace(/[\u00a0\u202f]/g, ' ');

const POLISH_LETTERS = /[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]/;

/** A word of each message that only its Polish version has, in the e-mail, the SMS and the push alike. */
const POLISH_WORDS: Record<OrderEventType, RegExp> = {
  'Order Placed': /Dziękujemy za zamówienie/,
  'Payment Received': /zaksięgowa|wpłat/,
  'Order Accepted': /realizacji/,
  'Order On Hold': /kontakt/,
  'Order Resumed': /wznow|Wznaw/i,
  'Order Preparing': /przygotow/i,
  'Order Shipped': /wysłane/,
  'Order Out For Delivery': /dziś/,
  'Order Delivered': /dostarczone|dotarła/,
  'Order Cancelled': /anulowane/,
  'Return Requested': /zwrot/i,
  'Return Received': /zwrot/i,
  'Refund Issued': /zwrot|Zwróciliśmy/i,
  'Complaint Opened': /reklamacj/i,
  'Complaint Resolved': /reklamacj/i,
};

const ENGLISH_WORDS: Record<OrderEventType, RegExp> = {
  'Order Placed': /Thank you for your order/,
  'Payment Received': /received/i,
  'Order Accepted': /accepted/i,
  'Order On Hold': /contact|touch/,
  'Order Resumed': /back (in progress|on track)|resumed/,
  'Order Preparing': /prepar/i,
  'Order Shipped': /shipped/,
  'Order Out For Delivery': /today/,
  'Order Delivered': /delivered|arrived/,
  'Order Cancelled': /cancelled/,
  'Return Requested': /return/i,
  'Return Received': /return/i,
  'Refund Issued': /refund/i,
  'Complaint Opened': /complaint/i,
  'Complaint Resolved': /complaint/i,
};

const EVERY_TYPE_AND_LANGUAGE = ORDER_EVENT_TYPES.flatMap((type) =>
  (['pl', 'en'] as Language[]).map((language) => ({ type, language })),
);

describe('Function: templateIdOf', () => {
  it('names each template by the kebab-case of its detail-type', () => {
    // Act & Assess
    expect(templateIdOf('Order Placed')).toBe('order-placed');
    expect(templateIdOf('Order Out For Delivery')).toBe('order-out-for-delivery');
    expect(new Set(ORDER_EVENT_TYPES.map(templateIdOf)).size).toBe(15);
  });
});

describe('Messages: every event type in every language', () => {
  it.each(EVERY_TYPE_AND_LANGUAGE)(
    '$type in $language: e-mail with the frame every message has',
    ({ type, language }) => {
      // Prepare
      const input = messageInput(type, { language });

      // Act
      const email = renderEmail(input);

      // Assess
      expect(email.subject).toContain('ZAM/2026/11/0042');
      expect(email.html).toContain(`href="${TRACKING_URL}"`);
      expect(email.html).toContain('ZAM/2026/11/0042');
      expect(email.html).toContain('Sklep Pod Dębem');
      expect(email.html).toContain(`href="${UNSUBSCRIBE_URL}"`);
      expect(email.html).toContain(`<html lang="${language}"`);
      expect(email.text).toContain(TRACKING_URL);
      expect(email.text).toContain(UNSUBSCRIBE_URL);
      expect(email.text).toContain('+48 12 345 67 89');
    },
  );

  it.each(EVERY_TYPE_AND_LANGUAGE)(
    '$type in $language: SMS from the shop, linking the tracking page',
    ({ type, language }) => {
      // Prepare
      const input = messageInput(type, { language });

      // Act
      const sms = renderSms(input);

      // Assess
      expect(sms.text.startsWith('PodDebem: ')).toBe(true);
      expect(sms.text).toContain(TRACKING_URL);
      expect(sms.text).not.toContain('inpost.pl');
      expect(sms.text).not.toMatch(/[\u00a0\u202f„”–—]/);
      expect(sms.segments).toBeLessThanOrEqual(2);
    },
  );

  it.each(EVERY_TYPE_AND_LANGUAGE)(
    '$type in $language: push within the lock-screen limits',
    ({ type, language }) => {
      // Prepare
      const input = messageInput(type, { language });

      // Act
      const push = renderPush(input);

      // Assess
      expect(push.title.length).toBeGreaterThan(0);
      expect(push.title.length).toBeLessThanOrEqual(PUSH_LIMITS.title);
      expect(push.body.length).toBeLessThanOrEqual(PUSH_LIMITS.body);
      expect(push.data).toEqual({
        templateId: templateIdOf(type),
        shopId: 'sklep-pod-debem',
        orderId: 'ord-000042',
        orderNumber: 'ZAM/2026/11/0042',
        status: input.state.status,
        url: TRACKING_URL,
      });
    },
  );

  it.each(ORDER_EVENT_TYPES)('%s in Polish: every channel is written in Polish', (type) => {
    // Prepare
    const input = messageInput(type, { language: 'pl' });

    // Act
    const email = renderEmail(input);
    const sms = renderSms(input);
    const push = renderPush(input);

    // Assess
    expect(`${email.subject}\n${email.text}`).toMatch(POLISH_WORDS[type]);
    expect(email.html).toMatch(POLISH_WORDS[type]);
    expect(sms.text).toMatch(POLISH_WORDS[type]);
    expect(`${push.title} ${push.body}`).toMatch(POLISH_WORDS[type]);
    expect(email.text).toContain('Dzień dobry, Zofia!');
  });

  it.each(ORDER_EVENT_TYPES)(
    '%s in English: every channel is in English, without a Polish letter',
    (type) => {
      // Prepare
      const input = messageInput(type, { language: 'en', shop: englishShop(), details: englishDetails });

      // Act
      const email = renderEmail(input);
      const sms = renderSms(input);
      const push = renderPush(input);

      // Assess
      for (const text of [email.subject, email.html, email.text, sms.text, push.title, push.body]) {
        expect(text).not.toMatch(POLISH_LETTERS);
      }
      expect(`${email.subject}\n${email.text}`).toMatch(ENGLISH_WORDS[type]);
      expect(sms.text).toMatch(ENGLISH_WORDS[type]);
      expect(`${push.title} ${push.body}`).toMatch(ENGLISH_WORDS[type]);
      expect(email.text).toContain('Hello Jane,');
      expect(sms.encoding).toBe('GSM-7');
    },
  );
});

describe('Message: Order Placed', () => {
  const withLines = (...quantities: number[]) =>
    messageInput('Order Placed', {
      details: (details) => {
        const placed = details['Order Placed'];
        placed.lines = quantities.map((quantity, index) => ({
          sku: `SKU-${index}`,
          name: `Produkt ${index}`,
          quantity,
          unitPrice: 1000,
        }));
        const subtotal = quantities.reduce((sum, quantity) => sum + quantity * 1000, 0);
        placed.totals = { currency: 'PLN', subtotal, shipping: 0, discount: 0, total: subtotal };
      },
    });

  it.each([
    [[1], '1 produkt'],
    [[2], '2 produkty'],
    [[5], '5 produktów'],
    [[12], '12 produktów'],
    [[20, 2], '22 produkty'],
  ])('counts pieces %j with the Polish plural form "%s"', (quantities, expected) => {
    // Act
    const email = renderEmail(withLines(...quantities));

    // Assess
    expect(email.text).toContain(`W zamówieniu: ${expected}\n`);
    expect(email.html).toContain(`W zamówieniu: ${expected}</h2>`);
  });

  it('counts pieces in English too', () => {
    // Prepare
    const one = { ...withLines(1), language: 'en' as const };
    const three = { ...withLines(1, 2), language: 'en' as const };

    // Act & Assess
    expect(renderEmail(one).text).toContain('Your order: 1 item\n');
    expect(renderEmail(three).text).toContain('Your order: 3 items\n');
  });

  it('gives the bank transfer details, the summary and the delivery for a transfer to make', () => {
    // Act
    const { text } = renderEmail(messageInput('Order Placed'));

    // Assess
    const body = plain(text);
    expect(body).toContain('Co dalej? Opłać zamówienie\nProsimy o przelew do 23 listopada 2026 23:59.');
    expect(body).toContain('Odbiorca: Sklep Pod Dębem');
    expect(body).toContain('Numer konta: PL61 1090 1014 0000 0712 1981 2874');
    expect(body).toContain('Tytuł przelewu: Zamówienie ZAM/2026/11/0042');
    expect(body).toContain('Kwota: 115,97 zł');
    expect(body).toContain('- Kubek ceramiczny z grawerem, 2 szt.\n  Personalizacja: Dla Babci – 80 lat');
    expect(body).toContain('Produkty: 111,98 zł\nDostawa: 13,99 zł\nRabat: −10,00 zł\nRazem: 115,97 zł');
    expect(body).toContain('Sposób dostawy: automat paczkowy (InPost)');
    expect(body).not.toContain('49,99');
  });

  it('says so when the customer pays on delivery or has already paid', () => {
    // Prepare
    const cod = messageInput('Order Placed', {
      details: (details) => {
        details['Order Placed'].payment = { method: 'cash_on_delivery' };
      },
    });
    const paid = messageInput('Order Placed', {
      language: 'en',
      details: (details) => {
        details['Order Placed'].payment = { method: 'card', status: 'paid' };
      },
    });

    // Act & Assess
    expect(plain(renderEmail(cod).text)).toContain(
      'Płatność przy odbiorze: zapłacisz 115,97 zł przy odbiorze przesyłki.',
    );
    expect(renderEmail(paid).text).toContain('Your order is already paid – thank you!');
    expect(renderEmail(paid).text).not.toContain('Account number');
  });

  it('links the payment page when the shop gave one', () => {
    // Prepare
    const input = messageInput('Order Placed', {
      details: (details) => {
        details['Order Placed'].payment = {
          method: 'blik',
          paymentUrl: 'https://pay.example.pl/ord-000042?x=1&y=2',
          dueBy: '2026-11-21T09:00:00Z',
        };
      },
    });

    // Act
    const email = renderEmail(input);

    // Assess
    expect(plain(email.text)).toContain(
      'Aby dokończyć zamówienie, zapłać 115,97 zł (BLIK) do 21 listopada 2026 10:00.',
    );
    expect(email.html).toContain('href="https://pay.example.pl/ord-000042?x=1&amp;y=2"');
    expect(plain(email.text)).toContain('Zapłać 115,97 zł: https://pay.example.pl/ord-000042?x=1&y=2');
  });
});

describe('Message: Order On Hold', () => {
  it('says what to confirm, by when, and how to reach the shop', () => {
    // Act
    const email = renderEmail(messageInput('Order On Hold'));

    // Assess
    expect(email.text).toContain('Prosimy o potwierdzenie treści graweru: „Dla Babci – 80 lat”.');
    expect(plain(email.text)).toContain('Prosimy o kontakt do 22 listopada 2026 18:00.');
    expect(email.text).toContain(
      'Jak się z nami skontaktować\nTelefon: +48 12 345 67 89\nE-mail: pracownia@podebem.example.pl\nOdpowiadamy: pn–pt 9:00–17:00',
    );
    expect(email.html).toContain('href="tel:+48123456789"');
    expect(email.html).toContain('href="mailto:pracownia@podebem.example.pl"');
    // The contact is in the body; the footer does not repeat the shop's general one.
    expect(email.text).not.toContain('Masz pytania?');
  });

  it("falls back to the shop's contact, chat included, when the event names none", () => {
    // Prepare
    const input = messageInput('Order On Hold', {
      details: (details) => {
        details['Order On Hold'].contact = undefined;
      },
    });

    // Act
    const email = renderEmail(input);

    // Assess
    expect(email.text).toContain('E-mail: pomoc@podebem.example.pl\nCzat: https://podebem.example.pl/czat');
    expect(email.html).toContain('<a href="https://podebem.example.pl/czat"');
  });

  it("writes the deadline in the customer's time zone", () => {
    // Prepare
    const input = { ...messageInput('Order On Hold', { language: 'en' }), timeZone: 'America/New_York' };

    // Act
    const email = renderEmail(input);
    const sms = renderSms(input);

    // Assess: 18:00 in Warsaw is 12:00 in New York
    expect(plain(email.text)).toContain('Please get in touch by 22 November 2026 at 12:00.');
    expect(sms.text).toContain('22 Nov 12:00');
  });
});

describe('Message: Order Shipped and after', () => {
  it('gives the carrier, method, tracking number with its link, and the expected date', () => {
    // Act
    const email = renderEmail(messageInput('Order Shipped'));

    // Assess
    expect(email.text).toContain(
      'Przewoźnik: InPost\nSposób dostawy: automat paczkowy\nNumer przesyłki: 620123456789012345678901 (https://inpost.pl/sledzenie-przesylek?number=620123456789012345678901)\nPrzewidywana dostawa: 25 listopada 2026',
    );
    expect(email.html).toContain(
      'href="https://inpost.pl/sledzenie-przesylek?number=620123456789012345678901"',
    );
    expect(email.text).toContain('przewoźnik wyśle Ci kod odbioru');
  });

  it('tells the delivery window of the day', () => {
    // Act
    const email = renderEmail(messageInput('Order Out For Delivery', { language: 'en' }));
    const sms = renderSms(messageInput('Order Out For Delivery', { language: 'en' }));

    // Assess
    expect(plain(email.text)).toContain('Expect it on 25 November 2026 between 10:00 and 14:00.');
    expect(sms.text).toContain('10:00-14:00');
  });

  it('points to the after-sales information once the parcel is delivered, without repeating it', () => {
    // Act
    const email = renderEmail(messageInput('Order Delivered'));

    // Assess
    for (const href of ['zwroty', 'reklamacje', 'gwarancja', 'pielegnacja']) {
      expect(email.html.split(`href="https://podebem.example.pl/${href}"`)).toHaveLength(2);
    }
    expect(email.text).toContain('Zwroty: https://podebem.example.pl/zwroty');
    expect(email.text).toContain('Zamówienie ZAM/2026/11/0042 zostało doręczone do automatu paczkowego.');
  });
});

describe('Message: Order Cancelled', () => {
  it("confirms the customer's cancellation with the refund and when it comes", () => {
    // Act
    const email = renderEmail(messageInput('Order Cancelled'));

    // Assess
    const body = plain(email.text);
    expect(body).toContain('Zgodnie z Twoją prośbą anulowaliśmy zamówienie ZAM/2026/11/0042.');
    expect(body).toContain('Powód: rezygnacja z zamówienia\nZwrot: 115,97 zł\nZwrot do: 27 listopada 2026');
    expect(body).toContain('Zwrot 115,97 zł otrzymasz do 27 listopada 2026.');
    // The note of a customer request is the shop's own record, not a message to the customer.
    expect(body).not.toContain('Klientka');
  });

  it("explains the shop's cancellation, apologises for its fault and states the costs kept", () => {
    // Prepare
    const input = messageInput('Order Cancelled', {
      language: 'en',
      details: (details) => {
        Object.assign(details['Order Cancelled'], {
          cancelledBy: 'shop',
          reason: 'out_of_stock',
          fault: 'shop',
          costsRetained: { amount: 1399, currency: 'PLN' },
        });
      },
    });

    // Act
    const body = plain(renderEmail(input).text);

    // Assess
    expect(body).toContain('We have cancelled order ZAM/2026/11/0042.');
    expect(body).toContain('We are very sorry for the trouble.');
    expect(body).toContain('Reason: an item you ordered is out of stock');
    expect(body).toContain('Costs retained: PLN 13.99');
    expect(body).toContain('we keep PLN 13.99 to cover costs already incurred');
  });
});

describe('Message: returns, refunds and complaints', () => {
  it('lists the returned items by name', () => {
    // Act
    const email = renderEmail(messageInput('Return Requested'));

    // Assess
    expect(email.text).toContain('Zwracasz: 1 produkt\n- Kubek ceramiczny z grawerem, 1 szt.');
    expect(email.text).toContain('Powód: Kubek pęknięty przy uchu.');
  });

  it('states the refunded amount', () => {
    // Act
    const email = renderEmail(messageInput('Refund Issued'));

    // Assess
    expect(plain(email.subject)).toBe('Zwróciliśmy pieniądze za zamówienie ZAM/2026/11/0042');
    expect(plain(email.text)).toContain('Zleciliśmy zwrot 49,99 zł za zamówienie ZAM/2026/11/0042.');
    expect(plain(email.text)).toContain('Numer zwrotu: ZW-0042-1');
  });

  it('names a warranty claim as such and links the warranty terms', () => {
    // Prepare
    const input = messageInput('Complaint Opened', {
      details: (details) => {
        details['Complaint Opened'].kind = 'warranty';
      },
    });

    // Act
    const email = renderEmail(input);

    // Assess
    expect(email.subject).toBe('Przyjęliśmy zgłoszenie gwarancyjne – zamówienie ZAM/2026/11/0042');
    expect(email.text).toContain('Gwarancja: https://podebem.example.pl/gwarancja');
    expect(email.text).toContain('Opis problemu: Grawer nieczytelny na drugim kubku.');
  });

  it('gives the remedy of an accepted complaint and the reasons of a rejected one', () => {
    // Prepare
    const accepted = messageInput('Complaint Resolved');
    const rejected = messageInput('Complaint Resolved', {
      details: (details) => {
        Object.assign(details['Complaint Resolved'], {
          outcome: 'rejected',
          remedy: 'none',
          note: 'Uszkodzenie powstało w wyniku upadku.',
        });
      },
    });

    // Act & Assess
    expect(renderEmail(accepted).text).toContain('Rozwiązanie: wymiana na nowy');
    expect(renderEmail(accepted).text).toContain('Wymienimy produkt na nowy.');
    expect(renderEmail(rejected).text).toContain('Nie możemy uznać Twojej reklamacji');
    expect(renderEmail(rejected).text).toContain('Uzasadnienie\nUszkodzenie powstało w wyniku upadku.');
    expect(renderSms(rejected).text).toMatch(/Reklamacja .* (rozpatrzona negatywnie|nieuznana)/);
  });
});

describe('Function: clampText', () => {
  it('cuts long push texts with an ellipsis, never inside a character', () => {
    // Act & Assess
    expect(clampText('short', 50)).toBe('short');
    expect(clampText('a'.repeat(60), 50)).toBe(`${'a'.repeat(49)}…`);
    expect(clampText(`${'a'.repeat(48)}📦📦`, 50)).toBe(`${'a'.repeat(48)}…`);
  });

  describe('the e-mail greeting', () => {
    const withName =
      (name: string) =>
      (details: Details): void => {
        details['Order Placed'].customer.name = name;
      };

    it.each([
      ['pl', 'Zofia Wąsowska', 'Dzień dobry, Zofia!'],
      ['en', 'Zofia Wąsowska', 'Hello Zofia,'],
      ['pl', '  Jan   Maria Rokita ', 'Dzień dobry, Jan!'],
      ['pl', '—', 'Dzień dobry,'], // an erased customer: no name to use
      ['en', '—', 'Hello,'],
    ] as const)('in %s for %j: %j', (language, name, greeting) => {
      // Prepare
      const input = messageInput('Order Shipped', { language, details: withName(name) });

      // Act
      const email = renderEmail(input);

      // Assess: the greeting is its own paragraph in both parts, with no other name in it
      expect(email.text.split('\n\n')).toContain(greeting);
      expect(email.html).toMatch(new RegExp(`<p [^>]*>${greeting}</p>`));
      expect(email.text).not.toContain('Wąsowska');
    });

    it('escapes the name in the HTML part through the one escaping rule', () => {
      // Prepare
      const input = messageInput('Order Shipped', { details: withName('<b>Ola</b>&"x" Kowalska') });

      // Act
      const email = renderEmail(input);

      // Assess
      expect(email.html).toContain('Dzień dobry, &lt;b&gt;Ola&lt;/b&gt;&amp;&quot;x&quot;!');
      expect(email.html).not.toContain('<b>Ola');
      expect(email.text).toContain('Dzień dobry, <b>Ola</b>&"x"!');
    });
  });
});
