import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shop, TRACKING_URL, UNSUBSCRIBE_URL } from '../../../fixtures/messages.js';
import { exampleDetails, orderRef, paymentsOf, toEvent } from '../../../fixtures/order-events.js';
import { formatMoney, type Language } from '../../../functions/domain/i18n.js';
import {
  type MessageInput,
  PARTIAL_PAYMENT_TEMPLATE,
  renderEmail,
  renderPush,
  renderSms,
  templateIdFor,
} from '../../../functions/domain/messages/index.js';
import type { OrderEvent } from '../../../functions/domain/order-events.js';
import { replay } from '../../../functions/domain/order-lifecycle.js';

const ref = orderRef(42);
const TOTAL = 11597;
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');
const money = (amount: number, language: Language) => plain(formatMoney(amount, 'PLN', language));

/** The message about payment number `which` (1-based) of an order paid with `amounts`, told now. */
const paymentMessage = (amounts: readonly number[], which: number, language: Language): MessageInput => {
  const placed = toEvent('Order Placed', exampleDetails(ref)['Order Placed']);
  const payments = paymentsOf(ref, amounts);
  const { state } = replay([placed, ...payments]);
  return {
    shop: shop(),
    language,
    timeZone: 'Europe/Warsaw',
    state,
    event: payments[which - 1] as OrderEvent,
    trackingUrl: TRACKING_URL,
    unsubscribeUrl: UNSUBSCRIBE_URL,
  };
};

const everyChannel = (input: MessageInput): string[] => {
  const email = renderEmail(input);
  const push = renderPush(input);
  return [email.subject, email.text, renderSms(input).text, `${push.title} ${push.body}`].map(plain);
};

const languages = fc.constantFrom<Language>('pl', 'en');

describe('Messages: partial payments', () => {
  it('say on every channel what arrived and what is still due, for any amount below the total', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: TOTAL - 1 }), languages, (amount, language) => {
        // Act
        const input = paymentMessage([amount], 1, language);
        const [subject, text, sms, push] = everyChannel(input);

        // Assess
        expect(templateIdFor(input.event, input.state)).toBe(PARTIAL_PAYMENT_TEMPLATE);
        expect(renderPush(input).data.templateId).toBe(PARTIAL_PAYMENT_TEMPLATE);
        expect(subject).toMatch(language === 'pl' ? /część płatności/ : /Part payment/);
        expect(text).toContain(money(amount, language));
        expect(text).toContain(money(TOTAL - amount, language));
        expect(push).toContain(money(TOTAL - amount, language));
        // The SMS may shorten to what is due; it never claims the order is paid.
        expect(sms).toContain(money(TOTAL - amount, language));
        expect(`${subject} ${sms} ${push}`).not.toMatch(
          /Payment received|Płatność zaksięgowana|paid in full/,
        );
        expect(renderSms(input).segments).toBeLessThanOrEqual(2);
      }),
      { numRuns: 60 },
    );
  });

  it('tell a payment that reaches the total as received, naming an overpayment and what happens to it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), languages, (over, language) => {
        // Act
        const input = paymentMessage([TOTAL + over], 1, language);
        const [subject, text] = everyChannel(input);

        // Assess
        expect(templateIdFor(input.event, input.state)).toBe('payment-received');
        expect(subject).toMatch(language === 'pl' ? /Otrzymaliśmy płatność/ : /Payment received/);
        if (over > 0) {
          expect(text).toContain(money(over, language));
          expect(text).toMatch(language === 'pl' ? /nadpłatę zwrócimy/ : /refund the difference/);
        } else {
          expect(text).not.toMatch(/nadpłat|refund the difference/);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('tell the standing when sent: a part payment told after the order was paid in full says so', () => {
    // Prepare: three payments; the first is told after the third completed the total
    const late = paymentMessage([3000, 4000, TOTAL - 7000], 1, 'pl');
    const early = paymentMessage([3000, 4000], 1, 'pl');

    // Act
    const [lateSubject, lateText] = everyChannel(late);
    const [, earlyText] = everyChannel(early);

    // Assess
    expect(templateIdFor(late.event, late.state)).toBe('payment-received');
    expect(lateSubject).toBe('Otrzymaliśmy płatność za zamówienie ZAM/2026/11/0042');
    expect(lateText).toContain(money(3000, 'pl'));
    expect(lateText).toContain(`Wpłacono łącznie: ${money(TOTAL, 'pl')} (3 wpłaty)`);
    expect(lateText).not.toMatch(/Pozostało do zapłaty/);
    expect(earlyText).toContain(`Pozostało do zapłaty: ${money(TOTAL - 7000, 'pl')}`);
  });

  it('count payments with the Polish plural forms', () => {
    // Prepare: five payments that together stay below the total, then the fifth told
    const five = paymentMessage([1000, 1000, 1000, 1000, 1000], 5, 'pl');
    const twentyTwo = paymentMessage(
      Array.from({ length: 22 }, () => 100),
      22,
      'pl',
    );
    const english = paymentMessage([1000, 1000], 2, 'en');

    // Act & Assess
    expect(everyChannel(five)[1]).toContain('(5 wpłat)');
    expect(everyChannel(twentyTwo)[1]).toContain('(22 wpłaty)');
    expect(everyChannel(english)[1]).toContain('(2 payments)');
  });

  it('say the order is paid in full when the last of several payments reaches the total', () => {
    // Prepare
    const input = paymentMessage([5000, TOTAL - 5000], 2, 'en');

    // Act
    const [subject, text] = everyChannel(input);

    // Assess
    expect(subject).toBe('Payment received for order ZAM/2026/11/0042');
    expect(text).toContain('is now paid in full');
    expect(text).toContain(`Received in total: ${money(TOTAL, 'en')} (2 payments)`);
  });

  it('ask only for the rest in the bank transfer details of a partly paid order', () => {
    // Prepare
    const input = paymentMessage([5000], 1, 'pl');

    // Act
    const email = renderEmail(input);

    // Assess
    expect(plain(email.text)).toContain(`Kwota: ${money(TOTAL - 5000, 'pl')}`);
  });
});
