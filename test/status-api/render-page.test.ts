import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { lifecycleEvents, orderRef } from '../../fixtures/order-events.js';
import { eventsUntil, notification, shopConfig } from '../../fixtures/status-api.js';
import { replay } from '../../functions/domain/order-lifecycle.js';
import { buildOrderView, type OrderView } from '../../functions/domain/order-view.js';
import { contrastRatio } from '../../functions/domain/web/colour.js';
import { renderMessagePage, renderTrackingPage } from '../../functions/status-api/render-page.js';

const view = (overrides: Partial<OrderView> = {}): OrderView => ({
  ...buildOrderView({
    history: replay(eventsUntil(orderRef(1), 'engravingHold', 'Order On Hold')),
    notifications: [
      notification(orderRef(1), { eventType: 'Order Placed', channel: 'email', address: 'z***@example.pl' }),
    ],
    shop: shopConfig(),
    language: 'pl',
    now: new Date('2026-11-21T12:00:00Z'),
  }),
  ...overrides,
});

const headingLevels = (page: string): number[] =>
  [...page.matchAll(/<h([1-6])[ >]/g)].map((match) => Number(match[1]));

describe('Function: renderTrackingPage', () => {
  it('has one h1 and never skips a heading level', () => {
    for (const page of [
      renderTrackingPage(view()).html,
      renderTrackingPage(
        buildOrderView({
          history: replay(lifecycleEvents(orderRef(2), 'returnAndRefund')),
          notifications: [],
          shop: shopConfig(),
          language: 'en',
          now: new Date('2026-11-21T12:00:00Z'),
        }),
      ).html,
    ]) {
      // Act
      const levels = headingLevels(page);

      // Assess
      expect(levels[0]).toBe(1);
      expect(levels.filter((level) => level === 1)).toHaveLength(1);
      levels.forEach((level, i) => {
        if (i > 0) expect(level - (levels[i - 1] ?? 1)).toBeLessThanOrEqual(1);
      });
    }
  });

  it('has the landmarks, a skip link and the page language', () => {
    // Act
    const { html } = renderTrackingPage(view({ language: 'en' }));

    // Assess
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<a class="skip" href="#main">');
    expect(html.match(/<header /g)).toHaveLength(1);
    expect(html).toMatch(/<nav aria-label="[^"]+"><ul>/);
    expect(html.match(/<main id="main"/g)).toHaveLength(1);
    expect(html.match(/<footer /g)).toHaveLength(1);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('<meta name="robots" content="noindex, nofollow">');
  });

  it('ships no script and declares the hash of its only stylesheet', () => {
    // Act
    const page = renderTrackingPage(view());

    // Assess
    const styles = [...page.html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((match) => match[1] ?? '');
    expect(styles).toHaveLength(1);
    expect(page.styleSources).toEqual([
      `'sha256-${createHash('sha256')
        .update(styles[0] ?? '')
        .digest('base64')}'`,
    ]);
    expect(page.html).not.toMatch(/<script|\son[a-z]+=|style="/i);
    expect(page.imageOrigins).toEqual([]);
  });

  it('links only to web addresses, dropping a logo or link with another scheme', () => {
    // Prepare
    const shop = view().shop;
    const hostile = view({
      shop: {
        ...shop,
        logoUrl: 'javascript:alert(1)',
        links: [{ kind: 'returns', label: 'Zwroty', url: 'data:text/html,<script>alert(1)</script>' }],
      },
    });

    // Act
    const page = renderTrackingPage(hostile);

    // Assess
    expect(page.html).not.toMatch(/javascript:|data:text/);
    expect(page.html).not.toContain('<img');
    expect(page.imageOrigins).toEqual([]);
  });

  it('puts what to do, then the shop’s contact and help links, before the order’s details', () => {
    // Prepare: a delivered order (next step: "use the links below") and a held one (the hold panel)
    const delivered = buildOrderView({
      history: replay(lifecycleEvents(orderRef(3), 'happyPath')),
      notifications: [],
      shop: shopConfig(),
      language: 'pl',
      now: new Date('2026-11-21T12:00:00Z'),
    });
    const ids = (page: string) =>
      [...page.matchAll(/<section class="[^"]+" aria-labelledby="([^"]+)"/g)].map((m) => m[1]);

    // Act
    const deliveredPage = renderTrackingPage(delivered).html;
    const heldPage = renderTrackingPage(view()).html;

    // Assess: contact and help right under the status, the details after them
    expect(ids(deliveredPage).slice(0, 3)).toEqual(['status-heading', 'contact-heading', 'shipment-heading']);
    expect(deliveredPage).toMatch(
      /id="contact-heading"[\s\S]*href="tel:\+48123456789"[\s\S]*id="help-heading"[\s\S]*href="https:\/\/podebem\.example\.pl\/zwroty"[\s\S]*id="shipment-heading"/,
    );
    // The hold panel carries the contact; below it only the help links, not the phone a second time
    expect(ids(heldPage).slice(0, 3)).toEqual(['status-heading', 'hold-heading', 'help-heading']);
    expect(heldPage.match(/href="tel:/g)).toHaveLength(1);
  });

  it('shows each message on one line, newest first, and folds all but the newest five', () => {
    // Prepare: seven e-mails a minute apart, listed out of order
    const records = [3, 0, 6, 1, 5, 2, 4].map((minute) =>
      notification(orderRef(1), {
        eventType: 'Order Placed',
        eventId: `msg-${minute}`,
        channel: minute % 2 === 0 ? 'email' : 'sms',
        outcome: minute === 6 ? 'failed' : 'delivered',
        address: minute % 2 === 0 ? 'z***@example.pl' : '+48 *** *** 567',
        sentAt: `2026-11-20T09:0${minute}:00.000Z`,
      }),
    );
    const page = renderTrackingPage(
      buildOrderView({
        history: replay(eventsUntil(orderRef(1), 'engravingHold', 'Order On Hold')),
        notifications: records,
        shop: shopConfig(),
        language: 'pl',
        now: new Date('2026-11-21T12:00:00Z'),
      }),
    ).html;

    // Act
    const log = /id="notifications-heading"[\s\S]*?<\/section>/.exec(page)?.[0] ?? '';
    const lines = [...log.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => m[1] ?? '');
    const [shown, folded] = log.split('<details>');

    // Assess: one <li> per message, no nested lists or definition rows, newest (09:06, failed) first
    expect(lines).toHaveLength(7);
    expect(lines.every((line) => !/<(li|dl|dt|dd|br)/.test(line))).toBe(true);
    expect(lines.map((line) => /datetime="([^"]+)"/.exec(line)?.[1])).toEqual(
      [6, 5, 4, 3, 2, 1, 0].map((minute) => `2026-11-20T09:0${minute}:00.000Z`),
    );
    expect(lines[0]).toMatch(
      /^<span class="outcome">Nie udało się wysłać<\/span>: Zamówienie złożone · E-mail z\*\*\*@example\.pl · <time/,
    );
    expect(lines[1]).toContain('SMS +48 *** *** 567');
    expect(shown?.match(/<li>/g)).toHaveLength(5);
    expect(folded).toContain('<summary>Wcześniejsze wiadomości (2)</summary>');
    expect(folded?.match(/<li>/g)).toHaveLength(2);
  });

  it('keeps text readable (WCAG AA) on every background it uses', () => {
    // Prepare
    const css = /<style>([\s\S]*?)<\/style>/.exec(renderTrackingPage(view()).html)?.[1] ?? '';
    const colour = (name: string) => new RegExp(`--${name}:(#[0-9a-f]{6})`).exec(css)?.[1] ?? '#000000';
    const pairs: Array<[string, string]> = [
      ['text', 'card'],
      ['text', 'bg'],
      ['muted', 'card'],
      ['muted', 'bg'],
      ['muted', 'warn-bg'],
      ['warn', 'warn-bg'],
      ['accent', 'card'],
      ['accent', 'warn-bg'],
      ['on-brand', 'brand'],
    ];

    // Assess
    for (const [foreground, background] of pairs) {
      expect(
        contrastRatio(colour(foreground), colour(background)),
        `${foreground} on ${background}`,
      ).toBeGreaterThanOrEqual(4.5);
    }
  });
});

describe('Function: renderMessagePage', () => {
  it.each([
    ['not_found', 'pl', 'Nie znaleźliśmy tego zamówienia'],
    ['not_found', 'en', 'We could not find this order'],
    ['too_many_requests', 'pl', 'Zbyt wiele zapytań'],
    ['error', 'en', 'Something went wrong'],
  ] as const)('renders %s in %s', (kind, language, title) => {
    // Act
    const page = renderMessagePage(kind, language);

    // Assess
    expect(page.html).toContain(`<html lang="${language}">`);
    expect(page.html).toContain(`<h1>${title}</h1>`);
    expect(page.html).not.toContain('{problem}');
  });
});
