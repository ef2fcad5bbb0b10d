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
