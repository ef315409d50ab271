import * as z from "zod";
import { credentials } from "./credentials.js";
import { choice, text } from "./fields.js";
import { repoRef, serviceUrl } from "./repo-ref.js";
import { say } from "./say.js";

/** Placeholders a commit message template may use. */
export const COMMIT_MESSAGE_PLACEHOLDERS = [
  "app",
  "environment",
  "tag",
  "digest",
  "sha",
  "sha7",
  "repository",
] as const;

/** The commit message Shipline writes when none is configured. */
export const DEFAULT_COMMIT_MESSAGE = "deploy({environment}): {app} {tag}";

const commitMessage = text("a template such as deploy({environment}): {app} {tag}")
  .superRefine((template, ctx) => {
    for (const match of template.matchAll(/\{([^{}]*)\}/g)) {
      const name = match[1] ?? "";
      if (!(COMMIT_MESSAGE_PLACEHOLDERS as readonly string[]).includes(name)) {
        ctx.addIssue({
          code: "custom",
          message: say(
            `{${name}} is not a known placeholder`,
            `use ${COMMIT_MESSAGE_PLACEHOLDERS.map((known) => `{${known}}`).join(", ")}`,
          ),
        });
      }
    }
  })
  .default(DEFAULT_COMMIT_MESSAGE);

/** Where environments with `approval: pull-request` open their pull requests. */
const pullRequest = z.strictObject({
  /** The host's API flavour. */
  provider: choice(["github", "gitlab"]),
  /** The API base; defaults to the public host (https://api.github.com, https://gitlab.com/api/v4). */
  apiUrl: serviceUrl.optional(),
});

/**
 * The config repository: the one place Shipline writes to deploy. Every deployment is a commit
 * there; every rollback a `git revert`.
 *
 * @example
 * ```ts
 * configRepo.parse({ url: "local:demo-config", credentials: { provider: "oidc-exchange", ... } });
 * ```
 */
export const configRepo = z.strictObject({
  /** The repository: an https URL, or `local:<name>` for a repository of the local runtime. */
  url: repoRef,
  /** The branch Argo CD watches and Shipline commits to. */
  branch: text("the branch, e.g. main").default("main"),
  /** How Shipline gets short-lived credentials to push. */
  credentials,
  /** Author and committer of Shipline's commits. */
  author: z
    .strictObject({
      name: text("the author's name, e.g. Shipline").default("Shipline"),
      email: z
        .email({ error: say("is not an email address", "write an address such as shipline@example.com") })
        .default("shipline@noreply.invalid"),
    })
    .prefault({}),
  /** Subject line of deployment commits; trailers (`Shipline-App`, `Shipline-Commit`, ...) are added below it. */
  commitMessage,
  /** Needed when an environment uses `approval: pull-request`. */
  pullRequest: pullRequest.optional(),
});

/** The config repo section (output of {@link configRepo}). */
export type ConfigRepoConfig = z.output<typeof configRepo>;

/** Pull request settings of the config repo. */
export type PullRequestConfig = z.output<typeof pullRequest>;
