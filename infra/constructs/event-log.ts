import { Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";

/** Properties of an {@link EventLog}. */
export interface EventLogProps {
  /**
   * How long CloudWatch Logs keeps each event.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly retention?: logs.RetentionDays;
  /**
   * A customer managed key to encrypt the log group with; CloudWatch Logs of this region is allowed
   * to use it (the key must be in this stack for that grant to reach its key policy).
   *
   * @default - encrypted by CloudWatch Logs with its own key
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * The CloudWatch log group that receives every Shipline event, whole, as one log record each: the
 * place to search a journey by commit or correlation id with Logs Insights. The rules that write to
 * it grant themselves access (see `TopologyRule.addLogGroup`), so its resource policy names only
 * them.
 *
 * @example
 * ```ts
 * const eventLog = new EventLog(this, "EventLog", { retention: logs.RetentionDays.THREE_MONTHS });
 * ```
 */
export class EventLog extends Construct {
  /** The log group. */
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: EventLogProps = {}) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, "LogGroup", {
      retention: props.retention ?? logs.RetentionDays.ONE_YEAR,
      encryptionKey: props.encryptionKey,
    });
    // The key policy CloudWatch Logs documents for encrypted log groups, scoped to this account's log
    // groups by encryption context (the log group's own ARN would make the key depend on it).
    props.encryptionKey?.grant(
      new iam.ServicePrincipal(`logs.${Stack.of(this).region}.amazonaws.com`, {
        conditions: {
          ArnLike: {
            "kms:EncryptionContext:aws:logs:arn": Stack.of(this).formatArn({
              service: "logs",
              resource: "*",
            }),
          },
        },
      }),
      "kms:Encrypt*",
      "kms:Decrypt*",
      "kms:ReEncrypt*",
      "kms:GenerateDataKey*",
      "kms:Describe*",
    );
  }
}
