/**
 * What a shop configures: identity, branding, contact and after-sales links, languages, which status is
 * told on which channel, quiet hours, fallbacks, and the status page. Validated with clear errors; every
 * field has a sensible default so a shop starts with a name, a sender and a base URL.
 */
import * as z from 'zod';
import { WooCommerceConnectorSchema } from './connectors/woocommerce.js';
import { validateTemplateOverrides } from './messages/overrides.js';
import {
  type OrderEventType,
  PhoneNumberSchema,
  producerSourceProblem,
  ShopIdSchema,
} from './order-events.js';
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

const producerSource = z.string().superRefine((source, context) => {
  const problem = producerSourceProblem(source);
  if (problem) context.addIssue({ code: 'custom', message: problem });
});

/** An ARN of the given service and resource type, e.g. `arn:aws:ses:eu-central-1:123456789012:identity/x`. */
const arnOf = (service: string, resource: string, example: string) =>
  z
    .string()
    .max(2048)
    .regex(
      new RegExp(`^arn:aws[a-z-]*:${service}:[a-z0-9-]+:\\d{12}:${resource}[^\\s]+$`),
      `expected the ARN of ${example}`,
    );

/** The address of a sender as `Name <address>` or a bare address, lower-cased. */
const senderAddress = (from: string): string =>
  (/<([^<>]+)>\s*$/.exec(from)?.[1] ?? from).trim().toLowerCase();

/**
 * Whether SES sends `from` through `identity` (a domain or an address, or the ARN of either): the
 * address itself, its domain, or a parent domain of it. Otherwise SES refuses each e-mail at run time.
 */
export const senderCoveredBy = (from: string, identity: string): boolean => {
  const name = (/:identity\/(.+)$/.exec(identity)?.[1] ?? identity).toLowerCase();
  const address = senderAddress(from);
  const domain = address.slice(address.lastIndexOf('@') + 1);
  return name.includes('@') ? address === name : domain === name || domain.endsWith(`.${name}`);
};

const SES_ARN = /^arn:(aws[a-z-]*):ses:([a-z0-9-]+):(\d{12}):identity\/.+$/;

/**
 * What SES would refuse about a shop's sender in a deployment whose own identity is `deployment` (its
 * name, or better its ARN, the stack output SesIdentityArn): a shop without an identity of its own sends
 * through the deployment's, which must cover its `from`; a shop's own identity must be in the
 * deployment's partition, region and account (the sender's SES client and its IAM grant are). Each
 * problem names the field. The tag that lets the sender use a shop's identity (docs/deploy.md) is not
 * visible here: SES refuses an untagged one at send time, and the notification record says so.
 */
export const senderProblems = (shop: ShopConfig, deployment: string): string[] => {
  const email = shop.email;
  if (!email) return [];
  if (!email.identityArn) {
    return senderCoveredBy(email.from, deployment)
      ? []
      : [
          `email.from: ${senderAddress(email.from)} is not covered by the deployment's SES identity ${deployment}; send from that domain or give the shop its own verified identity (email.identityArn)`,
        ];
  }
  const own = SES_ARN.exec(email.identityArn);
  const ours = SES_ARN.exec(deployment);
  if (!own || !ours) return [];
  const [, partition, region, account] = own;
  return partition === ours[1] && region === ours[2] && account === ours[3]
    ? []
    : [
        `email.identityArn: ${email.identityArn} is not in the deployment's region and account (${ours[2]}, ${ours[3]}); verify the shop's domain there`,
      ];
};

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
  shopId: ShopIdSchema,
  producers: z
    .array(producerSource)
    .min(1)
    .max(10)
    .optional()
    .describe(
      'The EventBridge sources that may write this shop’s orders (each producer’s own, bound by its IAM events:source condition); default: the deployment’s default source only.',
    ),
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
      identityArn: arnOf('ses', 'identity/', 'a verified SES identity')
        .optional()
        .describe(
          'The shop’s own verified SES identity (its domain) the e-mails are sent through; default: the deployment’s.',
        ),
      configurationSet: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected an SES configuration set name')
        .optional()
        .describe('The shop’s own SES configuration set; default: the deployment’s.'),
    })
    .superRefine((email, context) => {
      if (email.identityArn && !senderCoveredBy(email.from, email.identityArn)) {
        context.addIssue({
          code: 'custom',
          path: ['from'],
          message: `${senderAddress(email.from)} is not covered by the SES identity ${email.identityArn}`,
        });
      }
    })
    .optional(),
  sms: z
    .object({
      senderId: z
        .string()
        .regex(/^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/, 'expected 1-11 letters and digits, at least one letter')
        .optional(),
      originationNumber: z
        .union([
          PhoneNumberSchema,
          arnOf('sms-voice', '(phone-number|sender-id|pool)/', 'an origination identity'),
        ])
        .optional()
        .describe(
          'The shop’s own origination identity (a number in E.164, or the ARN of a number, sender ID or pool) where the destination country allows one; default: the account’s.',
        ),
      polishCharacters: z
        .enum(['keep', 'transliterate'])
        .default('keep')
        .describe(
          'Polish letters force an SMS into UCS-2 (70 characters a segment instead of 160): `transliterate` sends ą as a, ł as l… so texts stay GSM-7.',
        ),
    })
    .default({ polishCharacters: 'keep' }),
  push: z
    .object({
      apns: arnOf('sns', 'app/APNS/', 'an SNS APNS platform application'),
      apns_sandbox: arnOf('sns', 'app/APNS_SANDBOX/', 'an SNS APNS_SANDBOX platform application'),
      fcm: arnOf('sns', 'app/GCM/', 'an SNS GCM (FCM) platform application'),
    })
    .partial()
    .optional()
    .describe(
      'The shop’s own SNS platform applications (its apps’ APNs and FCM credentials); default: the deployment’s.',
    ),
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
  integrationEvents: z
    .strictObject({
      statusChanges: z.boolean().default(true).describe('Order Status Changed on every change of status.'),
      timeline: z
        .boolean()
        .default(false)
        .describe(
          'Order Event Recorded for every event that took effect (payments, returns, complaints too).',
        ),
      customerContact: z
        .boolean()
        .default(false)
        .describe("The customer's name, e-mail and phone in them (never push device tokens)."),
    })
    .default({ statusChanges: true, timeline: false, customerContact: false })
    .describe('What goes on the bus for the shop’s own systems (docs/integration-events.md).'),
  consumerRights: z
    .strictObject({
      withdrawal: z
        .boolean()
        .default(false)
        .describe(
          'Show the 14-day withdrawal window from delivery, and the refund deadline of a return (Polish consumer law, docs/consumer-rights.md).',
        ),
      complaintAnswer: z
        .boolean()
        .default(false)
        .describe(
          'Show by when the shop must answer an open complaint (14 days), and that an unanswered one counts as accepted.',
        ),
    })
    .default({ withdrawal: false, complaintAnswer: false })
    .describe('Statutory deadlines shown to the customer on the tracking page and in the JSON view.'),
  connectors: z
    .strictObject({ woocommerce: WooCommerceConnectorSchema })
    .partial()
    .optional()
    .describe(
      'The shop platforms whose own notifications the product takes (docs/connectors.md); each one’s webhook secret is in Secrets Manager, never here.',
    ),
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

const problemsOf = (issues: readonly z.core.$ZodIssue[], root: string): string[] =>
  issues.map(
    (issue) =>
      `${root}${issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('')}: ${issue.message}`,
  );

/** What the schema cannot say: channel overrides name real event types, template overrides are sound. */
const semanticProblems = (shop: ShopConfig, root: string): string[] => {
  const unknownEvents = Object.keys(shop.channels)
    .filter((type) => !Object.hasOwn(DEFAULT_CHANNEL_MATRIX, type))
    .map((type) => `${root}.channels: ${type} is not an order event type`);
  if (unknownEvents.length > 0) return unknownEvents;
  return validateTemplateOverrides(shop, root);
};

/**
 * Validates one shop's configuration, as the registry takes it on every write and checks it on every
 * read; the error lists every problem with its path (`shop.statusPage.baseUrl: ...`).
 */
export const parseShopConfig = (input: unknown, root = 'shop'): ShopConfig => {
  const parsed = ShopConfigSchema.safeParse(input);
  if (!parsed.success) throw new InvalidShopConfigError(problemsOf(parsed.error.issues, root));
  const problems = semanticProblems(parsed.data, root);
  if (problems.length > 0) throw new InvalidShopConfigError(problems);
  return parsed.data;
};

/** Validates a list of shop configurations (a seed file); the error lists every problem with its path. */
export const parseShopConfigs = (input: unknown): ShopConfig[] => {
  const parsed = z.array(ShopConfigSchema).min(1).safeParse(input);
  if (!parsed.success) throw new InvalidShopConfigError(problemsOf(parsed.error.issues, 'shops'));
  const ids = parsed.data.map((shop) => shop.shopId);
  const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
  if (repeated) throw new InvalidShopConfigError([`shops: shopId ${repeated} is configured twice`]);
  const problems = parsed.data.flatMap((shop) => semanticProblems(shop, `shops[${shop.shopId}]`));
  if (problems.length > 0) throw new InvalidShopConfigError(problems);
  return parsed.data;
};

/** The channels an event is told on for a shop: its override, else the default matrix. */
export const channelsFor = (shop: ShopConfig, type: OrderEventType): readonly ('email' | 'sms' | 'push')[] =>
  shop.channels[type] ?? DEFAULT_CHANNEL_MATRIX[type];
