import { CheckIfPhoneNumberIsOptedOutCommand, PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { type OutgoingSms, PermanentDeliveryError, type SmsSender } from '../domain/notification-ports.js';

const PERMANENT = new Set([
  'InvalidParameterException',
  'InvalidParameterValueException',
  'OptedOutException',
]);

/** Transactional SMS through SNS: order updates, not marketing, so they are routed for reliability. */
export class SnsSmsSender implements SmsSender {
  constructor(private readonly client: SNSClient) {}

  async send(sms: OutgoingSms): Promise<{ messageId: string }> {
    try {
      const result = await this.client.send(
        new PublishCommand({
          PhoneNumber: sms.phoneNumber,
          Message: sms.text,
          MessageAttributes: {
            'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
            ...(sms.senderId
              ? { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: sms.senderId } }
              : {}),
            ...(sms.originationNumber
              ? { 'AWS.MM.SMS.OriginationNumber': { DataType: 'String', StringValue: sms.originationNumber } }
              : {}),
          },
        }),
      );
      if (!result.MessageId) throw new Error('SNS accepted the SMS but returned no message id');
      return { messageId: result.MessageId };
    } catch (error) {
      if (error instanceof Error && PERMANENT.has(error.name)) {
        throw new PermanentDeliveryError(`SNS refused the SMS: ${error.name}: ${error.message}`);
      }
      throw error;
    }
  }

  async isOptedOut(phoneNumber: string): Promise<boolean> {
    const result = await this.client.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber }));
    return result.isOptedOut === true;
  }
}
