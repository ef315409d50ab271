import type * as z from "zod";
import { BuildVariable } from "../build/build-variable.js";
import { codeBuildBuildStateChangeEvent } from "../contracts/aws/codebuild-build-state-change.js";
import { codeCommitRepositoryStateChangeEvent } from "../contracts/aws/codecommit-repository-state-change.js";
import { ecrImageActionEvent } from "../contracts/aws/ecr-image-action.js";
import { ecrImageScanEvent } from "../contracts/aws/ecr-image-scan.js";
import { inspector2ScanEvent } from "../contracts/aws/inspector2-scan.js";
import { unconcernedAwsEventReason } from "../contracts/aws/unconcerned-aws-event.js";
import type { EventEnvelope } from "../contracts/event-envelope.js";
import { formatIssues } from "../contracts/format-issues.js";
import { gitSha, resourceName } from "../contracts/primitives.js";
import { ShiplineError } from "../errors/shipline-error.js";
import { type LedgerEntry, repositoryNameOf } from "./ledger-entry.js";
import type { LedgerHop } from "./ledger-hop.js";

/** Parses a forwarded AWS event by its contract; a broken one is a permanent `EVENT_INVALID`. */
function parseAws<S extends z.ZodType>(schema: S, event: EventEnvelope): z.output<S> {
  const result = schema.safeParse(event);
  if (!result.success) {
    const problems = formatIssues(result.error.issues);
    throw new ShiplineError({
      code: "EVENT_INVALID",
      message: `${event.source} '${event["detail-type"]}' event ${event.id} does not match its contract: ${problems.join("; ")}`,
      data: { source: event.source, detailType: event["detail-type"], problems },
      retryable: false,
    });
  }
  return result.data;
}

/** The fields every hop of an AWS event has; app, commit and correlation id come later for images. */
function awsBase(event: EventEnvelope, step: string) {
  return {
    step,
    detailType: event["detail-type"],
    source: event.source,
    at: event.time,
    eventId: event.id,
    ...(event["replay-name"] === undefined ? {} : { replayName: event["replay-name"] }),
  };
}

/**
 * Maps a forwarded AWS event to its ledger entry:
 * - a CodeBuild state change of a build Shipline started (its `SHIPLINE_*` variables name the app,
 *   commit and journey) — other builds are ignored;
 * - a CodeCommit push: a push hop of the new commit;
 * - an ECR push, an ECR scan, an Inspector scan of an image: an image hop, tied to its journey by the
 *   ledger's image index (the tag `Build Started` announced, the digest `Image Pushed` announced);
 *   an Inspector scan of an EC2 instance or a Lambda function is ignored with the reason.
 *
 * @example
 * ```ts
 * const entry = awsLedgerEntryOf(codeBuildEvent);
 * ```
 */
export function awsLedgerEntryOf(event: EventEnvelope): LedgerEntry {
  const kind = `${event.source}/${event["detail-type"]}`;
  switch (kind) {
    case "aws.codebuild/CodeBuild Build State Change":
      return codeBuildEntry(event);
    case "aws.codecommit/CodeCommit Repository State Change": {
      const { detail } = parseAws(codeCommitRepositoryStateChangeEvent, event);
      const commit = gitSha.safeParse(detail.commitId);
      if (!commit.success) {
        return {
          kind: "ignored",
          reason: `CodeCommit ${detail.event} of ${detail.referenceName} names no commit`,
        };
      }
      return {
        kind: "entry",
        subject: { kind: "push", commit: commit.data },
        hop: {
          ...awsBase(event, "codecommit"),
          app: null,
          commit: commit.data,
          correlationId: event.id,
          trigger: `${detail.event} of ${detail.referenceFullName} in ${detail.repositoryName}`,
        },
      };
    }
    case "aws.ecr/ECR Image Action": {
      const { detail } = parseAws(ecrImageActionEvent, event);
      const tag = detail["image-tag"];
      return imageEntry(event, "ecr", detail["repository-name"], detail["image-digest"], tag ? [tag] : [], {
        status: `${detail["action-type"]} ${detail.result}`,
        ...(tag === undefined ? {} : { tag }),
      });
    }
    case "aws.ecr/ECR Image Scan": {
      const { detail } = parseAws(ecrImageScanEvent, event);
      return imageEntry(
        event,
        "ecr",
        detail["repository-name"],
        detail["image-digest"],
        detail["image-tags"],
        {
          status: detail["scan-status"],
          reason: countsText(detail["finding-severity-counts"]),
        },
      );
    }
    case "aws.inspector2/Inspector2 Scan": {
      const unconcerned = unconcernedAwsEventReason(event);
      if (unconcerned !== undefined) return { kind: "ignored", reason: unconcerned };
      const { detail } = parseAws(inspector2ScanEvent, event);
      return imageEntry(
        event,
        "inspector2",
        repositoryNameOf(detail["repository-name"]),
        detail["image-digest"],
        detail["image-tags"],
        { status: detail["scan-status"], reason: countsText(detail["finding-severity-counts"]) },
      );
    }
    default:
      return { kind: "ignored", reason: `${kind} events are not recorded in the ledger` };
  }
}

function imageEntry(
  event: EventEnvelope,
  step: string,
  repository: string,
  digest: string,
  tags: readonly string[],
  summary: Partial<LedgerHop>,
): LedgerEntry {
  return {
    kind: "entry",
    subject: { kind: "image", repository, digest, tags },
    hop: {
      ...awsBase(event, step),
      app: null,
      commit: null,
      correlationId: event.id,
      repository,
      digest,
      ...summary,
    },
  };
}

function codeBuildEntry(event: EventEnvelope): LedgerEntry {
  const { detail } = parseAws(codeBuildBuildStateChangeEvent, event);
  const info = detail["additional-information"];
  const variables = new Map(
    (info?.environment?.["environment-variables"] ?? []).map((variable) => [variable.name, variable.value]),
  );
  const app = resourceName.safeParse(variables.get(BuildVariable.App));
  const commit = gitSha.safeParse(variables.get(BuildVariable.Commit));
  if (!app.success || !commit.success) {
    return {
      kind: "ignored",
      reason: `build ${detail["build-id"]} carries no valid ${BuildVariable.App} and ${BuildVariable.Commit}, so Shipline did not start it`,
    };
  }
  const failedPhase = (info?.phases ?? []).find(
    (phase) => phase["phase-status"] !== undefined && phase["phase-status"] !== "SUCCEEDED",
  );
  const context = failedPhase?.["phase-context"]?.filter((line) => line.trim() !== "").join("; ");
  const logsUrl = info?.logs?.["deep-link"];
  return {
    kind: "entry",
    subject: { kind: "journey", app: app.data, commit: commit.data },
    hop: {
      ...awsBase(event, "codebuild"),
      app: app.data,
      commit: commit.data,
      correlationId: variables.get(BuildVariable.CorrelationId) ?? event.id,
      buildId: detail["build-id"],
      status: detail["build-status"],
      ...(logsUrl === undefined ? {} : { logsUrl }),
      ...(failedPhase === undefined
        ? {}
        : {
            reason: `${failedPhase["phase-type"]} ${failedPhase["phase-status"]}${context ? `: ${context}` : ""}`,
          }),
    },
  };
}

/** Severity counts as text, most severe first, zero counts left out: `10 CRITICAL, 2 HIGH`. */
function countsText(counts: Readonly<Record<string, number>>): string {
  const order = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNDEFINED"];
  const parts = order.flatMap((severity) => {
    const count = counts[severity] ?? 0;
    return count > 0 ? [`${count} ${severity}`] : [];
  });
  return parts.length === 0 ? "no findings" : parts.join(", ");
}
