/**
 * Each Lambda bundle's size and module initialisation time, against a bare SDK-client bundle (a module
 * that creates one DynamoDBClient) built with the same options in the same run: every function entry
 * (functions/<name>/index.ts) is bundled exactly as ServiceFunction deploys it
 * (esbuildOptionsFrom(SERVICE_FUNCTION_BUNDLING)), then imported in a fresh Node process with the
 * environment it needs, `runs` times, round-robin over the bundles so that machine noise hits them alike.
 * The time is the `import()` of index.mjs alone (what Lambda's INIT phase spends in the module), not
 * Node's own start-up. The functions that read a secret at cold start read it from the local Secrets
 * Manager (one GetSecretValue over loopback), so their time includes that request.
 *
 *   npm run bench:init -- [--runs 21] [--no-append]
 *
 * Appends the table to bench/RESULTS.md under "## Lambda bundles: size and init time".
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { REPO_ROOT, SERVICE_FUNCTION_BUNDLING } from '../lib/service-function.js';
import { startSecretsLocal } from '../local/secrets-local.js';
import { esbuildOptionsFrom } from '../scripts/lambda-esbuild-options.js';
import { appendResult, machine, markdownTable, median, numberArgument, percentile, today } from './report.js';

const runs = numberArgument('runs', 21);
const append = !process.argv.includes('--no-append');
const BASELINE = 'bare DynamoDBClient (baseline)';

/** What every function reads at init: the union, so each finds its own (values as in the local stack). */
const ENVIRONMENT: Record<string, string> = {
  AWS_REGION: 'eu-central-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_LAMBDA_FUNCTION_NAME: 'bench',
  NODE_OPTIONS: '--enable-source-maps',
  POWERTOOLS_SERVICE_NAME: 'bench',
  POWERTOOLS_LOG_LEVEL: 'WARN',
  ORDERS_TABLE_NAME: 'orders',
  DEAD_LETTER_QUEUE_URL: 'https://sqs.eu-central-1.amazonaws.com/123456789012/dead-letters',
  NOTIFICATION_QUEUE_URL: 'https://sqs.eu-central-1.amazonaws.com/123456789012/jobs',
  MAX_RECEIVE_COUNT: '5',
  EVENT_BUS_NAME: 'orders',
  SES_CONFIGURATION_SET: 'bench',
  // Read at the first event, not at init: the registry's table name is all the cold start needs.
  SHOP_REGISTRY_TABLE_NAME: 'shops',
};

interface Bundle {
  readonly name: string;
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly initMs: number[];
}

const run = promisify(execFile);

/** One fresh process: the milliseconds `import()` of the bundle took. */
const importOnce = async (file: string, env: Record<string, string>): Promise<number> => {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  // Asynchronous: the local Secrets Manager answers from this process while the child starts.
  const { stdout: output } = await run(
    process.execPath,
    ['--enable-source-maps', '--input-type=module', '-e', script],
    { env, encoding: 'utf8' },
  );
  const ms = Number(output.trim().split('\n').at(-1));
  if (!Number.isFinite(ms)) throw new Error(`${file}: no timing in ${JSON.stringify(output)}`);
  return ms;
};

const main = async () => {
  const outdir = await mkdtemp(path.join(tmpdir(), 'lambda-init-'));
  const secrets = await startSecretsLocal();
  const env = {
    ...ENVIRONMENT,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
    UNSUBSCRIBE_SECRET_ARN: secrets.createSecret(
      'bench/unsubscribe',
      'bench-unsubscribe-secret-0123456789abcdef',
    ),
    RATE_LIMIT_SALT_ARN: secrets.createSecret('bench/rate-limit-salt', 'bench-rate-limit-salt-0123456789'),
  };
  try {
    const options = esbuildOptionsFrom(SERVICE_FUNCTION_BUNDLING);
    const names = (await readdir(path.join(REPO_ROOT, 'functions'), { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    const entries: Array<{ name: string; bundle: (outfile: string) => Promise<unknown> }> = [
      {
        name: BASELINE,
        bundle: (outfile) =>
          build({
            ...options,
            stdin: {
              contents:
                "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const client = new DynamoDBClient({});\n",
              resolveDir: REPO_ROOT,
              sourcefile: 'baseline.ts',
              loader: 'ts',
            },
            outfile,
            write: true,
            absWorkingDir: REPO_ROOT,
          }),
      },
    ];
    for (const name of names) {
      const entry = path.join(REPO_ROOT, 'functions', name, 'index.ts');
      if (
        !(await stat(entry).then(
          () => true,
          () => false,
        ))
      )
        continue;
      entries.push({
        name,
        bundle: (outfile) =>
          build({ ...options, entryPoints: [entry], outfile, write: true, absWorkingDir: REPO_ROOT }),
      });
    }

    const bundles: Bundle[] = [];
    for (const entry of entries) {
      const file = path.join(outdir, entry.name.replace(/\W+/g, '-'), 'index.mjs');
      await entry.bundle(file);
      const contents = await readFile(file);
      bundles.push({
        name: entry.name,
        file,
        bytes: contents.length,
        gzipBytes: gzipSync(contents).length,
        initMs: [],
      });
    }
    // A warm-up import each (file-system caches), then the measured runs, round-robin.
    for (const bundle of bundles) await importOnce(bundle.file, env);
    for (let round = 0; round < runs; round++)
      for (const bundle of bundles) bundle.initMs.push(await importOnce(bundle.file, env));

    const baseline = bundles.find((bundle) => bundle.name === BASELINE) as Bundle;
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
    const rows = bundles.map((bundle) => [
      bundle.name,
      kb(bundle.bytes),
      kb(bundle.gzipBytes),
      median(bundle.initMs).toFixed(1),
      percentile(bundle.initMs, 0.9).toFixed(1),
      `${(bundle.bytes / baseline.bytes).toFixed(1)}× / ${(median(bundle.initMs) / median(baseline.initMs)).toFixed(1)}×`,
    ]);
    const text = [
      `### ${today()}: ${runs} imports per bundle`,
      '',
      `machine: ${machine()} (Lambda runs Node 22 on arm64: absolute times differ, the ratios carry over)`,
      `bundles: esbuild with the options of lib/service-function.ts (ESM, minified, SDK bundled, the environment-only credential provider); init = \`import()\` of index.mjs in a fresh \`node --enable-source-maps\` process with the function's environment, median and p90`,
      '',
      ...markdownTable([
        ['bundle', 'minified', 'gzip', 'init p50 ms', 'init p90 ms', 'vs baseline (size / init)'],
        ...rows,
      ]),
    ].join('\n');
    console.log(text);
    if (append) {
      await appendResult('## Lambda bundles: size and init time', text);
      console.log('\nappended to bench/RESULTS.md');
    }
  } finally {
    await rm(outdir, { recursive: true, force: true });
    await secrets.stop();
  }
};

await main();
