import type { PromotionDecision } from "../../../core/promotion/promotion-decision.js";

/** One fact about the journey after the approval: an event (from the archive or the ledger). */
export interface JourneyFact {
  readonly detailType: string;
  readonly eventId: string;
  readonly app?: string | null;
  readonly commit?: string | null;
  readonly environment?: string;
  readonly digest?: string;
  readonly tag?: string;
  readonly reason?: string;
  readonly kind?: string;
  readonly step?: string;
  readonly url?: string;
  readonly command?: string;
  readonly configCommit?: string;
  /** Step Failed: the event the step failed on. */
  readonly failedEventId?: string;
}

/** What a fact means for the approval being waited on. */
export type ApprovalUpdate =
  | { readonly kind: "progress" | "waiting"; readonly text: string }
  | { readonly kind: "verified" | "failed"; readonly text: string };

/** The approval being waited on. */
export interface ApprovalSubject {
  readonly app: string;
  readonly environment: string;
  readonly digest: string;
  /** The image's tag, for messages. @default - the digest, cut */
  readonly tag?: string;
  /** The image's source commit, for events that carry no digest. */
  readonly commit: string;
  /** The id of the `Promotion Approved` event. */
  readonly eventId: string;
}

/**
 * Reads what happens to one approval, fact by fact: promote's decision on it, the config commit
 * or pull request, a wait (hold, soak), and the end: `Deployment Verified` of that image in that
 * environment (verified), `Deployment Failed` there or a `Step Failed` of the journey (failed).
 * Facts about other apps, environments or images say nothing (undefined).
 *
 * @example
 * ```ts
 * const watch = new ApprovalWatch({ app, environment, digest, commit, eventId });
 * const update = watch.observe({ detailType: "Deployment Verified", eventId: "e1", app, environment, digest });
 * // { kind: "verified", text: "Deployment Verified: production runs sha256:… (Synced, Healthy)" }
 * ```
 */
export class ApprovalWatch {
  readonly #subject: ApprovalSubject;

  constructor(subject: ApprovalSubject) {
    this.#subject = subject;
  }

  /** What an event of the journey means for the approval. */
  observe(fact: JourneyFact): ApprovalUpdate | undefined {
    const subject = this.#subject;
    if (fact.detailType === "Step Failed") {
      const ours =
        fact.failedEventId === subject.eventId ||
        (fact.app === subject.app && fact.commit === subject.commit);
      return ours
        ? {
            kind: "failed",
            text: `Step Failed (${fact.step ?? "a step"}): ${fact.reason ?? "no reason given"}`,
          }
        : undefined;
    }
    if (fact.app !== subject.app || fact.environment !== subject.environment || !this.#sameImage(fact)) {
      return undefined;
    }
    const image = fact.tag ?? subject.tag ?? subject.digest.slice(0, 19);
    switch (fact.detailType) {
      case "Config Committed":
        if (fact.kind === "revert") return undefined;
        return {
          kind: "progress",
          text: `Config Committed: ${image} → config commit ${fact.configCommit?.slice(0, 7) ?? "?"}, deploying`,
        };
      case "Pull Request Opened":
        return {
          kind: "waiting",
          text: `Pull Request Opened: review ${fact.url ?? "it"}, then: shipline merge ${subject.app} ${subject.environment}`,
        };
      case "Promotion Waiting":
        return {
          kind: "waiting",
          text: `Promotion Waiting: ${fact.reason ?? "waiting"}${fact.command === undefined ? "" : ` · ${fact.command}`}`,
        };
      case "Deployment Verified":
        if (fact.kind === "revert") return undefined;
        return {
          kind: "verified",
          text: `Deployment Verified: ${subject.environment} runs ${image}, Synced and Healthy`,
        };
      case "Deployment Failed":
        if (fact.kind === "revert") return undefined;
        return {
          kind: "failed",
          text: `Deployment Failed in ${subject.environment}: ${fact.reason ?? "no reason given"}`,
        };
      default:
        return undefined;
    }
  }

  /**
   * What promote decided on the approval (the decision its event triggered), if it is about it:
   * a skip other than `already-deployed` ends the wait; `already-deployed` ends it only once the
   * environment is known to run the image (`runsAlready`).
   */
  decided(decision: PromotionDecision, runsAlready: boolean): ApprovalUpdate | undefined {
    const subject = this.#subject;
    if (decision.trigger.eventId !== subject.eventId || decision.environment !== subject.environment) {
      return undefined;
    }
    switch (decision.outcome) {
      case "promoted":
        return {
          kind: "progress",
          text: `promoted: ${decision.mode === "pull-request" ? "opening a pull request" : "committing to the config repository"}`,
        };
      case "skipped":
        if (decision.skip === "already-deployed") {
          return runsAlready
            ? { kind: "verified", text: `${subject.environment} already runs it: ${decision.reason}` }
            : { kind: "waiting", text: `already asked for: ${decision.reason}` };
        }
        return { kind: "failed", text: `not promoted: ${decision.reason}` };
      default:
        return { kind: "waiting", text: decision.reason };
    }
  }

  #sameImage(fact: JourneyFact): boolean {
    if (fact.digest !== undefined) return fact.digest === this.#subject.digest;
    return fact.commit === this.#subject.commit;
  }
}
