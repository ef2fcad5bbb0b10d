/**
 * The `order-notifications` CLI: `npx tsx cli/index.ts <command>` (or `npm run cli -- <command>`).
 * Importing this module runs nothing; `run` is the CLI as a function (for tests), `main` the process.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { run } from './run.js';

export { run };

export const main = async (): Promise<void> => {
  // The SDK's notice that its 2027 releases need Node 22 is for maintainers, not for every command.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  process.exitCode = await run(process.argv.slice(2), {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
  });
};

const isEntryPoint = (): boolean => {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
};

if (isEntryPoint()) await main();
