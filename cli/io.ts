/**
 * What every command writes through: the result (a table for people, JSON for scripts), warnings on
 * stderr, progress bars on a terminal only, and errors that carry their exit code.
 */
import { readFileSync } from 'node:fs';
import cliProgress from 'cli-progress';

/** Enough of a stream to write to; `process.stdout` and test buffers both fit. */
export interface CliStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean | undefined;
}

export interface CliIo {
  /** The environment the command reads its defaults from (process.env for the real CLI). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  /** All of standard input, for `-` as a file name. @default - no input (empty) */
  readonly readStdin?: () => Promise<string>;
  /** Asks a yes/no question on a terminal; absent when there is none to ask (scripts, pipes). */
  readonly confirm?: (question: string) => Promise<boolean>;
}

/** Exit codes: documented in docs/operations.md. */
export const EXIT = {
  ok: 0,
  /** The command ran and found problems: events failed, messages could not be moved. */
  problems: 1,
  /** The command line or the configuration is wrong. */
  usage: 2,
  /** The order, queue or customer does not exist. */
  notFound: 3,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the CLI reports in one line, with the exit code it means. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    /** Details shown under the message (and in `--json` as `problems`). */
    readonly problems: readonly string[] = [],
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string, problems: readonly string[] = []): CliError =>
  new CliError(message, EXIT.usage, problems);
export const notFoundError = (message: string): CliError => new CliError(message, EXIT.notFound);

export interface Progress {
  increment(by?: number): void;
  update(value: number): void;
  stop(): void;
}

const NO_PROGRESS: Progress = { increment: () => undefined, update: () => undefined, stop: () => undefined };

export class Output {
  constructor(
    readonly io: CliIo,
    readonly json: boolean,
  ) {}

  /** The command's result for scripts: one JSON document on stdout. */
  result(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** A line for people (nothing in --json mode, where `result` says it all). */
  line(text = ''): void {
    if (!this.json) this.io.stdout.write(`${text}\n`);
  }

  warn(text: string): void {
    this.io.stderr.write(`warning: ${text}\n`);
  }

  table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): void {
    if (!this.json) this.io.stdout.write(formatTable(headers, rows));
  }

  /** A progress bar on stderr, only on a terminal and never in --json mode. */
  progress(label: string, total: number | undefined): Progress {
    if (this.json || this.io.stderr.isTTY !== true) return NO_PROGRESS;
    const bar = new cliProgress.SingleBar(
      {
        stream: this.io.stderr as NodeJS.WritableStream,
        format:
          total === undefined
            ? `${label} {value}`
            : `${label} [{bar}] {percentage}% {value}/{total} {eta_formatted}`,
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total ?? 0, 0);
    return {
      increment: (by = 1) => bar.increment(by),
      update: (value) => {
        if (total !== undefined && value > bar.getTotal()) bar.setTotal(value);
        bar.update(value);
      },
      stop: () => bar.stop(),
    };
  }
}

/** Characters a terminal shows (code points, not UTF-16 units: ą and ł are one). */
const widthOf = (text: string): number => [...text].length;

/**
 * A plain, aligned table: easy to read and to grep, no box drawing. The last column is not padded, so
 * long reasons wrap at the terminal's edge instead of widening every row.
 */
export const formatTable = (headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string => {
  const all = [headers, ...rows].map((row) => row.map((cell) => cell.replace(/\s*\n\s*/g, ' ')));
  const widths = headers.map((_, column) => Math.max(...all.map((row) => widthOf(row[column] ?? ''))));
  return all
    .map((row) =>
      row
        .map((cell, column) =>
          column === row.length - 1 ? cell : cell + ' '.repeat((widths[column] ?? 0) - widthOf(cell)),
        )
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
};

/** Label/value lines for a record. */
export const formatFields = (fields: ReadonlyArray<readonly [string, string]>): string => {
  const width = Math.max(...fields.map(([label]) => widthOf(label)));
  return fields.map(([label, value]) => `${label}${' '.repeat(width - widthOf(label))}  ${value}\n`).join('');
};

/** A file's text, or standard input's for `-`; an unreadable file is a usage error naming it. */
export const readTextInput = async (io: CliIo, file: string): Promise<string> => {
  try {
    return file === '-' ? ((await io.readStdin?.()) ?? '') : readFileSync(file, 'utf8');
  } catch (error) {
    throw usageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
};
