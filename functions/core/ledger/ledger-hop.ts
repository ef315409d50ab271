import * as z from "zod";
import { bakeDetail } from "../contracts/events/bake-detail.js";
import { canaryProgress } from "../contracts/events/canary-progress.js";

/** What a scan concluded about an image. */
export const SCAN_VERDICTS = ["approved", "rejected"] as const;

/**
 * One hop of a journey as the ledger keeps it: which event, when, from which step, and the facts a
 * reader wants at a glance (build, image, verdict, environment, config commit, Argo CD revision,
 * health, reason, trigger). Every summary field is optional: each event fills the ones it knows.
 * Also the schema records are read back with (the store holds JSON).
 *
 * @example
 * ```ts
 * const hop = ledgerHop.parse(item.value);
 * ```
 */
export const ledgerHop = z.object({
  /** The app, or null for a push not yet tied to an app (`Commit Pushed`). */
  app: z.string().nullable(),
  /** The source commit, or null for an event about no commit. */
  commit: z.string().nullable(),
  correlationId: z.string(),
  /** The step (or AWS service) the event came from, e.g. `scan-gate`, `codebuild`. */
  step: z.string(),
  detailType: z.string(),
  source: z.string(),
  /** The event's time (ISO 8601). */
  at: z.string(),
  eventId: z.string(),
  /** Set when the event was delivered by a replay. */
  replayName: z.string().optional(),
  buildId: z.string().optional(),
  logsUrl: z.string().optional(),
  repository: z.string().optional(),
  digest: z.string().optional(),
  tag: z.string().optional(),
  verdict: z.enum(SCAN_VERDICTS).optional(),
  /** How many findings blocked the image. */
  blocking: z.number().int().nonnegative().optional(),
  environment: z.string().optional(),
  configCommit: z.string().optional(),
  /** The config revision Argo CD was asked to reach or reached. */
  revision: z.string().optional(),
  health: z.string().optional(),
  /** Why: a failure's reason, a verdict's explanation, a hold's reason. */
  reason: z.string().optional(),
  /** What set the hop off: a push, a person, a sweep, a config commit. */
  trigger: z.string().optional(),
  /** A link: the pull request of a review. */
  url: z.string().optional(),
  /** `update` or `revert` (a rollback) for config commits and the deployments of them. */
  kind: z.enum(["update", "revert"]).optional(),
  /** Config Committed: `person` when someone other than Shipline changed the deploy target. */
  by: z.enum(["shipline", "person"]).optional(),
  /** Promotion Waiting: what the image waits for, until when (soak) and the command that moves it on. */
  waitingFor: z.enum(["approval", "soak", "hold"]).optional(),
  until: z.string().optional(),
  command: z.string().optional(),
  /** Config Committed by a person / Rollback Committed: the image it replaced (took out). */
  replacedTag: z.string().optional(),
  /** The status the source reported (a build's, a scan's). */
  status: z.string().optional(),
  durationSeconds: z.number().nonnegative().optional(),
  /** When the source commit was made, as its git host reported it (`Commit Pushed`). */
  committedAt: z.string().optional(),
  /** Commit Pushed: the pushed commit's message, so notifications can say what changed. */
  message: z.string().optional(),
  /** Commit Pushed: the pushed commit's author. */
  author: z.object({ name: z.string(), email: z.string().optional() }).optional(),
  /** Commit Pushed: the source repository's URL, for links. */
  repositoryUrl: z.string().optional(),
  /** Deployment Verified / Failed: the Argo Rollouts canary steps the agent saw. */
  canary: canaryProgress.optional(),
  /** Deployment Verified / Failed: the metric gate the deployment was baked with. */
  bake: bakeDetail.optional(),
  /** `Config Committed`: the chart version written beside the image. */
  chartVersion: z.string().optional(),
  /** `Chart Pushed`: the chart the build pushed beside the image (its version is the image's tag). */
  chart: z
    .object({ repository: z.string(), name: z.string(), version: z.string(), digest: z.string() })
    .optional(),
});

/** One hop of a journey. */
export type LedgerHop = z.infer<typeof ledgerHop>;

/** A hop tied to an app and a commit. */
export type JourneyHop = LedgerHop & { readonly app: string; readonly commit: string };
