/**
 * Control characters, line breaks, invisible characters and bidirectional overrides, as a hostile or
 * careless producer (or shop configuration) sends them: any such character anywhere in any string field
 * of the contract is refused with that field's path, and only the multi-line fields keep line breaks.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exampleDetails } from '../../fixtures/order-events.js';
import {
  ORDER_EVENT_TYPES,
  type OrderEventType,
  parseOrderEvent,
} from '../../functions/domain/order-events.js';
import { parseShopConfigs, type ShopConfigInput } from '../../functions/domain/shop-config.js';
import { TEXT_PROBLEMS, textProblem } from '../../functions/domain/text-fields.js';
import { FUZZ_RUNS } from '../fuzz/hostile-input.js';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type Path = readonly (string | number)[];

/** The documented examples, with every optional string field of the contract filled in. */
const fullestDetails = (): Record<OrderEventType, { [key: string]: Json }> => {
  const details = structuredClone(exampleDetails()) as unknown as Record<
    OrderEventType,
    { [key: string]: Json }
  >;
  const placed = details['Order Placed'] as {
    customer: { [key: string]: Json };
    payment: { [key: string]: Json };
    delivery: { [key: string]: Json };
  };
  placed.customer.pushTargets = [{ platform: 'fcm', deviceToken: 'fcm-token-0123456789:abc' }];
  placed.payment.paymentUrl = 'https://pay.example.pl/p/ZAM-42';
  placed.delivery.pickupPointId = 'KRA01M';
  const hold = details['Order On Hold'] as { contact: { [key: string]: Json } };
  hold.contact.chatUrl = 'https://podebem.example.pl/czat';
  return details;
};

/** Every string leaf of a detail, with its path. */
const stringLeaves = (value: Json, path: Path = []): Path[] => {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((item, index) => stringLeaves(item, [...path, index]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => stringLeaves(item, [...path, key]));
  }
  return [];
};

const pathText = (path: Path): string =>
  ['detail', ...path]
    .map((key) => (typeof key === 'number' ? `[${key}]` : key))
    .join('.')
    .replace(/\.\[/g, '[');

const getAt = (value: Json, path: Path): Json =>
  path.reduce<Json>((node, key) => (node as Record<string | number, Json>)[key] as Json, value);

const setAt = (value: Json, path: Path, leaf: Json): void => {
  const parent = getAt(value, path.slice(0, -1)) as Record<string | number, Json>;
  parent[path[path.length - 1] as string | number] = leaf;
};

/** The fields where the contract keeps line breaks: each is shown as a paragraph of its own. */
const MULTI_LINE_FIELDS = new Set(['detail.toConfirm', 'detail.note']);

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, index) => String.fromCharCode(from + index));
const LINE_BREAKS = ['\n', '\r', '\u2028', '\u2029'];
const REFUSED_EVERYWHERE = [
  ...range(0x00, 0x1f).filter((character) => !LINE_BREAKS.includes(character)),
  '\u007f',
  ...range(0x80, 0x9f),
  ...range(0x202a, 0x202e),
  ...range(0x2066, 0x2069),
  '\u200b',
  ...range(0x2060, 0x2064),
  '\ufeff',
  ...range(0xfff9, 0xfffb),
  '\ud800',
  '\udbff',
  '\udc00',
];

const leafCases = Object.entries(fullestDetails()).flatMap(([type, detail]) =>
  stringLeaves(detail).map((path) => ({ type: type as OrderEventType, path })),
);

const insert = (value: string, at: number, character: string) =>
  value.slice(0, at % (value.length + 1)) + character + value.slice(at % (value.length + 1));

describe('Text fields of the event contract', () => {
  it('covers every detail-type and the free-text fields the brief names', () => {
    // Assess: the property below runs over these leaves, so a field missing here would go unchecked
    const paths = new Set(leafCases.map((leaf) => pathText(leaf.path)));
    expect(new Set(leafCases.map((leaf) => leaf.type))).toEqual(new Set(ORDER_EVENT_TYPES));
    for (const path of [
      'detail.customer.name',
      'detail.customer.pushTargets[0].deviceToken',
      'detail.lines[0].personalisation',
      'detail.payment.paymentUrl',
      'detail.method',
      'detail.reference',
      'detail.toConfirm',
      'detail.contact.hours',
      'detail.note',
      'detail.subject',
      'detail.reason',
      'detail.orderNumber',
    ]) {
      expect(paths).toContain(path);
    }
  });

  it('refuses a control, invisible or bidi character anywhere in any string field, naming the field', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...leafCases),
        fc.constantFrom(...REFUSED_EVERYWHERE),
        fc.nat(),
        ({ type, path }, character, at) => {
          // Prepare
          const detail = fullestDetails()[type];
          const sent = insert(getAt(detail, path) as string, at, character);
          setAt(detail, path, sent);

          // Act
          const result = parseOrderEvent(type, detail);

          // Assess
          expect(result.ok).toBe(false);
          const problems = result.ok ? [] : result.problems;
          expect(problems.map((problem) => problem.path)).toContain(pathText(path));
          for (const problem of problems) expect(problem.message).not.toContain(sent);
        },
      ),
      { numRuns: FUZZ_RUNS * 5 },
    );
  });

  it('refuses a line break in a single-line field and keeps it, as LF, in a multi-line one', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...leafCases),
        fc.constantFrom(...LINE_BREAKS, '\r\n'),
        fc.integer({ min: 1, max: 1000 }),
        ({ type, path }, lineBreak, at) => {
          // Prepare: inside the value, so trimming cannot remove it
          const detail = fullestDetails()[type];
          const original = getAt(detail, path) as string;
          const inside = 1 + (at % Math.max(1, original.length - 1));
          setAt(detail, path, `${original.slice(0, inside)}${lineBreak}${original.slice(inside)}`);

          // Act
          const result = parseOrderEvent(type, detail);

          // Assess
          if (MULTI_LINE_FIELDS.has(pathText(path))) {
            expect(result.ok).toBe(true);
            const stored = result.ok ? getAt(result.event as unknown as Json, path) : undefined;
            expect(stored).toBe(`${original.slice(0, inside)}\n${original.slice(inside)}`);
          } else {
            expect(result.ok).toBe(false);
            expect(result.ok ? [] : result.problems.map((problem) => problem.path)).toContain(pathText(path));
          }
        },
      ),
      { numRuns: FUZZ_RUNS * 2 },
    );
  });

  it.each([
    { field: 'name', character: '\u0000', message: TEXT_PROBLEMS.control },
    { field: 'name', character: '\u202e', message: TEXT_PROBLEMS.control },
    { field: 'name', character: '\n', message: TEXT_PROBLEMS.lineBreak },
    { field: 'name', character: '\u200b', message: TEXT_PROBLEMS.invisible },
    { field: 'name', character: '\ud800', message: TEXT_PROBLEMS.malformed },
  ])(
    'says what is wrong with the name when it holds U+$character.codePointAt(0)',
    ({ character, message }) => {
      // Prepare
      const detail = fullestDetails()['Order Placed'] as { customer: { name: string } };
      detail.customer.name = `Zofia${character} Wąsowska`;

      // Act
      const result = parseOrderEvent('Order Placed', detail);

      // Assess
      expect(result.ok ? [] : result.problems).toEqual([{ path: 'detail.customer.name', message }]);
    },
  );

  it.each([
    ['an Arabic name with a right-to-left mark', 'مريم\u200f Kowalska'],
    ['a Hebrew name with a left-to-right mark', 'שרה\u200e Nowak'],
    ['an Arabic letter mark', 'ليلى\u061c'],
    ['a Persian name with a zero-width non-joiner', 'می\u200cخواهم'],
    ['an emoji sequence with zero-width joiners', 'Ola 👩\u200d👩\u200d👧'],
    ['a flag of tag characters', 'Ewan 🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}'],
    ['a soft hyphen', 'Gżegżół\u00adka'],
  ])('keeps %s: characters real names need', (_name, name) => {
    // Prepare
    const detail = fullestDetails()['Order Placed'] as { customer: { name: string } };
    detail.customer.name = name;

    // Act
    const result = parseOrderEvent('Order Placed', detail);

    // Assess
    expect(result.ok && result.event.type === 'Order Placed' && result.event.customer.name).toBe(name);
  });
});

describe('Function: textProblem', () => {
  it('finds nothing wrong with any text free of the refused characters', () => {
    const refused = new Set([...REFUSED_EVERYWHERE, ...LINE_BREAKS]);
    fc.assert(
      fc.property(
        fc
          .string({ unit: 'grapheme', maxLength: 40 })
          .filter((text) => [...text].every((c) => !refused.has(c))),
        (text) => {
          expect(textProblem(text, 'single-line')).toBeUndefined();
          expect(textProblem(text, 'multi-line')).toBeUndefined();
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('Text fields of the shop configuration', () => {
  const shop = (): ShopConfigInput => ({
    shopId: 'sklep',
    name: 'Sklep Pod Dębem',
    statusPage: { baseUrl: 'https://track.example.pl' },
    email: { from: 'Sklep Pod Dębem <zamowienia@podebem.example.pl>' },
    contact: { phone: '+48 12 345 67 89', hours: { pl: 'pn–pt 9–17', en: 'Mon–Fri 9–17' } },
    templates: {
      'order-shipped': { pl: { subject: 'Paczka {{orderNumber}} w drodze', intro: 'Dzień dobry' } },
    },
  });
  const problemsOf = (config: ShopConfigInput): string[] => {
    try {
      parseShopConfigs([config]);
      return [];
    } catch (error) {
      return (error as { problems: string[] }).problems;
    }
  };

  it.each([
    {
      where: 'a subject (header injection)',
      change: (config: ShopConfigInput) => {
        (config.templates?.['order-shipped']?.pl as { subject: string }).subject =
          'Paczka\r\nBcc: x@example.com';
      },
      path: 'shops[0].templates.order-shipped.pl.subject',
    },
    {
      where: 'the sender',
      change: (config: ShopConfigInput) => {
        (config.email as { from: string }).from = 'Sklep <a@example.pl>\nBcc: x@example.com';
      },
      path: 'shops[0].email.from',
    },
    {
      where: 'the shop name',
      change: (config: ShopConfigInput) => {
        config.name = 'Sklep \u202eməbęD doP';
      },
      path: 'shops[0].name',
    },
    {
      where: 'the opening hours',
      change: (config: ShopConfigInput) => {
        (config.contact as { hours: { en: string } }).hours.en = 'Mon–Fri\u0007 9–17';
      },
      path: 'shops[0].contact.hours.en',
    },
    {
      where: 'the contact phone',
      change: (config: ShopConfigInput) => {
        (config.contact as { phone: string }).phone = '+48 12\u0000345';
      },
      path: 'shops[0].contact.phone',
    },
  ])('refuses a control character or line break in $where, naming the field', ({ change, path }) => {
    // Prepare
    const config = shop();
    change(config);

    // Act
    const problems = problemsOf(config);

    // Assess
    expect(problems.some((problem) => problem.startsWith(`${path}: `))).toBe(true);
  });

  it('keeps line breaks in an intro, normalised to LF', () => {
    // Prepare
    const config = shop();
    (config.templates?.['order-shipped']?.pl as { intro: string }).intro =
      'Dzień dobry,\r\nto my.\rPozdrawiamy';

    // Act
    const [parsed] = parseShopConfigs([config]);

    // Assess
    expect(parsed?.templates?.['order-shipped']?.pl?.intro).toBe('Dzień dobry,\nto my.\nPozdrawiamy');
  });
});
