import { withdrawalLastDay } from '../consumer-deadlines.js';
import type { CopyContext, MessageCopy, Writer } from './copy-model.js';
import { type Formats, formatsFor, type MessageFacts, messageFacts } from './facts.js';
import type { MessageInput } from './message-input.js';
import { ENGLISH } from './texts-en.js';
import { POLISH } from './texts-pl.js';

const WRITERS = { pl: POLISH, en: ENGLISH } as const;

export interface PreparedMessage {
  readonly copy: MessageCopy;
  readonly facts: MessageFacts;
  readonly formats: Formats;
}

/** What the message for `input` says, in the customer's language, before any channel lays it out. */
export const prepareMessage = (input: MessageInput): PreparedMessage => {
  const formats = formatsFor(input.language, input.timeZone);
  const facts = messageFacts(input, formats);
  const context: CopyContext = {
    event: input.event,
    state: input.state,
    shop: input.shop,
    language: input.language,
    facts,
    formats,
    withdrawalUntil:
      input.shop.consumerRights.withdrawal && input.event.type === 'Order Delivered'
        ? withdrawalLastDay(input.event.occurredAt, input.timeZone)
        : undefined,
  };
  // The writer for the event's own type: TypeScript cannot correlate the two unions by itself.
  const write = WRITERS[input.language][input.event.type] as Writer[keyof Writer] as (
    context: CopyContext,
  ) => MessageCopy;
  return { copy: write(context), facts, formats };
};
