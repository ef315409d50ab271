import picomatch from "picomatch";
import * as z from "zod";
import { formatIssues } from "../../core/contracts/format-issues.js";
import { ShiplineError } from "../../core/errors/shipline-error.js";

/** Permissions a repository token can carry: `write` (push) implies `read` (clone, fetch). */
export const REPOSITORY_PERMISSIONS = ["read", "write"] as const;

/** One of {@link REPOSITORY_PERMISSIONS}. */
export type RepositoryPermission = (typeof REPOSITORY_PERMISSIONS)[number];

/**
 * One trust rule: workloads whose token subject matches `subject` (a glob, e.g.
 * `arn:aws:iam::*:role/shipline-*`) may get tokens for the repositories matching `repositories`
 * (globs, e.g. `config` or `team/*`) with these permissions.
 */
export const trustRule = z.object({
  subject: z.string().min(1),
  repositories: z.array(z.string().min(1)).min(1),
  permissions: z.array(z.enum(REPOSITORY_PERMISSIONS)).min(1),
});

/** A trust policy: a list of rules; what they grant adds up. */
export const trustPolicy = z.array(trustRule);

/** A parsed {@link trustRule}. */
export type TrustRule = z.infer<typeof trustRule>;

/** A parsed {@link trustPolicy}. */
export type TrustPolicy = z.infer<typeof trustPolicy>;

/**
 * Parses a trust policy from outside data (a config file), failing with every bad key named.
 *
 * @example
 * ```ts
 * const policy = parseTrustPolicy([{ subject: "arn:aws:iam::*:role/writer", repositories: ["config"], permissions: ["write"] }]);
 * ```
 */
export function parseTrustPolicy(input: unknown): TrustPolicy {
  const parsed = trustPolicy.safeParse(input);
  if (!parsed.success) {
    throw new ShiplineError({
      code: "TRUST_POLICY_INVALID",
      message: `trust policy is invalid: ${formatIssues(parsed.error.issues, "trustPolicy").join("; ")}`,
    });
  }
  return parsed.data;
}

/** Options for {@link grantedPermissions}. */
export interface GrantedPermissionsOptions {
  readonly policy: TrustPolicy;
  /** The verified `sub` of the workload token. */
  readonly subject: string;
  /** The repository asked for. */
  readonly repository: string;
}

/**
 * The permissions the policy grants this subject on this repository (empty when no rule matches),
 * with `read` added wherever `write` is granted.
 *
 * @example
 * ```ts
 * grantedPermissions({ policy, subject: "arn:aws:iam::000000000000:role/writer", repository: "config" }); // ["read", "write"]
 * ```
 */
export function grantedPermissions(options: GrantedPermissionsOptions): RepositoryPermission[] {
  const granted = new Set<RepositoryPermission>();
  for (const rule of options.policy) {
    if (!matches(rule.subject, options.subject)) continue;
    if (!rule.repositories.some((pattern) => matches(pattern, options.repository))) continue;
    for (const permission of rule.permissions) granted.add(permission);
  }
  if (granted.has("write")) granted.add("read");
  return REPOSITORY_PERMISSIONS.filter((permission) => granted.has(permission));
}

function matches(pattern: string, value: string): boolean {
  return picomatch.isMatch(value, pattern, { dot: true, nobrace: true, noextglob: true });
}
