import type { MiddyfiedHandler } from "@middy/core";
import type { Context } from "aws-lambda";
import { codeCommitRepositoryStateChangeEvent } from "../core/contracts/aws/codecommit-repository-state-change.js";
import type { DocumentStore } from "../core/ports/document-store.js";
import { normaliseCodeCommitEvent } from "../core/webhook/normalise-code-commit-event.js";
import type { StepDeps } from "./shared/create-step-deps.js";
import { createStepHandler } from "./shared/create-step-handler.js";
import { awsInput } from "./shared/step-input.js";
import { publishPushOnce } from "./webhook-push-once.js";

/** What the CodeCommit push handler needs beyond every step's dependencies. */
export interface CodeCommitPushDeps extends StepDeps {
  /** Holds the event ids already published (table `idempotency`). */
  readonly store: DocumentStore;
}

/** What became of one CodeCommit event. */
export type CodeCommitPushOutcome = "published" | "replayed" | "ignored";

/**
 * The `webhook` step's handler for CodeCommit, whose pushes arrive as `Repository State Change`
 * events through a rule rather than as signed requests: a branch or tag created or moved becomes one
 * `Commit Pushed` (provider `codecommit`, paths unknown so every app path filter matches); a
 * deletion is ignored with the reason in the log; a redelivered event (same event id) publishes
 * nothing. A malformed event is recorded as `Step Failed`; a store or bus fault is retried.
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
      const outcome = await publishPushOnce({ ...deps, push: result });
      logger.info(
        outcome === "replayed"
          ? "CodeCommit event redelivered; it was published before, so nothing is published"
          : "CodeCommit push published",
        { deliveryId: result.deliveryId, refs: result.details.map((detail) => detail.ref) },
      );
      return outcome;
    },
  });
}
