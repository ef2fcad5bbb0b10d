/**
 * The customer messages: for one order event, the e-mail, the SMS or the push notification, in Polish or
 * English. Pure functions of a MessageInput; the sending pipeline decides who gets what, and when.
 * What each message says, the SMS lengths and the override syntax are documented in docs/messages.md.
 */
export type { RenderedEmail } from './email.js';
export { renderEmail } from './email.js';
export { PLACEHOLDER_NAMES, PLACEHOLDERS, type PlaceholderName } from './facts.js';
export { MAX_SMS_SEGMENTS, PUSH_LIMITS } from './limits.js';
export {
  eventTypeOfTemplate,
  isPartialPayment,
  type MessageInput,
  PARTIAL_PAYMENT_TEMPLATE,
  TEMPLATE_IDS,
  templateIdFor,
  templateIdOf,
} from './message-input.js';
export { OVERRIDE_FIELDS, type OverrideField, validateTemplateOverrides } from './overrides.js';
export { type RenderedPush, renderPush } from './push.js';
export { measureSms, type SmsEncoding, type SmsMeasurement, transliterate } from './segments.js';
export { renderSms } from './sms.js';
export type { RenderedSms } from './sms-text.js';
