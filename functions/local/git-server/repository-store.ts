import { access, appendFile, chmod, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import { type Clock, systemClock } from "../../core/ports/clock.js";
import { POST_RECEIVE_HOOK } from "./post-receive-hook.js";
import { assertRepositoryName } from "./repository-name.js";
import { runGit } from "./run-git.js";

/** A bare repository served by the local git server. */
export interface LocalRepository {
  /** Full name as served, `name` or `owner/name`. */
  readonly fullName: string;
  /** Last part of the name. */
  readonly name: string;
  /** First part of an `owner/name`, else the store's default owner. */
  readonly owner: string;
  /** Path of the bare repository. */
  readonly gitDir: string;
  /** Branch HEAD points at. */
  readonly defaultBranch: string;
  /** When the repository was created. */
  readonly createdAt: Date;
}

/** Options for {@link RepositoryStore.create}. */
export interface CreateRepositoryOptions {
  /** @default "main" */
  readonly defaultBranch?: string;
}

/** Options for {@link RepositoryStore}. */
export interface RepositoryStoreOptions {
  /** Directory holding the bare repositories (`<root>/<name>.git`), the CGI `GIT_PROJECT_ROOT`. */
  readonly rootDir: string;
  /** Owner reported for names without one. @default "local" */
  readonly defaultOwner?: string;
  readonly clock?: Clock;
}

/**
 * The bare repositories under one root: creates them ready for smart HTTP (receive-pack enabled,
 * post-receive hook installed) and describes them for webhook payloads.
 *
 * @example
 * ```ts
 * const store = new RepositoryStore({ rootDir });
 * await store.create("config", { defaultBranch: "main" });
 * ```
 */
export class RepositoryStore {
  private readonly options: RepositoryStoreOptions;
  /** Descriptions already read: a repository's HEAD and creation time do not change once created. */
  private readonly described = new Map<string, LocalRepository>();

  constructor(options: RepositoryStoreOptions) {
    this.options = options;
  }

  /** The project root. */
  get rootDir(): string {
    return this.options.rootDir;
  }

  /**
   * Creates a bare repository (or brings an existing one up to date: config and hook) and
   * describes it.
   */
  async create(fullName: string, options: CreateRepositoryOptions = {}): Promise<LocalRepository> {
    assertRepositoryName(fullName);
    const gitDir = this.gitDirOf(fullName);
    const defaultBranch = options.defaultBranch ?? "main";
    // Smart HTTP in both directions, and no `gc --auto` / `maintenance run --auto` after each push:
    // two processes per push that a short-lived local repository does not need.
    const settings = { "http.receivepack": "true", "http.uploadpack": "true", "receive.autogc": "false" };
    this.described.delete(fullName);
    if (!(await isRepository(gitDir))) {
      await runGit({ args: ["check-ref-format", "--branch", defaultBranch] }).catch((cause: unknown) => {
        throw new ShiplineError({
          code: "REPOSITORY_BRANCH_INVALID",
          message: `'${defaultBranch}' is not a valid branch name; pick another defaultBranch`,
          data: { defaultBranch },
          cause,
        });
      });
      await mkdir(path.dirname(gitDir), { recursive: true });
      await runGit({ args: ["init", "--quiet", "--bare", `--initial-branch=${defaultBranch}`, gitDir] });
      const createdAt = Math.floor((this.options.clock ?? systemClock).now().getTime() / 1000);
      // A new repository's config is written in one go: one process fewer per setting.
      await appendFile(
        path.join(gitDir, "config"),
        configSections({ ...settings, "shipline.createdAt": String(createdAt) }),
      );
    } else {
      for (const [key, value] of Object.entries(settings))
        await runGit({ gitDir, args: ["config", key, value] });
    }
    const hook = path.join(gitDir, "hooks", "post-receive");
    await mkdir(path.dirname(hook), { recursive: true });
    await writeFile(hook, POST_RECEIVE_HOOK, { mode: 0o755 });
    await chmod(hook, 0o755);
    const repository = await this.get(fullName);
    if (!repository) {
      throw new ShiplineError({
        code: "REPOSITORY_CREATE_FAILED",
        message: `repository '${fullName}' was not created`,
      });
    }
    return repository;
  }

  /**
   * Describes a repository, or `undefined` when there is none of that name. The description is
   * read with git once and kept (every request asks for it); the repository's existence is
   * checked each time.
   */
  async get(fullName: string): Promise<LocalRepository | undefined> {
    assertRepositoryName(fullName);
    const gitDir = this.gitDirOf(fullName);
    if (!(await isRepository(gitDir))) {
      this.described.delete(fullName);
      return undefined;
    }
    const known = this.described.get(fullName);
    if (known !== undefined) return known;
    const head = await runGit({ gitDir, args: ["symbolic-ref", "--quiet", "HEAD"], okExitCodes: [0, 1] });
    const created = await runGit({
      gitDir,
      args: ["config", "--get", "shipline.createdAt"],
      okExitCodes: [0, 1],
    });
    const createdSeconds = Number.parseInt(created.stdout.trim(), 10);
    const parts = fullName.split("/");
    const repository: LocalRepository = {
      fullName,
      name: parts.at(-1) ?? fullName,
      owner: parts.length > 1 ? (parts[0] ?? "") : (this.options.defaultOwner ?? "local"),
      gitDir,
      defaultBranch: head.stdout.trim().replace(/^refs\/heads\//, "") || "main",
      createdAt: new Date(Number.isFinite(createdSeconds) ? createdSeconds * 1000 : 0),
    };
    this.described.set(fullName, repository);
    return repository;
  }

  /** Path of the bare repository of this name (whether or not it exists). */
  gitDirOf(fullName: string): string {
    assertRepositoryName(fullName);
    return path.join(this.options.rootDir, `${fullName}.git`);
  }
}

/** `git config` file text for `section.key` settings (simple section and key names only). */
function configSections(settings: Readonly<Record<string, string>>): string {
  const sections = new Map<string, string[]>();
  for (const [name, value] of Object.entries(settings)) {
    const [section = "", key = ""] = name.split(".");
    sections.set(section, [...(sections.get(section) ?? []), `\t${key} = ${value}`]);
  }
  return [...sections].map(([section, lines]) => `[${section}]\n${lines.join("\n")}\n`).join("");
}

async function isRepository(gitDir: string): Promise<boolean> {
  try {
    await access(path.join(gitDir, "HEAD"));
    await access(path.join(gitDir, "objects"));
    return true;
  } catch {
    return false;
  }
}
