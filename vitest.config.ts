import { defineConfig } from 'vitest/config';

/**
 * Test tiers (docs/testing.md). `npm test` runs all three; `npm run test:unit|test:integration|test:system`
 * runs one. A file's tier follows from its path alone:
 *
 * - unit: `*.unit.test.ts` anywhere, everything under test/domain/, and the files listed below. Pure code and
 *   in-process fakes only: no DynamoDB Local (the tier has no globalSetup, so `inject('dynamoDbEndpoint')`
 *   throws), no local endpoint or stack, no browser, no CDK synth, no bundling, no child process.
 *   test/support/unit-tier-guard.ts makes importing any of those fail the file.
 * - system: `*.system.test.ts` and `*.browser.test.ts` anywhere, test/chaos/, test/e2e/, test/infrastructure/
 *   (CDK synth and esbuild bundles), and the files listed below.
 * - integration: every other test file. A new file lands here unless it is named or listed otherwise, so a
 *   file that needs DynamoDB Local or a local endpoint never ends up in the tier that lacks them.
 */
export const UNIT = [
  'test/**/*.unit.test.ts',
  'test/domain/**/*.test.ts',
  'test/cli/config.test.ts',
  'test/cli/dead-letters.test.ts',
  'test/handlers/unsubscribe-page.test.ts',
  'test/local/event-pattern.test.ts',
  'test/status-api/client-address.test.ts',
  'test/status-api/render-page.test.ts',
];

export const SYSTEM = [
  'test/**/*.system.test.ts',
  'test/**/*.browser.test.ts',
  'test/chaos/**/*.test.ts',
  'test/e2e/**/*.test.ts',
  'test/infrastructure/**/*.test.ts',
];

const ALL = ['test/**/*.test.ts'];

/** The one DynamoDB Local of a run, shared by the tiers that need it; each test file creates its own tables. */
const DYNAMODB_LOCAL = ['test/support/global-setup.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: DynamoDB Local's JVM needs one of them.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: UNIT,
          exclude: SYSTEM,
          setupFiles: ['test/support/unit-tier-guard.ts'],
          // Pure code: worker threads instead of child processes, and the files share their workers'
          // module graph instead of importing zod, the domain and the templates again for each file
          // (33 s → 9 s on the 2-core machine; docs/testing.md).
          isolate: false,
          pool: 'threads',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ALL,
          exclude: [...UNIT, ...SYSTEM],
          globalSetup: DYNAMODB_LOCAL,
        },
      },
      {
        extends: true,
        test: {
          name: 'system',
          include: SYSTEM,
          globalSetup: DYNAMODB_LOCAL,
          // After the other tiers, one file at a time: the chaos run, the kill/restart run and the e2e
          // stack each load both cores, and a time-boxed run starved by another reports a false failure.
          sequence: { groupOrder: 1 },
          fileParallelism: false,
        },
      },
    ],
  },
});
