/**
 * A complete shop configuration: every field set, each with what it does. `config example` prints it
 * (annotated for people, plain JSON with --json); a test keeps it valid and complete against
 * ShopConfigSchema; docs/configuration.md explains the same fields.
 */
import type { ShopConfigInput } from '../functions/domain/shop-config.js';

export const EXAMPLE_SHOPS: readonly ShopConfigInput[] = [
  {
    shopId: 'sklep-pod-debem',
    producers: ['shop.orders'],
    name: 'Sklep Pod Dębem',
    defaultLanguage: 'pl',
    brand: { primaryColor: '#2e5e3a', logoUrl: 'https://podebem.example.pl/logo-600.png' },
    contact: {
      phone: '+48 12 345 67 89',
      email: 'pomoc@podebem.example.pl',
      chatUrl: 'https://podebem.example.pl/czat',
      contactFormUrl: 'https://podebem.example.pl/kontakt',
      hours: { pl: 'pn–pt 9:00–17:00', en: 'Mon–Fri 9:00–17:00' },
    },
    links: {
      returns: 'https://podebem.example.pl/zwroty',
      complaints: 'https://podebem.example.pl/reklamacje',
      warranty: 'https://podebem.example.pl/gwarancja',
      productCare: 'https://podebem.example.pl/pielegnacja',
      servicePoints: 'https://podebem.example.pl/serwis',
      knowledgeBase: 'https://podebem.example.pl/pomoc',
      documentation: 'https://podebem.example.pl/instrukcje',
    },
    statusPage: { baseUrl: 'https://status.podebem.example.pl', showPrices: false, reducedViewAfterDays: 30 },
    email: {
      from: 'Sklep Pod Dębem <zamowienia@podebem.example.pl>',
      replyTo: 'pomoc@podebem.example.pl',
      identityArn: 'arn:aws:ses:eu-central-1:123456789012:identity/podebem.example.pl',
      configurationSet: 'podebem',
    },
    sms: {
      senderId: 'PodDebem',
      originationNumber: 'arn:aws:sms-voice:eu-central-1:123456789012:sender-id/PodDebem/PL',
      polishCharacters: 'keep',
    },
    push: {
      apns: 'arn:aws:sns:eu-central-1:123456789012:app/APNS/podebem-ios',
      apns_sandbox: 'arn:aws:sns:eu-central-1:123456789012:app/APNS_SANDBOX/podebem-ios-dev',
      fcm: 'arn:aws:sns:eu-central-1:123456789012:app/GCM/podebem-android',
    },
    channels: { 'Order Preparing': [], 'Payment Received': ['email', 'push'] },
    quietHours: { start: '21:00', end: '08:00' },
    fallbacks: { sms: ['email'], push: ['email'], email: [] },
    integrationEvents: { statusChanges: true, timeline: false, customerContact: false },
    consumerRights: { withdrawal: true, complaintAnswer: true },
    connectors: {
      woocommerce: {
        statuses: { packed: 'preparing', completed: 'shipped' },
        cancellationReason: 'other',
        trackingUrls: { inpost: 'https://inpost.pl/sledzenie-przesylek?number={number}' },
        timeZone: 'Europe/Warsaw',
        smsToBillingPhone: false,
      },
    },
    templates: {
      'order-shipped': {
        pl: {
          subject: 'Paczka {{orderNumber}} już do Ciebie jedzie!',
          intro: 'Każdy kubek pakujemy ręcznie, więc dotrze cały. Dziękujemy, że wspierasz małą pracownię!',
          sms: 'Paczka {{orderNumber}} jedzie{{#carrier}} z {{carrier}}{{/carrier}}: {{trackingUrl}}',
          pushTitle: 'Paczka w drodze',
          pushBody: 'Paczka {{orderNumber}} jest w drodze.',
        },
        en: {
          subject: 'Your order {{orderNumber}} is on its way!',
          pushTitle: 'Your mugs are on their way!',
        },
      },
    },
  },
];

/** What each field does, by its path in a shop (`contact.hours`); shown as comments by `config example`. */
export const FIELD_DOCS: Readonly<Record<string, string>> = {
  shopId: 'Required. The shop id the events carry (lower-case letters, digits, -). Part of every key.',
  producers:
    'Optional. The EventBridge sources that may write this shop’s orders, one per platform (default: the deployment’s default source, shop.orders). Each producer’s IAM policy allows its own source only; docs/shop-registry.md.',
  name: 'Required. The shop name in messages and on the tracking page (1-100 characters).',
  defaultLanguage: 'pl | en (default pl): for customers whose locale is neither.',
  brand: 'Optional. The colour and logo of the e-mails and the tracking page.',
  'brand.primaryColor': '#RRGGBB (default #1f4e79).',
  'brand.logoUrl':
    'https:// logo shown instead of the shop name in e-mails (160 px wide) and on the tracking page.',
  contact: 'Optional. How customers reach the shop; shown wherever they may need to act.',
  'contact.phone': 'Up to 32 characters, as customers should dial it.',
  'contact.email': 'The support address.',
  'contact.chatUrl': 'https:// chat page.',
  'contact.contactFormUrl': 'https:// contact form.',
  'contact.hours': 'When the shop answers, per language (pl, en; up to 200 characters each).',
  links: 'Optional. After-sales pages every message and the tracking page can point to (https://).',
  'links.returns': 'Returns policy.',
  'links.complaints': 'Complaints (reklamacje).',
  'links.warranty': 'Warranty service.',
  'links.productCare': 'Product care and usage guidance.',
  'links.servicePoints': 'Service points.',
  'links.knowledgeBase': 'Knowledge base / FAQ.',
  'links.documentation': 'Manuals, drivers.',
  statusPage: 'Required. Where customers follow their orders.',
  'statusPage.baseUrl':
    'Required. Public base URL of the tracking page (links are <baseUrl>/t/<token>); https:// (http:// only for localhost).',
  'statusPage.showPrices': 'Show amounts on the tracking page (default false).',
  'statusPage.reducedViewAfterDays':
    'Days after the last change when the page shows less (0-3650, default 30).',
  email: 'Optional, but without it no e-mail is sent (the notifications are recorded as skipped).',
  'email.from':
    'Required with email. Sender, "Name <address>"; the domain must belong to the shop’s SES identity (or the deployment’s).',
  'email.replyTo': 'Where replies go.',
  'email.identityArn':
    'The shop’s own verified SES identity (its domain); email.from must belong to it. Default: the deployment’s. Tag it for the deployment (docs/deploy.md).',
  'email.configurationSet':
    'The shop’s own SES configuration set (publishing to the default event bus); default: the deployment’s.',
  sms: 'Optional.',
  'sms.senderId': '1-11 letters and digits, at least one letter; not every country shows it.',
  'sms.originationNumber':
    'The shop’s own origination identity where the country allows one: a number in E.164 or the ARN of a number, sender ID or pool. Default: the account’s.',
  'sms.polishCharacters':
    'keep | transliterate (default keep): transliterate sends ą as a, ł as l… so texts stay GSM-7 (160 characters a segment instead of 70).',
  push: 'Optional. The shop’s own SNS platform applications (its apps); default: the deployment’s.',
  'push.apns': 'APNs (production) platform application ARN.',
  'push.apns_sandbox': 'APNs sandbox platform application ARN (development builds).',
  'push.fcm': 'Firebase Cloud Messaging platform application ARN.',
  channels:
    'Optional. Overrides of the channel matrix per event type (e.g. no message for "Order Preparing", push for payments). Defaults: docs/configuration.md.',
  quietHours:
    'SMS and push wait for the end of these hours in the customer’s time zone (default 21:00-08:00); null to send at any time.',
  'quietHours.start': 'HH:MM, 24-hour clock.',
  'quietHours.end': 'HH:MM; may be earlier than start (the window spans midnight).',
  fallbacks:
    'Where a notification goes when its channel cannot be used or fails for good (default sms → email, push → email).',
  'fallbacks.sms': 'Channels to try instead of SMS.',
  'fallbacks.push': 'Channels to try instead of push.',
  'fallbacks.email': 'Channels to try instead of e-mail (usually none).',
  integrationEvents:
    'Optional. What goes on the bus for the shop’s own systems (warehouse, accounting, CRM); docs/integration-events.md.',
  'integrationEvents.statusChanges': 'Order Status Changed on every change of status (default true).',
  'integrationEvents.timeline':
    'Order Event Recorded for every event that took effect, with its fields (default false).',
  'integrationEvents.customerContact':
    'The customer’s name, e-mail and phone in them (default false); push device tokens never.',
  consumerRights:
    'Statutory deadlines (Polish consumer law) shown to the customer on the tracking page; docs/consumer-rights.md.',
  'consumerRights.withdrawal':
    'The 14-day withdrawal window after delivery, and the refund deadline of a return (default false).',
  'consumerRights.complaintAnswer':
    'By when the shop must answer an open complaint (14 days), and that an unanswered one counts as accepted (default false).',
  connectors:
    'Optional. The shop platforms whose notifications the product takes (docs/connectors.md); each webhook secret is in Secrets Manager, never here.',
  'connectors.woocommerce':
    'WooCommerce webhooks to POST /v1/webhooks/woocommerce/<shopId>; {} turns them on with the defaults.',
  'connectors.woocommerce.statuses':
    'What each WooCommerce status means, on top of the defaults (processing: accepted, completed: shipped, cancelled: cancelled, the rest ignored); custom statuses without "wc-".',
  'connectors.woocommerce.cancellationReason': 'The reason a cancelled order is told with (default other).',
  'connectors.woocommerce.trackingUrls':
    'Tracking page per Shipment Tracking provider, with {number}, for parcels without their own link.',
  'connectors.woocommerce.timeZone': 'The customers’ time zone (default Europe/Warsaw).',
  'connectors.woocommerce.smsToBillingPhone':
    'Tell customers by SMS at the billing phone (default false; only with that consent at checkout).',
  templates:
    'Optional. The shop’s own wording per template id (order-shipped…) and language: subject, intro, sms, pushTitle, pushBody, in Mustache with the placeholders of docs/messages.md. Checked against the SMS and push limits.',
};

const indentOf = (depth: number): string => '  '.repeat(depth);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** JSON with a `//` comment above each documented field (JSONC: for reading, not for loading). */
const annotate = (value: unknown, path: string, depth: number): string => {
  if (!isObject(value)) return JSON.stringify(value);
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  const lines = entries.map(([key, nested], index) => {
    const fieldPath = path ? `${path}.${key}` : key;
    const doc = FIELD_DOCS[fieldPath];
    const comment = doc ? `${indentOf(depth + 1)}// ${doc}\n` : '';
    const comma = index < entries.length - 1 ? ',' : '';
    return `${comment}${indentOf(depth + 1)}${JSON.stringify(key)}: ${annotate(nested, fieldPath, depth + 1)}${comma}`;
  });
  return `{\n${lines.join('\n')}\n${indentOf(depth)}}`;
};

export const annotatedExample = (): string =>
  [
    '// A complete shops configuration: a JSON array with one object per shop.',
    '// The comments make this JSONC: for loading, take `config example --json` (plain JSON).',
    '// Check a file with `order-notifications config validate <file>`; reference: docs/configuration.md.',
    `[\n  ${EXAMPLE_SHOPS.map((shop) => annotate(shop, '', 1)).join(',\n  ')}\n]`,
    '',
  ].join('\n');
