import { createPrivateKey, type KeyObject } from "node:crypto";
import * as z from "zod";
import { repositoryPathOf } from "../../../core/credentials/repository-path.js";
import type { Clock } from "../../../core/ports/clock.js";
import type { GitCredential, GitCredentialsProvider } from "../../../core/ports/git-credentials.js";
import { credentialsDenied, credentialsUnavailable } from "./credentials-error.js";
import { signRs256Jwt } from "./rs256-jwt.js";
import type { SecretTextSource } from "./secret-text.js";

/** Options of {@link GitHubAppCredentials}. */
export interface GitHubAppCredentialsOptions {
  /** The App's id or client id (config: `appId`): the JWT's `iss`. */
  readonly appId: string;
  /** The App's installation on the config repository's owner (config: `installationId`). */
  readonly installationId: string;
  /** The App's PEM private key (PKCS#1 as GitHub hands it out, or PKCS#8), from Secrets Manager. */
  readonly privateKey: SecretTextSource;
  /** The REST API base (config: `apiUrl`). @default "https://api.github.com" */
  readonly apiUrl?: string;
  /** Also ask for `pull_requests: write`, for environments that deploy through pull requests. @default false */
  readonly pullRequests?: boolean;
  readonly clock: Clock;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/** The GitHub REST API version the requests are written for. */
export const GITHUB_API_VERSION = "2022-11-28";

const installationToken = z.object({
  token: z.string().min(1),
  expires_at: z.iso.datetime({ offset: true }),
});
const githubError = z.object({ message: z.string() });

/**
 * The `github-app` provider (DESIGN §3): signs a 9-minute RS256 JWT as the App (`iat` a minute in
 * the past against clock drift) and mints an installation token scoped to the one repository,
 * with `contents: write` (and `pull_requests: write` in pull-request mode). Git gets it as the
 * password of `x-access-token`. A refusal (bad key or App id, no installation, a repository the
 * installation cannot reach) is a permanent `GIT_CREDENTIALS_DENIED` with GitHub's message; rate
 * limits and 5xx a retryable `GIT_CREDENTIALS_UNAVAILABLE`.
 *
 * @example
 * ```ts
 * const provider = new GitHubAppCredentials({ appId: "123456", installationId: "7654321", privateKey, clock: systemClock });
 * const { username, password, expiresAt } = await provider.credentials("https://github.com/acme/deploy.git");
 * ```
 */
export class GitHubAppCredentials implements GitCredentialsProvider {
  readonly kind = "github-app";
  readonly #options: GitHubAppCredentialsOptions;
  #key: { readonly pem: string; readonly key: KeyObject } | undefined;

  constructor(options: GitHubAppCredentialsOptions) {
    this.#options = options;
  }

  async credentials(repoUrl: string): Promise<GitCredential> {
    const options = this.#options;
    const repository = repositoryPathOf(repoUrl).split("/").at(-1) ?? "";
    const apiUrl = (options.apiUrl ?? "https://api.github.com").replace(/\/+$/, "");
    const url = `${apiUrl}/app/installations/${encodeURIComponent(options.installationId)}/access_tokens`;
    const failure = {
      kind: this.kind,
      repoUrl,
      data: { appId: options.appId, installationId: options.installationId },
    };
    const jwt = await this.#appJwt(repoUrl);
    let response: Response;
    try {
      response = await (options.fetch ?? fetch)(url, {
        method: "POST",
        headers: {
          accept: "application/vnd.github+json",
          authorization: `Bearer ${jwt}`,
          "content-type": "application/json",
          "user-agent": "shipline",
          "x-github-api-version": GITHUB_API_VERSION,
        },
        body: JSON.stringify({
          repositories: [repository],
          permissions: { contents: "write", ...(options.pullRequests ? { pull_requests: "write" } : {}) },
        }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw credentialsUnavailable({
        ...failure,
        detail: `${apiUrl} could not be reached (${error instanceof Error ? error.name : "error"})`,
        fix: "check apiUrl and the network path to it; it will be retried",
        retryable: true,
        cause: error,
      });
    }
    const body = await response.json().catch(() => undefined);
    const token = installationToken.safeParse(body);
    if (response.status === 201 && token.success) {
      return {
        username: "x-access-token",
        password: token.data.token,
        expiresAt: new Date(token.data.expires_at),
      };
    }
    const message = githubError.safeParse(body);
    const said = message.success ? `: ${message.data.message}` : "";
    const limited =
      response.status === 429 ||
      (response.status === 403 && response.headers.get("x-ratelimit-remaining") === "0");
    if (response.status >= 400 && response.status < 500 && !limited) {
      throw credentialsDenied({
        ...failure,
        status: response.status,
        detail: `GitHub refused an installation token for repository '${repository}'${said}`,
        fix: "check appId, installationId, the private key and that the App is installed on this repository with Contents: write",
      });
    }
    throw credentialsUnavailable({
      ...failure,
      status: response.status,
      detail: `GitHub did not issue an installation token${said}`,
      fix: "it will be retried",
      retryable: response.status >= 500 || limited,
    });
  }

  /** The App's JWT: `iat` now - 60 s, `exp` now + 540 s (GitHub allows at most 10 minutes). */
  async #appJwt(repoUrl: string): Promise<string> {
    const now = Math.floor(this.#options.clock.now().getTime() / 1000);
    return signRs256Jwt(
      { iss: this.#options.appId, iat: now - 60, exp: now + 540 },
      await this.#privateKey(repoUrl),
    );
  }

  async #privateKey(repoUrl: string): Promise<KeyObject> {
    const pem = await this.#options.privateKey.value();
    if (this.#key?.pem === pem) return this.#key.key;
    const key = rsaKeyOf(pem);
    if (key === undefined) {
      throw credentialsDenied({
        kind: this.kind,
        repoUrl,
        detail: `secret '${this.#options.privateKey.secretId}' does not hold an RSA private key in PEM`,
        fix: "store the App's private key (.pem file) as the secret's string",
        data: { secretId: this.#options.privateKey.secretId },
      });
    }
    this.#key = { pem, key };
    return key;
  }
}

/** The RSA key of a PEM text; node:crypto reads PKCS#1 ("BEGIN RSA PRIVATE KEY", as GitHub hands keys out) and PKCS#8 alike. */
function rsaKeyOf(pem: string): KeyObject | undefined {
  try {
    const key = createPrivateKey({ key: pem, format: "pem" });
    return key.asymmetricKeyType === "rsa" ? key : undefined;
  } catch {
    return undefined;
  }
}
