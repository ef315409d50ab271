import type { ChildProcess } from "node:child_process";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import type { BuildLog } from "./build-log.js";
import { runCommand } from "./run-command.js";

/** Options of {@link cloneSource}. */
export interface CloneSourceOptions {
  /** The repository URL (no credentials in it). */
  readonly url: string;
  /** The commit to check out (a full sha). */
  readonly commit: string;
  /** The empty directory to check out into. */
  readonly directory: string;
  /** git's environment (PATH, HOME, a git config of its own). */
  readonly env: Readonly<Record<string, string>>;
  /** A token for the git server, handed to git by a credential helper, never in a URL or argument. */
  readonly token?: string;
  readonly log: BuildLog;
  readonly track?: (child: ChildProcess) => () => void;
}

const TOKEN_ENV = "SHIPLINE_SOURCE_TOKEN";
const HELPER = `!f() { test "$1" = get && echo username=x-access-token && echo "password=$${TOKEN_ENV}"; }; f`;

/**
 * Checks out one commit with the git CLI, as CodeBuild's DOWNLOAD_SOURCE does: an empty repository,
 * a shallow fetch of the commit (a full fetch when the server refuses unadvertised objects), then a
 * detached checkout. Resolves with the commit checked out (`CODEBUILD_RESOLVED_SOURCE_VERSION`).
 * Throws `SOURCE_DOWNLOAD_FAILED` naming the step when git fails; the token never reaches the log.
 *
 * @example
 * ```ts
 * const resolved = await cloneSource({ url, commit, directory, env, token, log });
 * ```
 */
export async function cloneSource(options: CloneSourceOptions): Promise<string> {
  const { directory, log } = options;
  const git = async (args: readonly string[], step: string, allowFailure = false): Promise<boolean> => {
    const credentials =
      options.token === undefined ? [] : ["-c", "credential.helper=", "-c", `credential.helper=${HELPER}`];
    log.line(`Running command git ${args.join(" ")}`);
    const result = await runCommand({
      command: "git",
      args: [...credentials, ...args],
      cwd: directory,
      env: options.env,
      output: (chunk) => log.output(chunk),
      ...(options.token === undefined ? {} : { secretEnv: { [TOKEN_ENV]: options.token } }),
      ...(options.track === undefined ? {} : { track: options.track }),
    });
    if (result.exitCode === 0) return true;
    if (allowFailure) return false;
    throw new ShiplineError({
      code: "SOURCE_DOWNLOAD_FAILED",
      message: `could not ${step} (git exited ${result.exitCode}${result.reason ? `: ${result.reason}` : ""}); check that the repository exists and the builder may read it`,
      data: { url: options.url, commit: options.commit },
      retryable: true,
    });
  };
  await git(["init", "--quiet"], "create the checkout");
  await git(["remote", "add", "origin", options.url], "add the source remote");
  const shallow = await git(
    ["fetch", "--quiet", "--depth", "1", "origin", options.commit],
    "fetch the commit",
    true,
  );
  if (!shallow) {
    log.line("The server refused a fetch by commit; fetching every branch and tag");
    await git(
      ["fetch", "--quiet", "--tags", "origin", "+refs/heads/*:refs/remotes/origin/*"],
      "fetch the repository",
    );
  }
  await git(["checkout", "--quiet", "--detach", options.commit], `check out ${options.commit}`);
  let head = "";
  const result = await runCommand({
    command: "git",
    args: ["rev-parse", "HEAD"],
    cwd: directory,
    env: options.env,
    output: (chunk) => {
      head += Buffer.from(chunk).toString("utf8");
    },
  });
  if (result.exitCode !== 0)
    throw new ShiplineError({
      code: "SOURCE_DOWNLOAD_FAILED",
      message: "git rev-parse HEAD failed after the checkout",
      data: { commit: options.commit },
    });
  return head.trim();
}
