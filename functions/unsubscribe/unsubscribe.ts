/**
 * Unsubscribe: the signed link in every e-mail's footer and List-Unsubscribe header.
 *
 * GET shows a confirmation page with a button (link scanners and previews must not unsubscribe anyone);
 * POST unsubscribes: the button, or the mail client's RFC 8058 one-click POST. An invalid link gets a 400
 * page saying so.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { logLambdaContext } from '../commons/logging.js';
import { type Language, languageFromAcceptLanguage } from '../domain/i18n.js';
import type { SuppressionList } from '../domain/notification-ports.js';
import type { ShopDirectory } from '../domain/shop-config.js';
import { verifySubscription } from '../domain/signed-links.js';
import { html, type SafeHtml } from '../domain/web/html.js';
import { unsubscribePage } from './unsubscribe-page.js';

export interface UnsubscribeDeps {
  readonly secret: string;
  readonly suppressions: SuppressionList;
  readonly shops: ShopDirectory;
  readonly logger: Logger;
}

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
    channel: { email: 'e-mail', sms: 'SMS', push: 'push notifications' },
  },
} as const;

const page = (language: Language, status: number, body: SafeHtml): APIGatewayProxyResultV2 =>
  unsubscribePage({ language, title: TEXTS[language].title, statusCode: status, body });

export const makeUnsubscribeHandler = (deps: UnsubscribeDeps) =>
  middy(async (event: APIGatewayProxyEventV2, _context: Context): Promise<APIGatewayProxyResultV2> => {
    const language: Language = languageFromAcceptLanguage(event.headers['accept-language']) ?? 'pl';
    const texts = TEXTS[language];
    const token = event.queryStringParameters?.token ?? '';
    const subscription = verifySubscription(deps.secret, token);
    const shop = subscription && deps.shops.get(subscription.shopId);
    if (!subscription || !shop) {
      deps.logger.warn('unsubscribe link rejected');
      return page(language, 400, html`<p>${texts.invalid}</p>`);
    }
    const channel = texts.channel[subscription.channel];
    if (event.requestContext.http.method === 'POST') {
      await deps.suppressions.suppress(
        subscription.shopId,
        subscription.channel,
        subscription.address,
        'unsubscribed by the customer',
      );
      deps.logger.info('unsubscribed', { shopId: subscription.shopId, channel: subscription.channel });
      return page(language, 200, html`<p>${texts.done(shop.name, channel)}</p>`);
    }
    if (event.requestContext.http.method !== 'GET') return page(language, 405, html`<p>${texts.invalid}</p>`);
    return page(
      language,
      200,
      html`<p>${texts.confirm(shop.name, channel)}</p><form method="post" action="?token=${encodeURIComponent(token)}"><button type="submit">${texts.button}</button></form>`,
    );
  }).use(logLambdaContext(deps.logger));
