/** The steps of the chain (DESIGN §1), by function name. */
export const STEPS = [
  "webhook",
  "start-build",
  "build-status",
  "image-pushed",
  "scan-gate",
  "promote",
  "config-writer",
  "review-merged",
  "dispatch-sync",
  "agent",
  "rollback",
  "ledger",
  "notify",
] as const;

/** A step of the chain. */
export type StepName = (typeof STEPS)[number];

/** An EventBridge event pattern: a JSON object whose leaves are arrays. */
export type EventPattern = { readonly [key: string]: unknown };

/** Where a rule sends the events it matches. */
export type RuleTarget =
  /** A step's function. */
  | { readonly kind: "step"; readonly step: StepName }
  /** The SQS queue of the cluster named in the event's `detail.cluster` (one rule per cluster). */
  | { readonly kind: "cluster-queue" }
  /** The log group that keeps every Shipline event. */
  | { readonly kind: "event-log" }
  /** Another event bus: forwards AWS events from the default bus onto Shipline's bus. */
  | { readonly kind: "bus"; readonly bus: "shipline" };

/** How EventBridge retries a target before dead-lettering. */
export interface RetryPolicy {
  /** 0..185. */
  readonly maximumRetryAttempts: number;
  /** 60..86400 seconds. */
  readonly maximumEventAgeSeconds: number;
}

/**
 * One rule of the topology: the same definition is deployed by CDK and routed by the local bus.
 *
 * @example
 * ```ts
 * const rule: RuleDefinition = {
 *   name: "start-build-on-commit-pushed",
 *   description: "Start a build for every app a push touches",
 *   bus: "shipline",
 *   eventPattern: { source: ["shipline"], "detail-type": ["Commit Pushed"] },
 *   target: { kind: "step", step: "start-build" },
 *   retry: { maximumRetryAttempts: 8, maximumEventAgeSeconds: 3600 },
 * };
 * ```
 */
export interface RuleDefinition {
  /** Stable name, kebab-case; also the CDK construct id. */
  readonly name: string;
  readonly description: string;
  /** The custom bus, or the default bus where AWS services publish. */
  readonly bus: "shipline" | "default";
  readonly eventPattern: EventPattern;
  readonly target: RuleTarget;
  readonly retry: RetryPolicy;
}
