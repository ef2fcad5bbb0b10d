/**
 * The chaos run: orders through the whole local backend while events arrive duplicated, out of order and
 * concurrently, SES and SNS throttle and fail, and the functions' processes are killed mid-batch; then
 * the audit, whose must-be-zero counts decide the exit code.
 *
 *   npm run chaos -- --orders 1000 [--shops 1] [--seed 7] [--duplicates 0.2] [--out-of-order 0.3] [--faults 0.1]
 *                    [--producers 4] [--rate 250] [--kill-every 3000-8000] [--max-kills N]
 *                    [--sender-concurrency 5] [--ingest-concurrency 3] [--visibility 3] [--record]
 *
 * `--record` appends the report to bench/RESULTS.md under "## Chaos run".
 */

import { formatChaosResult } from './chaos/format.js';
import { DEFAULT_CHAOS_OPTIONS, runChaos } from './chaos/run-chaos.js';
import { appendResult, argument, numberArgument } from './report.js';

const range = (raw: string | undefined, fallback: readonly [number, number]): readonly [number, number] => {
  if (raw === undefined) return fallback;
  const [min = Number.NaN, max = min] = raw.split('-').map(Number);
  if (!Number.isFinite(min) || !Number.isFinite(max) || min <= 0 || max < min) {
    throw new Error(`--kill-every ${raw}: expected milliseconds, or a range such as 3000-8000`);
  }
  return [min, max];
};

const main = async () => {
  const defaults = DEFAULT_CHAOS_OPTIONS;
  const options = {
    ...defaults,
    orders: numberArgument('orders', 1000),
    shops: numberArgument('shops', 1),
    seed: numberArgument('seed', defaults.seed),
    duplicateRate: numberArgument('duplicates', defaults.duplicateRate),
    outOfOrderRate: numberArgument('out-of-order', defaults.outOfOrderRate),
    faultRate: numberArgument('faults', defaults.faultRate),
    producers: numberArgument('producers', defaults.producers),
    rate: numberArgument('rate', defaults.rate),
    killEveryMs: range(argument('kill-every'), defaults.killEveryMs),
    maxKills: numberArgument('max-kills', defaults.maxKills),
    senderConcurrency: numberArgument('sender-concurrency', defaults.senderConcurrency),
    ingestConcurrency: numberArgument('ingest-concurrency', defaults.ingestConcurrency),
    visibilityTimeoutSeconds: numberArgument('visibility', defaults.visibilityTimeoutSeconds),
    log: (line: string) => console.log(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}`),
  };
  const result = await runChaos(options);
  const report = formatChaosResult(result);
  console.log(`\n${report}`);
  if (process.argv.includes('--record')) {
    await appendResult('## Chaos run', report);
    console.log('\nappended to bench/RESULTS.md');
  }
  process.exitCode = result.audit.ok && result.settled ? 0 : 1;
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 2;
});
