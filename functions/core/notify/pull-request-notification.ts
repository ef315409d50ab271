import type { PullRequestOpened } from "../contracts/events/pull-request-opened.js";
import type { Notification } from "./notification.js";
import {
  changeSentence,
  commitFields,
  fieldOf,
  journeyLink,
  linkOf,
  type NotificationContext,
  short,
  sourceCommitLink,
  tagChange,
} from "./notification-parts.js";

/** The label of the link a review request asks people to follow: the pull request's page. */
export const REVIEW_LINK_LABEL = "Review and merge to deploy";

/**
 * The notification of a `Pull Request Opened` event: a change waits for a reviewer, because
 * merging the pull request is what deploys it. It names the app, the environment, the image (the
 * tag the journey knows, old → new against what the environment runs, and the digest), the source
 * commit, and links the pull request first, as the link to follow ({@link REVIEW_LINK_LABEL}). An
 * update (`updated: true`) says that the pull request now proposes this image instead of the one
 * it proposed before.
 *
 * @example
 * ```ts
 * const notification = pullRequestNotification(detail, { commit: info, timelineUrl });
 * notification.title; // "web 1.4.0-f485fcc waits for review in production"
 * ```
 */
export function pullRequestNotification(
  detail: PullRequestOpened,
  context: NotificationContext,
): Notification {
  const { app, commit, environment } = detail;
  const tag = context.commit?.tag;
  const change = tagChange(context.commit?.previousTag, tag);
  const proposed = `${app} ${change ?? short(commit)} for ${environment}`;
  const pullRequest = `pull request #${detail.number}`;
  const proposal = detail.updated
    ? `Pull request #${detail.number} now proposes ${proposed} in place of the image it proposed before; merging it deploys the new image.`
    : `Pull request #${detail.number} proposes ${proposed}; merging it deploys the change.`;
  return {
    detailType: "Pull Request Opened",
    app,
    commit,
    environment,
    title: detail.updated
      ? `${app} ${pullRequest} now proposes ${tag ?? short(commit)} for ${environment}`
      : `${app} ${tag ?? short(commit)} waits for review in ${environment}`,
    // The URL ends the text, so that no punctuation sticks to it when a client links it.
    text: `${proposal} ${changeSentence(context.commit, commit)} ${REVIEW_LINK_LABEL}: ${detail.url}`,
    severity: "review",
    fields: [
      { label: "App", value: app },
      { label: "Environment", value: environment },
      ...fieldOf("Tag", change),
      ...commitFields(context.commit, commit),
      { label: "Pull request", value: `#${detail.number} on ${detail.configRepo} from ${detail.branch}` },
      { label: "Digest", value: detail.digest },
    ],
    links: [
      { label: REVIEW_LINK_LABEL, url: detail.url, primary: true },
      ...sourceCommitLink(context, commit),
      ...linkOf("Build log", context.commit?.buildLogUrl),
      ...journeyLink(context, app, commit),
    ],
  };
}
