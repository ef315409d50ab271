import { DETAIL_TYPES, DetailType, type DetailTypeName, SHIPLINE_SOURCE } from "../contracts/detail-type.js";
import type { EventEnvelope } from "../contracts/event-envelope.js";
import { parseDetail } from "../contracts/parse-detail.js";
import { awsLedgerEntryOf } from "./aws-ledger-entry-of.js";
import { type LedgerEntry, repositoryNameOf } from "./ledger-entry.js";
import type { LedgerHop } from "./ledger-hop.js";

/** The step that publishes each Shipline detail type (DESIGN §1). */
export const PUBLISHING_STEP: Readonly<Record<DetailTypeName, string>> = {
  [DetailType.CommitPushed]: "webhook",
  [DetailType.BuildStarted]: "start-build",
  [DetailType.BuildSucceeded]: "build-status",
  [DetailType.BuildFailed]: "build-status",
  [DetailType.ChartPushed]: "build-status",
  [DetailType.ImagePushed]: "image-pushed",
  [DetailType.ImageRefused]: "image-pushed",
  [DetailType.ImageApproved]: "scan-gate",
  [DetailType.ImageRejected]: "scan-gate",
  [DetailType.PromotionApproved]: "approval",
  [DetailType.PromotionWaiting]: "promote",
  [DetailType.PromotionRefused]: "promote",
  [DetailType.ConfigCommitted]: "config-writer",
  [DetailType.PullRequestOpened]: "config-writer",
  [DetailType.SyncRequested]: "dispatch-sync",
  [DetailType.DeploymentVerified]: "agent",
  [DetailType.DeploymentFailed]: "agent",
  [DetailType.RollbackCommitted]: "rollback",
  [DetailType.HoldPlaced]: "hold",
  [DetailType.HoldReleased]: "hold",
  [DetailType.StepFailed]: "step",
};

function isDetailType(value: string): value is DetailTypeName {
  return DETAIL_TYPES.some((detailType) => detailType === value);
}

/**
 * Maps one event the ledger consumes to the hop it records and where it belongs: every Shipline
 * detail type (parsed by its contract, so a broken detail is a permanent `EVENT_INVALID`), and the
 * forwarded AWS events (CodeBuild builds Shipline started, ECR pushes and scans, Inspector scans,
 * CodeCommit pushes). An event it does not keep comes back `ignored` with the reason.
 *
 * @example
 * ```ts
 * const entry = ledgerEntryOf(event);
 * if (entry.kind === "entry") await store.put(LEDGER_TABLE, keyOf(entry), entry.hop, { ifAbsent: true });
 * ```
 */
export function ledgerEntryOf(event: EventEnvelope): LedgerEntry {
  if (event.source !== SHIPLINE_SOURCE) return awsLedgerEntryOf(event);
  const detailType = event["detail-type"];
  if (!isDetailType(detailType)) {
    return { kind: "ignored", reason: `'${detailType}' is not a detail type this version records` };
  }
  const base = {
    step: PUBLISHING_STEP[detailType],
    detailType,
    source: event.source,
    at: event.time,
    eventId: event.id,
    ...(event["replay-name"] === undefined ? {} : { replayName: event["replay-name"] }),
  };
  if (detailType === DetailType.CommitPushed) {
    const pushed = parseDetail(detailType, event.detail);
    const head = pushed.commits.find((commit) => commit.id === pushed.commit);
    const committedAt = head?.timestamp;
    return {
      kind: "entry",
      subject: { kind: "push", commit: pushed.commit },
      hop: {
        ...base,
        app: null,
        commit: pushed.commit,
        correlationId: pushed.correlationId,
        trigger: `push of ${pushed.refName} to ${pushed.repository.fullName} by ${pushed.pusher.name} (${pushed.provider})`,
        ...(committedAt === undefined ? {} : { committedAt }),
        ...(head === undefined ? {} : { message: head.message }),
        ...(head?.author === undefined ? {} : { author: head.author }),
        repositoryUrl: pushed.repository.url,
      },
    };
  }
  if (detailType === DetailType.StepFailed) {
    const failed = parseDetail(detailType, event.detail);
    const hop: LedgerHop = {
      ...base,
      step: failed.step,
      app: failed.app,
      commit: failed.commit,
      correlationId: failed.correlationId,
      reason: `${failed.code}: ${failed.reason}`,
      ...(failed.failedDetailType === undefined ? {} : { trigger: failed.failedDetailType }),
    };
    const subject =
      failed.app !== null && failed.commit !== null
        ? ({ kind: "journey", app: failed.app, commit: failed.commit } as const)
        : failed.commit !== null
          ? ({ kind: "push", commit: failed.commit } as const)
          : ({ kind: "unattributed" } as const);
    return { kind: "entry", subject, hop };
  }
  const { journey, summary } = summaryOf(detailType, event.detail);
  return {
    kind: "entry",
    subject: { kind: "journey", ...journey },
    hop: { ...base, ...journey, ...summary },
  };
}

type JourneyDetailType = Exclude<DetailTypeName, "Commit Pushed" | "Step Failed">;

/** The journey fields every detail tied to an app carries. */
interface JourneyFields {
  readonly app: string;
  readonly commit: string;
  readonly correlationId: string;
}

/** A parsed detail's journey fields and the summary a reader of the journey needs. */
function tied(detail: JourneyFields, summary: Partial<LedgerHop>) {
  return {
    journey: { app: detail.app, commit: detail.commit, correlationId: detail.correlationId },
    summary,
  };
}

/** Parses the detail by its contract (once) and picks its summary fields. */
function summaryOf(
  detailType: JourneyDetailType,
  raw: unknown,
): { readonly journey: JourneyFields; readonly summary: Partial<LedgerHop> } {
  switch (detailType) {
    case DetailType.BuildStarted: {
      const d = parseDetail(DetailType.BuildStarted, raw);
      return tied(d, {
        buildId: d.buildId,
        logsUrl: d.logsUrl,
        repository: repositoryNameOf(d.imageRepository),
        tag: d.imageTag ?? d.imageTagTemplate,
        trigger: `Commit Pushed (delivery ${d.deliveryId})`,
      });
    }
    case DetailType.BuildSucceeded: {
      const d = parseDetail(DetailType.BuildSucceeded, raw);
      return tied(d, {
        buildId: d.buildId,
        logsUrl: d.logsUrl,
        tag: d.imageTag,
        durationSeconds: d.durationSeconds,
      });
    }
    case DetailType.BuildFailed: {
      const d = parseDetail(DetailType.BuildFailed, raw);
      const phase = d.failedPhase === undefined ? "" : `${d.failedPhase} phase: `;
      return tied(d, {
        buildId: d.buildId,
        logsUrl: d.logsUrl,
        status: d.status,
        reason: `${phase}${d.reason}`,
        durationSeconds: d.durationSeconds,
      });
    }
    case DetailType.ChartPushed: {
      const d = parseDetail(DetailType.ChartPushed, raw);
      return tied(d, {
        buildId: d.buildId,
        chart: { repository: d.repository, name: d.name, version: d.version, digest: d.digest },
      });
    }
    case DetailType.ImagePushed: {
      const d = parseDetail(DetailType.ImagePushed, raw);
      return tied(d, {
        repository: repositoryNameOf(d.repository),
        tag: d.tag,
        digest: d.digest,
        trigger: d.via === "sweep" ? "registry sweep" : "registry push event",
      });
    }
    case DetailType.ImageRefused: {
      const d = parseDetail(DetailType.ImageRefused, raw);
      return tied(d, {
        repository: repositoryNameOf(d.repository),
        tag: d.tag,
        digest: d.digest,
        reason: d.reason,
        status: `refused by accept.${d.rule}`,
        trigger: d.via === "sweep" ? "registry sweep" : "registry push event",
      });
    }
    case DetailType.ImageApproved: {
      const d = parseDetail(DetailType.ImageApproved, raw);
      return tied(d, {
        tag: d.tag,
        digest: d.digest,
        verdict: "approved",
        blocking: 0,
        reason: d.reason,
        trigger: d.scanner,
      });
    }
    case DetailType.ImageRejected: {
      const d = parseDetail(DetailType.ImageRejected, raw);
      return tied(d, {
        tag: d.tag,
        digest: d.digest,
        verdict: "rejected",
        blocking: d.blocking.length,
        reason: d.reason,
        ...(d.scanner === undefined ? {} : { trigger: d.scanner }),
      });
    }
    case DetailType.PromotionApproved: {
      const d = parseDetail(DetailType.PromotionApproved, raw);
      return tied(d, {
        environment: d.environment,
        digest: d.digest,
        trigger: `approved by ${d.approvedBy}`,
        reason: d.comment,
      });
    }
    case DetailType.ConfigCommitted: {
      const d = parseDetail(DetailType.ConfigCommitted, raw);
      return tied(d, {
        environment: d.environment,
        configCommit: d.configCommit,
        tag: d.tag,
        digest: d.digest,
        kind: d.kind,
        ...(d.chartVersion === undefined ? {} : { chartVersion: d.chartVersion }),
        ...(d.by === undefined ? {} : { by: d.by }),
        ...(d.replaced?.tag === undefined ? {} : { replacedTag: d.replaced.tag }),
        ...(d.by === "person" ? { reason: d.subject ?? "a change by hand" } : {}),
        trigger: d.by === "person" ? `by ${d.author ?? "a person"}` : `write intent ${d.intentId}`,
      });
    }
    case DetailType.PullRequestOpened: {
      const d = parseDetail(DetailType.PullRequestOpened, raw);
      return tied(d, {
        environment: d.environment,
        url: d.url,
        digest: d.digest,
        reason: `waiting for review of pull request #${d.number}`,
        trigger: `write intent ${d.intentId}`,
      });
    }
    case DetailType.SyncRequested: {
      const d = parseDetail(DetailType.SyncRequested, raw);
      return tied(d, {
        environment: d.environment,
        revision: d.revision,
        tag: d.tag,
        digest: d.digest,
        kind: d.kind,
        trigger: `${d.application} on ${d.cluster}`,
      });
    }
    case DetailType.DeploymentVerified: {
      const d = parseDetail(DetailType.DeploymentVerified, raw);
      return tied(d, {
        environment: d.environment,
        revision: d.revision,
        health: d.health,
        digest: d.digest,
        kind: d.kind,
        durationSeconds: d.durationSeconds,
        canary: d.canary,
        bake: d.bake,
        trigger: `${d.application} on ${d.cluster}`,
      });
    }
    case DetailType.DeploymentFailed: {
      const d = parseDetail(DetailType.DeploymentFailed, raw);
      return tied(d, {
        environment: d.environment,
        revision: d.revision,
        health: d.health,
        reason: d.reason,
        digest: d.digest,
        tag: d.tag,
        kind: d.kind,
        canary: d.canary,
        bake: d.bake,
        trigger: `${d.application} on ${d.cluster}`,
      });
    }
    case DetailType.RollbackCommitted: {
      const d = parseDetail(DetailType.RollbackCommitted, raw);
      return tied(d, {
        environment: d.environment,
        configCommit: d.configCommit,
        kind: "revert",
        reason: d.reason,
        ...(d.restored === undefined ? {} : { tag: d.restored.tag, digest: d.restored.digest }),
        ...(d.reverted?.tag === undefined ? {} : { replacedTag: d.reverted.tag }),
        trigger: `revert of ${d.revertedCommit.slice(0, 7)}`,
      });
    }
    case DetailType.HoldPlaced: {
      const d = parseDetail(DetailType.HoldPlaced, raw);
      return tied(d, {
        environment: d.environment,
        reason: d.reason,
        digest: d.digest,
        trigger: d.placedBy,
      });
    }
    case DetailType.PromotionWaiting: {
      const d = parseDetail(DetailType.PromotionWaiting, raw);
      return tied(d, {
        environment: d.environment,
        digest: d.digest,
        tag: d.tag,
        reason: d.reason,
        waitingFor: d.waitingFor,
        ...(d.until === undefined ? {} : { until: d.until }),
        ...(d.command === undefined ? {} : { command: d.command }),
        ...(d.heldBy === undefined ? {} : { trigger: d.heldBy }),
      });
    }
    case DetailType.PromotionRefused: {
      const d = parseDetail(DetailType.PromotionRefused, raw);
      return tied(d, {
        environment: d.environment,
        digest: d.digest,
        tag: d.tag,
        reason: d.reason,
        status: d.refusal,
      });
    }
    case DetailType.HoldReleased: {
      const d = parseDetail(DetailType.HoldReleased, raw);
      return tied(d, {
        environment: d.environment,
        reason: d.reason,
        trigger: `released by ${d.releasedBy}`,
      });
    }
  }
}
