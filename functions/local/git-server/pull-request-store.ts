import { randomUUID } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import * as z from "zod";
import { gitSha } from "../../core/contracts/primitives.js";
import { ShiplineError } from "../../core/errors/shipline-error.js";

/** A branch end of a pull request. */
export interface PullRequestBranch {
  /** Branch name, without `refs/heads/`. */
  readonly ref: string;
  /** Its commit: the branch's head while the pull request is open, the last one seen once closed. */
  readonly sha: string;
}

/** A pull request of a local repository. */
export interface LocalPullRequest {
  /** 1, 2, ... per repository. */
  readonly number: number;
  readonly title: string;
  readonly body: string | null;
  readonly state: "open" | "closed";
  readonly head: PullRequestBranch;
  readonly base: PullRequestBranch;
  /** Login of who opened it. */
  readonly user: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly closedAt: Date | null;
  /** Set once merged (a merged pull request is closed). */
  readonly mergedAt: Date | null;
  readonly mergeCommitSha: string | null;
  /** Login of who merged it. */
  readonly mergedBy: string | null;
}

/** The pull requests of one repository, as stored. */
export interface PullRequestLedger {
  /** Number the next pull request gets. */
  readonly nextNumber: number;
  /** In number order. */
  readonly pullRequests: readonly LocalPullRequest[];
}

/** Name of the file, inside the bare repository, that holds its pull requests. */
export const PULL_REQUESTS_FILE = "shipline-pull-requests.json";

const date = z.iso.datetime().transform((value) => new Date(value));
const branch = z.object({ ref: z.string().min(1), sha: gitSha });
const storedPullRequest = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  body: z.string().nullable(),
  state: z.enum(["open", "closed"]),
  head: branch,
  base: branch,
  user: z.string(),
  createdAt: date,
  updatedAt: date,
  closedAt: date.nullable(),
  mergedAt: date.nullable(),
  mergeCommitSha: gitSha.nullable(),
  mergedBy: z.string().nullable(),
});
const storedLedger = z.object({
  version: z.literal(1),
  nextNumber: z.number().int().positive(),
  pullRequests: z.array(storedPullRequest),
});

const EMPTY: PullRequestLedger = { nextNumber: 1, pullRequests: [] };

/**
 * The pull requests of the local repositories, one JSON file inside each bare repository
 * ({@link PULL_REQUESTS_FILE}), replaced atomically (written beside, then renamed) so a crash or a
 * restart never leaves half a file. Changes to one repository run one at a time, so two requests
 * racing to open a pull request see each other.
 *
 * @example
 * ```ts
 * const store = new PullRequestStore();
 * const opened = await store.change(gitDir, async (ledger) => ({ next: withOneMore(ledger), result: 1 }));
 * ```
 */
export class PullRequestStore {
  private readonly queues = new Map<string, Promise<unknown>>();

  /** The stored pull requests of a repository (none when it has no file yet). */
  async read(gitDir: string): Promise<PullRequestLedger> {
    const file = path.join(gitDir, PULL_REQUESTS_FILE);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if (error instanceof Error && "code" in error && error.code === "ENOENT") return EMPTY;
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw unreadable(gitDir, cause);
    }
    const parsed = storedLedger.safeParse(json);
    if (!parsed.success) throw unreadable(gitDir, parsed.error);
    return { nextNumber: parsed.data.nextNumber, pullRequests: parsed.data.pullRequests };
  }

  /**
   * Runs `work` on the repository's ledger while no other change of that repository runs, and
   * stores `next` when it gives one. Resolves with `result`.
   */
  change<T>(
    gitDir: string,
    work: (ledger: PullRequestLedger) => Promise<{ readonly next?: PullRequestLedger; readonly result: T }>,
  ): Promise<T> {
    const previous = this.queues.get(gitDir) ?? Promise.resolve();
    const run = previous.then(async () => {
      const { next, result } = await work(await this.read(gitDir));
      if (next !== undefined) await write(gitDir, next);
      return result;
    });
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(gitDir, settled);
    void settled.then(() => {
      if (this.queues.get(gitDir) === settled) this.queues.delete(gitDir);
    });
    return run;
  }
}

async function write(gitDir: string, ledger: PullRequestLedger): Promise<void> {
  const file = path.join(gitDir, PULL_REQUESTS_FILE);
  const temporary = `${file}.${randomUUID()}.tmp`;
  const stored = {
    version: 1,
    nextNumber: ledger.nextNumber,
    pullRequests: ledger.pullRequests.map((pr) => ({
      ...pr,
      createdAt: pr.createdAt.toISOString(),
      updatedAt: pr.updatedAt.toISOString(),
      closedAt: pr.closedAt?.toISOString() ?? null,
      mergedAt: pr.mergedAt?.toISOString() ?? null,
    })),
  };
  try {
    await writeFile(temporary, `${JSON.stringify(stored, null, 2)}\n`, { flag: "wx" });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

function unreadable(gitDir: string, cause: unknown): ShiplineError {
  return new ShiplineError({
    code: "PULL_REQUEST_STORE_INVALID",
    message: `the pull requests of repository '${path.basename(gitDir)}' (${PULL_REQUESTS_FILE} in the bare repository) cannot be read; fix or remove that file`,
    data: { file: PULL_REQUESTS_FILE },
    cause,
  });
}
