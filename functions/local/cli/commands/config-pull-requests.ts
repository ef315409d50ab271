import { resolve } from "node:path";
import * as z from "zod";
import { CONFIG_FILE_NAME, loadConfigFile } from "../../../adapters/local/config-file-loader.js";
import { parseRepoRef } from "../../../core/config/repo-ref.js";
import { ShiplineError } from "../../../core/errors/shipline-error.js";
import { pullRequestBranch } from "../../../core/ports/pull-request-host.js";
import { DEFAULT_DATA_DIR } from "../../bus/bus-layout.js";
import { readEndpoints } from "../../runtime/endpoints-file.js";
import type { CommandIo } from "../command.js";
import { exchangeForRepository } from "./git-credential.js";

/** The owner the local git server gives one-part repository names in its GitHub-style API. */
const LOCAL_OWNER = "local";

/** A pull request as the local git server's GitHub-style API answers it (the fields the CLI shows). */
const pullRequest = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  state: z.enum(["open", "closed"]),
  html_url: z.string(),
  head: z.object({ ref: z.string(), sha: z.string() }),
  base: z.object({ ref: z.string() }),
  merged_at: z.string().nullable().optional(),
  merge_commit_sha: z.string().nullable().optional(),
});

/** One pull request of the config repository. */
export type ConfigPullRequest = z.infer<typeof pullRequest>;

const mergeAnswer = z.object({ sha: z.string(), merged: z.boolean() });
const errorAnswer = z.object({ message: z.string() });

/** Where {@link openConfigPullRequests} finds the runtime and the configuration. */
export interface ConfigPullRequestsOptions {
  /** `--data-dir`. @default ".shipline" */
  readonly dataDir?: string;
  /** `--config`. @default "shipline.config.yaml" */
  readonly config?: string;
}

/** The config repository's pull requests on the running local git server. */
export interface ConfigPullRequests {
  /** The config repository's name on the local git server. */
  readonly repository: string;
  /** Every pull request, newest first. */
  list(): Promise<ConfigPullRequest[]>;
  /** The open pull request of an app in an environment, if any. */
  openFor(app: string, environment: string): Promise<ConfigPullRequest | undefined>;
  /** Merges a pull request; resolves with the merge commit. */
  merge(number: number, method: "merge" | "squash"): Promise<string>;
}

/**
 * Talks to the local git server's pull request API about the configuration's `local:` config
 * repository, with a short-lived token of the developer role. Throws `CLI_CONFIG_REPO_NOT_LOCAL`
 * when the config repository lives elsewhere (merge it on its host), and the runtime's errors when
 * it is not running.
 *
 * @example
 * ```ts
 * const pulls = await openConfigPullRequests(io, { dataDir: values["data-dir"], config: values.config });
 * const open = await pulls.openFor("demo", "production");
 * ```
 */
export async function openConfigPullRequests(
  io: Pick<CommandIo, "cwd">,
  options: ConfigPullRequestsOptions,
): Promise<ConfigPullRequests> {
  const config = await loadConfigFile(resolve(io.cwd, options.config ?? CONFIG_FILE_NAME));
  const ref = parseRepoRef(config.configRepo.url);
  if ("problem" in ref || ref.kind !== "local") {
    throw new ShiplineError({
      code: "CLI_CONFIG_REPO_NOT_LOCAL",
      message: `the config repository is ${config.configRepo.url}, not one of the local runtime; review and merge its pull requests on its git host`,
      data: { configRepo: config.configRepo.url },
    });
  }
  const repository = ref.name;
  const endpoints = await readEndpoints(resolve(io.cwd, options.dataDir ?? DEFAULT_DATA_DIR));
  const path = repository.includes("/") ? repository : `${LOCAL_OWNER}/${repository}`;
  const base = `${endpoints.git}/api/v3/repos/${path}/pulls`;
  const token = await exchangeForRepository(endpoints, repository);
  const call = async (method: string, url: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: "application/vnd.github+json",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const answer: unknown = await response.json().catch(() => undefined);
    if (response.ok) return answer;
    const refusal = errorAnswer.safeParse(answer);
    throw new ShiplineError({
      code: "CLI_PULL_REQUEST_REFUSED",
      message: `the local git server answered ${response.status} to ${method} ${new URL(url).pathname}: ${refusal.success ? refusal.data.message : "no reason given"}`,
      data: { status: response.status },
    });
  };
  return {
    repository,
    async list() {
      return z.array(pullRequest).parse(await call("GET", `${base}?state=all&per_page=100`));
    },
    async openFor(app, environment) {
      const query = new URLSearchParams({ head: pullRequestBranch(environment, app), state: "open" });
      return z.array(pullRequest).parse(await call("GET", `${base}?${query}`))[0];
    },
    async merge(number, method) {
      return mergeAnswer.parse(await call("PUT", `${base}/${number}/merge`, { merge_method: method })).sha;
    },
  };
}
