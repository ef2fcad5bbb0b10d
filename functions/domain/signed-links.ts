/**
 * Links in messages: the tracking page, and a signed unsubscribe link. The unsubscribe token carries the
 * shop, the channel and the address (base64url), and an HMAC-SHA256 of them with a secret only the
 * backend knows: it cannot be guessed or altered, and it only ever goes to the address it names.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Channel } from './notification-log.js';
import type { LinkBuilder } from './notification-ports.js';

export interface Subscription {
  readonly shopId: string;
  readonly channel: Channel;
  readonly address: string;
}

const sign = (secret: string, payload: string): string =>
  createHmac('sha256', secret).update(payload).digest('base64url');

export const signSubscription = (secret: string, subscription: Subscription): string => {
  const payload = Buffer.from(
    JSON.stringify([subscription.shopId, subscription.channel, subscription.address]),
    'utf8',
  ).toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
};

/** The subscription a token was signed for, or undefined for a forged, altered or malformed token. */
export const verifySubscription = (secret: string, token: string): Subscription | undefined => {
  if (token.length > 2048) return undefined;
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length > 0) return undefined;
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    const [shopId, channel, address] = JSON.parse(
      Buffer.from(payload, 'base64url').toString('utf8'),
    ) as unknown[];
    if (typeof shopId !== 'string' || typeof address !== 'string') return undefined;
    if (channel !== 'email' && channel !== 'sms' && channel !== 'push') return undefined;
    return { shopId, channel, address };
  } catch {
    return undefined;
  }
};

export const signedLinks = (secret: string): LinkBuilder => ({
  trackingUrl: (baseUrl, token, language) => `${baseUrl.replace(/\/$/, '')}/t/${token}?lang=${language}`,
  unsubscribeUrl: (baseUrl, subscription) =>
    `${baseUrl.replace(/\/$/, '')}/v1/unsubscribe?token=${signSubscription(secret, subscription)}`,
});
