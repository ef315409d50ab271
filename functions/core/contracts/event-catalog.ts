import type * as z from "zod";
import { DetailType, type DetailTypeName } from "./detail-type.js";
import { buildFailedDetail } from "./events/build-failed.js";
import { buildStartedDetail } from "./events/build-started.js";
import { buildSucceededDetail } from "./events/build-succeeded.js";
import { chartPushedDetail } from "./events/chart-pushed.js";
import { commitPushedDetail } from "./events/commit-pushed.js";
import { configCommittedDetail } from "./events/config-committed.js";
import { deploymentFailedDetail } from "./events/deployment-failed.js";
import { deploymentVerifiedDetail } from "./events/deployment-verified.js";
import { holdPlacedDetail } from "./events/hold-placed.js";
import { holdReleasedDetail } from "./events/hold-released.js";
import { imageApprovedDetail } from "./events/image-approved.js";
import { imagePushedDetail } from "./events/image-pushed.js";
import { imageRefusedDetail } from "./events/image-refused.js";
import { imageRejectedDetail } from "./events/image-rejected.js";
import { promotionApprovedDetail } from "./events/promotion-approved.js";
import { promotionRefusedDetail } from "./events/promotion-refused.js";
import { promotionWaitingDetail } from "./events/promotion-waiting.js";
import { pullRequestOpenedDetail } from "./events/pull-request-opened.js";
import { rollbackCommittedDetail } from "./events/rollback-committed.js";
import { stepFailedDetail } from "./events/step-failed.js";
import { syncRequestedDetail } from "./events/sync-requested.js";

/**
 * The contract of every Shipline detail type: one zod schema each, shared by publishers, handlers,
 * CDK rules and tests.
 *
 * @example
 * ```ts
 * const detail = EVENT_CATALOG[DetailType.ImagePushed].parse(raw);
 * ```
 */
export const EVENT_CATALOG = {
  [DetailType.CommitPushed]: commitPushedDetail,
  [DetailType.BuildStarted]: buildStartedDetail,
  [DetailType.BuildSucceeded]: buildSucceededDetail,
  [DetailType.BuildFailed]: buildFailedDetail,
  [DetailType.ChartPushed]: chartPushedDetail,
  [DetailType.ImagePushed]: imagePushedDetail,
  [DetailType.ImageRefused]: imageRefusedDetail,
  [DetailType.ImageApproved]: imageApprovedDetail,
  [DetailType.ImageRejected]: imageRejectedDetail,
  [DetailType.PromotionApproved]: promotionApprovedDetail,
  [DetailType.PromotionWaiting]: promotionWaitingDetail,
  [DetailType.PromotionRefused]: promotionRefusedDetail,
  [DetailType.ConfigCommitted]: configCommittedDetail,
  [DetailType.PullRequestOpened]: pullRequestOpenedDetail,
  [DetailType.SyncRequested]: syncRequestedDetail,
  [DetailType.DeploymentVerified]: deploymentVerifiedDetail,
  [DetailType.DeploymentFailed]: deploymentFailedDetail,
  [DetailType.RollbackCommitted]: rollbackCommittedDetail,
  [DetailType.HoldPlaced]: holdPlacedDetail,
  [DetailType.HoldReleased]: holdReleasedDetail,
  [DetailType.StepFailed]: stepFailedDetail,
} as const satisfies Record<DetailTypeName, z.ZodType>;

/** The parsed detail of a detail type. */
export type DetailOf<T extends DetailTypeName> = z.output<(typeof EVENT_CATALOG)[T]>;

/** What a publisher accepts for a detail type (defaults such as `schemaVersion` may be left out). */
export type DetailInput<T extends DetailTypeName> = z.input<(typeof EVENT_CATALOG)[T]>;
