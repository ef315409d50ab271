import { codeCommitRepositoryStateChangeEvent } from "../contracts/aws/codecommit-repository-state-change.js";
import { formatIssues } from "../contracts/format-issues.js";
import { ShiplineError } from "../errors/shipline-error.js";
import { ZERO_SHA } from "./git-ref.js";
import { WEBHOOK_PAYLOAD_INVALID } from "./parse-webhook-payload.js";
import { commitPushedOf } from "./ref-push.js";
import type { IgnoredClassification, PushClassification, WebhookDelivery } from "./webhook-classification.js";

/**
 * Normalises CodeCommit's `Repository State Change` event (delivered by an EventBridge rule, so there
 * is no signature to check) into the same result `classifyWebhook` gives for a push:
 * - `referenceCreated` / `referenceUpdated` of a branch or tag: one `Commit Pushed` with provider
 *   `codecommit`. The event names no commits and no paths, so `commits` is empty and `pathsKnown` is
 *   false; the handler then adds the paths it reads with CodeCommit's `GetDifferences` (before..after),
 *   see `withRepositoryPaths`.
 * - `referenceDeleted`: ignored, with the reason.
 * The delivery id is the EventBridge event id (a redelivered event keeps it); the clone URL is the
 * region's HTTPS endpoint; the pusher is the caller's ARN.
 *
 * Throws a permanent `EVENT_INVALID` error when the event is not a CodeCommit state change.
 *
 * @example
 * ```ts
 * const result = normaliseCodeCommitEvent(event);
 * if (result.kind === "push") await publisher.publish(result.details.map((detail) => ({ detailType: DetailType.CommitPushed, detail })));
 * ```
 */
export function normaliseCodeCommitEvent(event: unknown): PushClassification | IgnoredClassification {
  const parsed = codeCommitRepositoryStateChangeEvent.safeParse(event);
  if (!parsed.success) {
    const problems = formatIssues(parsed.error.issues);
    throw new ShiplineError({
      code: "EVENT_INVALID",
      message: `CodeCommit Repository State Change event does not match its contract: ${problems.join("; ")}`,
      data: { detailType: "CodeCommit Repository State Change", problems },
      retryable: false,
    });
  }
  const { detail, region, id } = parsed.data;
  const delivery: WebhookDelivery = {
    provider: "codecommit",
    deliveryId: id,
    deliveryKey: `codecommit:${id}`,
  };
  const refName = `${detail.referenceType} '${detail.referenceName}' of CodeCommit repository ${detail.repositoryName}`;
  if (detail.event === "referenceDeleted") {
    return { kind: "ignored", ...delivery, reason: `${refName} was deleted; nothing to build` };
  }
  const after = detail.commitId;
  if (after === undefined) {
    throw new ShiplineError({
      code: "EVENT_INVALID",
      message: `CodeCommit ${detail.event} of ${refName} has no detail.commitId, which CodeCommit always sets for it; check that the rule forwards CodeCommit's own events unchanged`,
      data: { detailType: "CodeCommit Repository State Change", problems: ["detail.commitId: required"] },
      retryable: false,
    });
  }
  const outcome = withEventInvalid(() =>
    commitPushedOf(
      {
        provider: "codecommit",
        host: "CodeCommit",
        repository: {
          name: detail.repositoryName,
          fullName: detail.repositoryName,
          url: `https://git-codecommit.${region}.amazonaws.com/v1/repos/${detail.repositoryName}`,
        },
        ref: detail.referenceFullName,
        before: detail.event === "referenceCreated" ? ZERO_SHA : detail.oldCommitId,
        after,
        forced: false,
        commits: [],
        pathsListed: false,
        commitsTruncated: false,
        pusher: { name: detail.callerUserArn ?? "unknown" },
      },
      { deliveryId: id, correlationId: delivery.deliveryKey },
    ),
  );
  if ("skipped" in outcome) return { kind: "ignored", ...delivery, reason: outcome.skipped };
  if ("invalid" in outcome) return { kind: "ignored", ...delivery, reason: outcome.invalid };
  return { kind: "push", ...delivery, details: [outcome.detail], skipped: [] };
}

function withEventInvalid<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof ShiplineError) || error.code !== WEBHOOK_PAYLOAD_INVALID) throw error;
    throw new ShiplineError({
      code: "EVENT_INVALID",
      message: error.message,
      data: { detailType: "CodeCommit Repository State Change", ...error.data },
      retryable: false,
      cause: error,
    });
  }
}
