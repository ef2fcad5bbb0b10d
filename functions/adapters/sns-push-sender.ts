import { CreatePlatformEndpointCommand, PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { type OutgoingPush, PermanentDeliveryError, type PushSender } from '../domain/notification-ports.js';

export type PlatformApplications = Partial<Record<OutgoingPush['platform'], string>>;

const SNS_PAYLOAD_KEY: Record<OutgoingPush['platform'], string> = {
  apns: 'APNS',
  apns_sandbox: 'APNS_SANDBOX',
  fcm: 'GCM',
};

/** The platform payload: APNs alert with a thread per order, FCM notification plus data. */
export const platformPayload = (push: OutgoingPush): string => {
  const payload =
    push.platform === 'fcm'
      ? {
          fcmV1Message: {
            message: { notification: { title: push.title, body: push.body }, data: push.data },
          },
        }
      : {
          aps: {
            alert: { title: push.title, body: push.body },
            'thread-id': push.data.orderNumber ?? 'order',
          },
          ...push.data,
        };
  return JSON.stringify({ default: push.body, [SNS_PAYLOAD_KEY[push.platform]]: JSON.stringify(payload) });
};

/**
 * Mobile push through SNS platform endpoints. CreatePlatformEndpoint is idempotent for a token, so the
 * endpoint is looked up (or made) on each send rather than stored; a disabled endpoint is reported so the
 * device is never used again.
 */
export class SnsPushSender implements PushSender {
  constructor(
    private readonly client: SNSClient,
    private readonly applications: PlatformApplications,
  ) {}

  async send(push: OutgoingPush): Promise<{ messageId: string }> {
    // The shop's own app first, else the deployment's.
    const application = push.application ?? this.applications[push.platform];
    if (!application)
      throw new PermanentDeliveryError(`no SNS platform application is configured for ${push.platform}`);
    try {
      const endpoint = await this.client.send(
        new CreatePlatformEndpointCommand({ PlatformApplicationArn: application, Token: push.deviceToken }),
      );
      const result = await this.client.send(
        new PublishCommand({
          TargetArn: endpoint.EndpointArn,
          MessageStructure: 'json',
          Message: platformPayload(push),
        }),
      );
      if (!result.MessageId) throw new Error('SNS accepted the push but returned no message id');
      return { messageId: result.MessageId };
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      if (error.name === 'EndpointDisabledException') {
        throw new PermanentDeliveryError(
          `the ${push.platform} device is disabled: ${error.message}`,
          push.deviceToken,
        );
      }
      if (error.name === 'InvalidParameterException') {
        throw new PermanentDeliveryError(`SNS refused the push: ${error.message}`, push.deviceToken);
      }
      throw error;
    }
  }
}
