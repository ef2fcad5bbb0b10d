import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import {
  type EmailSender,
  type OutgoingEmail,
  PermanentDeliveryError,
} from '../domain/notification-ports.js';

/** SES refuses these for good: the address, the sender or the content is wrong. Anything else may pass. */
const PERMANENT = new Set([
  'MessageRejected',
  'BadRequestException',
  'MailFromDomainNotVerifiedException',
  'NotFoundException',
  'AccountSuspendedException',
]);

/** SES tag values allow letters, digits, _ - . @ only; ids may hold : and /, so they travel base64url. */
export const encodeTag = (value: string): string => Buffer.from(value, 'utf8').toString('base64url');
export const decodeTag = (value: string): string => Buffer.from(value, 'base64url').toString('utf8');

export const EMAIL_TAGS = {
  shop: 'shop',
  order: 'order',
  event: 'event',
  /**
   * The deployment's configuration set name, on every e-mail whatever configuration set it goes
   * through: the feedback rule matches on it, so a shop's own configuration set reaches the feedback
   * function too (lib/event-patterns.ts sesFeedbackPattern).
   */
  deployment: 'order-notifications',
} as const;

export class SesEmailSender implements EmailSender {
  constructor(
    private readonly client: SESv2Client,
    private readonly configurationSetName: string | undefined,
  ) {}

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    try {
      const result = await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: email.from,
          Destination: { ToAddresses: [email.to] },
          ReplyToAddresses: email.replyTo ? [email.replyTo] : undefined,
          Content: {
            Simple: {
              Subject: { Data: email.subject, Charset: 'UTF-8' },
              Body: {
                Html: { Data: email.html, Charset: 'UTF-8' },
                Text: { Data: email.text, Charset: 'UTF-8' },
              },
              Headers: email.headers.map((header) => ({ Name: header.name, Value: header.value })),
            },
          },
          ConfigurationSetName: email.configurationSet ?? this.configurationSetName,
          FromEmailAddressIdentityArn: email.identityArn,
          EmailTags: [
            ...(this.configurationSetName
              ? [{ Name: EMAIL_TAGS.deployment, Value: this.configurationSetName }]
              : []),
            { Name: EMAIL_TAGS.shop, Value: email.reference.shopId },
            { Name: EMAIL_TAGS.order, Value: encodeTag(email.reference.orderId) },
            { Name: EMAIL_TAGS.event, Value: encodeTag(email.reference.eventId) },
          ],
        }),
      );
      if (!result.MessageId) throw new Error('SES accepted the e-mail but returned no message id');
      return { messageId: result.MessageId };
    } catch (error) {
      if (error instanceof Error && PERMANENT.has(error.name)) {
        throw new PermanentDeliveryError(`SES refused the e-mail: ${error.name}: ${error.message}`);
      }
      throw error;
    }
  }
}
