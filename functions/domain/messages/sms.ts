/**
 * SMS: the sender first, then the shortest useful text. Each writer gives its texts richest first; we send
 * the first that fits one SMS, else the first that fits two, so a long order number or carrier name costs
 * detail (which the tracking page has) rather than money. The link is always the shop's short tracking
 * page, never the carrier's long URL.
 */
import { prepareMessage } from './content.js';
import { MAX_SMS_SEGMENTS } from './limits.js';
import type { MessageInput } from './message-input.js';
import { renderOverride } from './overrides.js';
import { pickSms, type RenderedSms } from './sms-text.js';

export const renderSms = (input: MessageInput): RenderedSms => {
  const { copy, facts } = prepareMessage(input);
  const override = renderOverride(input, facts, 'sms');
  if (override !== undefined) {
    const custom = pickSms(input.shop, input.language, [override]);
    // Validation checked the override with long values; if real values are longer still, say less.
    if (custom.segments <= MAX_SMS_SEGMENTS) return custom;
  }
  return pickSms(input.shop, input.language, copy.sms);
};
