/**
 * Unsubscribe: the signed link in every e-mail's footer and List-Unsubscribe header.
 *
 * GET shows a confirmation page with a button (link scanners and previews must not unsubscribe anyone);
 * HEAD answers like GET without the body; POST unsubscribes: the button, or the mail client's RFC 8058
 * one-click POST. An invalid or expired link gets a 400 page saying so; any other method a 405 with Allow.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { logLambdaContext } from '../commons/logging.js';
import { type Language, languageFromAcceptLanguage } from '../domain/i18n.js';
import type { KeySource } from '../domain/key-ring.js';
import type { SuppressionList } from '../domain/notification-ports.js';
import type { Clock } from '../domain/ports.js';
import type { ShopDirectory } from '../domain/shop-registry.js';
import { verifySubscription } from '../domain/signed-links.js';
import { html, type SafeHtml } from '../domain/web/html.js';
import { unsubscribePage } from './unsubscribe-page.js';

export interface UnsubscribeDeps {
  /** The unsubscribe secret: a key, or the key ring in force (refreshed from Secrets Manager). */
  readonly secret: KeySource;
  readonly suppressions: SuppressionList;
  readonly shops: ShopDirectory;
  readonly logger: Logger;
  /** @default the system clock */
  readonly clock?: Clock;
  /** Accept first-format (clear, never-expiring) links until then. @default refuse them */
  readonly acceptLegacyUntil?: Date | undefined;
}

const ALLOWED_METHODS = 'GET, HEAD, POST';

const TEXTS = {
  pl: {
    title: 'Rezygnacja z powiadomień',
    confirm: (shop: string, channel: string) =>
      `Czy na pewno nie chcesz otrzymywać od ${shop} powiadomień o zamówieniach (${channel})?`,
    button: 'Tak, wypisz mnie',
    done: (shop: string, channel: string) =>
      `Gotowe. ${shop} nie będzie już wysyłać Ci powiadomień o zamówieniach (${channel}).`,
    invalid:
      'Ten link jest nieprawidłowy lub niekompletny. Skopiuj cały link z wiadomości albo skontaktuj się ze sklepem.',
    methodNotAllowed: 'Tej strony nie można otworzyć w ten sposób. Otwórz link z wiadomości.',
    channel: { email: 'e-mail', sms: 'SMS', push: 'powiadomienia push' },
  },
  en: {
    title: 'Unsubscribe from notifications',
    confirm: (shop: string, channel: string) =>
      `Do you want to stop order notifications from ${shop} (${channel})?`,
    button: 'Yes, unsubscribe me',
    done: (shop: string, channel: string) =>
      `Done. ${shop} will no longer send you order notifications (${channel}).`,
    invalid: 'This link is invalid or incomplete. Copy the whole link from the message, or contact the shop.',
    methodNotAllowed: 'This page cannot be opened this way. Open the link from the message.',
    channel: { email: 'e-mail', sms: 'SMS', push: 'push notifications' },
  },
} as const;

type PageResponse = APIGatewayProxyStructuredResultV2 & { headers: Record<string, string>; body: string };

const page = (language: Language, status: number, body: SafeHtml): PageResponse =>
  unsubscribePage({ language, title: TEXTS[language].title, statusCode: status, body }) as PageResponse;

const SYSTEM_CLOCK: Clock = { now: () => new Date() };

export const makeUnsubscribeHandler = (deps: UnsubscribeDeps) => {
  return middy(async (event: APIGatewayProxyEventV2, _context: Context): Promise<PageResponse> => {
    const response = await respond(event);
    // HEAD: the same status and headers as GET would get, without the body (RFC 9110 §9.3.2).
    return event.requestContext.http.method === 'HEAD' ? { ...response, body: '' } : response;
  }).use(logLambdaContext(deps.logger));

  async function respond(event: APIGatewayProxyEventV2): Promise<PageResponse> {
    const method = event.requestContext.http.method;
    const language: Language = languageFromAcceptLanguage(event.headers?.['accept-language']) ?? 'pl';
    const texts = TEXTS[language];
    if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') {
      const refused = page(language, 405, html`<p>${texts.methodNotAllowed}</p>`);
      return { ...refused, headers: { ...refused.headers, allow: ALLOWED_METHODS } };
    }
    const token = event.queryStringParameters?.token ?? '';
    const subscription = verifySubscription(deps.secret, token, {
      now: (deps.clock ?? SYSTEM_CLOCK).now(),
      acceptLegacyUntil: deps.acceptLegacyUntil,
    });
    const shop = subscription && (await deps.shops.get(subscription.shopId))?.config;
    if (!subscription || !shop) {
      deps.logger.warn('unsubscribe link rejected');
      return page(language, 400, html`<p>${texts.invalid}</p>`);
    }
    const channel = texts.channel[subscription.channel];
    if (method === 'POST') {
      await deps.suppressions.suppress(
        subscription.shopId,
        subscription.channel,
        subscription.address,
        'unsubscribed by the customer',
      );
      deps.logger.info('unsubscribed', { shopId: subscription.shopId, channel: subscription.channel });
      return page(language, 200, html`<p>${texts.done(shop.name, channel)}</p>`);
    }
    return page(
      language,
      200,
      html`<p>${texts.confirm(shop.name, channel)}</p><form method="post" action="?token=${encodeURIComponent(token)}"><button type="submit">${texts.button}</button></form>`,
    );
  }
};
