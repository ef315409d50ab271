import type { BuildFailed } from "../contracts/events/build-failed.js";
import type { DeploymentFailed } from "../contracts/events/deployment-failed.js";
import type { DeploymentVerified } from "../contracts/events/deployment-verified.js";
import type { ImageRejected } from "../contracts/events/image-rejected.js";
import type { RollbackCommitted } from "../contracts/events/rollback-committed.js";
import { formatDuration } from "./format-duration.js";
import { holdNotification, waitingNotification } from "./hold-notification.js";
import { imageRefusedNotification } from "./image-refused-notification.js";
import type { Notification } from "./notification.js";
import {
  argoCdLink,
  changeSentence,
  commitFields,
  configCommitLink,
  fieldOf,
  journeyLink,
  linkOf,
  listOf,
  type NotificationContext,
  sentence,
  short,
  sourceCommitLink,
  tagChange,
} from "./notification-parts.js";
import { pullRequestNotification } from "./pull-request-notification.js";
import type { TerminalEvent } from "./terminal-event.js";

export type { NotificationContext } from "./notification-parts.js";

/** Options of {@link notificationOf}. */
export interface NotificationOfOptions {
  /** The terminal event, or the pull request that waits for review. */
  readonly event: TerminalEvent;
  /** What the journey knows and where things live, for the "what changed" and the links. */
  readonly context: NotificationContext;
}

/** How many blocking findings or failing resources a notification lists before "and N more". */
const LISTED_ITEMS = 5;

/**
 * The notification of a terminal event: what changed (the app, old → new tag where known, the
 * source commit's message and author), why (the reason or the scan verdict), and where to look
 * (build log, config commit, Argo CD application, the journey). A pull request that waits for
 * review gets a review request instead (see `pullRequestNotification`). Pure: the caller looks the
 * commit up (`JourneyLookup`) and renders the result for each channel.
 *
 * @example
 * ```ts
 * const commit = await lookup.commitInfo({ app: detail.app, commit: detail.commit, environment: detail.environment });
 * const notification = notificationOf({ event: { detailType: "Deployment Verified", detail }, context: { commit, argoCdUrl } });
 * notification.title; // "demo 1.2.0-5d6e7f8 verified in staging"
 * ```
 */
export function notificationOf(options: NotificationOfOptions): Notification {
  const { event, context } = options;
  switch (event.detailType) {
    case "Deployment Verified":
      return deploymentVerified(event.detail, context);
    case "Deployment Failed":
      return deploymentFailed(event.detail, context);
    case "Image Rejected":
      return imageRejected(event.detail, context);
    case "Image Refused":
      return imageRefusedNotification(event.detail, context);
    case "Rollback Committed":
      return rollbackCommitted(event.detail, context);
    case "Build Failed":
      return buildFailed(event.detail, context);
    case "Pull Request Opened":
      return pullRequestNotification(event.detail, context);
    case "Hold Placed":
      return holdNotification(event.detail, context);
    case "Promotion Waiting":
      return waitingNotification(event.detail, context);
  }
}

function deploymentVerified(detail: DeploymentVerified, context: NotificationContext): Notification {
  const { app, commit, environment } = detail;
  const revert = detail.kind === "revert";
  const tag = context.commit?.tag;
  const change = tagChange(context.commit?.previousTag, tag);
  const what = revert ? "the rollback of" : (tag ?? short(commit));
  return {
    detailType: "Deployment Verified",
    app,
    commit,
    environment,
    title: revert
      ? `${app} rollback verified in ${environment}`
      : `${app} ${what} verified in ${environment}`,
    text: `${environment} now runs ${revert ? `${app} as before the rolled-back change` : `${app} ${change ?? short(commit)}`}, Synced and Healthy at config commit ${short(detail.revision)}. ${changeSentence(context.commit, commit)}`,
    severity: revert ? "warning" : "success",
    fields: [
      { label: "App", value: app },
      { label: "Environment", value: environment },
      ...fieldOf("Tag", change),
      ...commitFields(context.commit, commit),
      { label: "Argo CD application", value: `${detail.application} (cluster ${detail.cluster})` },
      ...fieldOf("Verified in", durationOf(detail.durationSeconds)),
    ],
    links: [
      ...sourceCommitLink(context, commit),
      ...configCommitLink("Config commit", context.configRepoUrl, detail.revision),
      ...argoCdLink(context, detail.application),
      ...linkOf("Build log", context.commit?.buildLogUrl),
      ...journeyLink(context, app, commit),
    ],
  };
}

function deploymentFailed(detail: DeploymentFailed, context: NotificationContext): Notification {
  const { app, commit, environment } = detail;
  const tag = detail.tag ?? context.commit?.tag;
  const change = tagChange(context.commit?.previousTag, tag);
  const what = detail.kind === "revert" ? "rollback" : (tag ?? short(commit));
  const status = [
    detail.syncStatus === undefined ? undefined : `sync ${detail.syncStatus}`,
    detail.health === undefined ? undefined : `health ${detail.health}`,
    detail.operationPhase === undefined ? undefined : `operation ${detail.operationPhase}`,
  ].filter((part) => part !== undefined);
  const resources = detail.resources.map((resource) => {
    const name = `${resource.kind}/${resource.namespace === undefined ? "" : `${resource.namespace}/`}${resource.name}`;
    const health = resource.health === undefined ? "" : ` (${resource.health})`;
    const message = resource.message === undefined ? "" : `: ${resource.message}`;
    return `${name}${health}${message}`;
  });
  return {
    detailType: "Deployment Failed",
    app,
    commit,
    environment,
    title: `${app} ${what} failed in ${environment}`,
    text: `The deployment of ${app} ${change ?? short(commit)} to ${environment} failed: ${sentence(detail.reason)} ${changeSentence(context.commit, commit)}`,
    severity: "failure",
    fields: [
      { label: "App", value: app },
      { label: "Environment", value: environment },
      ...fieldOf("Tag", change),
      ...commitFields(context.commit, commit),
      { label: "Reason", value: detail.reason },
      ...fieldOf("Status", status.join(", ")),
      ...fieldOf("Failing resources", listOf(resources, LISTED_ITEMS)),
      { label: "Argo CD application", value: `${detail.application} (cluster ${detail.cluster})` },
    ],
    links: [
      ...argoCdLink(context, detail.application),
      ...configCommitLink("Config commit", context.configRepoUrl, detail.revision),
      ...sourceCommitLink(context, commit),
      ...linkOf("Build log", context.commit?.buildLogUrl),
      ...journeyLink(context, app, commit),
    ],
  };
}

function imageRejected(detail: ImageRejected, context: NotificationContext): Notification {
  const { app, commit } = detail;
  const counts = Object.entries(detail.counts)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${severity} ${count}`)
    .join(", ");
  const blocking = detail.blocking.map((finding) => {
    const where =
      finding.package === undefined
        ? ""
        : ` in ${finding.package}${finding.installedVersion === undefined ? "" : ` ${finding.installedVersion}`}`;
    const fix = finding.fixedVersion === undefined ? "" : `, fixed in ${finding.fixedVersion}`;
    const note = finding.note === undefined ? "" : ` (${finding.note})`;
    return `${finding.id} ${finding.severity}${where}${fix}${note}`;
  });
  return {
    detailType: "Image Rejected",
    app,
    commit,
    title: `${app} ${detail.tag} rejected by the scan gate`,
    text: `The image ${detail.repository}:${detail.tag} of ${app} will not be deployed: ${sentence(detail.reason)} ${changeSentence(context.commit, commit)}`,
    severity: "failure",
    fields: [
      { label: "App", value: app },
      { label: "Tag", value: detail.tag },
      ...commitFields(context.commit, commit),
      { label: "Verdict", value: detail.reason },
      ...fieldOf("Scanner", detail.scanner),
      ...fieldOf("Findings", counts),
      ...fieldOf("Blocking findings", listOf(blocking, LISTED_ITEMS)),
      { label: "Digest", value: detail.digest },
    ],
    links: [
      ...linkOf("Build log", context.commit?.buildLogUrl),
      ...sourceCommitLink(context, commit),
      ...journeyLink(context, app, commit),
    ],
  };
}

function rollbackCommitted(detail: RollbackCommitted, context: NotificationContext): Notification {
  const { app, commit, environment } = detail;
  const back = tagChange(context.commit?.tag, context.commit?.previousTag);
  const configRepoUrl = context.configRepoUrl ?? detail.configRepo;
  return {
    detailType: "Rollback Committed",
    app,
    commit,
    environment,
    title: `${app} rolled back in ${environment}`,
    text: `Shipline reverted config commit ${short(detail.revertedCommit)} in ${environment}${restoredTag(detail, context) === undefined ? "" : `, so ${app} goes back to ${restoredTag(detail, context)}`}: ${sentence(detail.reason)} ${changeSentence(context.commit, commit)}`,
    severity: "warning",
    fields: [
      { label: "App", value: app },
      { label: "Environment", value: environment },
      ...fieldOf("Tag", back),
      ...commitFields(context.commit, commit),
      { label: "Reason", value: detail.reason },
      { label: "Reverted config commit", value: short(detail.revertedCommit) },
      { label: "Revert commit", value: short(detail.configCommit) },
    ],
    links: [
      ...configCommitLink("Revert commit", configRepoUrl, detail.configCommit),
      ...configCommitLink("Reverted commit", configRepoUrl, detail.revertedCommit),
      ...sourceCommitLink(context, commit),
      ...journeyLink(context, app, commit),
    ],
  };
}

function buildFailed(detail: BuildFailed, context: NotificationContext): Notification {
  const { app, commit } = detail;
  const phase = detail.failedPhase === undefined ? "" : ` in its ${detail.failedPhase} phase`;
  return {
    detailType: "Build Failed",
    app,
    commit,
    title: `${app} build failed at ${short(commit)}`,
    text: `The build of ${app} at ${short(commit)} ended ${detail.status}${phase}: ${sentence(detail.reason)} ${changeSentence(context.commit, commit)}`,
    severity: "failure",
    fields: [
      { label: "App", value: app },
      ...commitFields(context.commit, commit),
      { label: "Reason", value: detail.reason },
      { label: "Status", value: detail.status },
      ...fieldOf("Failed phase", detail.failedPhase),
      { label: "Build", value: detail.buildId },
      ...fieldOf("Ran for", durationOf(detail.durationSeconds)),
    ],
    links: [
      ...linkOf("Build log", detail.logsUrl ?? context.commit?.buildLogUrl),
      ...sourceCommitLink(context, commit),
      ...journeyLink(context, app, commit),
    ],
  };
}

function durationOf(seconds: number | undefined): string | undefined {
  return seconds === undefined ? undefined : formatDuration(seconds);
}

/** The image a rollback brought back: the one it names, else the one the journey ran before. */
function restoredTag(detail: RollbackCommitted, context: NotificationContext): string | undefined {
  return detail.restored?.tag ?? context.commit?.previousTag;
}
