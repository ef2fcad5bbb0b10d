/**
 * The local SNS with the real SDK client and the production senders: SMS with their segment count,
 * pushes decoded per platform, opt-outs, disabled endpoints and injected failures as SNS answers them.
 */

import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreatePlatformEndpointCommand,
  GetEndpointAttributesCommand,
  ListPhoneNumbersOptedOutCommand,
  OptInPhoneNumberCommand,
  PublishCommand,
  SetEndpointAttributesCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SnsPushSender } from '../../functions/adapters/sns-push-sender.js';
import { SnsSmsSender } from '../../functions/adapters/sns-sms-sender.js';
import { PermanentDeliveryError } from '../../functions/domain/notification-ports.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local.js';
import { SNS_RECORDS_FILE, type SnsLocal, type SnsRecord, startSnsLocal } from '../../local/sns-local.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const FCM_APP = 'arn:aws:sns:eu-central-1:123456789012:app/GCM/shop-app';
const APNS_APP = 'arn:aws:sns:eu-central-1:123456789012:app/APNS/shop-app';
const PHONE = '+48600100200';

let sns: SnsLocal;
let client: SNSClient;

beforeAll(async () => {
  sns = await startSnsLocal();
  client = new SNSClient({ endpoint: sns.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
});

afterEach(() => {
  sns.clear();
});

afterAll(async () => {
  client.destroy();
  await sns.stop();
});

describe('Class: SnsLocal', () => {
  describe('SMS with the production SnsSmsSender', () => {
    it('records the SMS with its type, sender id and segment count', async () => {
      // Prepare
      const sender = new SnsSmsSender(client);
      const text = `Zamówienie 1001 zostało wysłane. ${'Śledź je tutaj. '.repeat(5)}`;

      // Act
      const { messageId } = await sender.send({ phoneNumber: PHONE, text, senderId: 'PodDebem' });

      // Assess
      expect(sns.sms()).toEqual([
        expect.objectContaining({
          messageId,
          phoneNumber: PHONE,
          text,
          smsType: 'Transactional',
          senderId: 'PodDebem',
          encoding: 'UCS-2',
          segments: 2,
          delivered: true,
        }),
      ]);
    });

    it('refuses a number that is not E.164 with InvalidParameter, which the sender makes permanent', async () => {
      // Prepare
      const sender = new SnsSmsSender(client);

      // Act
      const attempt = sender.send({ phoneNumber: '600100200', text: 'hello' });

      // Assess
      await expect(attempt).rejects.toThrow(PermanentDeliveryError);
      await expect(attempt).rejects.toThrow(/InvalidParameterException/);
      expect(sns.sms()).toEqual([]);
    });

    it('reports opt-outs and accepts but does not deliver to an opted-out number', async () => {
      // Prepare
      const sender = new SnsSmsSender(client);
      const optedOut = '+48600999888';
      sns.optOut(optedOut);

      // Act
      const flags = [await sender.isOptedOut(optedOut), await sender.isOptedOut(PHONE)];
      const { messageId } = await sender.send({ phoneNumber: optedOut, text: 'hello' });
      const listed = await client.send(new ListPhoneNumbersOptedOutCommand({}));
      await client.send(new OptInPhoneNumberCommand({ phoneNumber: optedOut }));
      const afterOptIn = await sender.isOptedOut(optedOut);

      // Assess
      expect(flags).toEqual([true, false]);
      expect(messageId).toEqual(expect.any(String));
      expect(sns.sms()[0]).toMatchObject({
        messageId,
        delivered: false,
        reason: 'the phone number opted out',
      });
      expect(listed.phoneNumbers).toEqual([optedOut]);
      expect(afterOptIn).toBe(false);
    });

    it('lets the SDK retry an injected throttle and succeed', async () => {
      // Prepare
      sns.failNext('Publish', 'Throttled', 1);

      // Act
      const result = await client.send(new PublishCommand({ PhoneNumber: PHONE, Message: 'hello' }));

      // Assess
      expect(result.$metadata.attempts).toBe(2);
      expect(sns.sms()).toHaveLength(1);
    });

    it('surfaces an injected internal error once the SDK has spent its attempts', async () => {
      // Prepare
      const oneShot = new SNSClient({
        endpoint: sns.endpoint,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
        maxAttempts: 2,
      });
      sns.failNext('Publish', 'InternalError', 2);

      // Act
      const attempt = new SnsSmsSender(oneShot).send({ phoneNumber: PHONE, text: 'hello' });

      // Assess
      await expect(attempt).rejects.toMatchObject({
        name: 'InternalErrorException',
        $metadata: { attempts: 2 },
      });
      await expect(attempt).rejects.not.toThrow(PermanentDeliveryError);
      expect(sns.sms()).toEqual([]);
      oneShot.destroy();
    });
  });

  describe('push with the production SnsPushSender', () => {
    it('sends through an endpoint and records the decoded FCM payload', async () => {
      // Prepare
      const sender = new SnsPushSender(client, { fcm: FCM_APP });

      // Act
      const { messageId } = await sender.send({
        platform: 'fcm',
        deviceToken: 'fcm-token-1',
        title: 'Paczka w drodze',
        body: 'Zamówienie 1001 zostało wysłane',
        data: { orderNumber: '1001' },
      });

      // Assess
      expect(sns.pushes()).toEqual([
        expect.objectContaining({
          messageId,
          token: 'fcm-token-1',
          platform: 'GCM',
          platformApplicationArn: FCM_APP,
          payload: {
            fcmV1Message: {
              message: {
                notification: { title: 'Paczka w drodze', body: 'Zamówienie 1001 zostało wysłane' },
                data: { orderNumber: '1001' },
              },
            },
          },
        }),
      ]);
    });

    it('gives the same EndpointArn for the same token, and another for another token', async () => {
      // Act
      const arns = await Promise.all(
        ['apns-1', 'apns-1', 'apns-2'].map(
          async (token) =>
            (
              await client.send(
                new CreatePlatformEndpointCommand({ PlatformApplicationArn: APNS_APP, Token: token }),
              )
            ).EndpointArn,
        ),
      );

      // Assess
      expect(arns[0]).toMatch(
        /^arn:aws:sns:eu-central-1:123456789012:endpoint\/APNS\/shop-app\/[0-9a-f-]{36}$/,
      );
      expect(arns[1]).toBe(arns[0]);
      expect(arns[2]).not.toBe(arns[0]);
    });

    it('fails a disabled endpoint with EndpointDisabled, which the sender makes permanent for the device', async () => {
      // Prepare
      const sender = new SnsPushSender(client, { apns: APNS_APP });
      sns.disableEndpoint('apns-gone');

      // Act
      const attempt = sender.send({
        platform: 'apns',
        deviceToken: 'apns-gone',
        title: 'Paczka w drodze',
        body: 'Zamówienie 1001 zostało wysłane',
        data: {},
      });

      // Assess
      await expect(attempt).rejects.toThrow(PermanentDeliveryError);
      await expect(attempt).rejects.toMatchObject({ disabledTarget: 'apns-gone' });
      expect(sns.pushes()).toEqual([]);
    });

    it('keeps Enabled as SetEndpointAttributes left it', async () => {
      // Prepare
      const { EndpointArn } = await client.send(
        new CreatePlatformEndpointCommand({ PlatformApplicationArn: FCM_APP, Token: 'fcm-toggle' }),
      );

      // Act
      await client.send(new SetEndpointAttributesCommand({ EndpointArn, Attributes: { Enabled: 'false' } }));
      const disabled = await client.send(new GetEndpointAttributesCommand({ EndpointArn }));
      const publish = client.send(
        new PublishCommand({
          TargetArn: EndpointArn,
          Message: JSON.stringify({ default: 'hi' }),
          MessageStructure: 'json',
        }),
      );

      // Assess
      expect(disabled.Attributes).toEqual({ Enabled: 'false', Token: 'fcm-toggle' });
      await expect(publish).rejects.toMatchObject({
        name: 'EndpointDisabledException',
        message: 'Endpoint is disabled',
      });
    });
  });

  describe('errors', () => {
    it('refuses a JSON message structure without a default entry', async () => {
      // Prepare
      const { EndpointArn } = await client.send(
        new CreatePlatformEndpointCommand({ PlatformApplicationArn: FCM_APP, Token: 'fcm-2' }),
      );

      // Act
      const attempt = client.send(
        new PublishCommand({
          TargetArn: EndpointArn,
          Message: JSON.stringify({ GCM: '{}' }),
          MessageStructure: 'json',
        }),
      );

      // Assess
      await expect(attempt).rejects.toMatchObject({
        name: 'InvalidParameterException',
        message: 'Invalid parameter: Message Structure - No default entry in JSON message body',
      });
    });

    it('answers an unknown endpoint with NotFound', async () => {
      // Act
      const attempt = client.send(
        new GetEndpointAttributesCommand({
          EndpointArn: 'arn:aws:sns:eu-central-1:000000000000:endpoint/GCM/x/y',
        }),
      );

      // Assess
      await expect(attempt).rejects.toMatchObject({
        name: 'NotFoundException',
        $metadata: { httpStatusCode: 404 },
      });
    });

    it('answers an unknown action in the Query error shape', async () => {
      // Act
      const response = await fetch(sns.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'Action=CreateTopic&Version=2010-03-31&Name=x',
      });
      const body = await response.text();

      // Assess
      expect(response.status).toBe(400);
      expect(body).toContain('<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">');
      expect(body).toContain('<Type>Sender</Type><Code>InvalidAction</Code>');
      expect(body).toMatch(/<RequestId>[0-9a-f-]{36}<\/RequestId>/);
    });
  });

  describe('records kept in the data dir', () => {
    const dirs: string[] = [];
    const dataDir = () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'sns-local-'));
      dirs.push(dir);
      return dir;
    };
    afterAll(() => {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    });
    const clientOf = (local: SnsLocal) =>
      new SNSClient({ endpoint: local.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });

    it('gives back every SMS and push after a restart, newest first, and tells listeners of new ones', async () => {
      // Prepare
      const dir = dataDir();
      const first = await startSnsLocal({ dataDir: dir });
      const firstClient = clientOf(first);
      const sms = new SnsSmsSender(firstClient);
      const one = await sms.send({ phoneNumber: PHONE, text: 'pierwszy' });
      const two = await sms.send({ phoneNumber: PHONE, text: 'drugi' });
      const push = await new SnsPushSender(firstClient, { fcm: FCM_APP }).send({
        platform: 'fcm',
        deviceToken: 'fcm-kept',
        title: 'T',
        body: 'B',
        data: {},
      });
      firstClient.destroy();
      await first.stop();

      // Act
      const second = await startSnsLocal({ dataDir: dir });
      const heard: SnsRecord[] = [];
      second.onRecord((record) => heard.push(record));
      const secondClient = clientOf(second);
      const three = await new SnsSmsSender(secondClient).send({ phoneNumber: PHONE, text: 'trzeci' });

      // Assess
      expect(second.sms().map((record) => [record.messageId, record.text])).toEqual([
        [three.messageId, 'trzeci'],
        [two.messageId, 'drugi'],
        [one.messageId, 'pierwszy'],
      ]);
      expect(second.pushes()).toEqual([
        expect.objectContaining({ messageId: push.messageId, token: 'fcm-kept' }),
      ]);
      expect(heard).toEqual([expect.objectContaining({ kind: 'sms', messageId: three.messageId })]);
      secondClient.destroy();
      await second.stop();
    });

    it('keeps an SMS whose Publish was answered when the process is killed with SIGKILL right after', async () => {
      // Prepare: a child process runs the local SNS, publishes, prints the MessageId, then waits to be killed.
      const dir = dataDir();
      const script = `
        import { SNSClient, PublishCommand } from '@aws-sdk/client-sns';
        import { startSnsLocal } from './local/sns-local.ts';
        const sns = await startSnsLocal({ dataDir: process.argv[1] });
        const client = new SNSClient({ endpoint: sns.endpoint, region: 'eu-central-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
        const { MessageId } = await client.send(new PublishCommand({ PhoneNumber: '${PHONE}', Message: 'przed kill -9' }));
        console.log(MessageId);
        setInterval(() => {}, 1000);
      `;
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, dir], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const messageId = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => resolve(chunk.toString('utf8').trim()));
        child.on('exit', (code) => reject(new Error(`child exited with ${code}`)));
      });

      // Act
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      const restarted = await startSnsLocal({ dataDir: dir });

      // Assess
      expect(messageId).toMatch(/^[0-9a-f-]{36}$/);
      expect(restarted.sms()).toEqual([
        expect.objectContaining({ messageId, phoneNumber: PHONE, text: 'przed kill -9' }),
      ]);
      await restarted.stop();
    }, 30_000);

    it('drops a last line cut short by a crash and starts the next record on a line of its own', async () => {
      // Prepare
      const dir = dataDir();
      const first = await startSnsLocal({ dataDir: dir });
      const firstClient = clientOf(first);
      const kept = await new SnsSmsSender(firstClient).send({ phoneNumber: PHONE, text: 'cały' });
      firstClient.destroy();
      await first.stop();
      appendFileSync(path.join(dir, SNS_RECORDS_FILE), '{"kind":"sms","messageId":"torn","te');

      // Act
      const second = await startSnsLocal({ dataDir: dir });
      const secondClient = clientOf(second);
      const next = await new SnsSmsSender(secondClient).send({ phoneNumber: PHONE, text: 'następny' });
      secondClient.destroy();
      await second.stop();
      const third = await startSnsLocal({ dataDir: dir });

      // Assess
      expect(third.sms().map((record) => record.messageId)).toEqual([next.messageId, kept.messageId]);
      const lines = readFileSync(path.join(dir, SNS_RECORDS_FILE), 'utf8').split('\n');
      expect(lines).toHaveLength(3);
      expect(lines[2]).toBe('');
      await third.stop();
    });

    it('refuses to start on a file with a bad line in the middle, naming the file and the line', async () => {
      // Prepare
      const dir = dataDir();
      const file = path.join(dir, SNS_RECORDS_FILE);
      writeFileSync(file, '{"kind":"sms","messageId":"a"}\nnot json\n{"kind":"sms","messageId":"b"}\n');

      // Act
      const attempt = startSnsLocal({ dataDir: dir });

      // Assess
      await expect(attempt).rejects.toThrow(`${file} line 2 is not an SNS record`);
      expect(readFileSync(file, 'utf8')).toContain('not json');
    });

    it('forgets the records on clear(), in the file too', async () => {
      // Prepare
      const dir = dataDir();
      const first = await startSnsLocal({ dataDir: dir });
      const firstClient = clientOf(first);
      await new SnsSmsSender(firstClient).send({ phoneNumber: PHONE, text: 'zapomniany' });
      firstClient.destroy();

      // Act
      first.clear();
      await first.stop();
      const second = await startSnsLocal({ dataDir: dir });

      // Assess
      expect(second.sms()).toEqual([]);
      await second.stop();
    });
  });
});
