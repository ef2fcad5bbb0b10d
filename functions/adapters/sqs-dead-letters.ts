import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

export interface DeadLetter {
  /** The message exactly as received, so a redrive can send it back unchanged. */
  readonly body: string;
  /** What was wrong, for the operator: names the field and the problem, never the customer's data. */
  readonly reason: string;
  /** The error class, e.g. InvalidEventError, for filtering and alarms. */
  readonly errorType: string;
  readonly sourceMessageId: string;
  readonly receiveCount: number;
}

export interface DeadLetterSink {
  send(letter: DeadLetter): Promise<void>;
}

/** SQS message attribute values are limited; a reason longer than this is cut with an ellipsis. */
export const MAX_REASON_LENGTH = 2000;

const truncate = (text: string): string =>
  text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH - 1)}…` : text;

/** Dead letters on an SQS queue, the reason in message attributes next to the untouched body. */
export class SqsDeadLetterSink implements DeadLetterSink {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async send(letter: DeadLetter): Promise<void> {
    const attribute = (value: string) => ({ DataType: 'String', StringValue: value });
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: letter.body,
        MessageAttributes: {
          reason: attribute(truncate(letter.reason)),
          errorType: attribute(letter.errorType),
          sourceMessageId: attribute(letter.sourceMessageId),
          receiveCount: { DataType: 'Number', StringValue: String(letter.receiveCount) },
          failedAt: attribute(this.clock().toISOString()),
        },
      }),
    );
  }
}
