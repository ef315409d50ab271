/**
 * The logical name of the table of idempotency records (webhook deliveries already published,
 * builds already started). On AWS it maps to the DynamoDB table named by `IDEMPOTENCY_TABLE`;
 * locally it is a file of the file-backed store.
 */
export const IDEMPOTENCY_TABLE = "idempotency";
