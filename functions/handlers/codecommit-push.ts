import type { MiddyfiedHandler } from "@middy/core";
import type { Context } from "aws-lambda";
import { codeCommitRepositoryStateChangeEvent } from "../core/contracts/aws/codecommit-repository-state-change.js";
import type { CommitPushed } from "../core/contracts/events/commit-pushed.js";
import type { ChangedPathsSource } from "../core/ports/changed-paths-source.js";
import type { DocumentStore } from "../core/ports/document-store.js";
import { normaliseCodeCommitEvent } from "../core/webhook/normalise-code-commit-event.js";
import type { PushClassification } from "../core/webhook/webhook-classification.js";
import { withRepositoryPaths } from "../core/webhook/with-repository-paths.js";
import type { StepDeps } from "./shared/create-step-deps.js";
import { createStepHandler } from "./shared/create-step-handler.js";
import { awsInput } from "./shared/step-input.js";
import { publishPushOnce } from "./webhook-push-once.js";

/** What the CodeCommit push handler needs beyond every step's dependencies. */
export interface CodeCommitPushDeps extends StepDeps {
  /** Holds the event ids already published (table `idempotency`). */
  readonly store: DocumentStore;
  /**
   * Reads the changed paths of a push to one of `repositories` (keys, see `withRepositoryPaths`)
   * from CodeCommit (`GetDifferences`), so that `Commit Pushed` carries them for `start-build`.
   * @default - none: the push's paths stay unknown
   */
  readonly changedPaths?: {
    readonly source: ChangedPathsSource;
    readonly repositories: readonly string[];
  };
}

/** What became of one CodeCommit event. */
export type CodeCommitPushOutcome = "published" | "replayed" | "ignored";

/**
 * The `webhook` step's handler for CodeCommit, whose pushes arrive as `Repository State Change`
 * events through a rule rather than as signed requests: a branch or tag created or moved becomes one
 * `Commit Pushed` (provider `codecommit`, listing no paths); a branch moved in a repository whose apps
 * filter by path carries the paths read with `GetDifferences`, or why they could not be read (see
 * `withRepositoryPaths`); a deletion is ignored with the reason in the log; a redelivered event (same
 * event id) publishes nothing. A malformed event is recorded as `Step Failed`; a store or bus fault is
 * retried.
 *
 * @example
 * ```ts
 * export const handler = makeCodeCommitPushHandler({ ...createStepDeps({ step: "webhook", environment }), store });
 * ```
 */
export function makeCodeCommitPushHandler(
  deps: CodeCommitPushDeps,
): MiddyfiedHandler<unknown, CodeCommitPushOutcome | undefined, Error, Context> {
  return createStepHandler({
    step: "webhook",
    input: awsInput(codeCommitRepositoryStateChangeEvent, "CodeCommit Repository State Change"),
    deps,
    run: async ({ event }): Promise<CodeCommitPushOutcome> => {
      const result = normaliseCodeCommitEvent(event);
      const { logger } = deps;
      if (result.kind === "ignored") {
        logger.info("CodeCommit event ignored", { reason: result.reason, deliveryId: result.deliveryId });
        return "ignored";
      }
      const { changedPaths } = deps;
      const read = async (detail: CommitPushed): Promise<CommitPushed> =>
        changedPaths === undefined ? detail : withRepositoryPaths({ ...changedPaths, push: detail });
      const [first, ...more] = result.details;
      const push: PushClassification = {
        ...result,
        details: [await read(first), ...(await Promise.all(more.map(read)))],
      };
      const outcome = await publishPushOnce({ ...deps, push });
      logger.info(
        outcome === "replayed"
          ? "CodeCommit event redelivered; it was published before, so nothing is published"
          : "CodeCommit push published",
        {
          deliveryId: result.deliveryId,
          refs: push.details.map((detail) => detail.ref),
          ...pathsRead(push.details),
        },
      );
      return outcome;
    },
  });
}

/** What was read of each push's paths, for the log: how many, or why they could not be read. */
function pathsRead(details: readonly CommitPushed[]): { repositoryPaths?: Record<string, unknown>[] } {
  const read = details.flatMap(({ ref, repositoryPaths }) =>
    repositoryPaths === undefined
      ? []
      : [
          "paths" in repositoryPaths
            ? { ref, paths: repositoryPaths.paths.length }
            : { ref, unreadable: repositoryPaths.unreadable },
        ],
  );
  return read.length === 0 ? {} : { repositoryPaths: read };
}
