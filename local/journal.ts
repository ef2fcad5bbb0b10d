/**
 * An append-only journal of JSON lines, for the local endpoints' state that must survive a crash of the
 * local stack (`kill -9` included): each change is written before the request that made it is answered.
 * Written, not fsynced: a killed process loses nothing the kernel has (its page cache outlives the
 * process); a power cut may lose the last changes, which a laptop's dev stack can afford.
 *
 * On open the journal is read back, then compacted: the owner hands over the entries that rebuild its
 * current state, and they replace the file atomically (write to a temporary file, then rename).
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
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

const linesOf = <E>(file: string): E[] => {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const entries: E[] = [];
  for (const [index, line] of lines.entries()) {
    if (line === '') continue;
    try {
      entries.push(JSON.parse(line) as E);
    } catch (error) {
      // Only the last line can be torn by a crash; anything else is a damaged file, said so.
      if (index === lines.length - 1) break;
      throw new Error(
        `${file}: line ${index + 1} is not JSON (${(error as Error).message}); move the file away to start empty`,
      );
    }
  }
  return entries;
};

export const openJournal = <E>(file: string): OpenedJournal<E> => {
  mkdirSync(path.dirname(file), { recursive: true });
  const entries = linesOf<E>(file);
  let fd = openSync(file, 'a');
  const journal: Journal<E> = {
    append: (entry) => {
      writeSync(fd, `${JSON.stringify(entry)}\n`);
    },
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
