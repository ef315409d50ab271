import type { AppConfig } from "../config/app.js";
import type { ShiplineConfig } from "../config/shipline-config.js";
import type { CommitPushed } from "../contracts/events/commit-pushed.js";
import { ShiplineError } from "../errors/shipline-error.js";
import type { ConfigCommitInfo, ConfigRepository } from "../ports/config-repository.js";
import { type IntentTrailerBlock, intentTrailerBlocks, TRAILER_KEYS } from "./commit-message.js";
import { notConfigBranch } from "./config-branch-push.js";
import { readTargetImage, sameTargetImage, type TargetImage } from "./read-target-image.js";
import { knownImage } from "./standing-image.js";
import type { WriteIntent } from "./write-intent.js";

/** An image a deploy target held, with what Shipline's own commits say of it, where they do. */
export interface ChangedImage extends TargetImage {
  /** The source commit Shipline built it from (its `Source-Commit` trailer). */
  readonly sourceCommit?: string;
  readonly correlationId?: string;
}

/** A commit by someone other than Shipline that changed a deploy target's value (DESIGN §7). */
export interface PersonChange {
  readonly app: string;
  readonly environment: string;
  readonly file: string;
  /** The config commit that made the change. */
  readonly configCommit: string;
  readonly author: string;
  /** The commit's subject: the hold's reason. */
  readonly subject: string;
  /** `revert` for a `git revert` (of a Shipline commit or any other), else `update` (a pin, an edit). */
  readonly kind: "update" | "revert";
  /** What the target held before the commit, and what it holds after it. */
  readonly from?: ChangedImage;
  readonly to?: ChangedImage;
}

/** Options of {@link findPersonChanges}. */
export interface FindPersonChangesOptions {
  readonly push: CommitPushed;
  readonly config: Pick<ShiplineConfig, "configRepo" | "apps">;
  /** The config repository (read only). */
  readonly repo: ConfigRepository;
  /** How many commits of the push (and of history before it) are read. @default 200 */
  readonly historyLimit?: number;
}

/** The outcome of {@link findPersonChanges}. */
export interface PersonChangesResult {
  /** The last change per (app, environment) in the push, in push order. */
  readonly changes: readonly PersonChange[];
  /** Set when the push is not to the config repository's branch. */
  readonly ignored?: string;
}

/**
 * Reads every commit of a push to the config branch and finds those a person made (a commit
 * without Shipline's trailer block) that changed the value of a configured deploy target: a
 * `git revert` of a Shipline commit, a pin of an older tag, any edit. Each change says who made it,
 * with which commit and subject, and the image before and after, enriched from Shipline's earlier
 * commits (source commit, digest) where they name it. A merge commit is not a person's change when
 * a Shipline commit of the same push wrote the value it brings (a merged Shipline pull request).
 *
 * @example
 * ```ts
 * const { changes } = await findPersonChanges({ push, config, repo });
 * changes[0]; // { app: "demo", environment: "staging", author: "Alice", kind: "revert", from: { tag: "1.1.0-…" }, to: { tag: "1.0.0-…" }, … }
 * ```
 */
export async function findPersonChanges(options: FindPersonChangesOptions): Promise<PersonChangesResult> {
  const { push, config, repo } = options;
  const ignored = notConfigBranch(push, config);
  if (ignored !== undefined) return { changes: [], ignored };
  await repo.sync();
  const limit = options.historyLimit ?? 200;
  const history = await repo.recentCommits({ from: push.after, limit });
  const pushed = await pushedCommits(push, repo, history);
  const blocks = history.flatMap((commit) => intentTrailerBlocks(commit.message));
  const pushedBlocks = pushed.flatMap((commit) => intentTrailerBlocks(commit.message));
  const last = new Map<string, PersonChange>();
  for (const commit of pushed) {
    if (intentTrailerBlocks(commit.message).length > 0) continue;
    for (const change of await changesOf({ repo, commit, apps: config.apps, blocks, pushedBlocks })) {
      last.set(`${change.app}#${change.environment}`, change);
    }
  }
  return { changes: [...last.values()] };
}

async function changesOf(options: {
  readonly repo: ConfigRepository;
  readonly commit: ConfigCommitInfo;
  readonly apps: readonly AppConfig[];
  readonly blocks: readonly IntentTrailerBlock[];
  readonly pushedBlocks: readonly IntentTrailerBlock[];
}): Promise<PersonChange[]> {
  const { repo, commit } = options;
  const parent = commit.parents[0];
  if (parent === undefined) return [];
  const texts = new Map<string, { before?: string; after?: string }>();
  // A merge brings the commits of its other parents (a merged Shipline pull request's commit).
  let merged: IntentTrailerBlock[] | undefined;
  const mergedBlocks = async (): Promise<IntentTrailerBlock[]> => {
    merged ??= [
      ...options.pushedBlocks,
      ...(await Promise.all(commit.parents.slice(1).map((oid) => repo.readCommit(oid)))).flatMap((other) =>
        intentTrailerBlocks(other.message),
      ),
    ];
    return merged;
  };
  const changes: PersonChange[] = [];
  for (const app of options.apps) {
    for (const [environment, target] of Object.entries(app.deploy)) {
      let text = texts.get(target.file);
      if (text === undefined) {
        const before = await repo.readFile({ path: target.file, commit: parent });
        const after = await repo.readFile({ path: target.file, commit: commit.oid });
        text = { ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) };
        texts.set(target.file, text);
      }
      if (text.before === text.after) continue;
      const from = readOrUndefined(target, app.name, text.before);
      const to = readOrUndefined(target, app.name, text.after);
      if (sameTargetImage(from, to)) continue;
      if (commit.parents.length > 1 && broughtByShipline(await mergedBlocks(), app.name, environment, to))
        continue;
      changes.push({
        app: app.name,
        environment,
        file: target.file,
        configCommit: commit.oid,
        author: commit.author?.name || commit.author?.email || "unknown",
        subject: subjectOf(commit.message),
        kind: isRevert(commit.message) ? "revert" : "update",
        ...(from === undefined ? {} : { from: enrich(options.blocks, app.name, from) }),
        ...(to === undefined ? {} : { to: enrich(options.blocks, app.name, to) }),
      });
    }
  }
  return changes;
}

function readOrUndefined(
  target: WriteIntent["target"],
  app: string,
  text: string | undefined,
): TargetImage | undefined {
  if (text === undefined) return undefined;
  try {
    return readTargetImage({ target, app, text });
  } catch (error) {
    // A file a person broke (or that lacks the target's path) holds no image Shipline can name.
    if (error instanceof ShiplineError && !error.retryable) return undefined;
    throw error;
  }
}

function broughtByShipline(
  blocks: readonly IntentTrailerBlock[],
  app: string,
  environment: string,
  image: TargetImage | undefined,
): boolean {
  return blocks.some(
    (block) =>
      block.get(TRAILER_KEYS.app) === app &&
      block.get(TRAILER_KEYS.environment) === environment &&
      image !== undefined &&
      (image.digest !== undefined
        ? block.get(TRAILER_KEYS.imageDigest) === image.digest
        : image.tag !== undefined && block.get(TRAILER_KEYS.imageTag) === image.tag),
  );
}

function enrich(blocks: readonly IntentTrailerBlock[], app: string, image: TargetImage): ChangedImage {
  const known = knownImage(blocks, app, image.tag, image.digest);
  return {
    ...image,
    ...(known?.digest === undefined || image.digest !== undefined ? {} : { digest: known.digest }),
    ...(known?.sourceCommit === undefined ? {} : { sourceCommit: known.sourceCommit }),
    ...(known?.correlationId === undefined ? {} : { correlationId: known.correlationId }),
  };
}

function subjectOf(message: string): string {
  return (message.split("\n")[0] ?? "").trim() || "(no subject)";
}

function isRevert(message: string): boolean {
  return /^Revert "/.test(message) || /^This reverts commit [0-9a-f]{7,64}/m.test(message);
}

/**
 * The commits the push brought, oldest first: those the host listed (merges and their other side
 * included, a force push's new commits only), else the first-parent chain down to `before`. When
 * neither tells (a new branch, a history rewritten past the window), only the new head is read:
 * commits handled before are never taken for new ones.
 */
async function pushedCommits(
  push: CommitPushed,
  repo: ConfigRepository,
  history: readonly ConfigCommitInfo[],
): Promise<ConfigCommitInfo[]> {
  if (push.commits.length > 0) {
    const listed: ConfigCommitInfo[] = [];
    for (const commit of push.commits) {
      const known = history.find((candidate) => candidate.oid === commit.id);
      listed.push(known ?? (await repo.readCommit(commit.id)));
    }
    return listed;
  }
  const stop = history.findIndex((commit) => commit.oid === push.before);
  if (stop !== -1) return history.slice(0, stop).reverse();
  return history.slice(0, 1);
}
