/**
 * What the benchmarks share when they report: the machine line, markdown tables padded as Biome formats
 * them, percentiles, and appending a run to its section of bench/RESULTS.md.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const RESULTS_FILE = path.join(ROOT, 'bench', 'RESULTS.md');

export const today = (): string => new Date().toISOString().slice(0, 10);

export const machine = (): string =>
  `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;

/** The value at rank p (0-1) of the values, nearest-rank on the sorted list. */
export const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))] ?? Number.NaN;
};

export const median = (values: readonly number[]): number => percentile(values, 0.5);

/** A markdown table with padded columns, as the repository's formatter writes them. */
export const markdownTable = (rows: readonly (readonly string[])[]): string[] => {
  const widths = (rows[0] ?? []).map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${widths.map((width, column) => (cells[column] ?? '').padEnd(width)).join(' | ')} |`;
  const [header = [], ...body] = rows;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)];
};

/** 12345.6 -> "12,346". */
export const thousands = (value: number, digits = 0): string =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Puts a run at the end of its section of bench/RESULTS.md, creating the section if it is missing. */
export const appendResult = async (section: string, text: string): Promise<void> => {
  const existing = await readFile(RESULTS_FILE, 'utf8').catch(() => '# Benchmark results\n');
  const start = existing.indexOf(`${section}\n`);
  if (start === -1) {
    await writeFile(RESULTS_FILE, `${existing.trimEnd()}\n\n${section}\n\n${text}\n`);
    return;
  }
  const nextSection = existing.indexOf('\n## ', start + section.length);
  const end = nextSection === -1 ? existing.length : nextSection + 1;
  const before = existing.slice(0, end).trimEnd();
  const after = existing.slice(end);
  await writeFile(RESULTS_FILE, `${before}\n\n${text}\n${after ? `\n${after}` : ''}`);
};

/** `--name value` or `--name=value` from argv, else undefined. */
export const argument = (
  name: string,
  argv: readonly string[] = process.argv.slice(2),
): string | undefined => {
  const index = argv.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
  if (index === -1) return undefined;
  const arg = argv[index] as string;
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[index + 1];
};

/** A numeric option, checked: a clear message instead of NaN deep inside a run. */
export const numberArgument = (name: string, fallback: number, argv?: readonly string[]): number => {
  const raw = argument(name, argv);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} ${raw}: expected a number ≥ 0`);
  return value;
};
