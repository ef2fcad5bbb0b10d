/**
 * Item-level grants on the order table. The table is single-table: orders, notification logs,
 * suppression lists and rate-limit counters live side by side, told apart by the prefix of their
 * partition key. A grant here names the actions a function calls AND the partitions it calls them on,
 * through the `dynamodb:LeadingKeys` condition key, so that, say, the public status API can count its
 * own rate-limit hits but cannot write an order, and the unsubscribe page can add a suppression but
 * cannot read one.
 *
 * Not `table.grant()`: it adds `<table>/index/*`, and only the status API queries an index.
 */
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import {
  CONTACT_PK_PREFIX,
  NOTIFICATIONS_PK_PREFIX,
  ORDER_NUMBER_PK_PREFIX,
  ORDER_PK_PREFIX,
  RATE_PK_PREFIX,
  SUPPRESSION_PK_PREFIX,
} from '../functions/adapters/table-keys.js';

/** The kinds of partition on the order table (see docs/dynamodb.md and functions/adapters/). */
export type OrderTablePartition =
  | 'orders'
  | 'orderNumbers'
  | 'contacts'
  | 'notifications'
  | 'suppressions'
  | 'rateLimits';

/**
 * The partition-key prefix of each kind (functions/adapters/table-keys.ts); test/infrastructure checks
 * them against keys the adapters actually build.
 */
export const PARTITION_KEY_PREFIXES: Readonly<Record<OrderTablePartition, string>> = {
  orders: ORDER_PK_PREFIX,
  orderNumbers: ORDER_NUMBER_PK_PREFIX,
  contacts: CONTACT_PK_PREFIX,
  notifications: NOTIFICATIONS_PK_PREFIX,
  suppressions: SUPPRESSION_PK_PREFIX,
  rateLimits: RATE_PK_PREFIX,
};

/** Some DynamoDB actions, allowed on the items of some partitions. */
export interface ItemAccess {
  readonly actions: readonly string[];
  readonly partitions: readonly OrderTablePartition[];
}

/**
 * Allows `actions` on the table only for keys whose partition key starts with one of the prefixes.
 * `ForAllValues`: a BatchGetItem passes only if every key it asks for is in an allowed partition.
 */
export const grantItemAccess = (
  grantee: IGrantable,
  table: ITableV2,
  access: readonly ItemAccess[],
): void => {
  for (const { actions, partitions } of access) {
    Grant.addToPrincipal({
      grantee,
      actions: [...actions],
      resourceArns: [table.tableArn],
      conditions: {
        'ForAllValues:StringLike': {
          'dynamodb:LeadingKeys': partitions.map((partition) => `${PARTITION_KEY_PREFIXES[partition]}*`),
        },
      },
    });
  }
};

/** Query on the named global secondary indexes only (an index's keys are not the table's, so no condition). */
export const grantIndexQuery = (
  grantee: IGrantable,
  table: ITableV2,
  indexNames: readonly string[],
): void => {
  Grant.addToPrincipal({
    grantee,
    actions: ['dynamodb:Query'],
    resourceArns: indexNames.map((name) => `${table.tableArn}/index/${name}`),
  });
};
