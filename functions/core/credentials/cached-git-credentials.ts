import type { Clock } from "../ports/clock.js";
import type { GitCredential, GitCredentialsProvider } from "../ports/git-credentials.js";

/** Options of {@link CachedGitCredentials}. */
export interface CachedGitCredentialsOptions {
  /** The provider that mints credentials (one call per repository and renewal). */
  readonly provider: GitCredentialsProvider;
  /** Decides when cached credentials are due for renewal. */
  readonly clock: Clock;
  /** Credentials are renewed once fewer than this many seconds of their life remain. @default 60 */
  readonly refreshBeforeSeconds?: number;
  /**
   * How long credentials that carry no expiry (a stored token) are reused before the provider is
   * asked again, so that a rotated secret is picked up.
   *
   * @default 300
   */
  readonly maxAgeSeconds?: number;
}

interface Entry {
  readonly credential: GitCredential;
  /** Epoch milliseconds from which the credential is renewed. */
  readonly renewAt: number;
}

/**
 * Caches a provider's credentials per repository URL until shortly before they expire (less than
 * `refreshBeforeSeconds` left), so a warm function mints one token per lifetime instead of one per
 * git request. Concurrent callers for the same repository share one call to the provider
 * (single-flight); a failed call is not cached, so the next caller tries again.
 *
 * @example
 * ```ts
 * const credentials = new CachedGitCredentials({ provider: new GitHubAppCredentials({ ... }), clock: systemClock });
 * await credentials.credentials(repoUrl); // minted
 * await credentials.credentials(repoUrl); // cached until 60 s before expires_at
 * ```
 */
export class CachedGitCredentials implements GitCredentialsProvider {
  readonly kind: string;
  readonly #provider: GitCredentialsProvider;
  readonly #clock: Clock;
  readonly #refreshBeforeMs: number;
  readonly #maxAgeMs: number;
  readonly #entries = new Map<string, Entry>();
  readonly #pending = new Map<string, Promise<GitCredential>>();

  constructor(options: CachedGitCredentialsOptions) {
    this.kind = options.provider.kind;
    this.#provider = options.provider;
    this.#clock = options.clock;
    this.#refreshBeforeMs = (options.refreshBeforeSeconds ?? 60) * 1000;
    this.#maxAgeMs = (options.maxAgeSeconds ?? 300) * 1000;
  }

  /** The cached credentials for `repoUrl` while fresh, else new ones from the provider. */
  async credentials(repoUrl: string): Promise<GitCredential> {
    const entry = this.#entries.get(repoUrl);
    if (entry !== undefined && this.#clock.now().getTime() < entry.renewAt) return entry.credential;
    const pending = this.#pending.get(repoUrl);
    if (pending !== undefined) return pending;
    const call = this.#mint(repoUrl).finally(() => this.#pending.delete(repoUrl));
    this.#pending.set(repoUrl, call);
    return call;
  }

  /**
   * Forgets the cached credentials of one repository (or of all), e.g. after the host refused
   * them, so the next call mints new ones.
   */
  invalidate(repoUrl?: string): void {
    if (repoUrl === undefined) this.#entries.clear();
    else this.#entries.delete(repoUrl);
  }

  async #mint(repoUrl: string): Promise<GitCredential> {
    this.#entries.delete(repoUrl);
    const credential = await this.#provider.credentials(repoUrl);
    const now = this.#clock.now().getTime();
    const renewAt =
      credential.expiresAt === undefined
        ? now + this.#maxAgeMs
        : credential.expiresAt.getTime() - this.#refreshBeforeMs;
    this.#entries.set(repoUrl, { credential, renewAt });
    return credential;
  }
}
