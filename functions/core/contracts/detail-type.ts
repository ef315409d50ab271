/** The `source` of every event Shipline publishes. */
export const SHIPLINE_SOURCE = "shipline";

/** The name of Shipline's custom event bus. */
export const SHIPLINE_BUS_NAME = "shipline";

/** The current schema version of every Shipline detail. Schemas only grow (additive changes). */
export const SCHEMA_VERSION = 1;

/**
 * Every Shipline detail type, as it appears in an event's `detail-type`.
 *
 * @example
 * ```ts
 * const pattern = { source: [SHIPLINE_SOURCE], "detail-type": [DetailType.CommitPushed] };
 * ```
 */
export const DetailType = {
  CommitPushed: "Commit Pushed",
  BuildStarted: "Build Started",
  BuildSucceeded: "Build Succeeded",
  BuildFailed: "Build Failed",
  ChartPushed: "Chart Pushed",
  ImagePushed: "Image Pushed",
  ImageRefused: "Image Refused",
  ImageApproved: "Image Approved",
  ImageRejected: "Image Rejected",
  PromotionApproved: "Promotion Approved",
  PromotionWaiting: "Promotion Waiting",
  PromotionRefused: "Promotion Refused",
  ConfigCommitted: "Config Committed",
  PullRequestOpened: "Pull Request Opened",
  SyncRequested: "Sync Requested",
  DeploymentVerified: "Deployment Verified",
  DeploymentFailed: "Deployment Failed",
  RollbackCommitted: "Rollback Committed",
  HoldPlaced: "Hold Placed",
  HoldReleased: "Hold Released",
  StepFailed: "Step Failed",
} as const;

/** One of the values of {@link DetailType}. */
export type DetailTypeName = (typeof DetailType)[keyof typeof DetailType];

/** All Shipline detail types, in chain order. */
export const DETAIL_TYPES: readonly DetailTypeName[] = Object.values(DetailType);
