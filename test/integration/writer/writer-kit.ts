import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { IsomorphicConfigRepository } from "../../../functions/adapters/git/isomorphic-config-repository.js";
import type { WriteIntent } from "../../../functions/core/writer/write-intent.js";
import { writeIntent } from "../../../functions/core/writer/write-intent.js";
import { LocalGitServer } from "../../../functions/local/git-server/local-git-server.js";
import { LocalOidcServer } from "../../../functions/local/oidc/local-oidc-server.js";
import { localRepositoryCredentials } from "../../../functions/local/writer/local-repository-credentials.js";
import { git, gitEnvironment } from "../local/git-server-kit.js";

/** The role the writer runs as in these tests. */
export const WRITER_ROLE = "arn:aws:iam::000000000000:role/shipline-config-writer";

/** A local git host with its token exchange, and helpers to look at repositories with the git CLI. */
export interface WriterHarness {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly oidc: LocalOidcServer;
  readonly server: LocalGitServer;
  /** Creates a repository with one commit holding `files`; answers the commit sha. */
  seed(name: string, files: Record<string, string>): Promise<string>;
  /** Commits `files` on top of the branch straight into the bare repository (another writer); answers the sha. */
  pushExternal(name: string, files: Record<string, string>, message: string): Promise<string>;
  /** A fresh CLI clone of the repository (full history); answers its directory. */
  cliClone(name: string): Promise<string>;
  /** Stops the git server and starts it again on the same repositories (a new port, as after a restart). */
  restartServer(): Promise<void>;
  /** Runs git in a directory and answers stdout (fails on a non-zero exit). */
  run(cwd: string, args: readonly string[]): Promise<string>;
  /** A writer repository on `<dir>/writer/<name>-<label>` (same label: same warm clone). */
  repository(name: string, label?: string, depth?: number): IsomorphicConfigRepository;
  stop(): Promise<void>;
}

/** Starts the harness in its own temporary directory. */
export async function startWriterHarness(): Promise<WriterHarness> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "shipline-writer-test-"));
  const oidc = new LocalOidcServer({
    trustPolicy: [{ subject: WRITER_ROLE, repositories: ["*"], permissions: ["write"] }],
  });
  await oidc.start();
  let server = new LocalGitServer({ rootDir: path.join(dir, "repositories"), tokenVerifier: oidc });
  await server.start();
  const home = path.join(dir, "home");
  await mkdir(home);
  const env = await gitEnvironment(home);
  let clones = 0;
  const run = async (cwd: string, args: readonly string[]): Promise<string> => {
    const result = await git(args, { cwd, env });
    if (result.code !== 0) throw new Error(`git ${args.join(" ")} failed: ${result.stderr}`);
    return result.stdout;
  };
  const gitDirOf = async (name: string): Promise<string> => {
    const repository = await server.getRepository(name);
    if (!repository) throw new Error(`no repository ${name}`);
    return repository.gitDir;
  };
  const commitAll = async (work: string, files: Record<string, string>, message: string): Promise<string> => {
    for (const [file, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(work, file)), { recursive: true });
      await writeFile(path.join(work, file), content);
    }
    await run(work, ["add", "--all"]);
    await run(work, ["commit", "--quiet", "-m", message]);
    return (await run(work, ["rev-parse", "HEAD"])).trim();
  };
  const harness: WriterHarness = {
    dir,
    env,
    oidc,
    get server() {
      return server;
    },
    async restartServer() {
      await server.stop();
      server = new LocalGitServer({ rootDir: path.join(dir, "repositories"), tokenVerifier: oidc });
      await server.start();
    },
    async seed(name, files) {
      await server.createRepository(name, { defaultBranch: "main" });
      const work = path.join(dir, `seed-${name}`);
      await mkdir(work);
      await run(work, ["init", "--quiet", "--initial-branch=main"]);
      const sha = await commitAll(work, files, "initial config");
      await run(work, ["push", "--quiet", await gitDirOf(name), "HEAD:refs/heads/main"]);
      return sha;
    },
    async pushExternal(name, files, message) {
      const work = path.join(dir, `external-${clones++}`);
      await run(dir, ["clone", "--quiet", "--branch", "main", await gitDirOf(name), work]);
      const sha = await commitAll(work, files, message);
      await run(work, ["push", "--quiet", "origin", "HEAD:refs/heads/main"]);
      return sha;
    },
    async cliClone(name) {
      const work = path.join(dir, `check-${clones++}`);
      await run(dir, ["clone", "--quiet", "--branch", "main", await gitDirOf(name), work]);
      return work;
    },
    run,
    repository(name, label = "writer", depth = undefined) {
      return new IsomorphicConfigRepository({
        ...(depth === undefined ? {} : { depth }),
        url: server.cloneUrl(name),
        branch: "main",
        name: `local:${name}`,
        dir: path.join(dir, "writer", `${name}-${label}`),
        credentials: localRepositoryCredentials({ oidc, subject: WRITER_ROLE, repository: name }),
      });
    },
    async stop() {
      await server.stop();
      await oidc.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** Reads a file of a CLI clone. */
export function readClone(work: string, file: string): Promise<string> {
  return readFile(path.join(work, file), "utf8");
}

const SOURCE = "0123456789abcdef0123456789abcdef01234567";

/** A valid update intent for `app` in `environment`, writing `tag` to a Helm values file. */
export function updateIntent(options: {
  id: string;
  app?: string;
  environment?: string;
  file?: string;
  tag: string;
  digestHex?: string;
}): WriteIntent {
  return writeIntent.parse({
    intentId: options.id,
    kind: "update",
    app: options.app ?? "demo",
    environment: options.environment ?? "dev",
    commit: SOURCE,
    correlationId: `corr-${options.id}`,
    target: { kind: "helm", file: options.file ?? "envs/dev/values.yaml", path: "image.tag" },
    image: {
      repository: "registry.local/demo",
      tag: options.tag,
      digest: `sha256:${(options.digestHex ?? "a").repeat(64).slice(0, 64)}`,
    },
    scanVerdict: "approved",
  });
}
