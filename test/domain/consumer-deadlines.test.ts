import { describe, expect, it } from 'vitest';
import { messageInput, shop as messageShop } from '../../fixtures/messages.js';
import { lifecycleEvents, orderRef } from '../../fixtures/order-events.js';
import { shopConfig } from '../../fixtures/status-api.js';
import {
  complaintAnswerLastDay,
  isRunning,
  lastDayOf,
  refundLastDay,
  withdrawalLastDay,
} from '../../functions/domain/consumer-deadlines.js';
import { formatDate } from '../../functions/domain/i18n.js';
import { renderEmail, renderSms } from '../../functions/domain/messages/index.js';
import type { OrderEvent } from '../../functions/domain/order-events.js';
import { replay } from '../../functions/domain/order-lifecycle.js';
import { buildOrderView } from '../../functions/domain/order-view.js';
import { renderTrackingPage } from '../../functions/status-api/render-page.js';

const WARSAW = 'Europe/Warsaw';

describe('Statutory deadlines: how the days are counted', () => {
  it('counts calendar days in the customer’s zone from the day after the event', () => {
    // Delivered on 20 November (Warsaw): the 14 days are 21 November to 4 December.
    expect(withdrawalLastDay('2026-11-20T09:30:00Z', WARSAW)).toBe('2026-12-04');
    // 23:30 UTC on the 20th is already the 21st in Warsaw.
    expect(withdrawalLastDay('2026-11-20T23:30:00Z', WARSAW)).toBe('2026-12-05');
    expect(withdrawalLastDay('2026-11-20T23:30:00Z', 'America/New_York')).toBe('2026-12-04');
    // Across the end of summer time, still 14 calendar days.
    expect(lastDayOf('2026-10-20T10:00:00+02:00', 14, WARSAW)).toBe('2026-11-03');
    expect(lastDayOf('not a date', 14, WARSAW)).toBeUndefined();
  });

  it('a term runs to the end of its last day in the customer’s zone', () => {
    expect(isRunning('2026-12-04', new Date('2026-12-04T22:59:00Z'), WARSAW)).toBe(true);
    expect(isRunning('2026-12-04', new Date('2026-12-04T23:01:00Z'), WARSAW)).toBe(false);
  });

  it('a refund is due 14 days from the request, or when the goods are back if that is later', () => {
    expect(refundLastDay('2026-11-22T10:00:00Z', undefined, WARSAW)).toBe('2026-12-06');
    expect(refundLastDay('2026-11-22T10:00:00Z', '2026-11-25T10:00:00Z', WARSAW)).toBe('2026-12-06');
    expect(refundLastDay('2026-11-22T10:00:00Z', '2026-12-10T10:00:00Z', WARSAW)).toBe('2026-12-10');
  });

  it('a complaint is answered within 14 days of its receipt', () => {
    expect(complaintAnswerLastDay('2026-11-30T16:00:00+01:00', WARSAW)).toBe('2026-12-14');
  });
});

describe('Statutory deadlines on the order view and the tracking page', () => {
  const ref = orderRef(4301);
  const on = shopConfig({ consumerRights: { withdrawal: true, complaintAnswer: true } });
  const off = shopConfig();
  const view = (events: readonly OrderEvent[], shop = on, now = new Date('2026-11-21T12:00:00Z')) =>
    buildOrderView({ history: replay(events), notifications: [], shop, language: 'pl', now });

  it('shows the withdrawal window after delivery while it runs, only when the shop turns it on', () => {
    const delivered = lifecycleEvents(ref, 'happyPath');
    expect(view(delivered).shipment?.withdrawalUntil).toMatchObject({ date: '2026-12-04' });
    expect(view(delivered).shipment?.withdrawalUntil?.text).toContain('4 grudnia 2026');
    expect(view(delivered, off).shipment?.withdrawalUntil).toBeUndefined();
    expect(
      view(delivered, on, new Date('2026-12-05T00:00:00+01:00')).shipment?.withdrawalUntil,
    ).toBeUndefined();
    // Shipped but not delivered: no window yet.
    expect(view(delivered.slice(0, 5)).shipment?.withdrawalUntil).toBeUndefined();
    const page = renderTrackingPage(view(delivered));
    expect(JSON.stringify(page)).toContain('Odstąpienie od umowy');
  });

  it('shows the refund deadline of a return until it is refunded, overdue ones too', () => {
    const events = lifecycleEvents(ref, 'returnAndRefund');
    const received = view(events.slice(0, 7), on, new Date('2026-12-10T12:00:00Z'));
    expect(received.returns?.[0]?.refundBy).toMatchObject({ date: '2026-12-04' });
    expect(view(events).returns?.[0]?.refundBy).toBeUndefined();
    expect(view(events.slice(0, 7), off).returns?.[0]?.refundBy).toBeUndefined();
  });

  it('shows by when an open complaint must be answered and what follows, not for a resolved one', () => {
    const events = lifecycleEvents(ref, 'complaint');
    const open = view(events.slice(0, 5));
    expect(open.complaints?.[0]?.answerBy?.date).toBe('2026-12-04');
    expect(open.complaints?.[0]?.answerBy?.text).toContain('uważa się za uznaną');
    expect(view(events).complaints?.[0]?.answerBy).toBeUndefined();
    expect(view(events.slice(0, 5), off).complaints?.[0]?.answerBy).toBeUndefined();
  });
});

describe('Statutory deadlines in the delivered message', () => {
  it('the delivered e-mail gives the last day to withdraw when the shop shows consumer rights, in both languages', () => {
    for (const [language, words] of [
      ['pl', 'możesz odstąpić od umowy bez podania przyczyny do'],
      ['en', 'you may withdraw from the purchase without giving a reason until'],
    ] as const) {
      const input = messageInput('Order Delivered', {
        language,
        shop: messageShop({ consumerRights: { withdrawal: true } }),
      });
      const deliveredOn = withdrawalLastDay(input.event.occurredAt, input.timeZone) ?? '';
      const email = renderEmail(input);
      expect(email.text.toLowerCase()).toContain(words);
      expect(email.text).toContain(formatDate(deliveredOn, language, input.timeZone));
      // Not in the SMS or the push, whose length is counted; and only when the shop turns it on.
      expect(renderSms(input).text.toLowerCase()).not.toContain(words);
      expect(renderEmail(messageInput('Order Delivered', { language })).text.toLowerCase()).not.toContain(
        words,
      );
    }
    // Only the delivered message says it.
    const shipped = messageInput('Order Shipped', {
      shop: messageShop({ consumerRights: { withdrawal: true } }),
    });
    expect(renderEmail(shipped).text).not.toContain('odstąpić');
  });
});
