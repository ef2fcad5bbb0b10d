/**
 * The `order-notifications` CLI: `npx tsx cli/index.ts <command>` (or `npm run cli -- <command>`).
 * Importing this module runs nothing; `run` is the CLI as a function (for tests), `main` the process.
 */
import { realpathSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { fileURLToPath } from 'node:url';
import { run } from './run.js';

export { run };

export const main = async (): Promise<void> => {
  process.exitCode = await run(process.argv.slice(2), {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    // Only a person at a terminal can answer; a script must say --yes.
    ...(process.stdin.isTTY && process.stderr.isTTY
      ? {
          confirm: async (question: string) => {
            const prompt = createInterface({ input: process.stdin, output: process.stderr });
            try {
              return /^y(es)?$/i.test((await prompt.question(`${question} [y/N] `)).trim());
            } finally {
              prompt.close();
            }
          },
        }
      : {}),
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
