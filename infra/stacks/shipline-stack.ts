import { CfnOutput, type Duration, Stack, type StackProps } from "aws-cdk-lib";
import type * as kms from "aws-cdk-lib/aws-kms";
import type * as logs from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";
import { EventLog } from "../constructs/event-log.js";
import { EventRouting } from "../constructs/event-routing.js";
import { ShiplineEventBus } from "../constructs/shipline-event-bus.js";

/** Properties of a {@link ShiplineStack}. */
export interface ShiplineStackProps extends StackProps {
  /**
   * The physical name of Shipline's bus.
   *
   * @default - a unique name CloudFormation generates (exported as the `EventBusName` output)
   */
  readonly eventBusName?: string;
  /**
   * How long the archive keeps Shipline's events for replay.
   *
   * @default Duration.days(365)
   */
  readonly archiveRetention?: Duration;
  /**
   * How long the event log keeps Shipline's events.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly eventLogRetention?: logs.RetentionDays;
  /**
   * A customer managed key for the bus, its archive and the event log.
   *
   * @default - AWS owned keys
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * Shipline on AWS: the bus and its archive, the event log, and every rule of the topology. Steps
 * connect their functions through `routing`.
 *
 * @example
 * ```ts
 * const stack = new ShiplineStack(app, "Shipline", { archiveRetention: Duration.days(90) });
 * stack.routing.connectStep("start-build", startBuildFunction);
 * ```
 */
export class ShiplineStack extends Stack {
  /** The bus and its archive. */
  readonly bus: ShiplineEventBus;
  /** The log group of every Shipline event. */
  readonly eventLog: EventLog;
  /** The rules of the topology. */
  readonly routing: EventRouting;

  constructor(scope: Construct, id: string, props: ShiplineStackProps = {}) {
    super(scope, id, props);
    this.bus = new ShiplineEventBus(this, "EventBus", {
      eventBusName: props.eventBusName,
      archiveRetention: props.archiveRetention,
      encryptionKey: props.encryptionKey,
    });
    this.eventLog = new EventLog(this, "EventLog", {
      retention: props.eventLogRetention,
      encryptionKey: props.encryptionKey,
    });
    this.routing = new EventRouting(this, "Routing", {
      eventBus: this.bus.eventBus,
      eventLog: this.eventLog.logGroup,
    });
    new CfnOutput(this, "EventBusName", {
      description: "The bus steps and cluster agents publish to (their EVENT_BUS_NAME)",
      value: this.bus.eventBus.eventBusName,
    });
    new CfnOutput(this, "EventLogGroupName", {
      description: "The log group of every Shipline event",
      value: this.eventLog.logGroup.logGroupName,
    });
  }
}
