/**
 * What a shop configures: identity, branding, contact and after-sales links, languages, which status is
 * told on which channel, quiet hours, fallbacks, and the status page. Validated with clear errors; every
 * field has a sensible default so a shop starts with a name, a sender and a base URL.
 */
import * as z from 'zod';
import { EventRefusedError } from './errors.js';
import { validateTemplateOverrides } from './messages/overrides.js';
import { type OrderEventType, PhoneNumberSchema } from './order-events.js';
import { multiLineText, refineSingleLine, singleLineText } from './text-fields.js';

const httpsUrl = z
  .string()
  // First: the URL check strips tabs and line breaks from the value, and they must be refused, not hidden.
  .superRefine(refineSingleLine)
  .url({ protocol: /^https?$/, message: 'expected an http(s):// URL', abort: true })
  .max(2048)
  .refine(
    (url) => url.startsWith('https://') || /^http:\/\/(localhost|127\.0\.0\.1)(:|\/|$)/.test(url),
    'expected an https:// URL (http:// only for localhost)',
  )
  .meta({ format: 'uri' });

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time as HH:MM (24-hour clock)');

const channelSet = z.array(z.enum(['email', 'sms', 'push'])).max(3);

/**
 * The default channel matrix: which order events the customer is told about, and where. E-mail for every
 * change worth a written record; SMS and push only when the customer must act or the parcel is close.
 */
export const DEFAULT_CHANNEL_MATRIX: Readonly<Record<OrderEventType, readonly ('email' | 'sms' | 'push')[]>> =
  {
    'Order Placed': ['email'],
    'Payment Received': ['email'],
    'Order Accepted': ['email'],
    'Order On Hold': ['email', 'sms', 'push'],
    'Order Resumed': ['email'],
    'Order Preparing': [],
    'Order Shipped': ['email', 'sms', 'push'],
    'Order Out For Delivery': ['sms', 'push'],
    'Order Delivered': ['email', 'push'],
    'Order Cancelled': ['email', 'sms'],
    'Return Requested': ['email'],
    'Return Received': ['email'],
    'Refund Issued': ['email', 'push'],
    'Complaint Opened': ['email'],
    'Complaint Resolved': ['email', 'sms'],
  };

/** A shop's own wording for one message in one language; every field is optional. */
const TemplateTextsSchema = z
  .strictObject({
    // A subject and a push title are one line (a break in a subject is a header injection); the
    // placeholders they may hold are all single-line fields of the contract.
    subject: singleLineText(200),
    intro: multiLineText(2000).describe('A paragraph shown above the standard e-mail content.'),
    sms: multiLineText(480),
    pushTitle: singleLineText(200),
    pushBody: multiLineText(500),
  })
  .partial();

export const ShopConfigSchema = z.object({
  shopId: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and - only'),
  name: singleLineText(100),
  defaultLanguage: z.enum(['pl', 'en']).default('pl'),
  brand: z
    .object({
      primaryColor: z
        .string()
        .regex(/^#[0-9a-fA-F]{6}$/, 'expected a colour as #RRGGBB')
        .default('#1f4e79'),
      logoUrl: httpsUrl.optional(),
    })
    .default({ primaryColor: '#1f4e79' }),
  contact: z
    .object({
      phone: PhoneNumberSchema.optional(),
      email: z.email().optional(),
      chatUrl: httpsUrl.optional(),
      contactFormUrl: httpsUrl.optional(),
      hours: z
        .object({ pl: singleLineText(200), en: singleLineText(200) })
        .partial()
        .optional()
        .describe('When the shop answers, per language.'),
    })
    .default({}),
  links: z
    .object({
      returns: httpsUrl,
      complaints: httpsUrl,
      warranty: httpsUrl,
      productCare: httpsUrl,
      servicePoints: httpsUrl,
      knowledgeBase: httpsUrl,
      documentation: httpsUrl,
    })
    .partial()
    .default({})
    .describe('After-sales information every message and the tracking page can point to.'),
  statusPage: z
    .object({
      baseUrl: httpsUrl.describe(
        'Public base URL of the status API/tracking page, e.g. https://track.example.pl',
      ),
      showPrices: z.boolean().default(false),
      reducedViewAfterDays: z.int().min(0).max(3650).default(30),
    })
    .describe('Where customers follow their orders.'),
  email: z
    .object({
      from: singleLineText(320)
        .min(3)
        .describe('Sender, e.g. "Sklep Pod Dębem <zamowienia@podebem.example.pl>".'),
      replyTo: z.email().optional(),
    })
    .optional(),
  sms: z
    .object({
      senderId: z
        .string()
        .regex(/^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/, 'expected 1-11 letters and digits, at least one letter')
        .optional(),
      polishCharacters: z
        .enum(['keep', 'transliterate'])
        .default('keep')
        .describe(
          'Polish letters force an SMS into UCS-2 (70 characters a segment instead of 160): `transliterate` sends ą as a, ł as l… so texts stay GSM-7.',
        ),
    })
    .default({ polishCharacters: 'keep' }),
  channels: z
    .record(z.string(), channelSet)
    .default({})
    .describe('Overrides of the channel matrix per event type, e.g. { "Order Preparing": ["email"] }.'),
  quietHours: z
    .object({ start: clockTime, end: clockTime })
    .nullable()
    .default({ start: '21:00', end: '08:00' })
    .describe('SMS and push are held in these hours of the customer’s time zone; null to send at any time.'),
  fallbacks: z
    .object({ sms: channelSet, push: channelSet, email: channelSet })
    .partial()
    .default({ sms: ['email'], push: ['email'] })
    .describe('Where a notification goes when its channel cannot be used or fails permanently.'),
  templates: z
    .record(z.string(), z.strictObject({ pl: TemplateTextsSchema, en: TemplateTextsSchema }).partial())
    .optional()
    .describe(
      'Overrides of the standard texts per template id (e.g. "order-shipped") and language, in Mustache; see docs/messages.md.',
    ),
});

export type ShopConfig = z.output<typeof ShopConfigSchema>;
export type ShopConfigInput = z.input<typeof ShopConfigSchema>;

export class InvalidShopConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid shop configuration: ${problems.join('; ')}`);
    this.name = 'InvalidShopConfigError';
  }
}

/** Validates a list of shop configurations; the error lists every problem with its path. */
export const parseShopConfigs = (input: unknown): ShopConfig[] => {
  const parsed = z.array(ShopConfigSchema).min(1).safeParse(input);
  if (!parsed.success) {
    throw new InvalidShopConfigError(
      parsed.error.issues.map(
        (issue) =>
          `shops${issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('')}: ${issue.message}`,
      ),
    );
  }
  const ids = parsed.data.map((shop) => shop.shopId);
  const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
  if (repeated) throw new InvalidShopConfigError([`shops: shopId ${repeated} is configured twice`]);
  const unknownEvents = parsed.data.flatMap((shop) =>
    Object.keys(shop.channels)
      .filter((type) => !Object.hasOwn(DEFAULT_CHANNEL_MATRIX, type))
      .map((type) => `shops[${shop.shopId}].channels: ${type} is not an order event type`),
  );
  if (unknownEvents.length > 0) throw new InvalidShopConfigError(unknownEvents);
  const badTemplates = parsed.data.flatMap(validateTemplateOverrides);
  if (badTemplates.length > 0) throw new InvalidShopConfigError(badTemplates);
  return parsed.data;
};

/** The channels an event is told on for a shop: its override, else the default matrix. */
export const channelsFor = (shop: ShopConfig, type: OrderEventType): readonly ('email' | 'sms' | 'push')[] =>
  shop.channels[type] ?? DEFAULT_CHANNEL_MATRIX[type];

export interface ShopDirectory {
  /** The shop's configuration, or undefined for a shop that is not configured. */
  get(shopId: string): ShopConfig | undefined;
}

/** The shop directory from the JSON a function gets in its environment (SHOPS_CONFIG). */
export const shopDirectoryFromJson = (json: string): ShopDirectory => {
  let input: unknown;
  try {
    input = JSON.parse(json);
  } catch {
    throw new InvalidShopConfigError(['shops: the configuration is not valid JSON']);
  }
  return staticShopDirectory(parseShopConfigs(input));
};

export const staticShopDirectory = (shops: readonly ShopConfig[]): ShopDirectory => {
  const byId = new Map(shops.map((shop) => [shop.shopId, shop]));
  return { get: (shopId) => byId.get(shopId) };
};

/**
 * The shops a deployment serves, as the ingest asks before it stores anything. Asynchronous, so that a
 * registry on the table can answer it as well as the configuration in the environment does.
 */
export interface ShopRegistry {
  /** The shop's configuration, or undefined for a shop that is not configured. */
  get(shopId: string): Promise<ShopConfig | undefined>;
}

/** The registry of the shops a function got in its environment (SHOPS_CONFIG). */
export const registryOf = (directory: ShopDirectory): ShopRegistry => ({
  get: async (shopId) => directory.get(shopId),
});

/**
 * The shop of an event, or a refusal: an event for a shop this deployment does not serve is
 * dead-lettered with the reason and nothing of it (the customer's personal data least of all) is stored.
 */
export const requireConfiguredShop = async (shops: ShopRegistry, shopId: string): Promise<ShopConfig> => {
  const shop = await shops.get(shopId);
  if (!shop)
    throw new EventRefusedError(`shop ${shopId} is not configured in this deployment; nothing was stored`);
  return shop;
};
