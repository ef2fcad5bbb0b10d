/**
 * Push: a short title and body, and data for the app to open the order. Texts are cut (with an ellipsis)
 * to what a lock screen shows; the data carries no personal details.
 */
import { prepareMessage } from './content.js';
import { PUSH_LIMITS } from './limits.js';
import { type MessageInput, templateIdFor } from './message-input.js';
import { renderOverride } from './overrides.js';

export interface RenderedPush {
  readonly title: string;
  readonly body: string;
  readonly data: Record<string, string>;
}

/** At most `max` UTF-16 units, never splitting a character, ending in "…" when cut. */
export const clampText = (text: string, max: number): string => {
  if (text.length <= max) return text;
  let cut = '';
  for (const character of text) {
    if (cut.length + character.length > max - 1) break;
    cut += character;
  }
  return `${cut.trimEnd()}…`;
};

export const renderPush = (input: MessageInput): RenderedPush => {
  const { copy, facts } = prepareMessage(input);
  const title = renderOverride(input, facts, 'pushTitle') ?? copy.pushTitle;
  const body = renderOverride(input, facts, 'pushBody') ?? copy.pushBody;
  return {
    title: clampText(title, PUSH_LIMITS.title),
    body: clampText(body, PUSH_LIMITS.body),
    data: {
      templateId: templateIdFor(input.event, input.state),
      shopId: input.state.shopId,
      orderId: input.state.orderId,
      orderNumber: input.event.orderNumber,
      status: input.state.status,
      url: input.trackingUrl,
    },
  };
};
