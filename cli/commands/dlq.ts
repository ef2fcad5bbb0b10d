/**
 * `dlq list` and `dlq redrive`, for every dead-letter queue of the stack (order events, notification
 * jobs, and the others that hold the same kinds of body).
 *
 * Reading a message from SQS hides it for its visibility timeout, so listing receives with a short one
 * and, when done, makes every message it saw visible again at once. A redrive sends each body untouched
 * to the target queue and deletes it from the dead-letter queue only after the send succeeded; a message
 * that arrives in the dead-letter queue after the redrive started (a redriven message failing again) is
 * left where it is, so a redrive always ends.
 */
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Command } from 'commander';
import { type CommandContext, positiveInteger } from '../context.js';
import {
  type DeadLetterSummary,
  describeIds,
  redriveRefusalOf,
  summariseDeadLetter,
} from '../dead-letters.js';
import { EXIT, type ExitCode, usageError } from '../io.js';
import type { Action } from '../program.js';

interface ReadOptions {
  readonly max?: string;
  readonly visibilityTimeout?: string;
  readonly wait?: string;
  readonly body?: boolean;
}

interface RedriveOptions extends ReadOptions {
  readonly to: string;
  readonly dryRun?: boolean;
  readonly includeInvalid?: boolean;
}

interface Reading {
  readonly visibilityTimeout: number;
  readonly waitSeconds: number;
}

const readingOf = (options: ReadOptions, defaultVisibility: number): Reading => ({
  visibilityTimeout:
    positiveInteger('--visibility-timeout', options.visibilityTimeout, 43_200) ?? defaultVisibility,
  // 0 is allowed: short polling (fine for the local SQS; on AWS a short poll may miss messages).
  waitSeconds: options.wait === '0' ? 0 : (positiveInteger('--wait', options.wait, 20) ?? 2),
});

const approximateCount = async (sqs: SQSClient, queueUrl: string): Promise<number> => {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
};

const receive = async (
  sqs: SQSClient,
  queueUrl: string,
  count: number,
  reading: Reading,
): Promise<Message[]> => {
  const { Messages } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: Math.min(10, count),
      VisibilityTimeout: reading.visibilityTimeout,
      WaitTimeSeconds: reading.waitSeconds,
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['All'],
    }),
  );
  return Messages ?? [];
};

/** Makes received messages visible again now; returns how many could not be (they reappear later). */
const release = async (sqs: SQSClient, queueUrl: string, messages: Iterable<Message>): Promise<number> => {
  let failures = 0;
  for (const message of messages) {
    if (!message.ReceiptHandle) continue;
    try {
      await sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queueUrl,
          ReceiptHandle: message.ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      );
    } catch {
      failures++;
    }
  }
  return failures;
};

const withBody = (summary: DeadLetterSummary, message: Message, include: boolean | undefined) =>
  include ? { ...summary, body: message.Body ?? '' } : summary;

const list = async (context: CommandContext, queueUrl: string, options: ReadOptions): Promise<ExitCode> => {
  const sqs = context.sqs();
  const max = positiveInteger('--max', options.max, 100_000) ?? 100;
  const reading = readingOf(options, 30);
  const approximate = await approximateCount(sqs, queueUrl);
  const seen = new Map<string, Message>();
  const progress = context.out.progress('Reading', Math.min(max, approximate));
  while (seen.size < max) {
    const messages = await receive(sqs, queueUrl, max - seen.size, reading);
    if (messages.length === 0) break;
    let fresh = 0;
    for (const message of messages) {
      const id = message.MessageId ?? '';
      if (!seen.has(id)) fresh++;
      // The newest receipt handle is the one that can change the message's visibility.
      seen.set(id, message);
    }
    progress.update(seen.size);
    // Only messages seen before: their visibility timeout ran out while listing; everything was read.
    if (fresh === 0) break;
  }
  progress.stop();
  const unreleased = await release(sqs, queueUrl, seen.values());
  if (unreleased > 0) {
    context.out.warn(
      `${unreleased} message(s) stay hidden until their ${reading.visibilityTimeout} s visibility timeout ends`,
    );
  }
  const messages = [...seen.values()];
  const summaries = messages.map(summariseDeadLetter);
  const out = context.out;
  if (out.json) {
    out.result({
      queueUrl,
      approximateCount: approximate,
      messages: summaries.map((summary, index) =>
        withBody(summary, messages[index] as Message, options.body),
      ),
    });
    return EXIT.ok;
  }
  out.line(`Dead letters in ${queueUrl}: about ${approximate} message(s); ${summaries.length} listed`);
  if (summaries.length === 0) return EXIT.ok;
  out.line();
  out.table(
    ['MESSAGE ID', 'FAILED AT', 'ERROR TYPE', 'RECEIVES', 'ABOUT', 'REASON'],
    summaries.map((summary) => [
      summary.messageId,
      summary.failedAt,
      summary.errorType,
      summary.receiveCount,
      describeIds(summary),
      summary.reason,
    ]),
  );
  if (options.body) {
    out.line();
    for (const message of messages) out.line(`${message.MessageId}  ${message.Body ?? ''}`);
  }
  return EXIT.ok;
};

interface RedriveFailure {
  readonly message: DeadLetterSummary;
  /** `send`: still in the dead-letter queue; `delete`: sent, but also still in the dead-letter queue. */
  readonly stage: 'send' | 'delete';
  readonly errorCode: string;
  readonly errorMessage: string;
}

const redrive = async (
  context: CommandContext,
  queueUrl: string,
  options: RedriveOptions,
): Promise<ExitCode> => {
  if (options.to === queueUrl) throw usageError('--to names the dead-letter queue itself');
  const sqs = context.sqs();
  const dryRun = options.dryRun === true;
  const limit = positiveInteger('--max', options.max, 1_000_000) ?? Number.POSITIVE_INFINITY;
  const reading = readingOf(options, 60);
  const startedAt = Date.now();
  const approximate = await approximateCount(sqs, queueUrl);

  const seen = new Map<string, Message>();
  const moved: DeadLetterSummary[] = [];
  const wouldMove: Message[] = [];
  const arrivedDuring: DeadLetterSummary[] = [];
  /** Dead letters the runbook says never to redrive (invalid events, malformed jobs): left in place. */
  const skipped: Array<DeadLetterSummary & { readonly why: string }> = [];
  const failed: RedriveFailure[] = [];
  const deleted = new Set<string>();
  let stopped = false;
  const progress = context.out.progress(dryRun ? 'Reading' : 'Moving', Math.min(limit, approximate));
  const handled = () => moved.length + wouldMove.length + failed.length;

  while (!stopped && handled() < limit) {
    const messages = await receive(sqs, queueUrl, Math.min(10, limit - handled()), reading);
    if (messages.length === 0) break;
    const fresh = messages.filter((message) => !seen.has(message.MessageId ?? ''));
    for (const message of messages) seen.set(message.MessageId ?? '', message);
    if (fresh.length === 0) break;
    const eligible: Message[] = [];
    for (const message of fresh) {
      const summary = summariseDeadLetter(message);
      const refusal = redriveRefusalOf(summary);
      if (Number(message.Attributes?.SentTimestamp) >= startedAt) arrivedDuring.push(summary);
      else if (refusal && options.includeInvalid !== true) skipped.push({ ...summary, why: refusal });
      else eligible.push(message);
    }
    if (dryRun) {
      wouldMove.push(...eligible);
      progress.update(wouldMove.length);
      continue;
    }
    if (eligible.length === 0) continue;

    let sentOk: Message[] = [];
    try {
      const result = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: options.to,
          // The body exactly as it was; the dead-letter attributes stay behind (a new failure sets its own).
          Entries: eligible.map((message, index) => ({ Id: String(index), MessageBody: message.Body ?? '' })),
        }),
      );
      const refused = new Map((result.Failed ?? []).map((entry) => [entry.Id, entry]));
      eligible.forEach((message, index) => {
        const refusal = refused.get(String(index));
        if (refusal) {
          failed.push({
            message: summariseDeadLetter(message),
            stage: 'send',
            errorCode: refusal.Code ?? 'Unknown',
            errorMessage: refusal.Message ?? '',
          });
        } else sentOk.push(message);
      });
    } catch (error) {
      // The target refused the request (missing queue, permissions): the next batches would fail too.
      const name = error instanceof Error ? error.name : 'Error';
      const text = error instanceof Error ? error.message : String(error);
      for (const message of eligible) {
        failed.push({
          message: summariseDeadLetter(message),
          stage: 'send',
          errorCode: name,
          errorMessage: text,
        });
      }
      sentOk = [];
      stopped = true;
    }
    if (sentOk.length > 0) {
      const result = await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: sentOk.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle ?? '',
          })),
        }),
      );
      const refused = new Map((result.Failed ?? []).map((entry) => [entry.Id, entry]));
      sentOk.forEach((message, index) => {
        const refusal = refused.get(String(index));
        if (refusal) {
          failed.push({
            message: summariseDeadLetter(message),
            stage: 'delete',
            errorCode: refusal.Code ?? 'Unknown',
            errorMessage: `sent to the target, but not deleted here: ${refusal.Message ?? ''}`,
          });
        } else {
          deleted.add(message.MessageId ?? '');
          moved.push(summariseDeadLetter(message));
        }
      });
    }
    progress.update(handled());
  }
  progress.stop();
  // Whatever stays in the dead-letter queue is visible again at once.
  await release(
    sqs,
    queueUrl,
    [...seen.values()].filter((message) => !deleted.has(message.MessageId ?? '')),
  );

  const out = context.out;
  if (out.json) {
    out.result({
      from: queueUrl,
      to: options.to,
      dryRun,
      moved,
      wouldMove: wouldMove.map((message) => withBody(summariseDeadLetter(message), message, options.body)),
      failed,
      skipped,
      leftInPlace: arrivedDuring,
      counts: {
        moved: moved.length,
        wouldMove: wouldMove.length,
        skipped: skipped.length,
        failed: failed.length,
        leftInPlace: arrivedDuring.length,
      },
    });
    warnSkipped(context, skipped);
    return failed.length > 0 ? EXIT.problems : EXIT.ok;
  }
  if (dryRun) {
    out.line(
      `Dry run: would move ${wouldMove.length} message(s) from ${queueUrl} to ${options.to}; ${skipped.length} skipped`,
    );
    if (wouldMove.length > 0) {
      out.line();
      out.table(
        ['MESSAGE ID', 'ERROR TYPE', 'ABOUT', 'REASON'],
        wouldMove
          .map(summariseDeadLetter)
          .map((summary) => [summary.messageId, summary.errorType, describeIds(summary), summary.reason]),
      );
    }
  } else {
    out.line(
      `Moved ${moved.length} message(s) from ${queueUrl} to ${options.to}; ${failed.length} failed; ${skipped.length} skipped`,
    );
    if (moved.length > 0) {
      out.line();
      out.table(
        ['MESSAGE ID', 'ABOUT'],
        moved.map((summary) => [summary.messageId, describeIds(summary)]),
      );
    }
    if (failed.length > 0) {
      out.line();
      out.line('Failed (still in the dead-letter queue):');
      out.table(
        ['MESSAGE ID', 'ABOUT', 'STAGE', 'ERROR', 'MESSAGE'],
        failed.map((failure) => [
          failure.message.messageId,
          describeIds(failure.message),
          failure.stage,
          failure.errorCode,
          failure.errorMessage,
        ]),
      );
    }
  }
  if (skipped.length > 0) {
    out.line();
    out.line(
      `Skipped ${skipped.length} message(s) that must not be redriven (left in the dead-letter queue):`,
    );
    out.table(
      ['MESSAGE ID', 'ERROR TYPE', 'ABOUT', 'WHAT TO DO'],
      skipped.map((summary) => [summary.messageId, summary.errorType, describeIds(summary), summary.why]),
    );
  }
  warnSkipped(context, skipped);
  if (arrivedDuring.length > 0) {
    out.line();
    out.line(
      `${arrivedDuring.length} message(s) arrived during the redrive (failed again?) and were left in place: run \`dlq list\` to see why.`,
    );
  }
  return failed.length > 0 ? EXIT.problems : EXIT.ok;
};

/** One warning on stderr (also in --json mode) with the count per error type. */
const warnSkipped = (context: CommandContext, skipped: ReadonlyArray<DeadLetterSummary>): void => {
  if (skipped.length === 0) return;
  const byType = new Map<string, number>();
  for (const summary of skipped) byType.set(summary.errorType, (byType.get(summary.errorType) ?? 0) + 1);
  context.out.warn(
    `skipped ${skipped.length} dead letter(s) that would fail again (${[...byType]
      .map(([type, count]) => `${count} ${type}`)
      .join(', ')}); see docs/operations.md, or pass --include-invalid to move them anyway`,
  );
};

const READ_HELP = `
Reading a message hides it for its visibility timeout; the command makes what it read visible again when
it is done. Reason, error type, time and receive count come from the message attributes the handlers
set; a message without them was moved by the queue's redrive policy after its last delivery.`;

export const registerDlq = (dlq: Command, action: Action): void => {
  dlq
    .command('list')
    .description('List dead letters with their reason, without deleting them')
    .argument(
      '<queueUrl>',
      'the dead-letter queue (stack outputs DeadLetterQueueUrl, NotificationDeadLetterQueueUrl)',
    )
    .option('--max <n>', 'list at most n messages', '100')
    .option(
      '--visibility-timeout <seconds>',
      'how long a listed message stays hidden if it cannot be released',
      '30',
    )
    .option('--wait <seconds>', 'long-poll wait per receive, 0-20', '2')
    .option('--body', 'also print the message bodies (they may hold personal data)')
    .addHelpText(
      'after',
      `${READ_HELP}

Examples:
  $ order-notifications dlq list https://sqs.eu-central-1.amazonaws.com/123456789012/OrderEventsDeadLetterQueue
  $ order-notifications dlq list "$DLQ_URL" --json --body | jq -c '.messages[].body | fromjson' > events.ndjson`,
    )
    .action(action((context, queueUrl: string, options: ReadOptions) => list(context, queueUrl, options)));

  dlq
    .command('redrive')
    .description(
      'Move dead letters back to the queue they came from (bodies untouched), then delete them here',
    )
    .argument('<queueUrl>', 'the dead-letter queue')
    .requiredOption('--to <queueUrl>', 'the queue to send them to (OrderEventsQueue, NotificationQueue)')
    .option('--dry-run', 'only show what would move')
    .option('--max <n>', 'move at most n messages (default: all)')
    .option('--visibility-timeout <seconds>', 'how long a message being moved stays hidden', '60')
    .option('--wait <seconds>', 'long-poll wait per receive, 0-20', '2')
    .option('--body', 'with --dry-run --json: include the message bodies')
    .option(
      '--include-invalid',
      'also move the dead letters the runbook says never to redrive (InvalidEventError, EventIdConflictError, InvalidJobError, UnknownJobError)',
    )
    .addHelpText(
      'after',
      `${READ_HELP}
Fix the cause first (see the reasons with \`dlq list\`): a message that fails again comes back here.
Dead letters that would fail again whatever you fix in the stack (an invalid event, an event id reused
for other content, a malformed or unknown job) are skipped and counted, unless --include-invalid.
Redriving is safe to repeat: the ingest drops duplicate events and the sender sends each notification once.

Examples:
  $ order-notifications dlq redrive "$DLQ_URL" --to "$QUEUE_URL" --dry-run
  $ order-notifications dlq redrive "$DLQ_URL" --to "$QUEUE_URL" --max 10`,
    )
    .action(
      action((context, queueUrl: string, options: RedriveOptions) => redrive(context, queueUrl, options)),
    );
};
