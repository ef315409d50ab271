import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import * as z from "zod";
import { busLayout } from "../../functions/local/bus/bus-layout.js";
import { parseJsonLines } from "../../functions/local/bus/json-lines-file.js";
import { readEndpoints } from "../../functions/local/runtime/endpoints-file.js";
import { type E2eOptions, REPO_ROOT, writeFastConfig } from "../integration/e2e/e2e-kit.js";

const run = promisify(execFile);

/** How long a probe waits for one outcome of the runtime before it fails with what it saw. */
export const PROBE_WAIT_MS = 150_000;

/** The Vitest time-out of a probe that restarts the runtime several times on a loaded machine. */
export const PROBE_TEST_TIMEOUT_MS = 600_000;

const archived = z.object({
  event: z.object({
    id: z.string(),
    "detail-type": z.string(),
    time: z.string(),
    detail: z.looseObject({
      commit: z.string().nullish(),
      environment: z.string().optional(),
      code: z.string().optional(),
      buildId: z.string().optional(),
      configCommit: z.string().optional(),
      reason: z.string().optional(),
    }),
  }),
});

/** An event of the runtime's archive, with the detail fields the probes read. */
export type ArchivedEvent = z.infer<typeof archived>["event"];

/** What a CLI command printed and its exit code. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `shipline start` as a user runs it, in a child process on a data directory of its own: the probes
 * of this suite stop it (SIGTERM, as Ctrl+C does) or kill it (SIGKILL) and start it again on the
 * same data, read what it did from its event archive, and use the CLI and git as a user would.
 */
export class RuntimeUnderTest {
  readonly root: string;
  readonly dataDir: string;
  readonly config: string;
  #child: ChildProcess | undefined;

  private constructor(root: string, config: string) {
    this.root = root;
    this.dataDir = join(root, "data");
    this.config = config;
  }

  /** A temporary directory with the example configuration at short timings (see `writeFastConfig`). */
  static async create(options: E2eOptions = {}): Promise<RuntimeUnderTest> {
    const root = await mkdtemp(join(tmpdir(), "shipline-reliability-"));
    return new RuntimeUnderTest(root, await writeFastConfig(root, options));
  }

  /** Starts `shipline start` (which seeds the demo repositories and pushes a first commit on a fresh data dir). */
  start(): void {
    if (this.running) throw new Error("the runtime is already running");
    this.#child = spawn(
      process.execPath,
      ["bin/shipline.mjs", "start", "--data-dir", this.dataDir, "--config", this.config],
      { cwd: REPO_ROOT, stdio: ["ignore", "ignore", "ignore"] },
    );
  }

  /** Whether the runtime's process is alive. */
  get running(): boolean {
    const child = this.#child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  /** `kill -9`: nothing of the runtime gets a chance to clean up. */
  async kill(): Promise<void> {
    await this.#end("SIGKILL");
  }

  /** A clean stop, as Ctrl+C gives. Answers the exit code. */
  async stop(): Promise<number | null> {
    return this.#end("SIGTERM");
  }

  async #end(signal: NodeJS.Signals): Promise<number | null> {
    const child = this.#child;
    if (child === undefined || !this.running) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill(signal);
    return exited;
  }

  /** Every event the runtime's bus accepted, oldest first (across its restarts). */
  async events(): Promise<ArchivedEvent[]> {
    const path = busLayout(this.dataDir).archive;
    const text = await readFile(path, "utf8").catch(() => "");
    // The runtime may be appending a record as it is read: parseJsonLines leaves that one out.
    return parseJsonLines(text, path).flatMap((line) => {
      const parsed = archived.safeParse(line);
      return parsed.success ? [parsed.data.event] : [];
    });
  }

  /** Waits for the first archived event that matches; fails with the detail types seen. */
  async until(what: string, match: (event: ArchivedEvent) => boolean): Promise<ArchivedEvent> {
    const deadline = Date.now() + PROBE_WAIT_MS;
    for (;;) {
      const events = await this.events();
      const found = events.find(match);
      if (found !== undefined) return found;
      if (Date.now() > deadline) {
        const seen = events.map((event) => `${event["detail-type"]} ${event.detail.environment ?? ""}`);
        const log = await readFile(join(this.dataDir, "shipline.log"), "utf8").catch(() => "");
        throw new Error(
          `waited ${PROBE_WAIT_MS / 1000}s for ${what}; the archive holds:\n${seen.join("\n")}\n` +
            `the end of the runtime's log:\n${log
              .split("\n")
              .slice(-12)
              .map((line) => line.slice(0, 600))
              .join("\n")}`,
        );
      }
      // Often: a step of the chain takes tens of milliseconds, and an interruption should come
      // as close after the event as it can.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Runs `shipline <args> --data-dir <this runtime's>`; answers the exit code and output. */
  async cli(args: readonly string[]): Promise<CliResult> {
    try {
      const { stdout, stderr } = await run(
        process.execPath,
        ["bin/shipline.mjs", ...args, "--data-dir", this.dataDir],
        { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: "1" } },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? 1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
    }
  }

  /**
   * A developer's change pushed as the runtime's instructions say: `git clone` of the app repository
   * with `shipline git-credential` as credential helper, files written, `git commit`, `git push`.
   * Answers the pushed commit.
   */
  async push(files: Readonly<Record<string, string>>, message: string): Promise<string> {
    const { git, work } = await this.#clone();
    for (const [path, content] of Object.entries(files)) await writeFile(join(work, path), content);
    await git(["add", "--all"]);
    await git(["commit", "--quiet", "-m", message]);
    await git(["push", "--quiet", "origin", "HEAD:main"]);
    return (await git(["rev-parse", "HEAD"])).stdout.trim();
  }

  /**
   * One push of `count` commits (made with `git fast-import`, each adding a file of its own; the
   * last also writes `files`). Answers the branch's commit before the push and the pushed head.
   */
  async pushMany(
    count: number,
    files: Readonly<Record<string, string>>,
  ): Promise<{ readonly before: string; readonly head: string }> {
    const { git, work } = await this.#clone();
    const before = (await git(["rev-parse", "HEAD"])).stdout.trim();
    const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
    // Committed now, after the branch's head, as a developer's commits are.
    const now = Math.floor(Date.now() / 1000);
    const commits: string[] = [];
    for (let index = 1; index <= count; index += 1) {
      const last = index === count;
      const changes = [
        `M 100644 inline commits/${index}.txt\n${data(`commit ${index}\n`)}`,
        ...(last
          ? Object.entries(files).map(([path, content]) => `M 100644 inline ${path}\n${data(content)}`)
          : []),
      ];
      commits.push(
        `commit refs/heads/main\ncommitter Dana Developer <dana@example.test> ${now} +0000\n` +
          data(`Commit ${index} of ${count}`) +
          (index === 1 ? `from ${before}\n` : "") +
          changes.join(""),
      );
    }
    const stream = join(this.root, `fast-import-${Date.now()}`);
    await writeFile(stream, `${commits.join("\n")}\n`);
    await run("sh", ["-c", `git fast-import --quiet < "${stream}"`], { cwd: work });
    await git(["push", "--quiet", "origin", "refs/heads/main:refs/heads/main"]);
    return { before, head: (await git(["rev-parse", "refs/heads/main"])).stdout.trim() };
  }

  /** The head of `main` of a repository of the runtime's git server. */
  async headOf(repository: string): Promise<string> {
    const { git: gitUrl } = await readEndpoints(this.dataDir);
    const { stdout } = await this.#git(
      ["ls-remote", `${gitUrl}/${repository}.git`, "refs/heads/main"],
      this.root,
    );
    return stdout.split("\t")[0]?.trim() ?? "";
  }

  /** Resolves once the archive has not grown for `quietMs` (what was under way has settled). */
  async settle(quietMs = 1500): Promise<void> {
    let count = (await this.events()).length;
    let quietSince = Date.now();
    while (Date.now() - quietSince < quietMs) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const now = (await this.events()).length;
      if (now !== count) {
        count = now;
        quietSince = Date.now();
      }
    }
  }

  /** A fresh clone of the demo app repository, and git run in it as the developer. */
  async #clone() {
    const { git: gitUrl } = await readEndpoints(this.dataDir);
    const work = join(this.root, `clone-${Date.now()}`);
    await this.#git(["clone", "--quiet", `${gitUrl}/demo.git`, work], this.root);
    return { work, git: (args: readonly string[]) => this.#git(args, work) };
  }

  /** git with `shipline git-credential` as credential helper, as the developer. */
  #git(args: readonly string[], cwd: string) {
    const helper = `!"${process.execPath}" "${join(REPO_ROOT, "bin/shipline.mjs")}" git-credential --data-dir "${this.dataDir}"`;
    return run(
      "git",
      [
        "-c",
        `credential.helper=${helper}`,
        "-c",
        "credential.useHttpPath=true",
        "-c",
        "user.name=Dana Developer",
        "-c",
        "user.email=dana@example.test",
        ...args,
      ],
      { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: "0" }, maxBuffer: 64 * 1024 * 1024 },
    );
  }

  /** Kills the runtime if it still runs and removes its directory. */
  async dispose(): Promise<void> {
    await this.kill();
    await rm(this.root, { recursive: true, force: true });
  }
}

/** Matches the events of one detail type for one app commit (and environment). */
export function eventOf(type: string, commit: string | null | undefined, environment?: string) {
  return (event: ArchivedEvent): boolean =>
    event["detail-type"] === type &&
    event.detail.commit === commit &&
    (environment === undefined || event.detail.environment === environment);
}
