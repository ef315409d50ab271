import type { ShiplineConfig } from "../config/shipline-config.js";
import { DetailType } from "../contracts/detail-type.js";
import type { ImageApproved } from "../contracts/events/image-approved.js";
import { ShiplineError } from "../errors/shipline-error.js";
import { COMMIT_NOT_FOUND, type CommitAncestry } from "../ports/commit-ancestry.js";
import type { DocumentStore } from "../ports/document-store.js";
import type { PromotionScheduler } from "../ports/promotion-scheduler.js";
import { readVerdict } from "../scan/publish-verdict-once.js";
import { appNamed } from "./decide-entry.js";
import { verifiedDigest } from "./decide-promotion.js";
import type { PromotionState } from "./promotion-state.js";
import type { PromotionTrigger } from "./promotion-trigger.js";

/** Options of {@link recordFacts}. */
export interface RecordFactsOptions {
  readonly trigger: PromotionTrigger;
  readonly config: ShiplineConfig;
  readonly state: PromotionState;
  readonly ancestry: CommitAncestry;
  readonly scheduler: PromotionScheduler;
  readonly now: Date;
  /**
   * Where the scan gate records its verdicts (table `images`): an `Image Approved` counts only when
   * the gate's own record approves that digest.
   * @default - not checked
   */
  readonly gate?: DocumentStore;
}

/**
 * Records what a trigger tells, before anything is decided; every write is idempotent, so a
 * redelivered trigger records the same facts again:
 * - `Image Approved`: the image, with its commit's time from the repository when it knows it;
 * - `Deployment Verified`: the image the environment now runs (unless a later verification was
 *   recorded already) and that it was verified there;
 * - `Hold Placed`: the hold, and a check when it expires (so that the images it kept out are
 *   reconsidered then); `Hold Released`: the hold is removed;
 * - `Deployment Failed`: that the image failed in the environment (kept for good: DESIGN §7).
 *
 * @example
 * ```ts
 * await recordFacts({ trigger, config, state, ancestry, scheduler, now: clock.now() });
 * ```
 */
export async function recordFacts(options: RecordFactsOptions): Promise<void> {
  const { trigger, state } = options;
  switch (trigger.kind) {
    case "image-approved": {
      const { detail } = trigger;
      if (options.gate !== undefined) await assertGateApproved(options.gate, detail);
      const repo = appNamed(options.config, detail.app).source.repo;
      const commitTime = await commitTimeOf(options.ancestry, repo, detail.commit);
      await state.putImage({
        app: detail.app,
        repository: detail.repository,
        tag: detail.tag,
        digest: detail.digest,
        commit: detail.commit,
        ...(commitTime === undefined ? {} : { commitTime }),
        correlationId: detail.correlationId,
        approvedAt: trigger.time.toISOString(),
      });
      return;
    }
    case "deployment-verified": {
      const { detail } = trigger;
      const current = await state.environment(detail.app, detail.environment);
      const digest = verifiedDigest(detail, current);
      if (digest === undefined) return;
      const image = await state.image(detail.app, digest);
      // A revert's verification names the failed journey's commit: what runs is the restored image's.
      const commit = image?.commit ?? detail.commit;
      await state.putVerified(detail.app, detail.environment, digest, commit, trigger.time);
      // An image that failed here and runs verified again (only `approve --redeploy` brings it back)
      // may move onward from here once more.
      if (detail.kind !== "revert") await state.deleteFailure(detail.app, detail.environment, digest);
      if (current.deployed !== undefined && Date.parse(current.deployed.at) > trigger.time.getTime()) return;
      await state.putEnvironment(detail.app, detail.environment, {
        ...current,
        deployed: {
          digest,
          commit,
          ...(image?.commitTime === undefined ? {} : { commitTime: image.commitTime }),
          ...(image === undefined ? {} : { tag: image.tag }),
          at: trigger.time.toISOString(),
        },
      });
      return;
    }
    case "hold-placed": {
      const { detail } = trigger;
      await state.putHold({
        app: detail.app,
        environment: detail.environment,
        reason: detail.reason,
        placedBy: detail.placedBy,
        placedAt: trigger.time.toISOString(),
        ...(detail.expiresAt === undefined ? {} : { expiresAt: detail.expiresAt }),
        ...(detail.digest === undefined ? {} : { digest: detail.digest }),
      });
      if (detail.expiresAt !== undefined && Date.parse(detail.expiresAt) > options.now.getTime()) {
        await options.scheduler.schedulePromotion({
          id: `hold-expired.${detail.app}.${detail.environment}.${Date.parse(detail.expiresAt)}`,
          at: new Date(detail.expiresAt),
          reason: "hold-expired",
          app: detail.app,
          environment: detail.environment,
          commit: detail.commit,
          correlationId: detail.correlationId,
        });
      }
      return;
    }
    case "hold-released":
      await state.deleteHold(trigger.detail.app, trigger.detail.environment);
      return;
    case "deployment-failed": {
      const { detail } = trigger;
      if (detail.digest === undefined || !/^sha256:[0-9a-f]{64}$/.test(detail.digest)) return;
      await state.putFailure({
        app: detail.app,
        environment: detail.environment,
        digest: detail.digest,
        ...(detail.tag === undefined ? {} : { tag: detail.tag }),
        commit: detail.commit,
        configCommit: detail.revision,
        reason: detail.reason.length > 500 ? `${detail.reason.slice(0, 499)}…` : detail.reason,
        failedAt: trigger.time.toISOString(),
      });
      // The failed image is being taken out: what the environment runs is what it verified last.
      const current = await state.environment(detail.app, detail.environment);
      if (current.promoted?.digest === detail.digest) {
        const { promoted: _failed, ...rest } = current;
        await state.putEnvironment(detail.app, detail.environment, rest);
      }
      return;
    }
    case "promotion-approved":
    case "promotion-due":
      return;
  }
}

async function commitTimeOf(
  ancestry: CommitAncestry,
  repo: string,
  commit: string,
): Promise<string | undefined> {
  try {
    return (await ancestry.commitTime(repo, commit)).toISOString();
  } catch (error) {
    if (error instanceof ShiplineError && error.code === COMMIT_NOT_FOUND) return undefined;
    throw error;
  }
}

/**
 * Throws a permanent `IMAGE_NOT_APPROVED_BY_GATE` unless the scan gate's own record approves the
 * image: an `Image Approved` put on the bus by anyone else deploys nothing.
 */
async function assertGateApproved(gate: DocumentStore, detail: ImageApproved): Promise<void> {
  const verdict = await readVerdict({ store: gate, repository: detail.repository, digest: detail.digest });
  if (verdict?.detailType === DetailType.ImageApproved) return;
  const found =
    verdict === undefined
      ? "the gate recorded no verdict for it"
      : `the gate rejected it: ${verdict.detail.reason}`;
  throw new ShiplineError({
    code: "IMAGE_NOT_APPROVED_BY_GATE",
    message: `Image Approved for ${detail.repository}@${detail.digest} (${detail.tag}) is not the scan gate's: ${found}; only the gate's own approval deploys, so nothing was promoted (check what publishes Image Approved on the bus)`,
    data: { repository: detail.repository, digest: detail.digest, verdict: verdict?.detailType ?? "none" },
    retryable: false,
  });
}
