/**
 * The one home of a customer's contact as the backend compares, keys and suppresses it: how an e-mail
 * address and a phone number are canonicalised, when a contact someone gives is the order's, and the key
 * an address is indexed and suppressed under. The planner, the sender, the suppression list, the SES
 * feedback, the unsubscribe, the status lookup and the erasure all use these and nothing else, so a
 * difference between two copies of a security rule cannot creep in.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { isValidPhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Channel } from './notification-log.js';
import type { OrderEvent } from './order-events.js';

/** The region a phone number written without its country code is read in when the order names none. */
export const DEFAULT_PHONE_REGION = 'PL';

/** An e-mail address compared and keyed case-insensitively, with Unicode in one (NFC) form. */
export const canonicalEmail = (value: string): string => value.trim().toLowerCase().normalize('NFC');

type Region = NonNullable<Parameters<typeof parsePhoneNumberFromString>[1]>;

/**
 * A phone number in E.164, read in `country` (the order's delivery country) when written without its
 * country code; undefined when it is not a valid number there.
 */
export const canonicalPhone = (raw: string, country?: string | undefined): string | undefined => {
  const region = (country && /^[A-Z]{2}$/.test(country) ? country : DEFAULT_PHONE_REGION) as Region;
  const parsed = parsePhoneNumberFromString(raw, region);
  if (!parsed || !isValidPhoneNumber(parsed.number)) return undefined;
  return parsed.number;
};

const digitsOf = (value: string): string => value.replace(/\D/g, '');

/** How someone names a customer: the operator's `--email`/`--phone`, the lookup form's one field. */
export type CustomerContact =
  | { readonly kind: 'email'; readonly email: string }
  | { readonly kind: 'phone'; readonly phone: string };

/** A contact typed into one field: an e-mail address if it has an `@`, else a phone number. */
export const contactOf = (given: string): CustomerContact =>
  given.includes('@') ? { kind: 'email', email: given } : { kind: 'phone', phone: given };

/** The contact fields of an order, as its placement (or its state) holds them. */
export interface ContactFields {
  readonly email?: string | undefined;
  readonly phone?: string | undefined;
  /** The delivery country: the region of a phone number written without its country code. */
  readonly country?: string | undefined;
}

/**
 * The canonical form of a phone number for comparing and keying: E.164 in the order's country, else (a
 * number libphonenumber does not know) its digits, marked so the two forms never meet.
 */
const phoneForm = (raw: string, country: string | undefined): string | undefined => {
  const e164 = canonicalPhone(raw, country);
  if (e164) return e164;
  const digits = digitsOf(raw);
  return digits.length >= 6 ? `digits:${digits}` : undefined;
};

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
/** Compares in time independent of where two values differ (the lookup answers strangers). */
const sameValue = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b));

/**
 * Whether `contact` is the order's: the e-mail canonically equal; the phone equal in E.164 read in the
 * order's delivery country (so `601 234 567`, `0048 601-234-567` and `+48601234567` are one number for a
 * Polish order), or digit for digit for a number that is not valid anywhere.
 */
export const contactMatches = (contact: CustomerContact, fields: ContactFields): boolean => {
  if (contact.kind === 'email') {
    if (fields.email === undefined) return false;
    return sameValue(canonicalEmail(fields.email), canonicalEmail(contact.email));
  }
  if (fields.phone === undefined) return false;
  const stored = phoneForm(fields.phone, fields.country);
  const given = phoneForm(contact.phone, fields.country);
  return stored !== undefined && given !== undefined && sameValue(stored, given);
};

/** One way an order can be found by its customer's contact: the kind and the canonical value. */
export interface ContactEntry {
  readonly kind: CustomerContact['kind'];
  readonly canonical: string;
}

/** The canonical contacts of an order's customer: what the erasure index holds (as keys) for it. */
export const contactEntriesOf = (fields: ContactFields): ContactEntry[] => {
  const entries: ContactEntry[] = [];
  if (fields.email !== undefined) entries.push({ kind: 'email', canonical: canonicalEmail(fields.email) });
  const phone = fields.phone === undefined ? undefined : phoneForm(fields.phone, fields.country);
  if (phone !== undefined) entries.push({ kind: 'phone', canonical: phone });
  return entries;
};

/**
 * The entry to look a contact up under when the order's country is not known (the operator's request):
 * read in the default region, so a number of another country must be given with its country code.
 */
export const lookupEntriesOf = (contact: CustomerContact): ContactEntry[] =>
  contactEntriesOf(contact.kind === 'email' ? { email: contact.email } : { phone: contact.phone });

/**
 * The index key of a contact within a shop: a SHA-256 (base64url) of the shop, the kind and the canonical
 * value, so the index answers "which orders of this shop hold this contact?" without listing contacts.
 */
export const contactKey = (shopId: string, entry: ContactEntry): string =>
  createHash('sha256')
    .update(`contact:v1\u0000${shopId}\u0000${entry.kind}\u0000${entry.canonical}`, 'utf8')
    .digest('base64url');

/** The contact a placement holds (each stored Order Placed holds its own customer's); none for others. */
export const placementContact = (event: OrderEvent): ContactFields | undefined =>
  event.type === 'Order Placed'
    ? { email: event.customer.email, phone: event.customer.phone, country: event.delivery.country }
    : undefined;

/** The contact index keys of events: those of their placements' contacts, each once. */
export const contactKeysOf = (shopId: string, events: readonly OrderEvent[]): string[] => [
  ...new Set(
    events.flatMap((event) => {
      const contact = placementContact(event);
      return contact ? contactEntriesOf(contact).map((entry) => contactKey(shopId, entry)) : [];
    }),
  ),
];

/**
 * The form an address is suppressed under, per channel: the canonical e-mail; an SMS number as E.164
 * (callers pass `canonicalPhone`'s result, as the planner and the erasure do; only the formatting
 * characters are dropped here, so the suppression list, the feedback and the unsubscribe need no phone
 * metadata in their bundles); a device token trimmed and lower-cased (as the list always keyed tokens,
 * so devices disabled before keep matching).
 */
export const canonicalAddress = (channel: Channel, address: string): string => {
  switch (channel) {
    case 'email':
      return canonicalEmail(address);
    case 'sms':
      return address.replace(/[\s().-]/g, '');
    case 'push':
      return address.trim().toLowerCase();
  }
};
