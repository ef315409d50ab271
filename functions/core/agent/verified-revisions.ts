/** What the agent remembers of an application it verified. */
export interface VerifiedRevision {
  readonly revision: string;
  readonly verifiedAt: Date;
}

/**
 * The revisions the agent has verified, per Argo CD application, kept in memory: the latest (a
 * request for an older revision is stale) and the last `perApplication` ones (a request for one of
 * them is a duplicate). After a restart the memory is empty and the agent falls back on what Argo
 * CD reports: the revision an application runs, Synced and Healthy, counts as verified.
 *
 * @example
 * ```ts
 * const verified = new VerifiedRevisions();
 * verified.record("demo-staging", revision, clock.now());
 * verified.has("demo-staging", revision); // true
 * ```
 */
export class VerifiedRevisions {
  readonly #limit: number;
  readonly #byApplication = new Map<string, VerifiedRevision[]>();

  constructor(options: { readonly perApplication?: number } = {}) {
    this.#limit = Math.max(1, options.perApplication ?? 32);
  }

  /** Records a verified revision as the application's latest. */
  record(application: string, revision: string, verifiedAt: Date): void {
    const kept = (this.#byApplication.get(application) ?? []).filter((entry) => entry.revision !== revision);
    kept.push({ revision, verifiedAt });
    this.#byApplication.set(application, kept.slice(-this.#limit));
  }

  /** Whether the revision was verified for the application. */
  has(application: string, revision: string): boolean {
    return (this.#byApplication.get(application) ?? []).some((entry) => entry.revision === revision);
  }

  /** The application's latest verified revision, if any. */
  latest(application: string): VerifiedRevision | undefined {
    return this.#byApplication.get(application)?.at(-1);
  }
}
