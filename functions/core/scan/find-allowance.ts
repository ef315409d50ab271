import type { AllowListEntry, ScanPolicy } from "../config/scan-policy.js";

/** What the allow-list says about one vulnerability id for one app. */
export type Allowance =
  /** An entry applies: the finding is accepted. */
  | { readonly kind: "active"; readonly entry: AllowListEntry }
  /** Entries exist but every one has expired: the finding blocks again, and the verdict says so. */
  | { readonly kind: "expired"; readonly entry: AllowListEntry }
  /** No entry names the id for this app. */
  | { readonly kind: "none" };

/**
 * The first instant an allow-list entry no longer applies: midnight UTC after its `expires` day
 * (the last day it applies).
 *
 * @example
 * ```ts
 * allowanceEnd({ id: "CVE-2024-1", reason: "...", expires: "2026-06-30" }); // 2026-07-01T00:00:00.000Z
 * ```
 */
export function allowanceEnd(entry: Pick<AllowListEntry, "expires">): Date {
  const [year, month, day] = entry.expires.split("-").map(Number);
  return new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, (day ?? 1) + 1));
}

/**
 * Looks a vulnerability id up in the policy's allow-list for an app. An entry limited to other apps
 * does not count; of the entries that do, a live one wins, else the one that expired last is
 * reported so that the verdict can say which allowance ran out.
 *
 * @example
 * ```ts
 * const allowance = findAllowance({ policy, app: "demo", id: "CVE-2024-3094", now: clock.now() });
 * if (allowance.kind === "active") accepted.push(allowance.entry.reason);
 * ```
 */
export function findAllowance(options: {
  readonly policy: Pick<ScanPolicy, "allowList">;
  readonly app: string;
  readonly id: string;
  readonly now: Date;
}): Allowance {
  const { policy, app, id, now } = options;
  const entries = policy.allowList.filter(
    (entry) => entry.id === id && (entry.apps === undefined || entry.apps.includes(app)),
  );
  const live = entries.find((entry) => now.getTime() < allowanceEnd(entry).getTime());
  if (live) return { kind: "active", entry: live };
  const latest = entries.reduce<AllowListEntry | undefined>(
    (best, entry) => (best === undefined || entry.expires > best.expires ? entry : best),
    undefined,
  );
  return latest ? { kind: "expired", entry: latest } : { kind: "none" };
}
