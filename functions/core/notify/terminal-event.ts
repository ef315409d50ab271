import { DetailType } from "../contracts/detail-type.js";
import type { DetailOf } from "../contracts/event-catalog.js";

/**
 * The detail types `notify` tells people about: the ones that end a journey, one way or the other,
 * `Pull Request Opened`, where the journey waits for a reviewer to merge, a hold a person placed,
 * and an image waiting for approval or behind a hold (`Promotion Waiting`).
 */
export const NOTIFIED_DETAIL_TYPES = [
  DetailType.DeploymentVerified,
  DetailType.DeploymentFailed,
  DetailType.ImageRejected,
  DetailType.ImageRefused,
  DetailType.RollbackCommitted,
  DetailType.BuildFailed,
  DetailType.PullRequestOpened,
  DetailType.HoldPlaced,
  DetailType.PromotionWaiting,
] as const;

/** One of {@link NOTIFIED_DETAIL_TYPES}. */
export type NotifiedDetailType = (typeof NOTIFIED_DETAIL_TYPES)[number];

/**
 * An event as `notify` reads it (a terminal event, or a pull request that waits for review): its
 * detail type, its parsed detail, when it happened and its id. The union narrows on `detailType`.
 *
 * @example
 * ```ts
 * const event: TerminalEvent = { detailType: "Build Failed", detail, time: "2026-03-01T12:00:00Z" };
 * ```
 */
export type TerminalEvent = {
  [K in NotifiedDetailType]: {
    readonly detailType: K;
    readonly detail: DetailOf<K>;
    /** The event's time (ISO 8601), when known. */
    readonly time?: string;
    /** The event's id, when known: it tells a repeated pull request update from the first. */
    readonly id?: string;
  };
}[NotifiedDetailType];

/**
 * Tells whether a detail type is one `notify` tells people about.
 *
 * @example
 * ```ts
 * isNotifiedDetailType("Build Failed"); // true
 * ```
 */
export function isNotifiedDetailType(detailType: string): detailType is NotifiedDetailType {
  return NOTIFIED_DETAIL_TYPES.some((notified) => notified === detailType);
}
