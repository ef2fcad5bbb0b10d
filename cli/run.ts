/**
 * `run(argv, io)`: the whole CLI as a function of its arguments and environment, returning the exit code.
 * The entry point (index.ts) calls it with the process's; the tests call it in-process.
 */
import { CommanderError } from 'commander';
import type { CommandContext } from './context.js';
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

/** Network errors that mean the endpoint (AWS's, or the one configured) cannot be reached. */
const UNREACHABLE = /\b(ENOTFOUND|ECONNREFUSED|EAI_AGAIN|ECONNRESET|ETIMEDOUT|EHOSTUNREACH)\b/;

/** What to set, for the local stack and for AWS, when the CLI had nowhere (or nowhere reachable) to go. */
const targetHelp = (context: CommandContext | undefined): string[] => [
  ...(context?.discoveryNote ? [context.discoveryNote] : []),
  'local stack: run `npm start` in another terminal (the CLI finds it), or set AWS_ENDPOINT_URL_DYNAMODB (and _SQS, _EVENTBRIDGE) with AWS_REGION and AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY',
  'AWS: set AWS_PROFILE (or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY) and AWS_REGION, or pass --region',
];

const classify = (
  error: unknown,
  context: CommandContext | undefined,
): { exitCode: ExitCode; message: string; problems: readonly string[] } => {
  if (error instanceof CliError)
    return { exitCode: error.exitCode, message: error.message, problems: error.problems };
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | undefined)?.code;
  if (NOT_FOUND_ERRORS.has(name))
    return { exitCode: EXIT.notFound, message: `${name}: ${message}`, problems: [] };
  if (message === 'Region is missing') {
    return {
      exitCode: EXIT.usage,
      message: 'no AWS region: pass --region or set AWS_REGION (or use a profile that has one)',
      problems: targetHelp(context),
    };
  }
  if (name === 'CredentialsProviderError') {
    return {
      exitCode: EXIT.usage,
      message: `no AWS credentials (${message}): set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`,
      problems: targetHelp(context),
    };
  }
  const unreachable = UNREACHABLE.exec(`${typeof code === 'string' ? code : ''} ${message}`);
  if (unreachable) {
    const env = context?.env ?? {};
    const configured = env.AWS_ENDPOINT_URL_DYNAMODB ?? env.AWS_ENDPOINT_URL;
    return {
      exitCode: EXIT.usage,
      message: configured
        ? `cannot reach the configured endpoint (${message}): is the local stack running, and is AWS_ENDPOINT_URL_* right?`
        : `cannot reach AWS (${message}): no AWS_ENDPOINT_URL_<SERVICE> is set and no local stack was found, so the CLI went to AWS in region ${env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? '(from the profile)'}`,
      problems: configured ? [] : targetHelp(context),
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
    const { exitCode, message, problems } = classify(error, state.context);
    if (state.context?.out.json ?? argv.includes('--json')) {
      io.stdout.write(`${JSON.stringify({ error: { message, problems, exitCode } }, null, 2)}\n`);
    }
    io.stderr.write(`error: ${message}\n${problems.map((problem) => `  - ${problem}\n`).join('')}`);
    return exitCode;
  } finally {
    state.context?.close();
  }
};
