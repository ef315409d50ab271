import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoDbDocumentStore } from "../../../adapters/aws/dynamodb-document-store.js";
import { EventBridgePublisher } from "../../../adapters/aws/eventbridge-publisher.js";
import type { PublishRequest } from "../../../core/ports/event-publisher.js";
import { PROMOTION_TABLE } from "../../../core/promotion/promotion-keys.js";
import { PromotionState } from "../../../core/promotion/promotion-state.js";
import { type CommandIo, UsageError } from "../command.js";
import { EVENT_BUS_VARIABLE, PROMOTION_TABLE_VARIABLE, regionOf } from "./aws-names.js";
import { promotionStateOf, publishToLocalBus } from "./promotion-cli.js";

/** The flags that choose where a promotion command acts. */
export interface PromotionTargetFlags {
  readonly aws?: boolean;
  readonly bus?: string;
  readonly "promotion-table"?: string;
  readonly "data-dir"?: string;
  readonly "store-dir"?: string;
  readonly "endpoint-url"?: string;
}

/** Where a promotion command reads promote's state and publishes its event. */
export interface PromotionTarget {
  /** Promote's records: images, environments, holds, failures, decisions. */
  readonly state: PromotionState;
  /** Where the state is, for messages: a directory or a DynamoDB table. */
  readonly where: string;
  /** `aws` or `local`. */
  readonly kind: "aws" | "local";
  /** Publishes one Shipline event; resolves with its id. */
  publish(request: PublishRequest): Promise<string>;
  /** Releases the clients. */
  close(): void;
}

/**
 * Opens what a promotion command acts on: by default the local runtime (its file store and its
 * running bus); with `--aws`, promote's DynamoDB table (`--promotion-table` or
 * `SHIPLINE_PROMOTION_TABLE`, the stack's PromotionTableName output) and Shipline's EventBridge bus
 * (`--bus` or `SHIPLINE_EVENT_BUS`, the EventBusName output), with the default AWS credential chain
 * and region. A missing name is a {@link UsageError} naming the flag, the variable and the output.
 *
 * @example
 * ```ts
 * const target = openPromotionTarget(io, values);
 * try { await target.publish({ detailType: DetailType.HoldReleased, detail }); } finally { target.close(); }
 * ```
 */
export function openPromotionTarget(io: CommandIo, values: PromotionTargetFlags): PromotionTarget {
  if (values.aws !== true) {
    const { dataDir, directory, state } = promotionStateOf(io, values);
    return {
      state,
      where: directory,
      kind: "local",
      publish: (request) => publishToLocalBus(io, { dataDir, endpointUrl: values["endpoint-url"] }, request),
      close: () => undefined,
    };
  }
  const busName = required(
    values.bus,
    io.env[EVENT_BUS_VARIABLE],
    "--bus",
    EVENT_BUS_VARIABLE,
    "EventBusName",
  );
  const table = required(
    values["promotion-table"],
    io.env[PROMOTION_TABLE_VARIABLE],
    "--promotion-table",
    PROMOTION_TABLE_VARIABLE,
    "PromotionTableName",
  );
  const eventBridge = new EventBridgeClient(regionOf(io.env));
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient(regionOf(io.env)));
  const publisher = new EventBridgePublisher({ client: eventBridge, busName });
  return {
    state: new PromotionState({
      store: new DynamoDbDocumentStore({ client: documents, tables: { [PROMOTION_TABLE]: table } }),
    }),
    where: `DynamoDB table ${table}`,
    kind: "aws",
    async publish(request) {
      const [result] = await publisher.publish([request]);
      return result?.eventId ?? "";
    },
    close() {
      eventBridge.destroy();
      documents.destroy();
    },
  };
}

function required(
  flagValue: string | undefined,
  variableValue: string | undefined,
  flag: string,
  variable: string,
  output: string,
): string {
  const value = flagValue ?? variableValue;
  if (value === undefined || value === "") {
    throw new UsageError(`--aws needs ${flag} <name> or ${variable} set (the stack's ${output} output)`);
  }
  return value;
}
