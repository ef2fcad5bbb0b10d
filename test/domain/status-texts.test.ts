import { describe, expect, it } from 'vitest';
import { LANGUAGES, plural } from '../../functions/domain/i18n.js';
import { CHANNELS, NOTIFICATION_OUTCOMES } from '../../functions/domain/notification-log.js';
import {
  CancellationReasonSchema,
  DeliverySchema,
  HoldReasonSchema,
  ORDER_EVENT_TYPES,
  PaymentInstructionsSchema,
} from '../../functions/domain/order-events.js';
import {
  AFTER_SALES_LINKS,
  fillText,
  NEXT_STEP_KEYS,
  PAGE_TEXT_KEYS,
  STATUS_TEXTS,
} from '../../functions/domain/status-texts.js';

/** Every leaf of a nested text table, as [dotted path, text]. */
const leaves = (value: unknown, path = ''): Array<[string, unknown]> =>
  value !== null && typeof value === 'object'
    ? Object.entries(value).flatMap(([key, nested]) => leaves(nested, path ? `${path}.${key}` : key))
    : [[path, value]];

const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{([a-zA-Z]+)\}/g)].map((m) => m[1] ?? '').sort();

/** Words that are the same in both languages on purpose. */
const SAME_IN_BOTH = new Set([
  'channels.email',
  'channels.sms',
  'paymentMethods.blik',
  'page.email',
  'page.customerEmail',
  'page.complaintTitle',
]);

describe('Module: status-texts', () => {
  it('has the same keys in Polish and English, each a non-empty text', () => {
    // Act: plural forms differ by language on purpose (Polish has few and many), so compare their groups
    const pl = leaves(STATUS_TEXTS.pl);
    const en = leaves(STATUS_TEXTS.en);
    const withoutForms = (entries: Array<[string, unknown]>) =>
      entries.map(([path]) => path.replace(/^(plurals\.\w+)\..*$/, '$1'));

    // Assess
    expect(new Set(withoutForms(pl))).toEqual(new Set(withoutForms(en)));
    expect(withoutForms(pl).length).toBeGreaterThan(150);
    for (const [path, text] of [...pl, ...en]) {
      expect(typeof text, path).toBe('string');
      expect(String(text).trim(), path).not.toBe('');
      expect(String(text), path).toBe(String(text).trim());
    }
  });

  it.each(LANGUAGES)('covers every value the contract and the view can produce (%s)', (language) => {
    // Prepare
    const texts = STATUS_TEXTS[language];
    const keys = (record: object) => Object.keys(record).sort();

    // Assess
    expect(keys(texts.events)).toEqual([...ORDER_EVENT_TYPES].sort());
    expect(keys(texts.cancellationReasons)).toEqual([...CancellationReasonSchema.options].sort());
    expect(keys(texts.holdReasons)).toEqual([...HoldReasonSchema.options].sort());
    expect(keys(texts.deliveryMethods)).toEqual([...DeliverySchema.shape.method.options].sort());
    expect(keys(texts.paymentMethods)).toEqual([...PaymentInstructionsSchema.shape.method.options].sort());
    expect(keys(texts.channels)).toEqual([...CHANNELS].sort());
    expect(keys(texts.notificationOutcomes)).toEqual([...NOTIFICATION_OUTCOMES].sort());
    expect(keys(texts.nextSteps)).toEqual([...NEXT_STEP_KEYS].sort());
    expect(keys(texts.links)).toEqual([...AFTER_SALES_LINKS].sort());
    expect(keys(texts.page)).toEqual([...PAGE_TEXT_KEYS].sort());
  });

  it('uses the same placeholders in both languages', () => {
    const en = new Map(leaves(STATUS_TEXTS.en));
    for (const [path, text] of leaves(STATUS_TEXTS.pl).filter(([key]) => !key.startsWith('plurals.'))) {
      expect(placeholders(String(text)), path).toEqual(placeholders(String(en.get(path))));
    }
  });

  it('translates every text rather than copying the English one', () => {
    const en = new Map(leaves(STATUS_TEXTS.en));
    const copied = leaves(STATUS_TEXTS.pl)
      .filter(([path]) => !path.startsWith('plurals.'))
      .filter(([path, text]) => text === en.get(path) && !SAME_IN_BOTH.has(path))
      .map(([path]) => path);
    expect(copied).toEqual([]);
  });

  it('writes Polish with its diacritics, never in their ASCII stand-ins', () => {
    // Prepare: the words a keyboard without Polish letters produces
    const stripped =
      /\b(zamowien|platnos|przesylk|zwroc|dostepn|wysylk|wyslan|dzis\b|prosbe|sklepu\s+moze|mozesz|sie\b)/i;

    // Act
    const offending = leaves(STATUS_TEXTS.pl).filter(([, text]) => stripped.test(String(text)));

    // Assess
    expect(offending).toEqual([]);
    expect(STATUS_TEXTS.pl.events['Order Shipped']).toBe('Przesyłka nadana');
    expect(STATUS_TEXTS.pl.cancellationReasons.payment_not_received).toBe('Płatność nie wpłynęła w terminie');
  });

  it.each([
    [1, '1 produkt', '1 dzień'],
    [2, '2 produkty', '2 dni'],
    [4, '4 produkty', '4 dni'],
    [5, '5 produktów', '5 dni'],
    [12, '12 produktów', '12 dni'],
    [22, '22 produkty', '22 dni'],
    [25, '25 produktów', '25 dni'],
  ])('inflects %i in Polish', (count, items, days) => {
    expect(plural(count, STATUS_TEXTS.pl.plurals.items, 'pl')).toBe(items);
    expect(plural(count, STATUS_TEXTS.pl.plurals.days, 'pl')).toBe(days);
  });

  it('inflects counts in English', () => {
    expect(plural(1, STATUS_TEXTS.en.plurals.items, 'en')).toBe('1 item');
    expect(plural(3, STATUS_TEXTS.en.plurals.items, 'en')).toBe('3 items');
    expect(plural(1, STATUS_TEXTS.en.plurals.days, 'en')).toBe('1 day');
  });

  it('gives Polish plurals every form the language needs', () => {
    for (const forms of Object.values(STATUS_TEXTS.pl.plurals)) {
      expect(Object.keys(forms).sort()).toEqual(['few', 'many', 'one', 'other']);
      expect(Object.values(forms).every((form) => form.includes('#'))).toBe(true);
    }
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(fillText('Zwrot {id}', { id: 'ZW-1' })).toBe('Zwrot ZW-1');
    expect(fillText('{kind} {id}', { id: 'REK-1' })).toBe('{kind} REK-1');
  });
});
