import * as z from "zod";

/** The git hosts whose deliveries the samples hold. */
export type Host = "github" | "gitlab" | "bitbucket-cloud" | "bitbucket-server" | "gitea";

/** One ref update the delivery should become, as the host documents its fields. */
export interface ExpectedPush extends Record<string, unknown> {
  readonly refType: "branch" | "tag";
  readonly refName: string;
  /** The commit to build: the ref's new commit, or the commit an annotated tag points at. */
  readonly commit: string;
  readonly repository: string;
  /** Set when the delivery says whether it lists every pushed commit. */
  readonly commitsTruncated?: boolean;
}

/** What a delivery means, read from its documented fields without Shipline's code. */
export type ExpectedHandling = { readonly summary: string } & (
  | { readonly kind: "ping" }
  | { readonly kind: "ignored" }
  | { readonly kind: "push"; readonly pushes: readonly ExpectedPush[] }
);

const ZERO = /^0+$/;

const githubPush = z.object({
  ref: z.string(),
  after: z.string(),
  deleted: z.boolean().optional(),
  head_commit: z.object({ id: z.string() }).nullish(),
  repository: z.object({ full_name: z.string() }),
});

const gitlabPush = z.object({
  ref: z.string(),
  after: z.string(),
  checkout_sha: z.string().nullish(),
  project: z.object({ path_with_namespace: z.string() }),
  commits: z.array(z.unknown()).default([]),
  total_commits_count: z.number().optional(),
});

const bitbucketCloudPush = z.object({
  repository: z.object({ full_name: z.string() }),
  push: z.object({
    changes: z.array(
      z.object({
        new: z
          .object({ type: z.string(), name: z.string(), target: z.object({ hash: z.string() }) })
          .nullable(),
      }),
    ),
  }),
});

const bitbucketServerRefsChanged = z.object({
  repository: z.object({ slug: z.string(), project: z.object({ key: z.string() }) }),
  changes: z.array(
    z.object({
      ref: z.object({ displayId: z.string(), type: z.string() }),
      toHash: z.string(),
      type: z.enum(["ADD", "UPDATE", "DELETE"]),
    }),
  ),
});

const giteaPush = z.object({
  ref: z.string(),
  after: z.string(),
  repository: z.object({ full_name: z.string() }),
});

/**
 * What a host's delivery should become, from the fields its webhook documentation describes:
 * a ping is answered; a push of a new or updated branch or tag becomes one Commit Pushed per ref
 * (for a tag, the tagged commit); a deletion, and events other than push (GitHub's and Gitea's
 * `create` / `delete`, which come with their own push), publish nothing.
 */
export function expectedHandling(host: Host, event: string, payload: unknown): ExpectedHandling {
  if (event === "ping") return { kind: "ping", summary: "a ping" };
  switch (host) {
    case "github":
      if (event !== "push") return ignored(`a GitHub ${event} event, not a push`);
      return githubExpectation(githubPush.parse(payload));
    case "gitea":
      if (event !== "push") return ignored(`a Gitea ${event} event, not a push`);
      return refPush(giteaPush.parse(payload));
    case "gitlab": {
      const parsed = gitlabPush.parse(payload);
      if (ZERO.test(parsed.after)) return ignored(`deletion of ${parsed.ref}`);
      return pushes([
        {
          ...refOf(parsed.ref),
          commit: parsed.checkout_sha ?? parsed.after,
          repository: parsed.project.path_with_namespace,
          commitsTruncated: (parsed.total_commits_count ?? parsed.commits.length) > parsed.commits.length,
        },
      ]);
    }
    case "bitbucket-cloud": {
      const parsed = bitbucketCloudPush.parse(payload);
      return pushes(
        parsed.push.changes.flatMap(({ new: pushed }) =>
          pushed === null
            ? []
            : [
                {
                  refType: pushed.type === "tag" ? "tag" : "branch",
                  refName: pushed.name,
                  commit: pushed.target.hash,
                  repository: parsed.repository.full_name,
                },
              ],
        ),
      );
    }
    case "bitbucket-server": {
      const parsed = bitbucketServerRefsChanged.parse(payload);
      const repository = `${parsed.repository.project.key}/${parsed.repository.slug}`;
      return pushes(
        parsed.changes.flatMap((change) =>
          change.type === "DELETE"
            ? []
            : [
                {
                  refType: change.ref.type === "TAG" ? "tag" : "branch",
                  refName: change.ref.displayId,
                  commit: change.toHash,
                  repository,
                },
              ],
        ),
      );
    }
  }
}

function githubExpectation(payload: z.infer<typeof githubPush>): ExpectedHandling {
  if (payload.deleted === true || ZERO.test(payload.after)) return ignored(`deletion of ${payload.ref}`);
  const ref = refOf(payload.ref);
  const commit = ref.refType === "tag" ? (payload.head_commit?.id ?? payload.after) : payload.after;
  return pushes([{ ...ref, commit, repository: payload.repository.full_name }]);
}

function refPush(payload: {
  ref: string;
  after: string;
  repository: { full_name: string };
}): ExpectedHandling {
  if (ZERO.test(payload.after)) return ignored(`deletion of ${payload.ref}`);
  return pushes([{ ...refOf(payload.ref), commit: payload.after, repository: payload.repository.full_name }]);
}

function refOf(ref: string): { readonly refType: "branch" | "tag"; readonly refName: string } {
  const tag = ref.startsWith("refs/tags/");
  return { refType: tag ? "tag" : "branch", refName: ref.replace(/^refs\/(heads|tags)\//, "") };
}

function pushes(list: readonly ExpectedPush[]): ExpectedHandling {
  if (list.length === 0) return ignored("only deletions");
  const summary = `expected push of ${list.map((push) => `${push.refType} ${push.refName} @ ${push.commit.slice(0, 7)}`).join(", ")}`;
  return { kind: "push", pushes: list, summary };
}

function ignored(why: string): ExpectedHandling {
  return { kind: "ignored", summary: `expected nothing published (${why})` };
}
