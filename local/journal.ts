/**
 * An append-only journal of JSON lines, for the local endpoints' state that must survive a crash of the
 * local stack (`kill -9` included): each change is written before the request that made it is answered.
 * Written, not fsynced: a killed process loses nothing the kernel has (its page cache outlives the
 * process); a power cut may lose the last changes, which a laptop's dev stack can afford.
 *
 * On open the journal is read back, then compacted: the owner hands over the entries that rebuild its
 * current state, and they replace the file atomically (write to a temporary file, then rename).
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';

export interface Journal<E> {
  /** Appends one entry; returns once the kernel has it. */
  append(entry: E): void;
  /** Replaces the journal by `entries` (the current state), atomically. */
  compact(entries: Iterable<E>): void;
  close(): void;
}

export interface OpenedJournal<E> {
  /** The entries read back, oldest first. A torn last line (a crash mid-write) is dropped. */
  readonly entries: readonly E[];
  readonly journal: Journal<E>;
}

/**
 * The JSON lines of `file`, oldest first: the one reading of the local stack's JSONL files (the queues'
 * and the bus's journals, the SNS records, the outbox's e-mails). A last line cut short by a crash (no
 * newline after it) is dropped and cut off the file, so the next append starts on a line of its own; any
 * other line that is not JSON, or that `accept` refuses, stops the start with the file and line named.
 */
export const readJsonLines = <T>(
  file: string,
  what: string,
  accept: (value: unknown) => boolean = () => true,
): T[] => {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const values: T[] = [];
  let goodBytes = 0;
  for (const [index, line] of lines.entries()) {
    // After the last newline: empty, or a line torn by a crash mid-write.
    if (index === lines.length - 1) break;
    let value: unknown;
    let ok = false;
    try {
      value = JSON.parse(line);
      ok = accept(value);
    } catch {
      ok = false;
    }
    if (!ok) throw new Error(`${file} line ${index + 1} is not ${what}: move the file away to start afresh`);
    values.push(value as T);
    goodBytes += Buffer.byteLength(line, 'utf8') + 1;
  }
  if (goodBytes !== Buffer.byteLength(text, 'utf8')) truncateSync(file, goodBytes);
  return values;
};

/** Appends one JSON line to an open file; with `fsync`, on the disk before it returns. */
export const appendJsonLine = (
  fd: number,
  value: unknown,
  options: { readonly fsync?: boolean } = {},
): void => {
  writeSync(fd, `${JSON.stringify(value)}\n`);
  if (options.fsync) fsyncSync(fd);
};

export const openJournal = <E>(file: string, what = 'a journal entry'): OpenedJournal<E> => {
  mkdirSync(path.dirname(file), { recursive: true });
  const entries = readJsonLines<E>(file, what);
  let fd = openSync(file, 'a');
  const journal: Journal<E> = {
    append: (entry) => appendJsonLine(fd, entry),
    compact: (current) => {
      const temporary = `${file}.${process.pid}.tmp`;
      const out = openSync(temporary, 'w');
      try {
        let chunk = '';
        for (const entry of current) {
          chunk += `${JSON.stringify(entry)}\n`;
          if (chunk.length > 1 << 20) {
            writeSync(out, chunk);
            chunk = '';
          }
        }
        if (chunk) writeSync(out, chunk);
      } finally {
        closeSync(out);
      }
      renameSync(temporary, file);
      closeSync(fd);
      fd = openSync(file, 'a');
    },
    close: () => closeSync(fd),
  };
  return { entries, journal };
};
