/**
 * The tracking page in a real browser: Debian's headless Chromium (never a downloaded one) opens the page
 * served by the production handler through the local HTTP gateway, with the real security headers, and
 * with the shop's logo from another origin. Screenshots land in test-results/ (git-ignored) for a person
 * to look at.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lifecycleEvents, orderRef } from '../../fixtures/order-events.js';
import {
  eventsUntil,
  notification,
  quietLogger,
  seedNotifications,
  seedOrder,
  shopConfig,
} from '../../fixtures/status-api.js';
import { DynamoDbNotificationLog } from '../../functions/adapters/dynamodb-notification-log.js';
import { DynamoDbOrderRepository } from '../../functions/adapters/dynamodb-order-repository.js';
import { DynamoDbRateLimiter } from '../../functions/adapters/dynamodb-rate-limiter.js';
import { staticShopDirectory } from '../../functions/domain/shop-registry.js';
import { makeStatusApiHandler } from '../../functions/status-api/status-api.js';
import { type HttpGateway, startHttpGateway } from '../../local/http-gateway.js';
import { createOrderTable, type TestTable } from '../support/dynamodb.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.resolve('test-results');
const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="32" viewBox="0 0 120 32"><rect width="120" height="32" fill="#2e5e3a"/><text x="8" y="22" font-family="sans-serif" font-size="16" fill="#fff">Pod Dębem</text></svg>`;

let table: TestTable;
let gateway: HttpGateway;
let logoServer: Server;
let context: BrowserContext;
let userDataDir: string;
const tokens = { held: '', shipped: '', delivered: '', deadlines: '' };

/** A shop that shows its customers their statutory deadlines (consumerRights). */
const RIGHTS_SHOP = 'sklep-z-prawami';

interface Visit {
  readonly page: Page;
  readonly problems: string[];
}

/** Opens a page and collects everything that went wrong in it: console errors, failed or refused loads. */
const visit = async (url: string): Promise<Visit> => {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) =>
    problems.push(`failed: ${request.url()} ${request.failure()?.errorText}`),
  );
  page.on('response', (response) => {
    if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) {
      problems.push(`HTTP ${response.status()}: ${response.url()}`);
    }
  });
  const response = await page.goto(url, { waitUntil: 'load' });
  expect(response?.status()).toBe(200);
  return { page, problems };
};

beforeAll(async () => {
  table = await createOrderTable();
  const repository = new DynamoDbOrderRepository(table.documents, table.tableName);
  const log = new DynamoDbNotificationLog(table.documents, table.tableName);
  tokens.held = await seedOrder(repository, eventsUntil(orderRef(401), 'engravingHold', 'Order On Hold'));
  tokens.shipped = await seedOrder(repository, eventsUntil(orderRef(402), 'happyPath', 'Order Shipped'));
  await seedNotifications(log, orderRef(402));
  // A delivered order whose customer got a message on three channels for each of its seven events
  const delivered = lifecycleEvents(orderRef(403), 'happyPath');
  tokens.delivered = await seedOrder(repository, delivered);
  for (const [index, event] of delivered.entries())
    for (const channel of ['email', 'sms', 'push'] as const)
      await log.create(
        notification(orderRef(403), {
          eventType: event.type,
          eventId: event.eventId,
          channel,
          outcome: 'delivered',
          address:
            channel === 'email' ? 'z***@example.pl' : channel === 'sms' ? '+48 *** *** 567' : undefined,
          createdAt: new Date(Date.parse(event.occurredAt) + 5_000).toISOString(),
          sentAt: new Date(Date.parse(event.occurredAt) + 6_000 + index).toISOString(),
        }),
      );

  // Delivered yesterday, with a complaint opened today, at a shop that shows consumer rights.
  tokens.deadlines = await seedOrder(
    repository,
    eventsUntil(orderRef(404), 'complaint', 'Complaint Opened').map((event) => ({
      ...event,
      shopId: RIGHTS_SHOP,
    })),
  );

  logoServer = createServer((request, response) => {
    if (request.url === '/logo.svg') response.writeHead(200, { 'content-type': 'image/svg+xml' }).end(LOGO);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => logoServer.listen(0, '127.0.0.1', resolve));
  const logoPort = (logoServer.address() as AddressInfo).port;

  const clock = { now: () => new Date('2026-11-21T12:00:00Z') };
  gateway = await startHttpGateway({
    handler: makeStatusApiHandler({
      orders: repository,
      notifications: log,
      shops: staticShopDirectory([
        shopConfig({ brand: { primaryColor: '#2e5e3a', logoUrl: `http://127.0.0.1:${logoPort}/logo.svg` } }),
        shopConfig({ shopId: RIGHTS_SHOP, consumerRights: { withdrawal: true, complaintAnswer: true } }),
      ]),
      clock,
      rateLimiter: new DynamoDbRateLimiter(table.documents, table.tableName, 'browser-test-salt-01', clock),
      logger: quietLogger(),
    }),
    functionName: 'status-api',
  });

  await mkdir(SCREENSHOTS, { recursive: true });
  userDataDir = await mkdtemp(path.join(tmpdir(), 'tracking-page-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    locale: 'pl-PL',
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
  });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await gateway?.close();
  await new Promise((resolve) => logoServer?.close(resolve));
  await table?.drop();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

describe('Page: tracking page in Chromium', () => {
  it('shows a held order in Polish, then in English through the language switch', async () => {
    // Act
    const { page, problems } = await visit(`${gateway.url}/t/${tokens.held}`);

    // Assess: Polish, from the browser's Accept-Language
    expect(await page.getAttribute('html', 'lang')).toBe('pl');
    expect(await page.textContent('h1')).toBe('Zamówienie ZAM/2026/11/0401');
    expect(await page.textContent('.status-label')).toBe('Oczekuje na kontakt');
    const hold = page.locator('section[aria-labelledby="hold-heading"]');
    expect(await hold.locator('h2').textContent()).toBe('Potrzebujemy Twojego potwierdzenia');
    expect(await hold.textContent()).toContain(
      'Prosimy o potwierdzenie treści graweru: „Dla Babci – 80 lat”.',
    );
    expect(await hold.textContent()).toContain('Termin upływa za 1 dzień.');
    expect(await hold.getByRole('link', { name: '+48 12 345 67 89' }).getAttribute('href')).toBe(
      'tel:+48123456789',
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, 'tracking-page-pl.png'), fullPage: true });

    // Act: the switch is a plain link, so it works without JavaScript
    await Promise.all([page.waitForURL(/\?lang=en$/), page.getByRole('link', { name: 'English' }).click()]);

    // Assess
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('h1')).toBe('Order ZAM/2026/11/0401');
    expect(await page.textContent('.status-label')).toBe('Waiting for your contact');
    expect(await page.locator('#hold-heading').textContent()).toBe('We need your confirmation');
    expect(await page.locator('section[aria-labelledby="hold-heading"]').textContent()).toContain(
      'That is in 1 day.',
    );
    expect(await page.getByRole('link', { name: 'Polski' }).getAttribute('aria-current')).toBeNull();
    expect(await page.getByRole('link', { name: 'English' }).getAttribute('aria-current')).toBe('page');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'tracking-page-en.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('applies its stylesheet and the shop’s logo under the strict CSP, and runs no script', async () => {
    // Act
    const { page, problems } = await visit(`${gateway.url}/t/${tokens.held}`);

    // Assess
    // Evaluated in the page as strings: the project compiles without the DOM library.
    const bannerColour = await page.evaluate<string>(
      "getComputedStyle(document.querySelector('header.brand')).backgroundColor",
    );
    const logoWidth = await page.evaluate<number>("document.querySelector('img.logo').naturalWidth");
    const scripts = await page.evaluate<number>('document.scripts.length');
    expect(bannerColour).toBe('rgb(46, 94, 58)');
    expect(logoWidth).toBe(120);
    expect(scripts).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows the statutory deadlines on a phone: the withdrawal window and the complaint’s answer date', async () => {
    // Act
    const { page, problems } = await visit(`${gateway.url}/t/${tokens.deadlines}`);

    // Assess: both deadlines with their dates, readable on a 390 px screen, nothing wider than it
    const body = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
    expect(body).toContain('Możesz odstąpić od umowy bez podania przyczyny do 4 grudnia 2026');
    expect(body).toContain('Sklep musi odpowiedzieć na reklamację do 4 grudnia 2026');
    expect(body).toContain('reklamację uważa się za uznaną');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'tracking-page-phone-deadlines.png'),
      fullPage: true,
    });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('fits a phone (390 px): the shop’s contact and help on the first screen, the message log folded', async () => {
    // Act
    const { page, problems } = await visit(`${gateway.url}/t/${tokens.delivered}`);
    // Evaluated in the page as strings: the project compiles without the DOM library.
    const top = (selector: string) =>
      page.evaluate<number>(
        `document.querySelector('${selector}').getBoundingClientRect().top + window.scrollY`,
      );
    const screen = page.viewportSize()?.height ?? 0;

    // Assess: nothing wider than the phone; what the customer may need within the first screen
    expect(screen).toBe(844);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(await top('a[href^="tel:"]')).toBeLessThan(screen);
    expect(await top('a[href="https://podebem.example.pl/zwroty"]')).toBeLessThan(screen);
    // 21 messages: five lines shown, sixteen folded, each line at most three text lines high
    const log = page.locator('section[aria-labelledby="notifications-heading"]');
    const lines = log.locator('li');
    expect(await lines.count()).toBe(21);
    expect(await log.locator('li:visible').count()).toBe(5);
    const heights = await page.evaluate<number[]>(
      `[...document.querySelectorAll('.log li')].slice(0, 5).map((li) => li.getBoundingClientRect().height)`,
    );
    const lineHeight = await page.evaluate<number>(
      `parseFloat(getComputedStyle(document.querySelector('.log li')).lineHeight)`,
    );
    for (const height of heights) expect(height).toBeLessThanOrEqual(3 * lineHeight + 16);
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'tracking-page-phone-delivered.png'),
      fullPage: true,
    });

    // Act: the fold is a <details>, so it opens without JavaScript
    await log.getByText('Wcześniejsze wiadomości (16)').click();

    // Assess
    expect(await log.locator('li:visible').count()).toBe(21);
    expect(problems).toEqual([]);
    await page.close();
  });

  it.each([
    ['pl', 'Wysłane', 'Śledź przesyłkę na stronie przewoźnika'],
    ['en', 'Shipped', "Track the parcel on the carrier's website"],
  ])(
    'shows the tracking number and the carrier’s link of a shipped order (%s)',
    async (lang, status, trackLink) => {
      // Act
      const { page, problems } = await visit(`${gateway.url}/t/${tokens.shipped}?lang=${lang}`);

      // Assess
      expect(await page.textContent('.status-label')).toBe(status);
      expect(await page.locator('section[aria-labelledby="shipment-heading"] .mono').textContent()).toBe(
        '620123456789012345678901',
      );
      expect(await page.getByRole('link', { name: trackLink }).getAttribute('href')).toBe(
        'https://inpost.pl/sledzenie-przesylek?number=620123456789012345678901',
      );
      expect(await page.locator('body').textContent()).toContain('z***@example.pl');
      expect(problems).toEqual([]);
      await page.close();
    },
  );
});
