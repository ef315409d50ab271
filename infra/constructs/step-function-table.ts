import { RemovalPolicy } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type * as kms from "aws-cdk-lib/aws-kms";
import { Construct } from "constructs";

/** The attribute holding when an item expires (epoch seconds); DynamoDB's TTL deletes it afterwards. */
export const EXPIRES_AT_ATTRIBUTE = "expiresAt";

/** Properties of a {@link StepFunctionTable}. */
export interface StepFunctionTableProps {
  /**
   * A customer managed key for the table.
   *
   * @default - the AWS managed key `aws/dynamodb`
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * What happens to the table when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN - the records outlive the stack
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A DynamoDB table in the shape every Shipline `DocumentStore` table has: string keys `pk` and
 * `sk`, on-demand capacity, point-in-time recovery, encryption at rest, and TTL on `expiresAt`
 * (idempotency records expire; records without the attribute stay).
 *
 * @example
 * ```ts
 * const idempotency = new StepFunctionTable(this, "IdempotencyTable");
 * grantStoreOperations(idempotency.table, webhook.role, ["get", "put"]);
 * ```
 */
export class StepFunctionTable extends Construct {
  /** The table. */
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: StepFunctionTableProps = {}) {
    super(scope, id);
    this.table = new dynamodb.Table(this, "Table", {
      partitionKey: { name: "pk", type: dynamodb.AttributeType.STRING },
      sortKey: { name: "sk", type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: EXPIRES_AT_ATTRIBUTE,
      encryption:
        props.encryptionKey === undefined
          ? dynamodb.TableEncryption.AWS_MANAGED
          : dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }
}
