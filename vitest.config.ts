import { defineConfig } from 'vitest/config';

// The SDK warns once per process that releases after January 2027 need Node 22; Lambda runs 22 already.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One DynamoDB Local for the whole run; each test file creates its own tables.
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: DynamoDB Local's JVM needs one of them.
    maxWorkers: 2,
  },
});
