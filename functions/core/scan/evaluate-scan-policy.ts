import type * as z from "zod";
import type { ScanPolicy } from "../config/scan-policy.js";
import type { allowedFinding } from "../contracts/events/image-approved.js";
import type { blockingFinding } from "../contracts/events/image-rejected.js";
import { SEVERITIES } from "../contracts/primitives.js";
import { findAllowance } from "./find-allowance.js";
import { type Finding, hasFix } from "./finding.js";
import { isAtOrAbove, severityRank } from "./severity-rank.js";

/** A finding that blocks an image, as `Image Rejected` carries it. */
export type BlockingFinding = z.infer<typeof blockingFinding>;

/** A finding the allow-list accepted, as `Image Approved` carries it. */
export type AllowedFinding = z.infer<typeof allowedFinding>;

/** An allow-list entry that would have accepted a finding had it not expired. */
export interface ExpiredAllowance {
  readonly id: string;
  readonly reason: string;
  /** The last day (UTC) the entry applied. */
  readonly expires: string;
}

/** The scan gate's decision about one image. */
export interface ScanDecision {
  readonly verdict: "approved" | "rejected";
  /** Every finding, per severity (all severities present, zero included). */
  readonly counts: Readonly<Record<string, number>>;
  /** The findings that block the image, most severe first. */
  readonly blocking: readonly BlockingFinding[];
  /** The findings at or above the threshold that the allow-list accepted. */
  readonly allowed: readonly AllowedFinding[];
  /** Allow-list entries that matched a finding but had expired, so it blocked. */
  readonly expiredAllowances: readonly ExpiredAllowance[];
  /** Why, in one sentence, for the event, the ledger and the notification. */
  readonly reason: string;
}

/** Options of {@link evaluateScanPolicy}. */
export interface EvaluateScanPolicyOptions {
  readonly policy: Pick<ScanPolicy, "severityThreshold" | "onlyFixable" | "allowList">;
  /** The app the image belongs to (allow-list entries may be limited to some apps). */
  readonly app: string;
  readonly findings: readonly Finding[];
  /** Decides which allow-list entries have expired. */
  readonly now: Date;
}

/** How many blocking ids a reason names before it says "and N more". */
const IDS_IN_REASON = 5;

/**
 * Applies the scan policy to an image's findings. A finding blocks when its severity is at or above
 * the threshold, it has a fix (only when `onlyFixable` is set), and no live allow-list entry for
 * the app names its id. An expired entry stops applying: the finding blocks and carries a note, and
 * the entry is listed in `expiredAllowances`. Findings the scanner rated `UNDEFINED` never block.
 *
 * @example
 * ```ts
 * const decision = evaluateScanPolicy({ policy: config.scanPolicy, app: "demo", findings, now: clock.now() });
 * if (decision.verdict === "rejected") console.log(decision.reason);
 * ```
 */
export function evaluateScanPolicy(options: EvaluateScanPolicyOptions): ScanDecision {
  const { policy, app, findings, now } = options;
  const threshold = policy.severityThreshold;
  const blocking: BlockingFinding[] = [];
  const allowed: AllowedFinding[] = [];
  const expired = new Map<string, ExpiredAllowance>();
  let unfixable = 0;

  for (const finding of sortBySeverity(findings)) {
    if (!isAtOrAbove(finding.severity, threshold)) continue;
    if (policy.onlyFixable && !hasFix(finding)) {
      unfixable += 1;
      continue;
    }
    const allowance = findAllowance({ policy, app, id: finding.id, now });
    if (allowance.kind === "active") {
      const { reason, expires } = allowance.entry;
      allowed.push({ id: finding.id, severity: finding.severity, reason, expires });
      continue;
    }
    const note =
      allowance.kind === "expired"
        ? `the allow-list entry for ${finding.id} expired on ${allowance.entry.expires} (it said: ${allowance.entry.reason})`
        : undefined;
    if (allowance.kind === "expired") {
      const { id, reason, expires } = allowance.entry;
      expired.set(id, { id, reason, expires });
    }
    blocking.push(blockingOf(finding, note));
  }

  const expiredAllowances = [...expired.values()];
  const scope = `${policy.onlyFixable ? "fixable finding" : "finding"}`;
  const verdict = blocking.length === 0 ? "approved" : "rejected";
  const reason =
    verdict === "approved"
      ? approvalReason({ scope, threshold, allowed, unfixable })
      : rejectionReason({ scope, threshold, blocking, expiredAllowances, unfixable });
  return { verdict, counts: countBySeverity(findings), blocking, allowed, expiredAllowances, reason };
}

/**
 * Counts findings per severity, every severity present (zero included), as ECR's events do.
 *
 * @example
 * ```ts
 * countBySeverity([{ id: "CVE-2024-1", severity: "HIGH" }]).HIGH; // 1
 * ```
 */
export function countBySeverity(findings: readonly Finding[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0]));
  for (const finding of findings) counts[finding.severity] = (counts[finding.severity] ?? 0) + 1;
  return counts;
}

function sortBySeverity(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => severityRank(a.severity) - severityRank(b.severity) || a.id.localeCompare(b.id),
  );
}

function blockingOf(finding: Finding, note: string | undefined): BlockingFinding {
  return {
    id: finding.id,
    severity: finding.severity,
    ...(finding.package === undefined ? {} : { package: finding.package }),
    ...(finding.installedVersion === undefined ? {} : { installedVersion: finding.installedVersion }),
    ...(finding.fixedVersion === undefined ? {} : { fixedVersion: finding.fixedVersion }),
    ...(note === undefined ? {} : { note }),
  };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function unfixableNote(unfixable: number): string {
  return unfixable === 0 ? "" : ` (${plural(unfixable, "finding")} without a fix not counted)`;
}

function approvalReason(options: {
  scope: string;
  threshold: string;
  allowed: readonly AllowedFinding[];
  unfixable: number;
}): string {
  const { scope, threshold, allowed, unfixable } = options;
  if (allowed.length === 0) return `no ${scope} at or above ${threshold}${unfixableNote(unfixable)}`;
  const ids = [...new Set(allowed.map((finding) => finding.id))].join(", ");
  return `no ${scope} at or above ${threshold} blocks: ${plural(allowed.length, "finding")} accepted by the allow-list (${ids})${unfixableNote(unfixable)}`;
}

function rejectionReason(options: {
  scope: string;
  threshold: string;
  blocking: readonly BlockingFinding[];
  expiredAllowances: readonly ExpiredAllowance[];
  unfixable: number;
}): string {
  const { scope, threshold, blocking, expiredAllowances, unfixable } = options;
  const ids = [...new Set(blocking.map((finding) => `${finding.id} (${finding.severity})`))];
  const named = ids.slice(0, IDS_IN_REASON).join(", ");
  const more = ids.length > IDS_IN_REASON ? ` and ${ids.length - IDS_IN_REASON} more` : "";
  const lapsed = expiredAllowances.map((entry) => `${entry.id} expired on ${entry.expires}`).join(", ");
  const expiredNote = lapsed === "" ? "" : `; allow-list entries no longer apply: ${lapsed}`;
  return `${plural(blocking.length, scope)} at or above ${threshold} block the image: ${named}${more}${expiredNote}${unfixableNote(unfixable)}`;
}
