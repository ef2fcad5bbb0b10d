import type {
  AttributeDefinition,
  CreateTableCommandInput,
  KeySchemaElement,
  Projection,
} from '@aws-sdk/client-dynamodb';
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  type Attribute,
  AttributeType,
  Billing,
  type GlobalSecondaryIndexPropsV2,
  type ITableV2,
  ProjectionType,
  StreamViewType,
  TableEncryptionV2,
  TableV2,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { orderTableDefinition } from '../functions/adapters/order-table.js';

/** Attribute that will hold an item's expiry (epoch seconds) once a retention policy is decided. */
export const ORDER_TABLE_TTL_ATTRIBUTE = 'expiresAt';

/** The keys, indexes and stream of a table, in the shape `TableV2` takes. */
export interface TableSchema {
  readonly partitionKey: Attribute;
  readonly sortKey?: Attribute;
  readonly globalSecondaryIndexes: GlobalSecondaryIndexPropsV2[];
  readonly dynamoStream?: StreamViewType;
}

const ATTRIBUTE_TYPES: Record<string, AttributeType> = {
  S: AttributeType.STRING,
  N: AttributeType.NUMBER,
  B: AttributeType.BINARY,
};

const PROJECTION_TYPES: Record<string, ProjectionType> = {
  ALL: ProjectionType.ALL,
  KEYS_ONLY: ProjectionType.KEYS_ONLY,
  INCLUDE: ProjectionType.INCLUDE,
};

const STREAM_VIEW_TYPES: Record<string, StreamViewType> = {
  NEW_IMAGE: StreamViewType.NEW_IMAGE,
  OLD_IMAGE: StreamViewType.OLD_IMAGE,
  NEW_AND_OLD_IMAGES: StreamViewType.NEW_AND_OLD_IMAGES,
  KEYS_ONLY: StreamViewType.KEYS_ONLY,
};

const lookUp = <T>(table: Record<string, T>, key: string | undefined, what: string): T => {
  const value = key === undefined ? undefined : table[key];
  if (value === undefined) throw new Error(`orderTableDefinition: unsupported ${what} ${String(key)}`);
  return value;
};

const attribute = (definitions: readonly AttributeDefinition[], name: string | undefined): Attribute => {
  const definition = definitions.find((candidate) => candidate.AttributeName === name);
  if (!name || !definition) throw new Error(`orderTableDefinition: key attribute ${name} is not defined`);
  return { name, type: lookUp(ATTRIBUTE_TYPES, definition.AttributeType, 'attribute type') };
};

const keys = (definitions: readonly AttributeDefinition[], schema: readonly KeySchemaElement[] = []) => {
  const hash = schema.find((element) => element.KeyType === 'HASH');
  const range = schema.find((element) => element.KeyType === 'RANGE');
  return {
    partitionKey: attribute(definitions, hash?.AttributeName),
    ...(range ? { sortKey: attribute(definitions, range.AttributeName) } : {}),
  };
};

const projection = (value: Projection | undefined) => ({
  projectionType: lookUp(PROJECTION_TYPES, value?.ProjectionType ?? 'ALL', 'projection type'),
  ...(value?.NonKeyAttributes ? { nonKeyAttributes: value.NonKeyAttributes } : {}),
});

/**
 * Translates the CreateTable request that DynamoDB Local is built from into `TableV2` props, so the
 * deployed table cannot drift from the one the tests run against.
 */
export const tableSchemaFrom = (definition: CreateTableCommandInput): TableSchema => {
  if (definition.BillingMode !== 'PAY_PER_REQUEST') {
    throw new Error(
      `orderTableDefinition: BillingMode must be PAY_PER_REQUEST, got ${definition.BillingMode}`,
    );
  }
  if (definition.LocalSecondaryIndexes?.length) {
    throw new Error('orderTableDefinition: local secondary indexes are not translated');
  }
  const attributes = definition.AttributeDefinitions ?? [];
  const stream = definition.StreamSpecification;
  return {
    ...keys(attributes, definition.KeySchema),
    globalSecondaryIndexes: (definition.GlobalSecondaryIndexes ?? []).map((index) => {
      if (!index.IndexName) throw new Error('orderTableDefinition: a global secondary index has no name');
      return {
        indexName: index.IndexName,
        ...keys(attributes, index.KeySchema),
        ...projection(index.Projection),
      };
    }),
    ...(stream?.StreamEnabled
      ? { dynamoStream: lookUp(STREAM_VIEW_TYPES, stream.StreamViewType, 'stream view type') }
      : {}),
  };
};

export interface OrderStoreProps {
  /**
   * What happens to the table when it leaves the stack (stack deletion, or a change that replaces it).
   * DESTROY also turns deletion protection off, so that the stack can actually delete the table:
   * meant for short-lived test deployments, never for a shop's orders.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The order table: one item per order state and one per distinct event (see docs/dynamodb.md).
 *
 * `TableV2` (AWS::DynamoDB::GlobalTable) rather than `Table`: it is the CDK's current table construct,
 * and adding a replica region later is a property change on the same resource, whereas moving a `Table`
 * to a global table means replacing or re-importing a retained table full of orders.
 */
export class OrderStore extends Construct {
  readonly table: ITableV2;

  constructor(scope: Construct, id: string, props: OrderStoreProps = {}) {
    super(scope, id);

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.table = new TableV2(this, 'Table', {
      ...tableSchemaFrom(orderTableDefinition('order-store')),
      billing: Billing.onDemand(),
      // The AWS managed key (aws/dynamodb): use is logged in CloudTrail, no key policy to maintain, and
      // callers need no kms: permissions of their own.
      encryption: TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Orders are the customers' history: a stack deletion or a replacement must never take them along.
      deletionProtection: removalPolicy !== RemovalPolicy.DESTROY,
      removalPolicy,
      timeToLiveAttribute: ORDER_TABLE_TTL_ATTRIBUTE,
    });
  }
}
