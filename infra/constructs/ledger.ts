import { Duration, Stack, Validations } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type * as events from "aws-cdk-lib/aws-events";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { EnvName } from "../../functions/core/topology/env-names.js";
import type { EventRouting } from "./event-routing.js";
import { StepFunction } from "./step-function.js";
import type { StepFunctionConfig } from "./step-function-config.js";
import { StepFunctionTable } from "./step-function-table.js";
import { grantStoreOperations } from "./store-grants.js";

/** Properties of a {@link Ledger}. */
export interface LedgerProps {
  /** Shipline's bus, where the step records permanent failures (`Step Failed`). */
  readonly eventBus: events.IEventBus;
  /**
   * The topology's rules: `ledger-on-shipline-event` and the `ledger-on-*` copies of the forward
   * rules get the step's function.
   */
  readonly routing: EventRouting;
  /** The configuration: its environments tell which one is production for DORA metrics. */
  readonly config: StepFunctionConfig;
  /**
   * The ledger table.
   *
   * @default - a `StepFunctionTable` of the construct's own, kept when the stack is deleted
   */
  readonly table?: dynamodb.ITable;
  /**
   * The function's code instead of the esbuild bundle of `functions/lambda/ledger.ts`.
   *
   * @default - the bundle
   */
  readonly code?: lambda.Code;
}

/**
 * The ledger (step 11): the DynamoDB table of every hop of every journey, and the function that
 * records each Shipline event and forwarded AWS event there and emits the pipeline's and DORA's
 * metrics (CloudWatch EMF, namespace `Shipline`, service `ledger`). The function may read and write
 * the table and put events on Shipline's bus; nothing else. `shipline trace --aws` and
 * `shipline status --aws` read the table (the `LedgerTableName` output).
 *
 * @example
 * ```ts
 * const ledger = new Ledger(this, "Ledger", { eventBus: bus.eventBus, routing, config });
 * new CfnOutput(this, "LedgerTableName", { value: ledger.table.tableName });
 * ```
 */
export class Ledger extends Construct {
  /** The step's function. */
  readonly step: StepFunction;
  /** The ledger table. */
  readonly table: dynamodb.ITable;
  /** The queue of events the ledger could not record. */
  readonly deadLetterQueue: sqs.IQueue;

  constructor(scope: Construct, id: string, props: LedgerProps) {
    super(scope, id);
    this.table = props.table ?? new StepFunctionTable(this, "Table").table;
    this.step = new StepFunction(this, "Function", {
      step: "ledger",
      description: "Shipline: records every hop of every journey and emits DORA metrics",
      eventBus: props.eventBus,
      code: props.code,
      config: props.config,
      timeout: Duration.seconds(30),
      environment: { [EnvName.LedgerTable]: this.table.tableName },
    });
    // record-hop, ledger-keys and environment-state read (get, query) and write (put); nothing is deleted.
    grantStoreOperations(this.table, this.step.role, ["get", "put", "query"]);
    this.deadLetterQueue = props.routing.connectStep("ledger", this.step.fn);
    this.step.sendFailuresTo(this.deadLetterQueue);
    this.acknowledgeWildcards();
  }

  private acknowledgeWildcards(): void {
    Validations.of(this.step.role).acknowledge({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason:
        "X-Ray's xray:PutTraceSegments / xray:PutTelemetryRecords support no resource-level permission, so IAM only grants them on every resource ('*').",
    });
    const table = this.table.node.defaultChild;
    if (table instanceof dynamodb.CfnTable) {
      Validations.of(this.step.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(table)}.Arn>/index/*]`,
        reason:
          "The grant covers the ledger table's indexes with '/index/*' when it has any; it stays on this one table.",
      });
    }
  }
}
