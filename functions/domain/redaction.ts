/**
 * Masks contact data in free text that comes from outside the domain (provider and SDK error messages
 * echo addresses: "…failed the check: zofia@example.pl", "PhoneNumber +48601234567 is not valid"), before
 * it is logged, stored as a reason or sent to a dead-letter queue.
 */

const EMAIL = /[^\s@<>"'`,;:()[\]{}]+@[^\s@<>"'`,;:()[\]{}]+\.[^\s@<>"'`,;:()[\]{}]+/g;
/** E.164 as SNS and the contract use it, also written with spaces, dots, dashes or brackets. */
const PHONE = /\+[1-9][\d ().-]{6,20}\d/g;

/** The text with every e-mail address and phone number in it masked. */
export const redactContacts = (text: string): string =>
  text.replace(EMAIL, '[e-mail]').replace(PHONE, '[phone]');

/** An error's message, fit for a log line, a stored reason or a dead-letter reason. */
export const errorMessage = (error: unknown): string =>
  redactContacts(error instanceof Error ? error.message : String(error));
