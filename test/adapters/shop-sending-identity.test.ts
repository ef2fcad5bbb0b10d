/**
 * A shop's own sending identity reaches the providers: its SES identity and configuration set on the
 * SendEmail request (with the deployment's tag the feedback rule matches), its origination identity on
 * the SMS, its own platform application for push; the deployment's when the shop names none.
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMAIL_TAGS, SesEmailSender } from '../../functions/adapters/ses-email-sender.js';
import { SnsPushSender } from '../../functions/adapters/sns-push-sender.js';
import { SnsSmsSender } from '../../functions/adapters/sns-sms-sender.js';
import type { OutgoingEmail } from '../../functions/domain/notification-ports.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local.js';
import { type SnsLocal, startSnsLocal } from '../../local/sns-local.js';

const DEPLOYMENT_APP = 'arn:aws:sns:eu-central-1:123456789012:app/GCM/platform-app';
const SHOP_APP = 'arn:aws:sns:eu-central-1:123456789012:app/GCM/sklep-a-app';
const SHOP_IDENTITY = 'arn:aws:ses:eu-central-1:123456789012:identity/sklep-a.example.pl';

let sns: SnsLocal;
let client: SNSClient;

beforeAll(async () => {
  sns = await startSnsLocal();
  client = new SNSClient({ endpoint: sns.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
});

afterAll(async () => {
  client.destroy();
  await sns.stop();
});

const email = (overrides: Partial<OutgoingEmail> = {}): OutgoingEmail => ({
  to: 'anna@example.pl',
  from: 'Sklep A <zamowienia@sklep-a.example.pl>',
  subject: 'Zamówienie',
  html: '<p>x</p>',
  text: 'x',
  headers: [],
  reference: { shopId: 'sklep-a', orderId: 'o-1', eventId: 'e-1' },
  ...overrides,
});

describe('Per-shop sending identity', () => {
  it('sends an e-mail through the shop’s identity and configuration set, tagged for the deployment', async () => {
    const ses = mockClient(SESv2Client);
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const sender = new SesEmailSender(new SESv2Client({ region: LOCAL_REGION }), 'platform-set');

    await sender.send(email({ identityArn: SHOP_IDENTITY, configurationSet: 'sklep-a-set' }));
    await sender.send(email());

    const [own, platform] = ses.commandCalls(SendEmailCommand).map((call) => call.args[0].input);
    expect(own).toMatchObject({
      FromEmailAddressIdentityArn: SHOP_IDENTITY,
      ConfigurationSetName: 'sklep-a-set',
    });
    expect(own?.EmailTags).toContainEqual({ Name: EMAIL_TAGS.deployment, Value: 'platform-set' });
    expect(platform).toMatchObject({ ConfigurationSetName: 'platform-set' });
    expect(platform?.FromEmailAddressIdentityArn).toBeUndefined();
    ses.restore();
  });

  it('sends an SMS from the shop’s origination identity, and without one from the account’s', async () => {
    const sender = new SnsSmsSender(client);
    const origination = 'arn:aws:sms-voice:eu-central-1:123456789012:sender-id/SKLEPA/PL';

    await sender.send({ phoneNumber: '+48600100201', text: 'a', originationNumber: origination });
    await sender.send({ phoneNumber: '+48600100202', text: 'b' });

    const sent = sns.sms();
    expect(sent.find((sms) => sms.phoneNumber === '+48600100201')?.originationNumber).toBe(origination);
    expect(sent.find((sms) => sms.phoneNumber === '+48600100202')?.originationNumber).toBeUndefined();
  });

  it('pushes through the shop’s own platform application, else the deployment’s', async () => {
    const sender = new SnsPushSender(client, { fcm: DEPLOYMENT_APP });
    const push = { platform: 'fcm' as const, title: 't', body: 'b', data: {} };

    await sender.send({ ...push, deviceToken: 'token-shop', application: SHOP_APP });
    await sender.send({ ...push, deviceToken: 'token-platform' });

    const endpoints = sns
      .pushes()
      .map((record) => [record.token, record.endpointArn])
      .sort(([a], [b]) => String(b).localeCompare(String(a)));
    expect(endpoints).toEqual([
      ['token-shop', expect.stringContaining('endpoint/GCM/sklep-a-app/')],
      ['token-platform', expect.stringContaining('endpoint/GCM/platform-app/')],
    ]);
  });
});
