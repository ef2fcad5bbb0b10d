/**
 * What a fuzz test counts: inputs tried, rejections by kind, writes, 5xx answers and crashes. Each test
 * file writes its tally to test-results/fuzz/<target>.json, which `npm run fuzz` prints as one table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TALLY_DIR = path.join(ROOT, 'test-results', 'fuzz');

export interface TallyReport {
  readonly target: string;
  readonly runs: number;
  readonly inputs: number;
  readonly accepted: number;
  readonly rejections: Readonly<Record<string, number>>;
  /** Items written because of rejected input (must be 0). */
  readonly writesFromRejected: number;
  /** Items written for accepted input (expected). */
  readonly writesFromAccepted: number;
  /** Rate-limit counters written (the status API counts every request, rejected or not). */
  readonly rateLimitCounters: number;
  readonly serverErrors: number;
  readonly crashes: number;
  /** Stateful fuzz only: sequences run, dead letters, messages sent and HTTP requests made. */
  readonly sequences?: number;
  readonly deadLettered?: number;
  readonly messagesSent?: number;
  readonly requests?: number;
}

export class FuzzTally {
  inputs = 0;
  accepted = 0;
  writesFromRejected = 0;
  writesFromAccepted = 0;
  rateLimitCounters = 0;
  serverErrors = 0;
  crashes = 0;
  sequences = 0;
  deadLettered = 0;
  messagesSent = 0;
  requests = 0;
  readonly rejections: Record<string, number> = {};

  constructor(
    readonly target: string,
    readonly runs: number,
  ) {}

  reject(kind: string): void {
    this.rejections[kind] = (this.rejections[kind] ?? 0) + 1;
  }

  report(): TallyReport {
    return {
      target: this.target,
      runs: this.runs,
      inputs: this.inputs,
      accepted: this.accepted,
      rejections: Object.fromEntries(Object.entries(this.rejections).sort(([, a], [, b]) => b - a)),
      writesFromRejected: this.writesFromRejected,
      writesFromAccepted: this.writesFromAccepted,
      rateLimitCounters: this.rateLimitCounters,
      serverErrors: this.serverErrors,
      crashes: this.crashes,
      ...(this.sequences > 0
        ? {
            sequences: this.sequences,
            deadLettered: this.deadLettered,
            messagesSent: this.messagesSent,
            requests: this.requests,
          }
        : {}),
    };
  }

  save(): void {
    mkdirSync(TALLY_DIR, { recursive: true });
    writeFileSync(
      path.join(TALLY_DIR, `${this.target.replace(/[^a-z0-9-]+/gi, '-')}.json`),
      `${JSON.stringify(this.report(), null, 2)}\n`,
    );
  }
}
