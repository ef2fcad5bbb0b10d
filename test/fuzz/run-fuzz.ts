/**
 * `npm run fuzz [-- --runs 5000]`: the fuzz tests with many more runs than `npm test` gives them, then
 * what they counted: inputs tried, rejections by kind, writes, 5xx answers and crashes; for the stateful
 * sequences (order-sequences.test.ts, `--sequences N`, default runs / 25) also the sequences, dead
 * letters, messages sent and requests to the public routes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
const sequencesAt = process.argv.indexOf('--sequences');
const sequences = sequencesAt === -1 ? Math.ceil(runs / 25) : Number(process.argv[sequencesAt + 1]);
if (!Number.isInteger(sequences) || sequences < 1) {
  console.error('--sequences: expected a whole number of stateful sequences');
  process.exit(2);
}

const result = spawnSync(
  process.execPath,
  [path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/fuzz', '--testTimeout=1800000'],
  {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, FUZZ_RUNS: String(runs), FUZZ_SEQUENCES: String(sequences) },
  },
);

const reports = (existsSync(TALLY_DIR) ? readdirSync(TALLY_DIR, { withFileTypes: true }) : [])
  .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
  .map((entry) => JSON.parse(readFileSync(path.join(TALLY_DIR, entry.name), 'utf8')) as TallyReport);

const lines: string[] = [`\nFuzzing, ${runs} runs per property, ${sequences} stateful sequences:\n`];
for (const report of reports.sort((a, b) => a.target.localeCompare(b.target))) {
  const rejected = Object.values(report.rejections).reduce((sum, count) => sum + count, 0);
  if (report.sequences !== undefined) {
    lines.push(
      `${report.target}: ${report.sequences} sequences, ${report.inputs} events, ${report.accepted} accepted, ` +
        `${rejected} refused, ${report.deadLettered} dead-lettered; ${report.messagesSent} messages sent; ` +
        `${report.requests} requests to the public routes, 5xx ${report.serverErrors}; ` +
        `data of refused placements kept ${report.writesFromRejected}; crashes ${report.crashes}`,
    );
    for (const [kind, count] of Object.entries(report.rejections))
      lines.push(`    ${String(count).padStart(6)}  ${kind}`);
    continue;
  }
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
