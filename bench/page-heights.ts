/**
 * How long the tracking page is, and how far down a customer must scroll to reach what matters: the
 * thing they must do (the action panel or the next step), the shop's contact, the help links, and how
 * much of the page the message log takes. Rendered by the production renderer from the production view
 * builder, laid out by Debian's Chromium at a desktop width (1280 px) and a phone width (390 px).
 *
 *   npm run bench:page
 *
 * Layout is deterministic (no timing), so the numbers compare across runs and machines with the same
 * Chromium and fonts; bench/RESULTS.md records the Chromium version with them.
 */
import { chromium } from 'playwright-core';
import { lifecycleEvents, orderRef } from '../fixtures/order-events.js';
import { eventsUntil, notification, shopConfig } from '../fixtures/status-api.js';
import type { NotificationRecord } from '../functions/domain/notification-log.js';
import type { OrderEvent } from '../functions/domain/order-events.js';
import { replay } from '../functions/domain/order-lifecycle.js';
import { buildOrderView } from '../functions/domain/order-view.js';
import { renderTrackingPage } from '../functions/status-api/render-page.js';

const CHROMIUM = '/usr/bin/chromium';
const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

/** Every event's messages on the channels a customer with e-mail, phone and app would get. */
const messagesFor = (events: readonly OrderEvent[], channels: readonly NotificationRecord['channel'][]) =>
  events.flatMap((event, index) =>
    channels.map((channel) =>
      notification(orderRef(1), {
        eventType: event.type,
        eventId: event.eventId,
        channel,
        outcome: 'delivered',
        address:
          channel === 'email'
            ? 'a***@example.pl'
            : channel === 'sms'
              ? '+48 *** *** 567'
              : 'Android · 1 device',
        createdAt: new Date(Date.parse(event.occurredAt) + 5_000 + index).toISOString(),
        sentAt: new Date(Date.parse(event.occurredAt) + 6_000 + index).toISOString(),
      }),
    ),
  );

const SCENARIOS = [
  {
    name: 'held for engraving (8 messages)',
    events: eventsUntil(orderRef(1), 'engravingHold', 'Order On Hold'),
    channels: ['email', 'sms'] as const,
    showPrices: false,
  },
  {
    name: 'returned and refunded (24 messages)',
    events: lifecycleEvents(orderRef(1), 'returnAndRefund'),
    channels: ['email', 'sms', 'push'] as const,
    showPrices: true,
  },
  {
    name: 'complaint resolved (18 messages)',
    events: lifecycleEvents(orderRef(1), 'complaint'),
    channels: ['email', 'sms', 'push'] as const,
    showPrices: false,
  },
];

interface Measure {
  readonly height: number;
  /** Where the action panel (or, without one, the next step) starts. */
  readonly actionTop: number;
  /** Where the shop's phone number first appears. */
  readonly contactTop: number;
  /** Where the first help link (returns, complaints) appears; -1 when the page has none. */
  readonly helpTop: number;
  /** Height of the message log. */
  readonly messagesHeight: number;
}

/** Runs in the page; a string, so the TypeScript loader's helpers (`__name`) never reach the browser. */
const MEASURE = `(() => {
  const top = (element) => (element ? Math.round(element.getBoundingClientRect().top + window.scrollY) : -1);
  const action = document.querySelector('.action') ?? document.querySelector('#status-heading')?.parentElement;
  const messages = document.querySelector('#notifications-heading')?.parentElement;
  return {
    height: document.documentElement.scrollHeight,
    actionTop: top(action),
    contactTop: top(document.querySelector('a[href^="tel:"]')),
    helpTop: top(document.querySelector('a[href*="zwroty"], a[href*="reklamacje"]')),
    messagesHeight: messages ? Math.round(messages.getBoundingClientRect().height) : 0,
  };
})()`;

const main = async (): Promise<void> => {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const rows: string[] = [];
  try {
    for (const scenario of SCENARIOS) {
      const shop = shopConfig({
        statusPage: {
          baseUrl: 'https://status.podebem.example.pl',
          showPrices: scenario.showPrices,
          reducedViewAfterDays: 30,
        },
      });
      const last = scenario.events.at(-1);
      const view = buildOrderView({
        history: replay(scenario.events),
        notifications: messagesFor(scenario.events, scenario.channels),
        shop,
        language: 'pl',
        now: new Date(Date.parse(last?.occurredAt ?? '2026-11-20T10:00:00Z') + 3_600_000),
      });
      const { html } = renderTrackingPage(view);
      for (const viewport of VIEWPORTS) {
        const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
        await page.setContent(html, { waitUntil: 'load' });
        const measure = (await page.evaluate(MEASURE)) as Measure;
        await page.close();
        rows.push(
          `| ${scenario.name} | ${viewport.name} ${viewport.width} px | ${measure.height} | ${measure.actionTop} | ${measure.contactTop} | ${measure.helpTop} | ${measure.messagesHeight} |`,
        );
      }
    }
    console.log(`Chromium ${browser.version()}`);
  } finally {
    await browser.close();
  }
  console.log(
    '| Order | Viewport | Page height | Action from top | Shop phone from top | Help link from top | Message log height |',
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) console.log(row);
};

await main();
