/**
 * Links in messages: the tracking page and a signed, unguessable unsubscribe link (HMAC-SHA256 over the
 * shop, the channel and the address; the address itself travels only as a hash would not let us suppress
 * it, so it is inside the signed payload, which is opaque but not secret — it only goes to its owner).
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
