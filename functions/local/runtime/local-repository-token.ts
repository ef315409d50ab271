import type { LocalOidcServer } from "../oidc/local-oidc-server.js";

/**
 * Gets a repository-scoped git token the way a Shipline function does on AWS: a workload token from
 * the STS stand-in, exchanged (RFC 8693) at the local token exchange for `permission` on one
 * repository.
 *
 * @example
 * ```ts
 * const token = await localRepositoryToken({ oidc, repository: "demo", permission: "read" });
 * ```
 */
export async function localRepositoryToken(options: {
  readonly oidc: LocalOidcServer;
  readonly repository: string;
  readonly permission: "read" | "write";
  readonly subject?: string;
}): Promise<string> {
  const { token } = await options.oidc.issueWorkloadToken({
    ...(options.subject ? { subject: options.subject } : {}),
    audience: [options.oidc.exchangeAudience],
  });
  const form = new URLSearchParams({
    grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
    subject_token: token,
    subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
    audience: options.repository,
    scope: options.permission === "write" ? "read write" : "read",
  });
  const response = await options.oidc.exchangeToken(form);
  return response.access_token;
}
