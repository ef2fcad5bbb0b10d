/**
 * Languages, labels and formats shared by every customer-facing text (messages, status page).
 *
 * Polish and English exist for every text; a customer whose locale is neither gets the shop's default.
 * Dates, money and plural forms come from Intl (full ICU in Node and Lambda), never from hand-written
 * rules.
 */
import type { FulfilmentStatus, OrderStatus, PaymentStatus } from './order-lifecycle.js';
import { isTimeZone } from './time-zones.js';

export const LANGUAGES = ['pl', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const INTL_LOCALE: Record<Language, string> = { pl: 'pl-PL', en: 'en-GB' };

/** The language for a BCP 47 tag (`pl-PL`, `en`, `de-DE`...), falling back to the shop's default. */
export const resolveLanguage = (locale: string | undefined, fallback: Language = 'pl'): Language => {
  const primary = locale?.toLowerCase().split(/[-_]/)[0];
  return (LANGUAGES as readonly string[]).includes(primary ?? '') ? (primary as Language) : fallback;
};

/**
 * The language of an order's page and JSON: the customer's own choice on the page (`?lang=`) first,
 * then the order's locale (what the customer shopped in, so a Polish order stays Polish in an
 * English-language browser), then the browser's Accept-Language, then the shop's default.
 */
export const orderPageLanguage = (choice: {
  readonly explicit: Language | undefined;
  readonly orderLocale: string | undefined;
  readonly browser: Language | undefined;
  readonly shopDefault: Language;
}): Language => {
  if (choice.explicit) return choice.explicit;
  const primary = choice.orderLocale?.toLowerCase().split(/[-_]/)[0] ?? '';
  if ((LANGUAGES as readonly string[]).includes(primary)) return primary as Language;
  return choice.browser ?? choice.shopDefault;
};

/**
 * Picks the language from an HTTP Accept-Language header, honouring q-values; undefined when the header
 * names no language we have.
 */
export const languageFromAcceptLanguage = (header: string | undefined): Language | undefined => {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((param) => /^\s*q=([0-9.]+)\s*$/.exec(param)?.[1]).find(Boolean);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.q > 0 && !Number.isNaN(entry.q))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    const primary = tag.split('-')[0];
    if ((LANGUAGES as readonly string[]).includes(primary ?? '')) return primary as Language;
  }
  return undefined;
};

export const STATUS_LABELS: Record<Language, Record<OrderStatus, string>> = {
  pl: {
    awaiting_placement: 'Oczekuje na potwierdzenie',
    placed: 'Zamówienie złożone',
    accepted: 'Przyjęte do realizacji',
    on_hold: 'Oczekuje na kontakt',
    preparing: 'W przygotowaniu do wysyłki',
    shipped: 'Wysłane',
    out_for_delivery: 'W doręczeniu',
    delivered: 'Dostarczone',
    cancelled: 'Anulowane',
  },
  en: {
    awaiting_placement: 'Awaiting confirmation',
    placed: 'Order placed',
    accepted: 'Accepted for fulfilment',
    on_hold: 'Waiting for your contact',
    preparing: 'Being prepared for shipment',
    shipped: 'Shipped',
    out_for_delivery: 'Out for delivery',
    delivered: 'Delivered',
    cancelled: 'Cancelled',
  },
};

export const PAYMENT_LABELS: Record<Language, Record<PaymentStatus, string>> = {
  pl: {
    awaiting: 'Oczekuje na płatność',
    partially_paid: 'Opłacone częściowo',
    paid: 'Opłacone',
    partially_refunded: 'Częściowo zwrócone',
    refunded: 'Zwrócone',
  },
  en: {
    awaiting: 'Awaiting payment',
    partially_paid: 'Partly paid',
    paid: 'Paid',
    partially_refunded: 'Partly refunded',
    refunded: 'Refunded',
  },
};

/**
 * The label of a code, looked up as an own property only. Codes come from stored data: one that names an
 * `Object.prototype` member (`constructor`, `toString`) or that is no longer known yields the code itself,
 * never an inherited function or `undefined` that would break a page.
 */
export const labelOf = <K extends string>(labels: Readonly<Record<K, string>>, code: string): string =>
  Object.hasOwn(labels, code) ? String((labels as Readonly<Record<string, string>>)[code]) : code;

export const statusLabel = (status: OrderStatus | FulfilmentStatus, language: Language): string =>
  labelOf(STATUS_LABELS[language], status);

/** `timeZone` when Intl knows it, else `fallback`: a stored zone a newer ICU dropped must not break a page. */
export const usableTimeZone = (timeZone: string | undefined, fallback: string): string =>
  timeZone !== undefined && isTimeZone(timeZone) ? timeZone : fallback;

/** Intl formatters are costly to build (about a millisecond each) and immutable: build each kind once. */
const cached = <T>(cache: Map<string, T>, key: string, build: () => T): T => {
  let value = cache.get(key);
  if (value === undefined) {
    value = build();
    cache.set(key, value);
  }
  return value;
};
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const moneyFormats = new Map<string, Intl.NumberFormat>();
const pluralRules = new Map<string, Intl.PluralRules>();

const dateFormat = (language: Language, timeZone: string, withTime: boolean) =>
  cached(
    dateFormats,
    `${language}|${timeZone}|${withTime}`,
    () =>
      new Intl.DateTimeFormat(INTL_LOCALE[language], {
        dateStyle: 'long',
        ...(withTime ? { timeStyle: 'short' } : {}),
        timeZone,
      }),
  );

/**
 * "25 listopada 2026" / "25 November 2026", in the customer's time zone. Texts are shown to customers, so
 * a value Intl cannot format (not a date, an unknown zone) is shown as it is rather than thrown.
 */
export const formatDate = (iso: string, language: Language, timeZone = 'Europe/Warsaw'): string => {
  // A calendar date (YYYY-MM-DD) has no time zone: format it as that day wherever the customer is.
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(iso);
  const instant = new Date(dateOnly ? `${iso}T12:00:00Z` : iso);
  if (Number.isNaN(instant.getTime())) return String(iso);
  return dateFormat(language, dateOnly ? 'UTC' : usableTimeZone(timeZone, 'UTC'), false).format(instant);
};

/** "25 listopada 2026, 14:30" / "25 November 2026 at 14:30", in the customer's time zone. */
export const formatDateTime = (iso: string, language: Language, timeZone = 'Europe/Warsaw'): string => {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return String(iso);
  return dateFormat(language, usableTimeZone(timeZone, 'UTC'), true).format(instant);
};

/** "115,97 zł" / "PLN 115.97" from minor units. */
export const formatMoney = (minorUnits: number, currency: string, language: Language): string => {
  const format = cached(
    moneyFormats,
    `${language}|${currency}`,
    () => new Intl.NumberFormat(INTL_LOCALE[language], { style: 'currency', currency }),
  );
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minorUnits / 10 ** digits);
};

export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/**
 * The right plural form for a count: Polish has one / few / many ("1 produkt", "2 produkty",
 * "5 produktów"); `#` in the form is replaced by the count.
 */
export const plural = (count: number, forms: PluralForms, language: Language): string => {
  const rule = cached(pluralRules, language, () => new Intl.PluralRules(INTL_LOCALE[language])).select(count);
  return (forms[rule] ?? forms.other).replace('#', String(count));
};
