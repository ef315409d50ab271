/** Who wrote a source commit. */
export interface CommitAuthor {
  readonly name: string;
  readonly email?: string;
}

/** One pull request the journey's image was proposed in (a `Pull Request Opened` hop). */
export interface ProposalRecord {
  readonly environment: string;
  /** The pull request's web page: the same pull request keeps its URL across updates. */
  readonly url: string;
  /** The image it proposed. */
  readonly digest: string;
  /** The event's id, so that an event can tell itself apart from earlier ones. */
  readonly eventId: string;
  /** The event's time (ISO 8601). */
  readonly at: string;
}

/** What the journey of one app and commit tells about the change, for a notification. */
export interface CommitInfo {
  /** The source commit's message (its first line is the subject), when the record has it. */
  readonly message?: string;
  /** The source commit's author, when the git host sent it. */
  readonly author?: CommitAuthor;
  /** The source repository's URL (`Commit Pushed`'s `repository.url`), to link the commit. */
  readonly repositoryUrl?: string;
  /** The image tag built from this commit, when the journey has it. */
  readonly tag?: string;
  /** The tag the environment ran before this deployment, when known (the "old" of old → new). */
  readonly previousTag?: string;
  /** Where the build's log can be read, when the journey has it. */
  readonly buildLogUrl?: string;
  /** The pull requests the journey's image was proposed in, when there were any. */
  readonly proposals?: readonly ProposalRecord[];
}

/** What {@link JourneyLookup.commitInfo} is asked about. */
export interface JourneyQuery {
  readonly app: string;
  /** The source commit. */
  readonly commit: string;
  /** The environment the notification is about: `previousTag` is that environment's. */
  readonly environment?: string;
}

/**
 * Port through which `notify` enriches an event with what earlier hops of the journey recorded:
 * the source commit's message and author (from `Commit Pushed`), the image tag, the build log,
 * the tag the environment ran before, and the pull requests the image was proposed in. The ledger
 * implements it on AWS; locally the bus archive does. Resolves `undefined` when the journey is
 * unknown (the notification then says so); throws a coded ShiplineError, retryable when trying
 * later may help, when the record cannot be read.
 *
 * @example
 * ```ts
 * const info = await lookup.commitInfo({ app: "demo", commit, environment: "staging" });
 * info?.message; // "Serve /healthz"
 * ```
 */
export interface JourneyLookup {
  /** What the journey of `app` at `commit` knows about the change. */
  commitInfo(query: JourneyQuery): Promise<CommitInfo | undefined>;
}
