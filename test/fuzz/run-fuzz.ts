/**
 * `npm run fuzz [-- --runs 5000]`: the fuzz tests with many more runs than `npm test` gives them, then
 * what they counted: inputs tried, rejections by kind, writes, 5xx answers and crashes.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TALLY_DIR, type TallyReport } from './fuzz-tally.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const index = process.argv.indexOf('--runs');
const runs = index === -1 ? 5000 : Number(process.argv[index + 1]);
if (!Number.isInteger(runs) || runs < 1) {
  console.error('--runs: expected a whole number of runs per property');
  process.exit(2);
}

rmSync(TALLY_DIR, { recursive: true, force: true });
const result = spawnSync(
  process.execPath,
  [path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/fuzz', '--testTimeout=1800000'],
  { cwd: ROOT, stdio: 'inherit', env: { ...process.env, FUZZ_RUNS: String(runs) } },
);

const reports = readdirSync(TALLY_DIR, { withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
  .map((entry) => JSON.parse(readFileSync(path.join(TALLY_DIR, entry.name), 'utf8')) as TallyReport);

const lines: string[] = [`\nFuzzing, ${runs} runs per property:\n`];
for (const report of reports.sort((a, b) => a.target.localeCompare(b.target))) {
  const rejected = Object.values(report.rejections).reduce((sum, count) => sum + count, 0);
  lines.push(
    `${report.target}: ${report.inputs} inputs, ${report.accepted} accepted, ${rejected} rejected; ` +
      `writes from rejected input ${report.writesFromRejected}, from accepted input ${report.writesFromAccepted}` +
      (report.rateLimitCounters ? ` (and ${report.rateLimitCounters} rate-limit counters)` : '') +
      '; ' +
      `5xx ${report.serverErrors}; crashes ${report.crashes}`,
  );
  for (const [kind, count] of Object.entries(report.rejections))
    lines.push(`    ${String(count).padStart(6)}  ${kind}`);
}
console.log(lines.join('\n'));
process.exitCode = result.status ?? 1;
