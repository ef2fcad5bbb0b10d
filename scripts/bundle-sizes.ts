/**
 * Bundle sizes: each function entry (functions/<name>/index.ts) bundled with esbuild exactly as
 * ServiceFunction bundles it for Lambda (SERVICE_FUNCTION_BUNDLING), measured minified and gzipped, with
 * the three npm packages that take the most bytes (from esbuild's metafile).
 *
 *   npm run bundle-sizes                 prints the table; exits 1 if a bundle is over its budget
 *   npm run bundle-sizes -- --record     also writes the table into bench/RESULTS.md ("## Bundle sizes")
 *
 * The budgets hold today's sizes with a margin, so that a regression fails here; the target is well
 * under 300 KB per function (docs/deploy.md, "Bundle sizes").
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { REPO_ROOT, SERVICE_FUNCTION_BUNDLING } from '../lib/service-function.js';
import { esbuildOptionsFrom } from './lambda-esbuild-options.js';

/** Minified bytes allowed per function: what was measured when the budget was set, plus about 10%. */
const BUDGETS_KB: Readonly<Record<string, number>> = {
  // The WooCommerce webhook route: four SDK clients (DynamoDB, EventBridge, SQS, Secrets Manager) and the
  // event contract (zod) it checks a translation against before the ingest does.
  'connector-webhooks': 470,
  'email-feedback': 380,
  // The ingest and the status API canonicalise phone numbers (libphonenumber-js, about 120 KB): the
  // contact index keys and the lookup's contact check (functions/domain/contact.ts, issue #11).
  'ingest-order-events': 580,
  // +26 KB for the EventBridge client: the planner puts the integration events (docs/integration-events.md).
  'plan-notifications': 460,
  'send-notifications': 800,
  'status-api': 600,
  // +2 KB over the first budget for the Secrets Manager client (the signing key read at cold start).
  unsubscribe: 410,
};
/** What the bundles should get down to (the issue's goal); reported, not enforced. */
const TARGET_KB = 300;

const RESULTS_FILE = join(REPO_ROOT, 'bench', 'RESULTS.md');
const SECTION = '## Bundle sizes';

interface Measurement {
  readonly name: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly packages: readonly (readonly [string, number])[];
}

/** The npm package an input belongs to (the last node_modules segment), or undefined for own code. */
const packageOf = (input: string): string | undefined => {
  const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(input);
  return match?.[1];
};

const measure = async (name: string): Promise<Measurement> => {
  const result = await build({
    ...esbuildOptionsFrom(SERVICE_FUNCTION_BUNDLING),
    entryPoints: [join(REPO_ROOT, 'functions', name, 'index.ts')],
    absWorkingDir: REPO_ROOT,
  });
  const bundle = (result.outputFiles ?? []).find((file) => /\.m?js$/.test(file.path));
  if (!bundle) throw new Error(`bundle-sizes: esbuild wrote no bundle for ${name}`);
  const metafile = result.metafile as Metafile;
  const output = Object.entries(metafile.outputs).find(([path]) => /\.m?js$/.test(path))?.[1];
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const pkg = packageOf(input);
    if (pkg) byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + bytesInOutput);
  }
  return {
    name,
    bytes: bundle.contents.byteLength,
    gzipBytes: gzipSync(bundle.contents).byteLength,
    packages: [...byPackage.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3),
  };
};

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

const table = (measurements: readonly Measurement[]): string =>
  [
    '| Function | Minified | Gzip | Budget | Top 3 packages (minified bytes in the bundle) |',
    '| --- | ---: | ---: | ---: | --- |',
    ...measurements.map(
      (m) =>
        `| ${m.name} | ${kb(m.bytes)} | ${kb(m.gzipBytes)} | ${BUDGETS_KB[m.name] ?? '—'} KB | ${m.packages
          .map(([pkg, bytes]) => `${pkg} ${kb(bytes)}`)
          .join(', ')} |`,
    ),
  ].join('\n');

/** Replaces this script's section of bench/RESULTS.md (or appends it), leaving the others alone. */
const record = (markdown: string): void => {
  const current = existsSync(RESULTS_FILE) ? readFileSync(RESULTS_FILE, 'utf8') : '# Benchmark results\n';
  const section = `${SECTION}\n\n${markdown}\n`;
  const start = current.indexOf(`${SECTION}\n`);
  if (start === -1) {
    writeFileSync(RESULTS_FILE, `${current.trimEnd()}\n\n${section}`);
    return;
  }
  const next = current.indexOf('\n## ', start + SECTION.length);
  const rest = next === -1 ? '' : current.slice(next + 1);
  writeFileSync(RESULTS_FILE, `${current.slice(0, start)}${section}${rest ? `\n${rest}` : ''}`);
};

const functions = readdirSync(join(REPO_ROOT, 'functions'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(REPO_ROOT, 'functions', entry.name, 'index.ts')))
  .map((entry) => entry.name)
  .sort();
const measurements: Measurement[] = [];
for (const name of functions) measurements.push(await measure(name));

const markdown = [
  table(measurements),
  '',
  `Measured by \`npm run bundle-sizes\` (${new Date().toISOString().slice(0, 10)}, esbuild ${
    (await import('esbuild')).version
  }, the options of lib/service-function.ts). Target: under ${TARGET_KB} KB minified per function.`,
].join('\n');
console.log(markdown);
if (process.argv.includes('--record')) record(markdown);

const over = measurements.filter((m) => m.bytes > (BUDGETS_KB[m.name] ?? TARGET_KB) * 1024);
const unbudgeted = measurements.filter((m) => BUDGETS_KB[m.name] === undefined);
for (const m of unbudgeted) console.error(`no budget for ${m.name}: held to the ${TARGET_KB} KB target`);
if (over.length > 0) {
  console.error(
    `over budget: ${over.map((m) => `${m.name} ${kb(m.bytes)} > ${BUDGETS_KB[m.name] ?? TARGET_KB} KB`).join(', ')}`,
  );
  process.exitCode = 1;
}
