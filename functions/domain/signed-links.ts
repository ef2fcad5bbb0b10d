/**
 * Links in messages: the tracking page, and the unsubscribe link.
 *
 * The unsubscribe token is opaque and expires. It is the shop, the channel, the address and an expiry,
 * sealed with AES-256-GCM under a key derived (HKDF-SHA256) from the unsubscribe secret: nobody without
 * the secret can read the address out of a link (in a proxy log, a forwarded e-mail, a screenshot) or
 * make or alter one, and a link stops working `ttlDays` after it was sent. Sealed rather than a random
 * id resolved in the table because the unsubscribe then needs no read, the table holds no second copy of
 * every address to erase, and a link works the moment it is written (no write to lose before the send).
 *
 * Tokens of the first format (the same fields in clear base64url with an HMAC, never expiring) are
 * refused, unless the deployment accepts them until a date it chooses (`acceptLegacyUntil`), for the
 * e-mails it sent before upgrading.
 *
 * The secret rotates without a deploy (domain/key-ring.ts): links are made with the current key and
 * opened with the current or any previous one, so the links in e-mails already sent keep working.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { acceptedKeys, type KeySource, keyRingOf } from './key-ring.js';
import type { Channel } from './notification-log.js';
import type { LinkBuilder } from './notification-ports.js';
import type { Clock } from './ports.js';
import { trackingPageUrl } from './web/links.js';

export interface Subscription {
  readonly shopId: string;
  readonly channel: Channel;
  readonly address: string;
}

/**
 * 400 days: past a year of old e-mails (an unsubscribe must keep working for at least 30 days after a
 * send, and a year-old receipt is still opened), while a leaked link does not work forever.
 */
export const DEFAULT_UNSUBSCRIBE_TTL_DAYS = 400;
export const MAX_UNSUBSCRIBE_TTL_DAYS = 3650;

const VERSION = 2;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MAX_TOKEN_LENGTH = 2048;
const DAY_MS = 86_400_000;

const keyOf = (secret: string): Buffer =>
  Buffer.from(hkdfSync('sha256', secret, 'order-notifications', 'unsubscribe-token-v2', 32));

export interface SignOptions {
  /** When the link is made. @default the current time */
  readonly now?: Date;
  /** How long it works. @default DEFAULT_UNSUBSCRIBE_TTL_DAYS */
  readonly ttlDays?: number;
}

const checkTtl = (ttlDays: number): number => {
  if (!Number.isInteger(ttlDays) || ttlDays < 1 || ttlDays > MAX_UNSUBSCRIBE_TTL_DAYS) {
    throw new RangeError(`ttlDays: must be an integer from 1 to ${MAX_UNSUBSCRIBE_TTL_DAYS}`);
  }
  return ttlDays;
};

/** A sealed, expiring unsubscribe token (URL-safe base64). */
export const signSubscription = (
  secret: string,
  subscription: Subscription,
  options: SignOptions = {},
): string => {
  const now = options.now ?? new Date();
  const expiresAt = Math.floor(
    (now.getTime() + checkTtl(options.ttlDays ?? DEFAULT_UNSUBSCRIBE_TTL_DAYS) * DAY_MS) / 1000,
  );
  const header = Buffer.from([VERSION]);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secret), iv);
  cipher.setAAD(header);
  const plaintext = Buffer.from(
    JSON.stringify([subscription.shopId, subscription.channel, subscription.address, expiresAt]),
    'utf8',
  );
  const sealed = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, iv, sealed, cipher.getAuthTag()]).toString('base64url');
};

export interface VerifyOptions {
  /** @default the current time */
  readonly now?: Date;
  /** Accept first-format (clear, never-expiring) tokens until this instant. @default refuse them */
  readonly acceptLegacyUntil?: Date | undefined;
}

const subscriptionOf = (fields: unknown): Subscription | undefined => {
  if (!Array.isArray(fields)) return undefined;
  const [shopId, channel, address] = fields as unknown[];
  if (typeof shopId !== 'string' || typeof address !== 'string') return undefined;
  if (channel !== 'email' && channel !== 'sms' && channel !== 'push') return undefined;
  return { shopId, channel, address };
};

const openSealed = (secret: string, token: string, now: Date): Subscription | undefined => {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length < 1 + IV_BYTES + TAG_BYTES + 1 || bytes[0] !== VERSION) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(secret), bytes.subarray(1, 1 + IV_BYTES));
    decipher.setAAD(bytes.subarray(0, 1));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    const plaintext = Buffer.concat([
      decipher.update(bytes.subarray(1 + IV_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]);
    const fields = JSON.parse(plaintext.toString('utf8')) as unknown[];
    const expiresAt = fields[3];
    if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) return undefined;
    if (now.getTime() >= expiresAt * 1000) return undefined;
    return subscriptionOf(fields);
  } catch {
    return undefined;
  }
};

/** The first format: base64url JSON `.` HMAC-SHA256. Read only while a deployment still accepts it. */
const openLegacy = (secret: string, token: string): Subscription | undefined => {
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length > 0) return undefined;
  const expected = Buffer.from(createHmac('sha256', secret).update(payload).digest('base64url'));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    return subscriptionOf(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    return undefined;
  }
};

/**
 * The subscription a token was made for, or undefined for a forged, altered, expired or malformed token
 * (and for a first-format token, unless `acceptLegacyUntil` is still ahead).
 */
export const verifySubscription = (
  keys: KeySource,
  token: string,
  options: VerifyOptions = {},
): Subscription | undefined => {
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) return undefined;
  const now = options.now ?? new Date();
  // A link made before the last rotation is sealed under a previous key: each accepted key is tried.
  const secrets = acceptedKeys(keyRingOf(keys));
  if (!token.includes('.')) {
    for (const secret of secrets) {
      const subscription = openSealed(secret, token, now);
      if (subscription) return subscription;
    }
    return undefined;
  }
  const until = options.acceptLegacyUntil;
  if (until === undefined || now.getTime() >= until.getTime()) return undefined;
  for (const secret of secrets) {
    const subscription = openLegacy(secret, token);
    if (subscription) return subscription;
  }
  return undefined;
};

export interface LinkOptions {
  /** When links are made. */
  readonly clock: Clock;
  /** @default DEFAULT_UNSUBSCRIBE_TTL_DAYS */
  readonly ttlDays?: number;
}

/** Links signed with the key ring's current key, read at each link (a rotation applies at once). */
export const signedLinks = (keys: KeySource, options?: LinkOptions): LinkBuilder => {
  const ttlDays = checkTtl(options?.ttlDays ?? DEFAULT_UNSUBSCRIBE_TTL_DAYS);
  return {
    trackingUrl: trackingPageUrl,
    unsubscribeUrl: (baseUrl, subscription) =>
      `${baseUrl.replace(/\/$/, '')}/v1/unsubscribe?token=${signSubscription(
        keyRingOf(keys).current,
        subscription,
        {
          now: options?.clock.now(),
          ttlDays,
        },
      )}`,
  };
};
