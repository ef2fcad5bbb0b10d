/**
 * Per-shop overrides of the standard texts, written in Mustache.
 *
 * Why Mustache (mustache.js 4.2) rather than Handlebars or LiquidJS:
 * - logic-less by design: placeholders and optional sections ({{#carrier}}…{{/carrier}}), no helpers,
 *   no expressions, no includes for a shop to reach into; a template can only show values we hand it;
 * - tiny: about 7 KB minified in the function bundle, against about 110 KB for Handlebars (which also
 *   generates code with `new Function`) and about 80 KB for LiquidJS, with a 300 KB budget for the whole
 *   function;
 * - its parser is public (`Mustache.parse`), so config validation can list every placeholder a template
 *   uses and refuse unknown ones, instead of letting them render as empty text;
 * - auto-escaping exists, but we do not rely on it: an override renders to plain text (subject, SMS, push
 *   and the text part need exactly that), and the e-mail escapes the result once, with everything else
 *   (html.ts). So a shop's own "<b>" or "javascript:" stays visible text and is never markup or a link.
 *
 * The view is a null-prototype object holding only the documented placeholders, so `{{constructor}}` and
 * the like find nothing, and validation refuses them anyway.
 */
import Mustache from 'mustache';
import { LANGUAGES, type Language, STATUS_LABELS } from '../i18n.js';
import type { ShopConfig } from '../shop-config.js';
import { formatsFor, type MessageFacts, PLACEHOLDER_NAMES } from './facts.js';
import { MAX_SMS_SEGMENTS, PUSH_LIMITS } from './limits.js';
import { eventTypeOfTemplate, type MessageInput, TEMPLATE_IDS, templateIdFor } from './message-input.js';
import { measureSms } from './segments.js';
import { composeSms } from './sms-text.js';
import { LABELS } from './texts.js';
import { WORST_CASE } from './worst-case.js';

export const OVERRIDE_FIELDS = ['subject', 'intro', 'sms', 'pushTitle', 'pushBody'] as const;
export type OverrideField = (typeof OVERRIDE_FIELDS)[number];

const plainText = (value: unknown): string => String(value);

/** Renders an override template as plain text with the message's facts. */
export const renderTemplate = (template: string, facts: MessageFacts): string =>
  Mustache.render(template, Object.assign(Object.create(null), facts), {}, { escape: plainText });

/** The shop's override of `field` for this message, rendered; undefined when there is none or it is empty. */
export const renderOverride = (
  input: MessageInput,
  facts: MessageFacts,
  field: OverrideField,
): string | undefined => {
  const template = input.shop.templates?.[templateIdFor(input.event, input.state)]?.[input.language]?.[field];
  if (template === undefined) return undefined;
  const text = renderTemplate(template, facts).trim();
  return text.length > 0 ? text : undefined;
};

/* ------------------------------------------------------------------------------------------------ */
/* Validation                                                                                        */
/* ------------------------------------------------------------------------------------------------ */

const longest = (values: readonly string[]): string =>
  values.reduce((best, value) => (value.length > best.length ? value : best), '');

/** The longest realistic value of every placeholder, for the shop and language checked. */
const longFacts = (shop: ShopConfig, language: Language): MessageFacts => {
  const formats = formatsFor(language, 'Europe/Warsaw');
  const money = formats.money({ amount: WORST_CASE.amount, currency: 'PLN' });
  return {
    shopName: shop.name,
    orderNumber: WORST_CASE.orderNumber,
    customerName: WORST_CASE.customerName,
    customerFirstName: WORST_CASE.customerName.split(' ')[0] ?? '',
    status: longest(Object.values(STATUS_LABELS[language])),
    trackingUrl: WORST_CASE.trackingUrl,
    carrier: WORST_CASE.carrier,
    trackingNumber: WORST_CASE.trackingNumber,
    carrierTrackingUrl: WORST_CASE.carrierTrackingUrl,
    deliveryMethod: longest(Object.values(LABELS[language].deliveryMethod)),
    expectedDeliveryDate: formats.date(WORST_CASE.date),
    total: money,
    amount: money,
    amountReceived: money,
    amountDue: money,
    contactBy: formats.dateTime(WORST_CASE.dateTime),
  };
};

const KNOWN = new Set<string>(PLACEHOLDER_NAMES);
const KNOWN_LIST = PLACEHOLDER_NAMES.map((name) => `{{${name}}}`).join(', ');

/** Mustache tokens: [type, value, start, end, children?]. */
type Token = readonly [string, string, number, number, ...unknown[]];

/** The first thing wrong with the tags of a parsed template, if any. */
const checkTokens = (tokens: readonly Token[]): string | undefined => {
  for (const [type, value, , , children] of tokens) {
    if (type === 'text') {
      if (/[{}]/.test(value)) return 'has a lone brace: write placeholders as {{name}}';
      continue;
    }
    if (type === '!') continue;
    if (type === '>') return `uses a partial ({{>${value}}}); overrides cannot include other templates`;
    if (type === '=') return 'changes the delimiters; keep {{ and }}';
    if (!KNOWN.has(value)) return `uses an unknown placeholder {{${value}}}; known: ${KNOWN_LIST}`;
    if ((type === '#' || type === '^') && Array.isArray(children)) {
      const problem = checkTokens(children as Token[]);
      if (problem) return problem;
    }
  }
  return undefined;
};

const checkField = (
  shop: ShopConfig,
  language: Language,
  field: OverrideField,
  template: string,
): string | undefined => {
  let tokens: Token[];
  try {
    tokens = Mustache.parse(template) as Token[];
  } catch (error) {
    return `does not parse: ${error instanceof Error ? error.message : String(error)}`;
  }
  const tagProblem = checkTokens(tokens);
  if (tagProblem) return tagProblem;
  let text: string;
  try {
    text = renderTemplate(template, longFacts(shop, language)).trim();
  } catch (error) {
    return `does not render: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (text.length === 0) return 'renders to an empty text';
  const long = `with long values (${WORST_CASE.orderNumber.length}-character order number and carrier, ${WORST_CASE.trackingUrl.length}-character tracking link)`;
  if (field === 'sms') {
    const { segments, encoding } = measureSms(composeSms(shop, language, text));
    if (segments > MAX_SMS_SEGMENTS) {
      return `takes ${segments} SMS (${encoding}) ${long}; at most ${MAX_SMS_SEGMENTS} are allowed`;
    }
  }
  if (field === 'pushTitle' && text.length > PUSH_LIMITS.title) {
    return `is ${text.length} characters ${long}; a push title holds at most ${PUSH_LIMITS.title}`;
  }
  if (field === 'pushBody' && text.length > PUSH_LIMITS.body) {
    return `is ${text.length} characters ${long}; a push body holds at most ${PUSH_LIMITS.body}`;
  }
  return undefined;
};

/**
 * Every problem with a shop's template overrides, each naming the shop, template, language and field:
 * unknown template ids, templates that do not parse, unknown placeholders, partials, and texts too long
 * for their channel with long values. parseShopConfigs refuses a configuration that has any.
 */
export const validateTemplateOverrides = (shop: ShopConfig, root = `shops[${shop.shopId}]`): string[] => {
  const problems: string[] = [];
  for (const [templateId, languages] of Object.entries(shop.templates ?? {})) {
    const where = `${root}.templates.${templateId}`;
    if (!eventTypeOfTemplate(templateId)) {
      problems.push(`${where}: not a template id; expected one of ${TEMPLATE_IDS.join(', ')}`);
      continue;
    }
    for (const language of LANGUAGES) {
      const texts = languages[language];
      for (const field of OVERRIDE_FIELDS) {
        const template = texts?.[field];
        if (template === undefined) continue;
        const problem = checkField(shop, language, field, template);
        if (problem) problems.push(`${where}.${language}.${field}: ${problem}`);
      }
    }
  }
  return problems;
};
