/**
 * The chaos run, small: 40 orders of four shops through the whole local backend with every fault of `npm run chaos`
 * (duplicated, out-of-order and concurrent events, SES and SNS throttling and outages, functions killed
 * mid-batch) and the same audit. Every must-be-zero count must be zero.
 */
import { describe, expect, inject, it } from 'vitest';
import { formatChaosResult } from '../../bench/chaos/format.js';
import { DEFAULT_CHAOS_OPTIONS, runChaos } from '../../bench/chaos/run-chaos.js';
import { ORDER_WAIT } from '../../functions/domain/notification-planning.js';

describe('Chaos: the pipeline under duplicates, disorder, provider faults and killed workers', () => {
  it('loses nothing, duplicates nothing, sends nothing stale and accounts for every event and message', async () => {
    // Prepare
    const options = {
      ...DEFAULT_CHAOS_OPTIONS,
      orders: 40,
      // Multi-shop mode: four shops with their own languages, channel matrices, quiet hours, templates.
      shops: 4,
      seed: 7,
      contradictionRate: 0.2,
      invalidRate: 0.1,
      dynamoDbEndpoint: inject('dynamoDbEndpoint'),
      killEveryMs: [1200, 2000] as const,
      maxKills: 3,
      // Longer than the sender's own longest wait (a message held up to ORDER_WAIT.limitMs behind an
      // earlier one that is retrying through throttling) plus a retry: under a loaded CI machine, 60 s
      // after the last batch was not always enough.
      settleTimeoutMs: ORDER_WAIT.limitMs + 60_000,
    };

    // Act
    const result = await runChaos(options);

    // Assess: the faults really happened…
    const report = formatChaosResult(result);
    expect(result.settled, report).toBe(true);
    expect(result.kills.length, report).toBeGreaterThanOrEqual(1);
    expect(
      result.kills.some((kill) => kill.inFlight > 0),
      report,
    ).toBe(true);
    expect(result.faults.sesInjected, report).toBeGreaterThan(0);
    expect(result.workload.duplicates).toBeGreaterThan(0);
    expect(result.workload.outOfOrder).toBeGreaterThan(0);
    expect(result.workload.batchesWithSameOrder).toBeGreaterThan(0);
    expect(result.workload.contradictions).toBeGreaterThan(0);
    expect(result.workload.invalid).toBeGreaterThan(0);
    // …and every must-be-zero count is zero
    const failing = result.audit.checks.filter((check) => check.count > 0);
    expect(failing, report).toEqual([]);
    const sent = result.audit.facts.filter(([label]) => label.startsWith('notifications sent'));
    expect(sent.length, report).toBeGreaterThan(0);
    expect(result.audit.facts, report).toContainEqual(['shops', 4]);
  }, 300_000);
});
