import { Duration, Names, Token } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import { Construct } from "constructs";
import { SHIPLINE_SOURCE } from "../../functions/core/contracts/detail-type.js";
import { HARBOR_SOURCE } from "../../functions/core/contracts/harbor/harbor-events.js";
import { REGISTRY_SOURCE } from "../../functions/core/contracts/registry/registry-image-pushed.js";
import { ShiplineError } from "../../functions/core/errors/shipline-error.js";

/** What EventBridge accepts as a custom bus name. */
const EVENT_BUS_NAME = /^[/.\-_A-Za-z0-9]{1,256}$/;

/** Properties of a {@link ShiplineEventBus}. */
export interface ShiplineEventBusProps {
  /**
   * The bus's physical name. Steps and the cluster agent learn it from their configuration
   * (`EVENT_BUS_NAME`, the stack output), never from a constant, so two installations can share an
   * account and region.
   *
   * @default - a unique name CloudFormation generates
   */
  readonly eventBusName?: string;
  /**
   * How long the archive keeps Shipline's events for replay, in whole days.
   *
   * @default Duration.days(365)
   */
  readonly archiveRetention?: Duration;
  /**
   * A customer managed key for the bus and its archive; CDK adds the key policy EventBridge needs.
   *
   * @default - encrypted with an AWS owned key
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * Shipline's custom event bus, where every step publishes its outcome and the forwarded AWS events
 * arrive, with an archive of every Shipline event so that a journey can be replayed.
 *
 * @example
 * ```ts
 * const bus = new ShiplineEventBus(this, "Bus", { archiveRetention: Duration.days(90) });
 * bus.eventBus.grantPutEventsTo(fn);
 * ```
 */
export class ShiplineEventBus extends Construct {
  /** The bus. */
  readonly eventBus: events.EventBus;
  /** The archive of every event whose source is `shipline`. */
  readonly archive: events.Archive;

  constructor(scope: Construct, id: string, props: ShiplineEventBusProps = {}) {
    super(scope, id);
    const retention = props.archiveRetention ?? Duration.days(365);
    const days = retention.toDays({ integral: false });
    if (!Number.isInteger(days) || days < 1) {
      throw new ShiplineError({
        code: "CONSTRUCT_PROPS_INVALID",
        message: `${this.node.path}: archiveRetention is ${retention.toHumanString()}; EventBridge keeps archives for whole days, so use Duration.days(n) with n of at least 1`,
        data: { construct: this.node.path, archiveRetention: retention.toHumanString() },
      });
    }
    const name = props.eventBusName;
    if (
      name !== undefined &&
      !Token.isUnresolved(name) &&
      !(EVENT_BUS_NAME.test(name) && name !== "default")
    ) {
      throw new ShiplineError({
        code: "CONSTRUCT_PROPS_INVALID",
        message: `${this.node.path}: eventBusName '${name}' is not valid; use 1 to 256 letters, digits, '.', '-', '_' or '/', other than 'default' (or leave it out for a generated name)`,
        data: { construct: this.node.path, eventBusName: name },
      });
    }
    // The name is settled here (unique per construct path, as CDK would make it) so that the archive
    // can name its source bus without referencing the bus resource: with a customer managed key, that
    // reference would make the key policy depend on the bus, which depends on the key.
    const eventBusName = name ?? Names.uniqueResourceName(this, { maxLength: 256 });
    this.eventBus = new events.EventBus(this, "Bus", {
      eventBusName,
      description: "Shipline: every step's outcome and the AWS events the chain needs",
      kmsKey: props.encryptionKey,
    });
    this.archive = new events.Archive(this, "Archive", {
      sourceEventBus: events.EventBus.fromEventBusName(this, "ArchiveSource", eventBusName),
      description: "Every Shipline event, for replay",
      eventPattern: { source: [SHIPLINE_SOURCE] },
      retention,
      kmsKey: props.encryptionKey,
    });
    this.archive.node.addDependency(this.eventBus);
  }

  /**
   * Lets only Shipline's own roles (those carrying the {@link SHIPLINE_PUBLISHER_TAG} tag) put events
   * with source `shipline` on the bus (nor `shipline.harbor` and `shipline.registry`, which only the
   * webhook publishes), except the operator's decisions (`Promotion Approved`,
   * `Hold Placed`, `Hold Released`) that people publish with `shipline approve|hold|release --aws`:
   * a forged `Image Approved` or `Deployment Verified` is refused by EventBridge itself. IAM still
   * decides who may call PutEvents at all.
   */
  restrictShiplineSource(): void {
    this.eventBus.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: "OnlyShiplineRolesPublishShiplineEvents",
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ["events:PutEvents"],
        resources: [this.eventBus.eventBusArn],
        conditions: {
          StringEquals: { "events:source": [SHIPLINE_SOURCE, HARBOR_SOURCE, REGISTRY_SOURCE] },
          StringNotEquals: {
            "events:detail-type": [...OPERATOR_DETAIL_TYPES],
            [`aws:PrincipalTag/${SHIPLINE_PUBLISHER_TAG}`]: "true",
          },
        },
      }),
    );
  }
}

/** The tag that marks Shipline's own roles as publishers of its events (the stack tags every role). */
export const SHIPLINE_PUBLISHER_TAG = "shipline-publisher";

/** The detail types people publish themselves (approve, hold, release). */
const OPERATOR_DETAIL_TYPES = ["Promotion Approved", "Hold Placed", "Hold Released"] as const;
