import { Annotations, CfnOutput, type Duration, Fn, Stack, type StackProps, Tags } from "aws-cdk-lib";
import type * as kms from "aws-cdk-lib/aws-kms";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type * as logs from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";
import { EnvName } from "../../functions/core/topology/env-names.js";
import { AlarmTopic } from "../constructs/alarm-topic.js";
import { ClusterAgentSteps } from "../constructs/cluster-agent-steps.js";
import { CommitToImage } from "../constructs/commit-to-image.js";
import { ConfigWriter } from "../constructs/config-writer.js";
import { PipelineDashboard } from "../constructs/dashboard.js";
import { deadLetterQueuesOf } from "../constructs/dead-letter-queue.js";
import { EventLog } from "../constructs/event-log.js";
import { EventRouting } from "../constructs/event-routing.js";
import { EventSchemaRegistry } from "../constructs/event-schema-registry.js";
import { Ledger } from "../constructs/ledger.js";
import { NotifyFunction, type NotifyFunctionProps } from "../constructs/notify-function.js";
import { PromoteFunction } from "../constructs/promote-function.js";
import { RegistryScan } from "../constructs/registry-scan.js";
import { ScanGateFunction } from "../constructs/scan-gate-function.js";
import { SHIPLINE_PUBLISHER_TAG, ShiplineEventBus } from "../constructs/shipline-event-bus.js";
import type { StepFunctionConfig } from "../constructs/step-function-config.js";
import { localConfigRepoOf } from "./local-config-repo.js";

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
  /**
   * The configuration (`readStepFunctionConfig`): with it, the stack deploys every step (1 to 4:
   * webhook, per-app builds and repositories, start-build, build-status, image-pushed and its
   * sweep; 5 scan gate; 6 promote; 7 config writer; 8 to 10 dispatch-sync, one agent queue and
   * role per cluster, tied to the agent's ServiceAccount as its `eks` section says, rollback; 11
   * ledger; 12 notify, which also tells the alarms' state changes), and its `alerts` section says
   * where the alarms notify. A config repository of the local runtime (`local:` URL or token
   * exchange) leaves out promote, the config writer and rollback, with a warning: only the local
   * runtime can write to it.
   *
   * @default - the bus, the event log, the rules, and the alarms with a topic of their own
   */
  readonly config?: StepFunctionConfig;
  /**
   * The code of every step function instead of its esbuild bundle (tests pass `Code.fromInline`).
   *
   * @default - each function's entry under `functions/lambda/`, bundled by esbuild
   */
  readonly functionCode?: lambda.Code;
  /**
   * Where the notify step (12) sends its messages beyond its SNS topic, and what it links to: the
   * Slack webhook URL's secret, Argo CD's web UI, the config repository.
   *
   * @default - the SNS topic only, with no Argo CD or config-commit links
   */
  readonly notifications?: Pick<
    NotifyFunctionProps,
    "slackWebhookSecret" | "argoCdUrl" | "configRepoUrl" | "encryptionKey"
  >;
}

/**
 * Shipline on AWS: the bus and its archive, the event log, the schema registry of its events, and
 * every rule of the topology; with a configuration, every step's function connected through
 * `routing` (see `config`); and last the dashboard and alarms, which find the stack's step
 * functions and dead-letter queues when built, and notify the `alerts` topic.
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
  /** The schema registry of Shipline's events, one schema per detail type. */
  readonly schemas: EventSchemaRegistry;
  /** Steps 1 to 4, when the stack was given a configuration. */
  readonly commitToImage: CommitToImage | undefined;
  /** Step 5, the scan gate, when the stack was given a configuration. */
  readonly scanGate: ScanGateFunction | undefined;
  /** The scan job of registries of kind oci, for a configuration that declares one reachable from AWS. */
  readonly registryScan: RegistryScan | undefined;
  /** Step 7, the config writer and its FIFO queue, for a configuration whose config repository AWS can reach. */
  readonly configWriter: ConfigWriter | undefined;
  /** Step 6, promote, alongside the config writer it sends write intents to. */
  readonly promote: PromoteFunction | undefined;
  /** Steps 8 to 10 (dispatch-sync, the cluster agents' queues and roles, rollback), when the stack was given a configuration. */
  readonly deployment: ClusterAgentSteps | undefined;
  /** Step 11, the ledger, when the stack was given a configuration. */
  readonly ledger: Ledger | undefined;
  /** Step 12, notify, and its SNS topic, when the stack was given a configuration. */
  readonly notify: NotifyFunction | undefined;
  /** Where the alarms notify: the config's `alerts` topic, or one created with its e-mail subscriptions. */
  readonly alerts: AlarmTopic;
  /** The dashboard and alarms (created last, so that they see every step). */
  readonly dashboard: PipelineDashboard;

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
    this.schemas = new EventSchemaRegistry(this, "Schemas");
    new CfnOutput(this, "SchemaRegistryName", {
      description: "The EventBridge schema registry of Shipline's events (code bindings: aws schemas)",
      value: this.schemas.registry.attrRegistryName,
    });
    new CfnOutput(this, "EventBusName", {
      description: "The bus steps and cluster agents publish to (their EVENT_BUS_NAME)",
      value: this.bus.eventBus.eventBusName,
    });
    new CfnOutput(this, "EventLogGroupName", {
      description: "The log group of every Shipline event",
      value: this.eventLog.logGroup.logGroupName,
    });
    this.commitToImage =
      props.config === undefined
        ? undefined
        : new CommitToImage(this, "CommitToImage", {
            eventBus: this.bus.eventBus,
            routing: this.routing,
            config: props.config,
            functionCode: props.functionCode,
          });
    this.scanGate =
      props.config === undefined || this.commitToImage === undefined
        ? undefined
        : new ScanGateFunction(this, "ScanGate", {
            eventBus: this.bus.eventBus,
            routing: this.routing,
            imagesTable: this.commitToImage.imagesTable.table,
            repositories: [...this.commitToImage.builds.values()].map((build) => build.imageRepository),
            config: props.config,
            code: props.functionCode,
          });
    if (this.scanGate !== undefined && this.commitToImage !== undefined) {
      // image-pushed arms each image's scan timeout in the gate's schedule group.
      this.scanGate.grantScheduleTimeouts(this.commitToImage.imagePushed.role);
      // Harbor's scans: the vulnerability report is read with the robot account.
      this.commitToImage.harbor?.grantRobotRead(this.scanGate.step.role);
      for (const [name, value] of Object.entries(this.scanGate.timeoutEnvironment)) {
        this.commitToImage.imagePushed.addEnvironment(name, value);
      }
    }
    // Registries of kind oci scan nothing themselves: a scan job does, and the gate reads its reports.
    this.registryScan =
      props.config === undefined || this.scanGate === undefined
        ? undefined
        : RegistryScan.of(this, "RegistryScan", {
            eventBus: this.bus.eventBus,
            registries: props.config.config.registries,
          });
    if (this.registryScan !== undefined && this.scanGate !== undefined) {
      this.registryScan.grantReportRead(this.scanGate.step.role);
      this.scanGate.step.addEnvironment(
        EnvName.ScanReportsBucketHost,
        this.registryScan.bucket.bucketRegionalDomainName,
      );
    }
    const localConfigRepo = props.config === undefined ? undefined : localConfigRepoOf(props.config);
    if (localConfigRepo !== undefined) {
      Annotations.of(this).addWarningV2(
        "shipline:local-config-repo",
        `${localConfigRepo}: no config writer, promote or rollback is deployed, so images are built and scanned on AWS but never deployed. Set configRepo.url (and an oidc-exchange credentials' exchangeUrl) to https URLs to deploy them.`,
      );
    }
    this.configWriter =
      props.config === undefined || localConfigRepo !== undefined
        ? undefined
        : new ConfigWriter(this, "ConfigWriter", {
            eventBus: this.bus.eventBus,
            routing: this.routing,
            config: props.config,
            code: props.functionCode,
          });
    this.promote =
      props.config === undefined || this.configWriter === undefined || this.commitToImage === undefined
        ? undefined
        : new PromoteFunction(this, "Promote", {
            eventBus: this.bus.eventBus,
            routing: this.routing,
            writerQueue: this.configWriter.queue,
            imagesTable: this.commitToImage.imagesTable.table,
            config: props.config,
            code: props.functionCode,
          });
    if (this.promote !== undefined && this.commitToImage !== undefined) {
      // Its no-downgrade check reads each app repository's history, private ones included.
      for (const build of this.commitToImage.builds.values()) build.grantHistoryRead(this.promote.step.role);
    }
    if (this.promote !== undefined) {
      new CfnOutput(this, "PromotionTableName", {
        description:
          "Promote's table (images, holds, decisions): 'shipline approve|hold|release --aws' read it (SHIPLINE_PROMOTION_TABLE)",
        value: this.promote.stateTable.tableName,
      });
    }
    if (this.configWriter !== undefined) {
      new CfnOutput(this, "WriterQueueUrl", {
        description: "The config repository's FIFO queue of write intents (promote and rollback send to it)",
        value: this.configWriter.queue.queueUrl,
      });
    }
    this.deployment =
      props.config === undefined
        ? undefined
        : new ClusterAgentSteps(this, "Deployment", {
            eventBus: this.bus.eventBus,
            routing: this.routing,
            config: props.config,
            writeQueue: this.configWriter?.queue,
            functionCode: props.functionCode,
          });
    if (this.commitToImage !== undefined) {
      new CfnOutput(this, "WebhookUrl", {
        description: "The URL git hosts send push webhooks to",
        value: this.commitToImage.webhook.url.url,
      });
      new CfnOutput(this, "WebhookSecretArn", {
        description: "The secret git hosts sign webhooks with: copy its value into each host's webhook",
        value: this.commitToImage.webhook.secret.secretArn,
      });
      if (this.commitToImage.registryAccounts !== undefined) {
        new CfnOutput(this, "PublishSecretArn", {
          description:
            "The secret CIs sign the 'image published' call to WebhookUrl with: shipline publish reads it from SHIPLINE_PUBLISH_SECRET",
          value: this.commitToImage.registryAccounts.publishSecret.secretArn,
        });
      }
      if (this.commitToImage.harbor !== undefined) {
        new CfnOutput(this, "HarborWebhookSecretArn", {
          description:
            "The Auth Header Harbor's webhook policies send to WebhookUrl: copy its value into each policy",
          value: this.commitToImage.harbor.webhookSecret.secretArn,
        });
      }
    }
    this.ledger =
      props.config === undefined
        ? undefined
        : new Ledger(this, "Ledger", {
            eventBus: this.bus.eventBus,
            routing: this.routing,
            config: props.config,
            code: props.functionCode,
          });
    if (this.ledger !== undefined) {
      new CfnOutput(this, "LedgerTableName", {
        description:
          "The ledger table: 'shipline trace --aws' and 'shipline status --aws' read it (SHIPLINE_LEDGER_TABLE)",
        value: this.ledger.table.tableName,
      });
    }
    this.notify =
      props.config === undefined
        ? undefined
        : new NotifyFunction(this, "Notify", {
            eventBus: this.bus.eventBus,
            routing: this.routing,
            ledgerTable: this.ledger?.table,
            code: props.functionCode,
            ...props.notifications,
          });
    if (this.notify !== undefined) {
      new CfnOutput(this, "NotificationTopicArn", {
        description:
          "The SNS topic of Shipline's notifications: subscribe to it (filter on app, environment, detailType)",
        value: this.notify.topic.topicArn,
      });
    }
    this.alerts = new AlarmTopic(this, "Alerts", {
      topicArn: props.config?.config.alerts.topicArn,
      emails: props.config?.config.alerts.emails,
    });
    new CfnOutput(this, "AlarmTopicArn", {
      description: "The SNS topic Shipline's alarms notify when they fire and when they are back to OK",
      value: this.alerts.topic.topicArn,
    });
    const deadLetterQueues = deadLetterQueuesOf(this);
    if (deadLetterQueues.length > 0) {
      new CfnOutput(this, "DeadLetterQueueUrls", {
        description:
          "Every dead-letter queue, comma-separated: 'shipline dlq --aws' lists and redrives them (SHIPLINE_DEAD_LETTER_QUEUES)",
        value: Fn.join(
          ",",
          deadLetterQueues.map((queue) => queue.queueUrl),
        ),
      });
    }
    // Only roles of this stack (all tagged) publish Shipline's own events; people publish decisions.
    Tags.of(this).add(SHIPLINE_PUBLISHER_TAG, "true", { includeResourceTypes: ["AWS::IAM::Role"] });
    this.bus.restrictShiplineSource();
    // Last: the dashboard watches every step connected above.
    this.dashboard = new PipelineDashboard(this, "Dashboard", {
      routing: this.routing,
      alarmTopic: this.alerts.topic,
    });
  }
}
