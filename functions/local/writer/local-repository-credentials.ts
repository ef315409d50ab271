import * as z from "zod";
import type { GitCredentials } from "../../adapters/git/isomorphic-config-repository.js";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import { type Clock, systemClock } from "../../core/ports/clock.js";
import type { LocalOidcServer } from "../oidc/local-oidc-server.js";
import { TOKEN_EXCHANGE } from "../oidc/token-exchange.js";

/** Options of {@link localRepositoryCredentials}. */
export interface LocalRepositoryCredentialsOptions {
  /** The local OIDC issuer and token exchange. */
  readonly oidc: LocalOidcServer;
  /** The workload asking (its role ARN), as the trust policy names it. */
  readonly subject: string;
  /** The repository the token is for (`config`, `team/config`). */
  readonly repository: string;
  /** @default "x-access-token" */
  readonly username?: string;
  /** Renew this long before expiry. @default 60 */
  readonly renewBeforeSeconds?: number;
  readonly clock?: Clock;
}

const exchangeAnswer = z.object({ access_token: z.string().min(1), expires_in: z.number().positive() });

/**
 * The local runtime's credentials provider for the config writer, the stand-in of `oidc-exchange`:
 * gets a workload token from the local STS stand-in, exchanges it (RFC 8693) for a token scoped to
 * one repository, and hands it out as basic-auth credentials until shortly before it expires.
 *
 * @example
 * ```ts
 * const credentials = localRepositoryCredentials({ oidc, subject: "arn:aws:iam::000000000000:role/shipline-config-writer", repository: "config" });
 * new IsomorphicConfigRepository({ url, branch: "main", dir, credentials });
 * ```
 */
export function localRepositoryCredentials(
  options: LocalRepositoryCredentialsOptions,
): () => Promise<GitCredentials> {
  const clock = options.clock ?? systemClock;
  let cached: { credentials: GitCredentials; renewAt: number } | undefined;
  return async () => {
    if (cached && clock.now().getTime() < cached.renewAt) return cached.credentials;
    const { token: subjectToken } = await options.oidc.issueWorkloadToken({ subject: options.subject });
    const response = await fetch(options.oidc.tokenEndpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: TOKEN_EXCHANGE.grantType,
        subject_token: subjectToken,
        subject_token_type: TOKEN_EXCHANGE.jwt,
        audience: options.repository,
      }),
    });
    const answer = exchangeAnswer.safeParse(await response.json().catch(() => undefined));
    if (!response.ok || !answer.success) {
      throw new ShiplineError({
        code: "GIT_CREDENTIALS_UNAVAILABLE",
        message: `the token exchange refused a token for repository '${options.repository}' to ${options.subject} (HTTP ${response.status}); check the local trust policy`,
        data: { repository: options.repository, subject: options.subject, status: response.status },
        retryable: response.status >= 500,
      });
    }
    const renewBefore = (options.renewBeforeSeconds ?? 60) * 1000;
    const lifetime = answer.data.expires_in * 1000;
    cached = {
      credentials: { username: options.username ?? "x-access-token", password: answer.data.access_token },
      renewAt: clock.now().getTime() + Math.max(0, lifetime - renewBefore),
    };
    return cached.credentials;
  };
}
