/**
 * The text of an SMS as it is sent, and the choice between a writer's versions of it.
 */
import type { Language } from '../i18n.js';
import type { ShopConfig } from '../shop-config.js';
import { MAX_SMS_SEGMENTS } from './limits.js';
import { measureSms, plainTypography, type SmsMeasurement, transliterate } from './segments.js';

export interface RenderedSms extends SmsMeasurement {
  readonly text: string;
}

/** The longest sender label we plan the texts for; a senderId has at most 11 characters. */
export const MAX_SENDER_LABEL = 20;

/**
 * Who writes, first thing in every SMS (some networks replace the sender ID with a number): the shop's
 * sender ID, else its name, cut after the last whole word that fits 20 characters.
 */
export const smsSender = (shop: ShopConfig): string => {
  if (shop.sms.senderId) return shop.sms.senderId;
  const name = shop.name.trim();
  if (name.length <= MAX_SENDER_LABEL) return name;
  let label = '';
  for (const word of name.split(/\s+/)) {
    const longer = label ? `${label} ${word}` : word;
    if (longer.length > MAX_SENDER_LABEL) break;
    label = longer;
  }
  return label || name.slice(0, MAX_SENDER_LABEL);
};

/**
 * The text as sent: sender first, plain spaces and punctuation, and Polish letters as the shop chose.
 * An English text has no Polish letters of its own, only in names (the shop's, a carrier's): it loses
 * their diacritics in either mode, so one letter of a name never doubles the price of an English SMS.
 */
export const composeSms = (shop: ShopConfig, language: Language, body: string): string => {
  const text = plainTypography(`${smsSender(shop)}: ${body}`)
    .replace(/\s+/g, ' ')
    .trim();
  return language === 'en' || shop.sms.polishCharacters === 'transliterate' ? transliterate(text) : text;
};

const measure = (text: string): RenderedSms => ({ text, ...measureSms(text) });

/** The first text that fits one SMS, else the first that fits two; undefined if none does. */
const firstFitting = (texts: readonly RenderedSms[]): RenderedSms | undefined =>
  texts.find((candidate) => candidate.segments === 1) ??
  texts.find((candidate) => candidate.segments <= MAX_SMS_SEGMENTS);

/**
 * The first text that fits one SMS, else the first that fits two. When a shop keeps Polish letters and
 * no text fits two UCS-2 SMS (a link longer than planned for), the texts go transliterated rather than
 * as a third SMS; if even that does not fit, the shortest is sent.
 */
export const pickSms = (shop: ShopConfig, language: Language, bodies: readonly string[]): RenderedSms => {
  const measured = bodies.map((body) => measure(composeSms(shop, language, body)));
  const plain = () => measured.map((candidate) => measure(transliterate(candidate.text)));
  const chosen =
    firstFitting(measured) ??
    firstFitting(plain()) ??
    plain().reduce<RenderedSms | undefined>(
      (best, candidate) => (best && best.units <= candidate.units ? best : candidate),
      undefined,
    );
  if (!chosen) throw new RangeError('an SMS needs at least one text');
  return chosen;
};
