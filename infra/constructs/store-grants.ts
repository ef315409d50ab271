import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type * as iam from "aws-cdk-lib/aws-iam";
import type { DocumentStore } from "../../functions/core/ports/document-store.js";

/** A method of the `DocumentStore` port, as a function calls it on a table. */
export type StoreOperation = keyof DocumentStore;

/**
 * The DynamoDB action each `DocumentStore` method sends through `DynamoDbDocumentStore`
 * (`functions/adapters/aws/dynamodb-document-store.ts`): `get` a consistent GetItem, `put` a
 * PutItem (conditional for `ifAbsent`, which needs no other action), `delete` a DeleteItem, `query`
 * Query pages. A new method of the port fails to compile here until its action is named.
 */
export const STORE_ACTIONS: Readonly<Record<StoreOperation, string>> = {
  get: "dynamodb:GetItem",
  put: "dynamodb:PutItem",
  delete: "dynamodb:DeleteItem",
  query: "dynamodb:Query",
};

/** The operations that write: with a customer managed key, they also need to encrypt. */
const WRITES: ReadonlySet<StoreOperation> = new Set(["put", "delete"]);

/**
 * Lets a function call the given `DocumentStore` methods on one table, and nothing else: the
 * DynamoDB actions of {@link STORE_ACTIONS} on the table (and its indexes, when it has any), and,
 * for a table encrypted with a customer managed key, decrypting with it (and encrypting, for
 * `put` and `delete`). The narrow counterpart of `grantReadWriteData`, which also allows Scan,
 * BatchWriteItem, UpdateItem and stream reads that no step sends.
 *
 * @example
 * ```ts
 * grantStoreOperations(idempotencyTable, webhook.role, ["get", "put"]);
 * ```
 */
export function grantStoreOperations(
  table: dynamodb.ITable,
  grantee: iam.IGrantable,
  operations: readonly StoreOperation[],
): iam.Grant {
  const actions = [...new Set(operations)].map((operation) => STORE_ACTIONS[operation]);
  const grant = table.grant(grantee, ...actions);
  if (table.encryptionKey !== undefined) {
    const writes = operations.some((operation) => WRITES.has(operation));
    table.encryptionKey.grant(
      grantee,
      "kms:Decrypt",
      "kms:DescribeKey",
      ...(writes ? ["kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"] : []),
    );
  }
  return grant;
}
