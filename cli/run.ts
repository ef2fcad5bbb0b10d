/**
 * `run(argv, io)`: the whole CLI as a function of its arguments and environment, returning the exit code.
 * The entry point (index.ts) calls it with the process's; the tests call it in-process.
 */
import { CommanderError } from 'commander';
import { CliError, type CliIo, EXIT, type ExitCode } from './io.js';
import { buildProgram, type RunState } from './program.js';

/** SDK errors that mean the configuration is wrong rather than the operation: exit 2. */
const CONFIGURATION_ERRORS = new Set([
  'CredentialsProviderError',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'AccessDeniedException',
  'AccessDenied',
  'ResourceNotFoundException',
]);

/** SDK errors that mean the thing named on the command line does not exist: exit 3. */
const NOT_FOUND_ERRORS = new Set(['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue']);

const classify = (error: unknown): { exitCode: ExitCode; message: string; problems: readonly string[] } => {
  if (error instanceof CliError)
    return { exitCode: error.exitCode, message: error.message, problems: error.problems };
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  if (NOT_FOUND_ERRORS.has(name))
    return { exitCode: EXIT.notFound, message: `${name}: ${message}`, problems: [] };
  if (message === 'Region is missing') {
    return {
      exitCode: EXIT.usage,
      message: 'no AWS region: pass --region or set AWS_REGION (or use a profile that has one)',
      problems: [],
    };
  }
  if (CONFIGURATION_ERRORS.has(name)) {
    const hint =
      name === 'ResourceNotFoundException'
        ? ' (check --table / ORDERS_TABLE_NAME and --region / AWS_REGION)'
        : ' (check the credentials, AWS_PROFILE and --region)';
    return { exitCode: EXIT.usage, message: `${name}: ${message}${hint}`, problems: [] };
  }
  return { exitCode: EXIT.problems, message: `${name}: ${message}`, problems: [] };
};

export const run = async (argv: readonly string[], io: CliIo): Promise<number> => {
  const state: RunState = { exitCode: EXIT.ok };
  const program = buildProgram(io, state);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return state.exitCode;
  } catch (error) {
    // Commander has printed its own message (or the help) already.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const { exitCode, message, problems } = classify(error);
    if (state.context?.out.json ?? argv.includes('--json')) {
      io.stdout.write(`${JSON.stringify({ error: { message, problems, exitCode } }, null, 2)}\n`);
    }
    io.stderr.write(`error: ${message}\n${problems.map((problem) => `  - ${problem}\n`).join('')}`);
    return exitCode;
  } finally {
    state.context?.close();
  }
};
