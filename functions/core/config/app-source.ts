import * as z from "zod";
import { branchPattern } from "./branch-pattern.js";
import { credentials } from "./credentials.js";
import { choice, text } from "./fields.js";
import { repoPath } from "./repo-path.js";
import { parseRepoRef, repoRef } from "./repo-ref.js";
import { say } from "./say.js";

const glob = repoPath("a path glob, e.g. src/**");

/**
 * The kinds of git host an app's repository may live on. `github` on a host other than github.com is
 * GitHub Enterprise Server; `gitlab` on a host other than gitlab.com is a self-managed GitLab; `git`
 * is any other host that serves git over https.
 */
export const SOURCE_HOSTS = [
  "github",
  "gitlab",
  "bitbucket",
  "bitbucket-server",
  "gitea",
  "forgejo",
  "codecommit",
  "git",
] as const;

/** One of {@link SOURCE_HOSTS}. */
export type SourceHost = (typeof SOURCE_HOSTS)[number];

const CONNECTION_ARN =
  /^arn:aws[a-z-]*:(?:codeconnections|codestar-connections):[a-z0-9-]+:\d{12}:connection\/[A-Za-z0-9-]+$/;

const connectionArn = text("the ARN of an AWS CodeConnections connection").regex(CONNECTION_ARN, {
  error: (issue) =>
    say(
      `'${String(issue.input)}' is not a CodeConnections connection ARN`,
      "copy the connection's ARN from the Developer Tools console, e.g. arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-...",
    ),
});

/**
 * Which pushes build an app, and how its repository is reached:
 * - `repo`, `branch`, `paths`, `ignorePaths`: the pushes that build it;
 * - `host`: the kind of git host, when its address does not tell it (github.com, gitlab.com,
 *   bitbucket.org and CodeCommit are known by their address; any other host is plain `git` unless
 *   named here);
 * - `connectionArn`: an AWS CodeConnections connection through which CodeBuild clones the
 *   repository (required for GitLab and GitHub Enterprise Server, optional for GitHub and Bitbucket
 *   Cloud, whose default is the account's CodeBuild source credential);
 * - `credentials`: how Shipline reads a private repository that CodeBuild does not clone itself: the
 *   same providers as `configRepo.credentials` (a build that fetches its source takes a `token`).
 *
 * @example
 * ```ts
 * appSource.parse({ repo: "https://gitlab.example.com/shop/api.git", host: "gitlab", connectionArn: "arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d" });
 * ```
 */
export const appSource = z
  .strictObject({
    /** The app's repository: an https URL, or `local:<name>` for a repository of the local runtime. */
    repo: repoRef,
    /** A branch name or glob (`main`, `release/*`); pushes to other branches are ignored. */
    branch: branchPattern("a branch name or glob, e.g. main").default("main"),
    /** Globs of the paths that matter: a push touching none of them builds nothing. */
    paths: z
      .array(glob)
      .min(1, { error: say("is an empty list", "list at least one glob, or remove the key for **") })
      .default(["**"]),
    /** Globs of paths that never trigger a build (docs, say), even when `paths` matches them. */
    ignorePaths: z.array(glob).default([]),
    /** The kind of git host, when the repository's address does not tell it. */
    host: choice(SOURCE_HOSTS).optional(),
    /** The CodeConnections connection CodeBuild clones through. */
    connectionArn: connectionArn.optional(),
    /** How Shipline reads the repository when it is private and CodeBuild does not clone it. */
    credentials: credentials.optional(),
  })
  .superRefine((source, ctx) => {
    const repo = parseRepoRef(source.repo);
    if ("problem" in repo) return;
    const problem = (path: string, what: string, fix: string) =>
      ctx.addIssue({ code: "custom", path: [path], message: say(what, fix) });
    const codeCommit =
      source.host === "codecommit" || (repo.kind === "url" && /^git-codecommit\./.test(repo.key));
    if (repo.kind === "local") {
      for (const key of ["host", "connectionArn", "credentials"] as const) {
        if (source[key] !== undefined) {
          problem(
            key,
            "is set for a repository of the local runtime",
            `remove source.${key}: the local runtime serves local:${repo.name} itself`,
          );
        }
      }
      return;
    }
    if (codeCommit && source.connectionArn !== undefined) {
      problem(
        "connectionArn",
        "is set for a CodeCommit repository",
        "remove it: CodeBuild reads CodeCommit with the project's own role",
      );
    }
  });

/** The source section of an app (output of {@link appSource}). */
export type AppSourceConfig = z.output<typeof appSource>;
