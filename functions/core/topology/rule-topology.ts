import { DETAIL_TYPES, DetailType, type DetailTypeName, SHIPLINE_SOURCE } from "../contracts/detail-type.js";
import { REGISTRY_IMAGE_PUSHED, REGISTRY_SOURCE } from "../contracts/registry/registry-image-pushed.js";
import { ShiplineError } from "../errors/shipline-error.js";
import { AWS_EVENT_PATTERNS, type AwsEventPattern } from "./aws-event-patterns.js";
import { HARBOR_EVENT_PATTERNS } from "./harbor-event-patterns.js";
import { REGISTRY_SCAN_COMPLETED_PATTERN } from "./registry-event-patterns.js";
import { RETRY_POLICIES } from "./retry-policies.js";
import type { EventPattern, RuleDefinition, StepName } from "./rule-definition.js";
import { SHIPLINE_ALARM_STATE_CHANGES } from "./shipline-alarms.js";

/** Freezes a value and everything in it, so that no consumer can edit the shared topology. */
function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** A pattern on Shipline's own events, narrowed to the given detail types. */
function shiplineEvents(...detailTypes: readonly DetailTypeName[]): EventPattern {
  return { source: [SHIPLINE_SOURCE], "detail-type": [...detailTypes] };
}

/** Copies an AWS event pattern so that no two rules share (and could mutate) one object. */
function copyOf(pattern: AwsEventPattern): EventPattern {
  return structuredClone(pattern);
}

/** A default-bus rule that forwards one kind of AWS event onto the `shipline` bus. */
function forward(name: string, description: string, pattern: AwsEventPattern): RuleDefinition {
  return {
    name,
    description,
    bus: "default",
    eventPattern: copyOf(pattern),
    target: { kind: "bus", bus: "shipline" },
    retry: RETRY_POLICIES.durable,
  };
}

/** The default-bus rules: every AWS event Shipline needs, forwarded onto the `shipline` bus. */
const FORWARD_RULES: readonly RuleDefinition[] = [
  forward(
    "forward-ecr-image-action",
    "Forward successful ECR image pushes to the shipline bus",
    AWS_EVENT_PATTERNS.ecrImagePushed,
  ),
  forward(
    "forward-ecr-image-scan",
    "Forward finished ECR basic scans to the shipline bus",
    AWS_EVENT_PATTERNS.ecrImageScanned,
  ),
  forward(
    "forward-inspector2-scan",
    "Forward Inspector enhanced scans to the shipline bus",
    AWS_EVENT_PATTERNS.inspector2Scanned,
  ),
  forward(
    "forward-codebuild-build-state-change",
    "Forward finished CodeBuild builds to the shipline bus",
    AWS_EVENT_PATTERNS.codeBuildFinished,
  ),
  forward(
    "forward-codecommit-repository-state-change",
    "Forward CodeCommit branch and tag pushes to the shipline bus",
    AWS_EVENT_PATTERNS.codeCommitPushed,
  ),
];

/**
 * The default-bus rule that forwards Shipline's own alarms (see `SHIPLINE_ALARM_STATE_CHANGES`)
 * onto the `shipline` bus, for `notify`. The ledger does not record them: they are no journey's hop.
 */
const ALARM_FORWARD_RULE: RuleDefinition = {
  name: "forward-cloudwatch-alarm-state-change",
  description: "Forward Shipline's alarms turning to ALARM or back to OK to the shipline bus",
  bus: "default",
  eventPattern: structuredClone(SHIPLINE_ALARM_STATE_CHANGES),
  target: { kind: "bus", bus: "shipline" },
  retry: RETRY_POLICIES.durable,
};

/** The ledger's copy of a forward rule: the same events, recorded once they reach the shipline bus. */
function recordInLedger(forwardRule: RuleDefinition): RuleDefinition {
  const event = forwardRule.name.replace(/^forward-/, "");
  return {
    name: `ledger-on-${event}`,
    description: `Record in the ledger the events ${forwardRule.name} brings to the shipline bus`,
    bus: "shipline",
    eventPattern: structuredClone(forwardRule.eventPattern),
    target: { kind: "step", step: "ledger" },
    retry: RETRY_POLICIES.durable,
  };
}

/**
 * Shipline's detail types that end a journey, one way or the other: `notify` tells people about
 * them.
 */
export const TERMINAL_DETAIL_TYPES: readonly DetailTypeName[] = [
  DetailType.BuildFailed,
  DetailType.ImageRefused,
  DetailType.ImageRejected,
  DetailType.DeploymentVerified,
  DetailType.DeploymentFailed,
  DetailType.RollbackCommitted,
];

/**
 * The detail types `notify` tells people about: how a journey ended ({@link TERMINAL_DETAIL_TYPES})
 * and a change that waits for a reviewer to merge its pull request.
 */
export const NOTIFY_TRIGGERS: readonly DetailTypeName[] = [
  ...TERMINAL_DETAIL_TYPES,
  DetailType.PullRequestOpened,
  DetailType.HoldPlaced,
  DetailType.PromotionWaiting,
];

/** The detail types that make `promote` reconsider where an image goes. */
export const PROMOTION_TRIGGERS: readonly DetailTypeName[] = [
  DetailType.ImageApproved,
  DetailType.DeploymentVerified,
  DetailType.DeploymentFailed,
  DetailType.PromotionApproved,
];

/**
 * Every EventBridge rule of the chain (DESIGN §1): the single definition CDK deploys and the local
 * bus routes. Rules on the default bus forward the AWS events Shipline needs onto the `shipline`
 * bus (an AWS service cannot publish on a custom bus); rules on the `shipline` bus route those and
 * Shipline's own events to the steps, the cluster queues, the ledger and the event log.
 *
 * @example
 * ```ts
 * for (const rule of rulesOnBus("shipline")) bus.addRule(rule.name, rule.eventPattern);
 * ```
 */
export const RULES: readonly RuleDefinition[] = deepFreeze([
  ...FORWARD_RULES,
  ALARM_FORWARD_RULE,
  {
    name: "webhook-on-codecommit-push",
    description: "Normalise a CodeCommit push into Commit Pushed",
    bus: "shipline",
    eventPattern: copyOf(AWS_EVENT_PATTERNS.codeCommitPushed),
    target: { kind: "step", step: "webhook" },
    retry: RETRY_POLICIES.chainStep,
  },
  {
    name: "start-build-on-commit-pushed",
    description: "Start a build for every app a push touches",
    bus: "shipline",
    eventPattern: shiplineEvents(DetailType.CommitPushed),
    target: { kind: "step", step: "start-build" },
    retry: RETRY_POLICIES.chainStep,
  },
  {
    name: "build-status-on-build-state-change",
    description: "Map a finished CodeBuild build to Build Succeeded or Build Failed",
    bus: "shipline",
    eventPattern: copyOf(AWS_EVENT_PATTERNS.codeBuildFinished),
    target: { kind: "step", step: "build-status" },
    retry: RETRY_POLICIES.chainStep,
  },
  {
    name: "image-pushed-on-ecr-image-action",
    description: "Resolve the app and commit of an image pushed to ECR",
    bus: "shipline",
    eventPattern: copyOf(AWS_EVENT_PATTERNS.ecrImagePushed),
    target: { kind: "step", step: "image-pushed" },
    retry: RETRY_POLICIES.chainStep,
  },
  {
    name: "scan-gate-on-ecr-image-scan",
    description: "Apply the scan policy to a finished ECR basic scan",
    bus: "shipline",
    eventPattern: copyOf(AWS_EVENT_PATTERNS.ecrImageScanned),
    target: { kind: "step", step: "scan-gate" },
    retry: RETRY_POLICIES.chainStep,
  },
  {
    name: "scan-gate-on-inspector2-scan",
    description: "Apply the scan policy to an Inspector enhanced scan",
    bus: "shipline",
    eventPattern: copyOf(AWS_EVENT_PATTERNS.inspector2Scanned),
    target: { kind: "step", step: "scan-gate" },
    retry: RETRY_POLICIES.chainStep,
  },
  {
    name: "image-pushed-on-harbor-artifact-pushed",
    description: "Resolve the app and commit of an image Harbor says was pushed",
    bus: "shipline",
    eventPattern: structuredClone(HARBOR_EVENT_PATTERNS.artifactPushed),
    target: { kind: "step", step: "image-pushed" },
    retry: RETRY_POLICIES.chainStep,
  },
  {
    name: "image-pushed-on-registry-image-pushed",
    description: "Resolve the app and commit of an image announced from a registry of kind oci",
    bus: "shipline",
    eventPattern: { source: [REGISTRY_SOURCE], "detail-type": [REGISTRY_IMAGE_PUSHED] },
    target: { kind: "step", step: "image-pushed" },
    retry: RETRY_POLICIES.chainStep,
  },
  {
    name: "scan-gate-on-harbor-scan-completed",
    description: "Apply the scan policy to a finished Harbor scan",
    bus: "shipline",
    eventPattern: structuredClone(HARBOR_EVENT_PATTERNS.scanCompleted),
    target: { kind: "step", step: "scan-gate" },
    retry: RETRY_POLICIES.chainStep,
  },
  {
    name: "scan-gate-on-registry-scan-completed",
    description: "Apply the scan policy to a finished scan of an image of a registry of kind oci",
    bus: "shipline",
    eventPattern: structuredClone(REGISTRY_SCAN_COMPLETED_PATTERN),
    target: { kind: "step", step: "scan-gate" },
    retry: RETRY_POLICIES.chainStep,
  },
  {
    name: "promote-on-promotion-trigger",
    description: "Decide which environments get an approved, verified or manually approved image",
    bus: "shipline",
    eventPattern: shiplineEvents(...PROMOTION_TRIGGERS),
    target: { kind: "step", step: "promote" },
    retry: RETRY_POLICIES.chainStep,
  },
  {
    name: "promote-on-hold-change",
    description: "Record holds that stop automatic promotion, and reconsider held images on release",
    bus: "shipline",
    eventPattern: shiplineEvents(DetailType.HoldPlaced, DetailType.HoldReleased),
    target: { kind: "step", step: "promote" },
    retry: RETRY_POLICIES.chainStep,
  },
  {
    name: "review-merged-on-commit-pushed",
    description: "Report Shipline pull requests merged into the config repository as Config Committed",
    bus: "shipline",
    eventPattern: { ...shiplineEvents(DetailType.CommitPushed), detail: { refType: ["branch"] } },
    target: { kind: "step", step: "review-merged" },
    retry: RETRY_POLICIES.chainStep,
  },
  {
    name: "dispatch-sync-on-config-committed",
    description: "Address the Argo CD applications of a committed config change",
    bus: "shipline",
    eventPattern: shiplineEvents(DetailType.ConfigCommitted),
    target: { kind: "step", step: "dispatch-sync" },
    retry: RETRY_POLICIES.chainStep,
  },
  {
    name: "cluster-queue-on-sync-requested",
    description: "Queue a sync request for the agent of the cluster it names",
    bus: "shipline",
    eventPattern: shiplineEvents(DetailType.SyncRequested),
    target: { kind: "cluster-queue" },
    retry: RETRY_POLICIES.durable,
  },
  {
    name: "rollback-on-deployment-failed",
    description: "Revert the config commit of a failed deployment where the environment rolls back",
    bus: "shipline",
    eventPattern: shiplineEvents(DetailType.DeploymentFailed),
    target: { kind: "step", step: "rollback" },
    retry: RETRY_POLICIES.chainStep,
  },
  {
    name: "rollback-on-revert-committed",
    description: "Record the rollback once the config writer has committed its revert",
    bus: "shipline",
    eventPattern: { ...shiplineEvents(DetailType.ConfigCommitted), detail: { kind: ["revert"] } },
    target: { kind: "step", step: "rollback" },
    retry: RETRY_POLICIES.chainStep,
  },
  {
    name: "ledger-on-shipline-event",
    description: "Record every Shipline event in the ledger",
    bus: "shipline",
    eventPattern: shiplineEvents(...DETAIL_TYPES),
    target: { kind: "step", step: "ledger" },
    retry: RETRY_POLICIES.durable,
  },
  ...FORWARD_RULES.map(recordInLedger),
  {
    name: "notify-on-terminal-event",
    description:
      "Tell people how a journey ended, or that it waits for review: what changed, why, where to look",
    bus: "shipline",
    eventPattern: shiplineEvents(...NOTIFY_TRIGGERS),
    target: { kind: "step", step: "notify" },
    retry: RETRY_POLICIES.notification,
  },
  {
    name: "notify-on-alarm-state-change",
    description: "Tell people when one of Shipline's alarms fires or recovers, and what to do about it",
    bus: "shipline",
    eventPattern: structuredClone(SHIPLINE_ALARM_STATE_CHANGES),
    target: { kind: "step", step: "notify" },
    retry: RETRY_POLICIES.notification,
  },
  {
    name: "event-log-on-shipline-event",
    description: "Keep every Shipline event in the event log",
    bus: "shipline",
    // By source alone, so an event of a detail type this version does not know is still kept.
    eventPattern: { source: [SHIPLINE_SOURCE] },
    target: { kind: "event-log" },
    retry: RETRY_POLICIES.durable,
  },
]);

/**
 * The rules that invoke a step's function.
 *
 * @example
 * ```ts
 * rulesForStep("scan-gate").map((rule) => rule.name);
 * // ["scan-gate-on-ecr-image-scan", "scan-gate-on-inspector2-scan"]
 * ```
 */
export function rulesForStep(step: StepName): RuleDefinition[] {
  return RULES.filter((rule) => rule.target.kind === "step" && rule.target.step === step);
}

/**
 * The rules that listen on a bus.
 *
 * @example
 * ```ts
 * const forwards = rulesOnBus("default");
 * ```
 */
export function rulesOnBus(bus: RuleDefinition["bus"]): RuleDefinition[] {
  return RULES.filter((rule) => rule.bus === bus);
}

/**
 * The rule with the given name. Throws a permanent `RULE_UNKNOWN` error naming the known rules.
 *
 * @example
 * ```ts
 * const rule = ruleNamed("start-build-on-commit-pushed");
 * ```
 */
export function ruleNamed(name: string): RuleDefinition {
  const rule = RULES.find((candidate) => candidate.name === name);
  if (rule === undefined) {
    throw new ShiplineError({
      code: "RULE_UNKNOWN",
      message: `No rule is named '${name}'; use one of ${RULES.map((known) => known.name).join(", ")}`,
      data: { name },
    });
  }
  return rule;
}
