import { constantTimeEqual } from "./constant-time-equal.js";
import type { SignatureCheck } from "./signature-check.js";

/** Options for {@link verifyGitlabToken}. */
export interface VerifyGitlabTokenOptions {
  /** The `X-Gitlab-Token` header's value, if the request had one. */
  readonly token: string | undefined;
  /** The secret tokens any of which may have been configured on the GitLab webhook. */
  readonly secrets: readonly string[];
}

/**
 * Checks GitLab's legacy `X-Gitlab-Token`, which carries the webhook's secret token in plain text (it
 * signs nothing, so it proves only that the sender knows the token). The comparison runs in constant
 * time and tries every secret.
 *
 * @example
 * ```ts
 * const check = verifyGitlabToken({ token: headerOf(headers, "x-gitlab-token"), secrets: [secret] });
 * ```
 */
export function verifyGitlabToken(options: VerifyGitlabTokenOptions): SignatureCheck {
  const { token, secrets } = options;
  if (secrets.length === 0) return { valid: false, problem: "no-secret" };
  if (token === undefined) return { valid: false, problem: "missing" };
  const given = Buffer.from(token, "utf8");
  let matched = false;
  for (const secret of secrets) {
    matched = constantTimeEqual(given, Buffer.from(secret, "utf8")) || matched;
  }
  return matched ? { valid: true } : { valid: false, problem: "mismatch" };
}
