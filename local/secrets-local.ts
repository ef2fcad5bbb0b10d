/**
 * A local Secrets Manager: GetSecretValue and PutSecretValue over the AWS JSON 1.1 protocol (what
 * @aws-sdk/client-secrets-manager, and so Powertools' SecretsProvider, speaks), so the functions read
 * their secrets locally through the very code they run on Lambda. Project-owned because no npm emulator
 * of Secrets Manager exists (LocalStack and moto need Docker or Python).
 *
 * What it keeps of Secrets Manager: ARNs with the six-character suffix, names and ARNs both accepted as
 * SecretId, versions with the AWSCURRENT and AWSPREVIOUS stages (PutSecretValue moves them), a
 * ClientRequestToken that makes a retried put idempotent (the same token with another value is refused),
 * the 65,536-byte limit, and AWS's error types. With a data file the secrets survive a restart, so a
 * secret rotated locally stays rotated.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  type AwsRequest,
  type AwsResponse,
  LOCAL_ACCOUNT_ID,
  startAwsHttpServer,
} from './aws-http-server.js';
import { LOCAL_REGION } from './dynamodb-local.js';

export const SECRETS_PORT_ENV = 'ORDER_NOTIFICATIONS_PORT_SECRETS';

/** Secrets Manager's limit on a SecretString. */
export const MAX_SECRET_BYTES = 65_536;

const JSON_CONTENT = { 'content-type': 'application/x-amz-json-1.1' };

interface SecretVersion {
  readonly versionId: string;
  readonly value: string;
  readonly createdDate: number;
  stages: string[];
}

interface StoredSecret {
  readonly name: string;
  readonly arn: string;
  versions: SecretVersion[];
}

export interface SecretsLocalOptions {
  /** @default a free port */
  readonly port?: number;
  /** @default LOCAL_REGION */
  readonly region?: string;
  /** Where the secrets are kept across restarts (JSON, mode 600). @default in memory only */
  readonly dataFile?: string;
}

export interface SecretsLocal {
  readonly endpoint: string;
  readonly port: number;
  /** Creates the secret with this value unless it exists (a kept, perhaps rotated, one stays); its ARN. */
  createSecret(name: string, value: string): string;
  /** The AWSCURRENT value, for tests and the demo. */
  currentValue(nameOrArn: string): string | undefined;
  /** What GetSecretValue was asked, by secret name (a test sees a refresh happen). */
  readonly reads: ReadonlyMap<string, number>;
  stop(): Promise<void>;
}

const errorResponse = (status: number, type: string, message: string): AwsResponse => ({
  status,
  headers: JSON_CONTENT,
  body: JSON.stringify({ __type: type, message }),
});

const ok = (body: object): AwsResponse => ({
  status: 200,
  headers: JSON_CONTENT,
  body: JSON.stringify(body),
});

const NAME_PATTERN = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

export const startSecretsLocal = async (options: SecretsLocalOptions = {}): Promise<SecretsLocal> => {
  const region = options.region ?? LOCAL_REGION;
  const secrets = new Map<string, StoredSecret>();
  const reads = new Map<string, number>();
  /** ClientRequestToken -> the value it wrote, per secret. */
  const tokens = new Map<string, string>();

  if (options.dataFile && existsSync(options.dataFile)) {
    for (const secret of JSON.parse(readFileSync(options.dataFile, 'utf8')) as StoredSecret[]) {
      secrets.set(secret.name, secret);
    }
  }
  const save = () => {
    if (!options.dataFile) return;
    mkdirSync(path.dirname(options.dataFile), { recursive: true });
    const temporary = `${options.dataFile}.tmp`;
    writeFileSync(temporary, JSON.stringify([...secrets.values()]), { mode: 0o600 });
    renameSync(temporary, options.dataFile);
  };

  // Deterministic from the name, so a secret's ARN is the same on every start.
  const arnOf = (name: string) =>
    `arn:aws:secretsmanager:${region}:${LOCAL_ACCOUNT_ID}:secret:${name}-${createHash('sha256').update(name).digest('base64url').replace(/[-_]/g, 'x').slice(0, 6)}`;

  const find = (secretId: unknown): StoredSecret | undefined => {
    if (typeof secretId !== 'string') return undefined;
    if (secrets.has(secretId)) return secrets.get(secretId);
    return [...secrets.values()].find((secret) => secret.arn === secretId);
  };

  const addVersion = (secret: StoredSecret, value: string, versionId: string): SecretVersion => {
    for (const version of secret.versions) {
      version.stages = version.stages.includes('AWSCURRENT') ? ['AWSPREVIOUS'] : [];
    }
    const version: SecretVersion = {
      versionId,
      value,
      createdDate: Date.now() / 1000,
      stages: ['AWSCURRENT'],
    };
    // Versions without a stage are deprecated; AWS removes them eventually, here at once.
    secret.versions = [...secret.versions.filter((candidate) => candidate.stages.length > 0), version];
    return version;
  };

  const notFound = () =>
    errorResponse(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");

  const getSecretValue = (input: Record<string, unknown>): AwsResponse => {
    const secret = find(input.SecretId);
    if (!secret) return notFound();
    reads.set(secret.name, (reads.get(secret.name) ?? 0) + 1);
    const stage = typeof input.VersionStage === 'string' ? input.VersionStage : undefined;
    const versionId = typeof input.VersionId === 'string' ? input.VersionId : undefined;
    const version = secret.versions.find((candidate) =>
      versionId !== undefined
        ? candidate.versionId === versionId && (stage === undefined || candidate.stages.includes(stage))
        : candidate.stages.includes(stage ?? 'AWSCURRENT'),
    );
    if (!version) {
      return errorResponse(
        400,
        'ResourceNotFoundException',
        "Secrets Manager can't find the specified secret value for the given version or staging label.",
      );
    }
    return ok({
      ARN: secret.arn,
      Name: secret.name,
      VersionId: version.versionId,
      SecretString: version.value,
      VersionStages: version.stages,
      CreatedDate: version.createdDate,
    });
  };

  const putSecretValue = (input: Record<string, unknown>): AwsResponse => {
    const secret = find(input.SecretId);
    if (!secret) return notFound();
    const value = input.SecretString;
    if (typeof value !== 'string' || value.length === 0) {
      return errorResponse(
        400,
        'InvalidRequestException',
        'You must provide a SecretString (SecretBinary is not supported locally).',
      );
    }
    if (Buffer.byteLength(value) > MAX_SECRET_BYTES) {
      return errorResponse(
        400,
        'InvalidParameterException',
        `SecretString must be at most ${MAX_SECRET_BYTES} bytes.`,
      );
    }
    const token = typeof input.ClientRequestToken === 'string' ? input.ClientRequestToken : randomUUID();
    const tokenKey = `${secret.name}\n${token}`;
    const written = tokens.get(tokenKey) ?? secret.versions.find((v) => v.versionId === token)?.value;
    if (written !== undefined) {
      if (written !== value) {
        return errorResponse(
          400,
          'ResourceExistsException',
          'A version with this ClientRequestToken already exists with a different value.',
        );
      }
      const existing = secret.versions.find((candidate) => candidate.versionId === token);
      return ok({
        ARN: secret.arn,
        Name: secret.name,
        VersionId: token,
        VersionStages: existing?.stages ?? [],
      });
    }
    tokens.set(tokenKey, value);
    const version = addVersion(secret, value, token);
    save();
    return ok({
      ARN: secret.arn,
      Name: secret.name,
      VersionId: version.versionId,
      VersionStages: version.stages,
    });
  };

  const handle = async (request: AwsRequest): Promise<AwsResponse> => {
    const target = request.headers['x-amz-target'];
    let input: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(request.body.toString('utf8') || '{}');
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not an object');
      input = parsed as Record<string, unknown>;
    } catch {
      return errorResponse(400, 'SerializationException', 'The request body is not a JSON object.');
    }
    if (request.method !== 'POST') return errorResponse(400, 'UnknownOperationException', 'POST only.');
    if (target === 'secretsmanager.GetSecretValue') return getSecretValue(input);
    if (target === 'secretsmanager.PutSecretValue') return putSecretValue(input);
    return errorResponse(
      400,
      'UnknownOperationException',
      `The local Secrets Manager answers GetSecretValue and PutSecretValue, not ${String(target)}.`,
    );
  };

  const server = await startAwsHttpServer({
    name: 'local Secrets Manager',
    port: options.port,
    portEnvVar: SECRETS_PORT_ENV,
    maxBodyBytes: 2 * MAX_SECRET_BYTES,
    defaultRegion: region,
    handle,
    tooLarge: () => errorResponse(413, 'InvalidParameterException', 'Request entity too large.'),
    internalError: () =>
      errorResponse(500, 'InternalServiceError', 'Internal error in the local Secrets Manager.'),
  });

  return {
    endpoint: server.endpoint,
    port: server.port,
    createSecret: (name, value) => {
      if (!NAME_PATTERN.test(name)) throw new Error(`invalid secret name ${JSON.stringify(name)}`);
      const existing = secrets.get(name);
      if (existing) return existing.arn;
      const secret: StoredSecret = { name, arn: arnOf(name), versions: [] };
      addVersion(secret, value, randomUUID());
      secrets.set(name, secret);
      save();
      return secret.arn;
    },
    currentValue: (nameOrArn) =>
      find(nameOrArn)?.versions.find((version) => version.stages.includes('AWSCURRENT'))?.value,
    reads,
    stop: () => server.stop(),
  };
};
