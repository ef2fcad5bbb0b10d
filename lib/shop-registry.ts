import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Billing, type ITableV2, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { DEFAULT_SHOP_CACHE_SECONDS } from '../functions/adapters/dynamodb-shop-registry.js';
import { shopRegistryTableDefinition } from '../functions/adapters/order-table.js';
import { tableSchemaFrom } from './order-store.js';

export interface ShopRegistryProps {
  /**
   * How long each function keeps a shop it read: a change made with `shops put` is live everywhere
   * within it, and each function reads each shop at most once per this time.
   * @default Duration.seconds(60)
   */
  readonly cacheTime?: Duration;
  /**
   * What happens to the registry when it leaves the stack; DESTROY is for test deployments only.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The shops a deployment serves (docs/shop-registry.md): one versioned item per shop, every earlier
 * version kept, written by operators with the CLI (`shops put`), read by the functions through a cache.
 */
export class ShopRegistry extends Construct {
  readonly table: ITableV2;
  readonly cacheSeconds: number;

  constructor(scope: Construct, id: string, props: ShopRegistryProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.cacheSeconds = (props.cacheTime ?? Duration.seconds(DEFAULT_SHOP_CACHE_SECONDS)).toSeconds();
    if (!Number.isInteger(this.cacheSeconds) || this.cacheSeconds < 0 || this.cacheSeconds > 3600) {
      throw new Error(
        `${this.node.path}: cacheTime must be whole seconds from 0 to 3600, got ${this.cacheSeconds}`,
      );
    }
    this.table = new TableV2(this, 'Table', {
      ...tableSchemaFrom(shopRegistryTableDefinition('shop-registry')),
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.awsManagedKey(),
      // The history is the registry's audit trail and the source of every rollback.
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: removalPolicy !== RemovalPolicy.DESTROY,
      removalPolicy,
    });
  }

  /** What a function reading shops needs: GetItem of the registry's items, nothing else. */
  grantRead(grantee: IGrantable): void {
    Grant.addToPrincipal({ grantee, actions: ['dynamodb:GetItem'], resourceArns: [this.table.tableArn] });
  }

  /** The variables of lib/wiring.ts's SHOP_REGISTRY_VARIABLES. */
  environment(): { SHOP_REGISTRY_TABLE_NAME: string; SHOP_CACHE_SECONDS: string } {
    return { SHOP_REGISTRY_TABLE_NAME: this.table.tableName, SHOP_CACHE_SECONDS: String(this.cacheSeconds) };
  }
}
