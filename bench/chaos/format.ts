/** The chaos run's report: the must-be-zero table, what happened, faults, kills and throughput. */
import { machine, markdownTable, thousands, today } from '../report.js';
import type { ChaosResult } from './run-chaos.js';

const percent = (part: number, whole: number): string =>
  whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '–';

export const formatChaosResult = (result: ChaosResult): string => {
  const { audit, workload, options, kills, faults } = result;
  const killsBy = (name: string) => kills.filter((kill) => kill.functionName === name).length;
  const inFlight = kills.reduce((sum, kill) => sum + kill.inFlight, 0);
  const applied = Number(audit.facts.find(([label]) => label === 'events applied')?.[1] ?? 0);
  const messages = audit.facts
    .filter(([label]) => label.startsWith('provider messages'))
    .reduce((sum, [, value]) => sum + Number(value), 0);
  const invocation = (name: keyof ChaosResult['invocations']) => {
    const stats = result.invocations[name];
    return `${name} ${thousands(stats.total)} (${thousands(stats.failed)} failed, ${stats.coldStarts} cold starts, init p50 ${stats.initMs.toFixed(0)} ms)`;
  };
  return [
    `### ${today()}: ${thousands(workload.orders)} orders, seed ${options.seed}`,
    '',
    `machine: ${machine()}; DynamoDB Local, SES, SQS, SNS and EventBridge in one process, each function in its own`,
    `workload: ${thousands(workload.orders)} orders over the 5 lifecycles, ${thousands(workload.events)} events, ${thousands(workload.deliveries)} deliveries: ${thousands(workload.duplicates)} duplicates (${percent(workload.duplicates, workload.events)} of events; ${thousands(workload.duplicatesInSameBatch)} in the same batch as their twin), ${thousands(workload.outOfOrder)} out of order (${percent(workload.outOfOrder, workload.events)}), ${thousands(workload.batchesWithSameOrder)} batches holding several events of one order, ${thousands(workload.contradictions)} events contradicting their order, ${thousands(workload.invalid)} invalid events, ${options.producers} parallel producers at ${options.rate > 0 ? `${options.rate} deliveries/s` : 'full speed'}`,
    `faults: SES answered ${thousands(faults.sesInjected)} of ${thousands(faults.sesCalls)} calls with 429 TooManyRequestsException or 503 (${percent(faults.sesInjected, faults.sesCalls)}); SNS failed ${thousands(faults.snsInjected)} of ${thousands(faults.snsCalls)} calls with Throttled or InternalError (${percent(faults.snsInjected, faults.snsCalls)}); ${kills.length} SIGKILLs (ingest ${killsBy('ingest-order-events')}, planner ${killsBy('plan-notifications')}, sender ${killsBy('send-notifications')}) hitting ${inFlight} invocations in flight; visibility timeout ${options.visibilityTimeoutSeconds} s, maxReceiveCount ${options.maxReceiveCount}`,
    `invocations: ${invocation('ingest-order-events')}; ${invocation('plan-notifications')}; ${invocation('send-notifications')}`,
    '',
    ...markdownTable([
      ['must be zero', 'count', 'examples'],
      ...audit.checks.map((check) => [
        check.name,
        thousands(check.count),
        check.examples.slice(0, 2).join('; '),
      ]),
    ]),
    '',
    ...markdownTable([
      ['what happened', 'count'],
      ...audit.facts.map(([label, value]) => [label, typeof value === 'number' ? thousands(value) : value]),
    ]),
    '',
    `throughput: ${result.wallSeconds.toFixed(1)} s wall time from the first PutEvents to the settled pipeline (producers done after ${result.putSeconds.toFixed(1)} s): ${(workload.deliveries / result.wallSeconds).toFixed(1)} deliveries/s, ${(applied / result.wallSeconds).toFixed(1)} status changes/s, ${(messages / result.wallSeconds).toFixed(1)} provider messages/s${result.settled ? '' : ' — DID NOT SETTLE'}`,
    `result: ${audit.ok && result.settled ? 'PASS, every must-be-zero count is zero' : 'FAIL'}`,
  ].join('\n');
};
