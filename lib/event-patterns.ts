/**
 * EventBridge event patterns, as the JSON the EventBridge API takes (`detail-type`, not CDK's
 * `detailType`). Plain data with no CDK import, so the local runtime can match events with the very
 * pattern the deployed rule uses.
 */

import { EMAIL_TAGS } from '../functions/adapters/ses-email-sender.js';
import { ORDER_PK_PREFIX, STATE_SK } from '../functions/adapters/table-keys.js';

const EMAIL_DEPLOYMENT_TAG = EMAIL_TAGS.deployment;

export interface OrderEventPattern {
  readonly source: readonly string[];
}

/**
 * Every event from the shop platforms' `source`s, whatever its `detail-type`. The rule does not list the
 * known types on purpose: PutEvents accepts any detail-type, and an event no rule matches vanishes
 * without a trace (`Order Exploded`, `order placed`, `Order Placed ` with a trailing space). Matching
 * the source alone delivers every one of them to the ingest, whose contract check dead-letters the
 * misspelt ones with a reason that lists the known types.
 */
export const orderEventPattern = (sources: string | readonly string[]): OrderEventPattern => ({
  source: typeof sources === 'string' ? [sources] : [...sources],
});

export { producerSourceProblem } from '../functions/domain/order-events.js';

/** The SES event types the feedback function acts on, as EventBridge detail-types. */
export const SES_FEEDBACK_DETAIL_TYPES = [
  'Email Bounced',
  'Email Complaint Received',
  'Email Delivered',
] as const;

export interface SesFeedbackPattern {
  readonly source: readonly ['aws.ses'];
  readonly 'detail-type': typeof SES_FEEDBACK_DETAIL_TYPES;
  readonly detail: {
    readonly mail: {
      readonly tags: {
        readonly $or: readonly [
          { readonly 'ses:configuration-set': readonly string[] },
          { readonly [EMAIL_DEPLOYMENT_TAG]: readonly string[] },
        ];
      };
    };
  };
}

/**
 * SES feedback of this deployment's e-mails. SES publishes to the account's default bus, which carries
 * every configuration set's events; SES tags each e-mail with the name of its configuration set, and the
 * sender tags each one with the deployment's (EMAIL_TAGS.deployment), so e-mails a shop sends through its
 * own configuration set (which must publish to the default bus) come back here too.
 */
export const sesFeedbackPattern = (configurationSetName: string): SesFeedbackPattern => ({
  source: ['aws.ses'],
  'detail-type': SES_FEEDBACK_DETAIL_TYPES,
  detail: {
    mail: {
      tags: {
        $or: [
          { 'ses:configuration-set': [configurationSetName] },
          { [EMAIL_DEPLOYMENT_TAG]: [configurationSetName] },
        ],
      },
    },
  },
});

/**
 * The Lambda event filter of the planner's stream mapping: order state items only (`pk` ORDER#…,
 * `sk` STATE). Event items, notification records, suppressions and rate-limit counters share the table
 * and its stream; a removal has no new image and never matches.
 */
export const ORDER_STATE_STREAM_FILTER = {
  dynamodb: { NewImage: { pk: { S: [{ prefix: ORDER_PK_PREFIX }] }, sk: { S: [STATE_SK] } } },
} as const;
