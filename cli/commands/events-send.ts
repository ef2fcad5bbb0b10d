/**
 * `events send <file>`: validate a file of order events with the contract, then put the valid ones on the
 * bus with PutEvents, ten at a time, and report what EventBridge refused and why.
 */
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { Command } from 'commander';
import { batchEntries } from '../../functions/adapters/put-events-batches.js';
import { DEFAULT_EVENT_SOURCE } from '../../functions/domain/order-events.js';
import type { CommandContext } from '../context.js';
import { type EventEntry, readEventEntries } from '../event-file.js';
import { EXIT, type ExitCode, readTextInput, usageError } from '../io.js';
import type { Action } from '../program.js';

/** The request size limit EventBridge had before 2026 (256 KiB); safe in every region. */

interface SendOptions {
  readonly bus?: string;
  readonly source?: string;
  readonly dryRun?: boolean;
}

interface Reported {
  readonly location: string;
  readonly eventId?: string | undefined;
  readonly detailType?: string | undefined;
}

interface Sent extends Reported {
  readonly eventBridgeId: string;
}

interface Failure extends Reported {
  readonly errorCode: string;
  readonly errorMessage: string;
}

const send = async (context: CommandContext, file: string, options: SendOptions): Promise<ExitCode> => {
  const fromStdin = file === '-';
  const text = await readTextInput(context.io, file);
  const entries = readEventEntries(text);
  if (entries.length === 0) throw usageError(`${fromStdin ? 'standard input' : file} holds no events`);
  const dryRun = options.dryRun === true;
  const bus = options.bus ?? context.env.EVENT_BUS_NAME;
  if (!dryRun && !bus) throw usageError('no event bus: pass --bus <name> or set EVENT_BUS_NAME');

  const invalid = entries.filter((entry) => entry.problems.length > 0);
  const valid = entries.filter((entry) => entry.problems.length === 0);
  const sent: Sent[] = [];
  const failed: Failure[] = [];

  if (!dryRun && bus && valid.length > 0) {
    const prepared = valid.map((entry) => ({
      entry,
      EventBusName: bus,
      Source: entry.source ?? options.source ?? DEFAULT_EVENT_SOURCE,
      DetailType: entry.detailType ?? '',
      Detail: entry.detailText ?? '{}',
    }));
    const batches = batchEntries(prepared);
    const progress = context.out.progress('Sending', valid.length);
    let stopped: string | undefined;
    for (const batch of batches) {
      const describe = (entry: EventEntry): Reported => ({
        location: entry.location,
        eventId: entry.eventId,
        detailType: entry.detailType,
      });
      if (stopped) {
        for (const { entry } of batch) {
          failed.push({ ...describe(entry), errorCode: 'NotSent', errorMessage: stopped });
        }
        continue;
      }
      try {
        const result = await context.eventBridge().send(
          new PutEventsCommand({
            Entries: batch.map(({ entry: _entry, ...request }) => request),
          }),
        );
        batch.forEach(({ entry }, index) => {
          const answer = result.Entries?.[index];
          if (answer?.EventId && !answer.ErrorCode) {
            sent.push({ ...describe(entry), eventBridgeId: answer.EventId });
          } else {
            failed.push({
              ...describe(entry),
              errorCode: answer?.ErrorCode ?? 'Unknown',
              errorMessage: answer?.ErrorMessage ?? 'EventBridge returned no result for this entry',
            });
          }
        });
      } catch (error) {
        // A refused request (credentials, size, throttling after the SDK's retries) would refuse the
        // next ones too: stop, and say which events were not sent.
        const name = error instanceof Error ? error.name : 'Error';
        const message = error instanceof Error ? error.message : String(error);
        for (const { entry } of batch)
          failed.push({ ...describe(entry), errorCode: name, errorMessage: message });
        stopped = `not sent: an earlier PutEvents request failed (${name})`;
      }
      progress.increment(batch.length);
    }
    progress.stop();
  }

  const out = context.out;
  if (out.json) {
    out.result({
      file,
      bus: bus ?? null,
      dryRun,
      total: entries.length,
      valid: valid.length,
      invalid: invalid.map((entry) => ({
        location: entry.location,
        eventId: entry.eventId ?? null,
        detailType: entry.detailType ?? null,
        problems: entry.problems,
      })),
      sent,
      failed,
    });
  } else {
    out.line(
      `${fromStdin ? 'standard input' : file}: ${entries.length} event(s), ${valid.length} valid, ${invalid.length} invalid`,
    );
    if (invalid.length > 0) {
      out.line();
      out.line('Invalid (not sent):');
      out.table(
        ['WHERE', 'EVENT ID', 'DETAIL TYPE', 'FIELD', 'PROBLEM'],
        invalid.flatMap((entry) =>
          entry.problems.map((problem) => [
            entry.location,
            entry.eventId ?? '',
            entry.detailType ?? '',
            problem.path,
            problem.message,
          ]),
        ),
      );
    }
    out.line();
    if (dryRun) {
      out.line(
        `Dry run: nothing was sent.${valid.length > 0 ? ` ${valid.length} event(s) would be sent.` : ''}`,
      );
    } else {
      out.line(
        `Sent ${valid.length} event(s) to bus ${bus}: ${sent.length} accepted, ${failed.length} failed`,
      );
      if (failed.length > 0) {
        out.line();
        out.line('Failed:');
        out.table(
          ['WHERE', 'EVENT ID', 'DETAIL TYPE', 'ERROR', 'MESSAGE'],
          failed.map((failure) => [
            failure.location,
            failure.eventId ?? '',
            failure.detailType ?? '',
            failure.errorCode,
            failure.errorMessage,
          ]),
        );
      }
    }
  }
  return invalid.length > 0 || failed.length > 0 ? EXIT.problems : EXIT.ok;
};

export const registerEventsSend = (events: Command, action: Action): void => {
  events
    .command('send')
    .description(
      'Validate a file of order events with the contract and put the valid ones on the bus (PutEvents, 10 per request)',
    )
    .argument(
      '<file>',
      'a JSON array or NDJSON file, - for standard input; each entry {"detail-type", "detail", "source"?} or {"DetailType", "Detail", "Source"?}',
    )
    .option('--bus <name>', 'the event bus (default: $EVENT_BUS_NAME)')
    .option('--source <source>', `the source of entries that name none (default: ${DEFAULT_EVENT_SOURCE})`)
    .option('--dry-run', 'validate only; send nothing')
    .addHelpText(
      'after',
      `
Every entry is checked first; invalid ones are reported with the field and the problem and not sent.
Exit code 1 if any entry was invalid or refused by EventBridge.

Examples:
  $ order-notifications events send fixes.ndjson --dry-run
  $ order-notifications events send fixes.ndjson --bus OrderEventBus1A2B3C
  $ AWS_ENDPOINT_URL_EVENTBRIDGE=http://127.0.0.1:4010 order-notifications events send fixes.json --bus orders --json`,
    )
    .action(action((context, file: string, options: SendOptions) => send(context, file, options)));
};
