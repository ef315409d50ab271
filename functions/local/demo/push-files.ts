import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ShiplineError } from "../../core/errors/shipline-error.js";

/** Options of {@link pushFiles}. */
export interface PushFilesOptions {
  /** Clone URL of the repository. */
  readonly url: string;
  /** A repository-scoped token with write permission; handed to git by a credential helper. */
  readonly token: string;
  /** Files to write (relative path → content); other files stay as they are. */
  readonly files: Readonly<Record<string, string>>;
  readonly message: string;
  readonly author?: { readonly name: string; readonly email: string };
  readonly branch?: string;
  /** A commit to `git revert` (with git's own message) instead of writing `files`. */
  readonly revert?: string;
}

/**
 * Commits files to a repository of the local git server the way a developer does: `git clone`,
 * write, `git commit`, `git push`. The token travels through a credential helper reading it from
 * the environment, so it appears in no argument, URL or log line. Returns the new commit.
 *
 * @example
 * ```ts
 * const commit = await pushFiles({ url, token, files: { "README.md": "# demo\n" }, message: "Docs" });
 * ```
 */
export async function pushFiles(options: PushFilesOptions): Promise<string> {
  const branch = options.branch ?? "main";
  const author = options.author ?? { name: "Demo Developer", email: "developer@demo.invalid" };
  const home = await mkdtemp(join(tmpdir(), "shipline-push-"));
  try {
    const env = {
      PATH: process.env.PATH,
      HOME: home,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_TERMINAL_PROMPT: "0",
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
      GIT_COMMITTER_NAME: author.name,
      GIT_COMMITTER_EMAIL: author.email,
      SHIPLINE_PUSH_TOKEN: options.token,
    };
    const helper =
      '!f() { test "$1" = get && echo username=x-access-token && echo "password=$SHIPLINE_PUSH_TOKEN"; }; f';
    const work = join(home, "work");
    const git = (args: string[], cwd = home) =>
      run(
        [
          "-c",
          "credential.helper=",
          "-c",
          `credential.helper=${helper}`,
          "-c",
          `init.defaultBranch=${branch}`,
          ...args,
        ],
        cwd,
        env,
      );
    await git(["clone", "--quiet", options.url, work]);
    await git(["checkout", "-q", "-B", branch], work);
    if (options.revert !== undefined) {
      await git(["revert", "--no-edit", options.revert], work);
    } else {
      for (const [path, content] of Object.entries(options.files)) {
        await mkdir(dirname(join(work, path)), { recursive: true });
        await writeFile(join(work, path), content);
      }
      await git(["add", "--all"], work);
      await git(["commit", "--quiet", "--allow-empty", "-m", options.message], work);
    }
    await git(["push", "--quiet", "origin", `HEAD:refs/heads/${branch}`], work);
    return (await git(["rev-parse", "HEAD"], work)).trim();
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

function run(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.once("error", reject);
    child.once("close", (code) => {
      if (code === 0) resolve(stdout);
      else
        reject(
          new ShiplineError({
            code: "GIT_COMMAND_FAILED",
            message: `git ${args
              .filter((arg) => !arg.startsWith("credential.helper"))
              .slice(-3)
              .join(" ")} failed (exit ${code}): ${stderr.trim()}`,
            data: { code },
          }),
        );
    });
  });
}
