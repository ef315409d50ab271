import type { HoldPlaced } from "../contracts/events/hold-placed.js";
import type { PromotionWaiting } from "../contracts/events/promotion-waiting.js";
import type { Notification } from "./notification.js";
import {
  changeSentence,
  commitFields,
  journeyLink,
  type NotificationContext,
  sentence,
  short,
  sourceCommitLink,
} from "./notification-parts.js";

/**
 * The notification of a hold a person placed (DESIGN §7: a person's change wins): who, where, why,
 * and the command that lifts it. A rollback's own hold is told by `Rollback Committed` instead.
 *
 * @example
 * ```ts
 * holdNotification(detail, context).title; // "web held in production by Alice"
 * ```
 */
export function holdNotification(detail: HoldPlaced, context: NotificationContext): Notification {
  const { app, commit, environment } = detail;
  const release = `shipline release ${app} ${environment}`;
  return {
    detailType: "Hold Placed",
    app,
    commit,
    environment,
    title: `${app} held in ${environment} by ${detail.placedBy}`,
    text: `${detail.placedBy} placed a hold on ${app} in ${environment}: ${sentence(detail.reason)} Shipline does not move ${environment} until it is released: ${release}. ${changeSentence(context.commit, commit)}`,
    severity: "warning",
    fields: [
      { label: "App", value: app },
      { label: "Environment", value: environment },
      { label: "Held by", value: detail.placedBy },
      { label: "Reason", value: detail.reason },
      { label: "Release with", value: release },
      ...commitFields(context.commit, commit),
    ],
    links: [...sourceCommitLink(context, commit), ...journeyLink(context, app, commit)],
  };
}

/**
 * The notification of an image that waits to enter an environment behind a hold or for a manual
 * approval: what waits, why, and the command that moves it on.
 *
 * @example
 * ```ts
 * waitingNotification(detail, context).title; // "web 1.4.0-f485fcc waits for approval in production"
 * ```
 */
export function waitingNotification(detail: PromotionWaiting, context: NotificationContext): Notification {
  const { app, commit, environment } = detail;
  const behind =
    detail.waitingFor === "hold"
      ? `behind a hold${detail.heldBy === undefined ? "" : ` placed by ${detail.heldBy}`}`
      : `for ${detail.waitingFor}`;
  return {
    detailType: "Promotion Waiting",
    app,
    commit,
    environment,
    title: `${app} ${detail.tag} waits ${behind} in ${environment}`,
    text: `${app} ${detail.tag} (${short(commit)}) waits ${behind} to enter ${environment}: ${sentence(detail.reason)}${detail.command === undefined ? "" : ` To move it on: ${detail.command}.`} ${changeSentence(context.commit, commit)}`,
    severity: "review",
    fields: [
      { label: "App", value: app },
      { label: "Environment", value: environment },
      { label: "Image", value: `${detail.tag} (${detail.digest})` },
      ...(detail.command === undefined ? [] : [{ label: "Command", value: detail.command }]),
      ...commitFields(context.commit, commit),
    ],
    links: [...sourceCommitLink(context, commit), ...journeyLink(context, app, commit)],
  };
}
