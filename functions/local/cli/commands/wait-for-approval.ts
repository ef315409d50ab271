import type { PromotionState } from "../../../core/promotion/promotion-state.js";
import type { ApprovalSubject, ApprovalUpdate, ApprovalWatch } from "./approval-watch.js";
import type { JourneyFacts } from "./journey-facts.js";
import { pause } from "./pause.js";

/** How a wait for an approval's outcome ended. */
export type ApprovalOutcome =
  | { readonly kind: "verified" | "failed"; readonly text: string }
  | { readonly kind: "timed-out" }
  | { readonly kind: "stopped" };

/** Options of {@link waitForApproval}. */
export interface WaitForApprovalOptions {
  readonly subject: ApprovalSubject;
  readonly watch: ApprovalWatch;
  /** Where the journey's events come from (the local archive, or the ledger on AWS). */
  readonly facts: JourneyFacts;
  /** Promote's records, for its decision on the approval. */
  readonly state: PromotionState;
  readonly timeoutMs: number;
  /** Stops waiting (Ctrl+C). */
  readonly signal: AbortSignal;
  /** Told every new step (each text once). */
  readonly report: (update: ApprovalUpdate) => void;
  /** How often promote's decisions are read. @default 1000 */
  readonly pollMs?: number;
}

/**
 * Waits for what becomes of a `Promotion Approved`: follows the journey's events and promote's
 * decision on the approval, reports each step, and resolves once the image is verified in the
 * environment or its way there failed, when `timeoutMs` has passed, or when the signal aborts.
 *
 * @example
 * ```ts
 * const outcome = await waitForApproval({ subject, watch, facts: archiveFacts(path), state, timeoutMs: 600_000, signal, report });
 * ```
 */
export async function waitForApproval(options: WaitForApprovalOptions): Promise<ApprovalOutcome> {
  const { subject, watch, state } = options;
  const done = new AbortController();
  const signal = AbortSignal.any([options.signal, done.signal]);
  const told = new Set<string>();
  let outcome: ApprovalOutcome | undefined;
  const handle = (update: ApprovalUpdate | undefined) => {
    if (update === undefined || outcome !== undefined || told.has(update.text)) return;
    told.add(update.text);
    options.report(update);
    if (update.kind === "verified" || update.kind === "failed") {
      outcome = { kind: update.kind, text: update.text };
      done.abort();
    }
  };
  const timer = setTimeout(() => {
    outcome ??= { kind: "timed-out" };
    done.abort();
  }, options.timeoutMs);
  const decisions = async () => {
    while (!signal.aborted) {
      for (const decision of await state.decisions(subject.app, subject.commit)) {
        const runs =
          decision.skip === "already-deployed" &&
          (await state.wasVerified(subject.app, subject.environment, subject.digest));
        handle(watch.decided(decision, runs));
      }
      if (!(await pause(options.pollMs ?? 1000, signal))) return;
    }
  };
  try {
    await Promise.all([
      options.facts({ after: subject.eventId, signal, onFact: (fact) => handle(watch.observe(fact)) }),
      decisions(),
    ]);
  } finally {
    clearTimeout(timer);
    done.abort();
  }
  return outcome ?? { kind: "stopped" };
}
