/**
 * The local Secrets Manager through the real SDK client, and the functions' RotatingSecret (Powertools'
 * SecretsProvider) reading it: cold start, refresh when due, a failed refresh keeping the value in force.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RotatingSecret, secretsProvider } from '../../functions/adapters/secrets-manager-secrets.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local.js';
import { MAX_SECRET_BYTES, type SecretsLocal, startSecretsLocal } from '../../local/secrets-local.js';

const KEY_1 = 'first-unsubscribe-key-0123456789abcdefgh';
const KEY_2 = 'second-unsubscribe-key-0123456789abcdefg';
let secrets: SecretsLocal;
let client: SecretsManagerClient;
let dir: string;

const clientFor = (endpoint: string) =>
  new SecretsManagerClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'secrets-local-'));
  secrets = await startSecretsLocal();
  client = clientFor(secrets.endpoint);
});

afterAll(async () => {
  client.destroy();
  await secrets.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('local Secrets Manager', () => {
  it('answers GetSecretValue by name and by ARN, and PutSecretValue moves the stages', async () => {
    // Prepare
    const arn = secrets.createSecret('test/stages', KEY_1);

    // Act
    const byName = await client.send(new GetSecretValueCommand({ SecretId: 'test/stages' }));
    await client.send(new PutSecretValueCommand({ SecretId: arn, SecretString: KEY_2 }));
    const current = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    const previous = await client.send(
      new GetSecretValueCommand({ SecretId: arn, VersionStage: 'AWSPREVIOUS' }),
    );

    // Assess
    expect(arn).toMatch(
      /^arn:aws:secretsmanager:eu-central-1:000000000000:secret:test\/stages-[A-Za-z0-9]{6}$/,
    );
    expect(byName).toMatchObject({ ARN: arn, Name: 'test/stages', SecretString: KEY_1 });
    expect(current).toMatchObject({ SecretString: KEY_2, VersionStages: ['AWSCURRENT'] });
    expect(previous).toMatchObject({ SecretString: KEY_1, VersionStages: ['AWSPREVIOUS'] });
  });

  it('makes a retried put idempotent and refuses the same token with another value', async () => {
    const arn = secrets.createSecret('test/idempotent', KEY_1);
    const put = (value: string) =>
      client.send(
        new PutSecretValueCommand({
          SecretId: arn,
          SecretString: value,
          ClientRequestToken: 'token-0123456789-abcdefghij-0123',
        }),
      );

    const first = await put(KEY_2);
    const again = await put(KEY_2);

    expect(again.VersionId).toBe(first.VersionId);
    expect(secrets.currentValue(arn)).toBe(KEY_2);
    await expect(put(KEY_1)).rejects.toMatchObject({ name: 'ResourceExistsException' });
    expect(
      (await client.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: 'AWSPREVIOUS' })))
        .SecretString,
    ).toBe(KEY_1);
  });

  it('answers a missing secret, an empty value and an oversized one with AWS error types', async () => {
    const arn = secrets.createSecret('test/errors', KEY_1);
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'test/nothing' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(
      client.send(new PutSecretValueCommand({ SecretId: arn, SecretString: '' })),
    ).rejects.toMatchObject({
      name: 'InvalidRequestException',
    });
    await expect(
      client.send(
        new PutSecretValueCommand({ SecretId: arn, SecretString: 'x'.repeat(MAX_SECRET_BYTES + 1) }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    expect(secrets.currentValue(arn)).toBe(KEY_1);
  });

  it('keeps a rotated secret across a restart with a data file, and does not reset it on create', async () => {
    // Prepare
    const dataFile = path.join(dir, 'secrets.json');
    const first = await startSecretsLocal({ dataFile });
    const arn = first.createSecret('test/kept', KEY_1);
    const firstClient = clientFor(first.endpoint);
    await firstClient.send(new PutSecretValueCommand({ SecretId: arn, SecretString: KEY_2 }));
    firstClient.destroy();
    await first.stop();

    // Act
    const second = await startSecretsLocal({ dataFile });
    const again = second.createSecret('test/kept', KEY_1);

    // Assess
    expect(again).toBe(arn);
    expect(second.currentValue(arn)).toBe(KEY_2);
    await second.stop();
  });
});

describe('RotatingSecret (Powertools SecretsProvider)', () => {
  const logger = new Logger({ serviceName: 'secrets-test', logLevel: 'SILENT' });

  it('reads at cold start, again only when due, and applies a rotation to the key ring', async () => {
    // Prepare
    const arn = secrets.createSecret('test/rotating', KEY_1);
    let now = new Date('2026-12-03T10:00:00Z');
    const secret = await RotatingSecret.load({
      provider: secretsProvider({
        endpoint: secrets.endpoint,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
      }),
      name: 'UNSUBSCRIBE_SECRET',
      minLength: 32,
      cacheSeconds: 300,
      logger,
      env: { UNSUBSCRIBE_SECRET_ARN: arn },
      clock: { now: () => now },
    });
    await client.send(
      new PutSecretValueCommand({
        SecretId: arn,
        SecretString: JSON.stringify({ current: KEY_2, previous: [KEY_1] }),
      }),
    );

    // Act
    now = new Date('2026-12-03T10:04:59Z');
    await secret.refresh();
    const beforeDue = secret.keys();
    const readsBeforeDue = secrets.reads.get('test/rotating');
    now = new Date('2026-12-03T10:05:00Z');
    await secret.refresh();

    // Assess
    expect(beforeDue).toEqual({ current: KEY_1, previous: [] });
    expect(readsBeforeDue).toBe(1);
    expect(secret.keys()).toEqual({ current: KEY_2, previous: [KEY_1] });
    expect(secrets.reads.get('test/rotating')).toBe(2);
  });

  it('keeps the value in force when a refresh fails, warns without the value, and tries again a period later', async () => {
    // Prepare: its own server, stopped after the cold start
    const own = await startSecretsLocal();
    const arn = own.createSecret('test/outage', KEY_1);
    const warn = vi.spyOn(logger, 'warn');
    let now = new Date('2026-12-03T10:00:00Z');
    const secret = await RotatingSecret.load({
      provider: secretsProvider({
        endpoint: own.endpoint,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
        maxAttempts: 1,
      }),
      name: 'UNSUBSCRIBE_SECRET',
      minLength: 32,
      cacheSeconds: 60,
      logger,
      env: { UNSUBSCRIBE_SECRET_ARN: arn },
      clock: { now: () => now },
    });
    await own.stop();

    // Act
    now = new Date('2026-12-03T10:01:00Z');
    await secret.refresh();
    const warnings = warn.mock.calls.length;
    now = new Date('2026-12-03T10:01:30Z');
    await secret.refresh();

    // Assess
    expect(secret.keys()).toEqual({ current: KEY_1, previous: [] });
    expect(warnings).toBe(1);
    expect(warn.mock.calls.length).toBe(1);
    expect(warn.mock.calls[0]?.[1]).toMatchObject({ secret: 'UNSUBSCRIBE_SECRET', retryInSeconds: 60 });
    expect(JSON.stringify(warn.mock.calls)).not.toContain(KEY_1);
  });
});
