import picomatch from "picomatch";
import type { AppConfig } from "../config/app.js";
import { isManagedBuild } from "../config/build.js";
import { parseRepoRef } from "../config/repo-ref.js";
import type { ShiplineConfig } from "../config/shipline-config.js";
import type { CommitPushed } from "../contracts/events/commit-pushed.js";
import { type ChangedPaths, changedPathsOf } from "./changed-paths.js";
import { repositoryKeysOf } from "./repository-keys.js";

/** An app a push builds, and why. */
export interface AppSelection {
  readonly app: AppConfig;
  /** Why the push builds it, for the log. */
  readonly reason: string;
}

/** An app a push does not build, and why. */
export interface SkippedApp {
  /** The app's name. */
  readonly app: string;
  /** Why the push does not build it, for the log. */
  readonly reason: string;
}

/** What {@link selectApps} decided for every app of the configuration. */
export interface AppsSelection {
  readonly selected: readonly AppSelection[];
  readonly skipped: readonly SkippedApp[];
}

/** Options of {@link selectApps}. */
export interface SelectAppsOptions {
  /** The configuration whose apps are considered. */
  readonly config: Pick<ShiplineConfig, "apps">;
  /** The push. */
  readonly push: CommitPushed;
  /**
   * The paths the push changed, when they were read from the repository (see `resolveChangedPaths`).
   * @default - what the push lists (`changedPathsOf`)
   */
  readonly changed?: ChangedPaths;
}

const GLOB_OPTIONS = { dot: true } as const;
const EXAMPLES = 3;

/**
 * Picks the apps a push builds. An app with `build: external` never is: its own CI builds its
 * images, which enter the chain when announced. Any other app is built when all of these hold:
 * - the pushed repository is the app's `source.repo` (compared by canonical key; `local:<name>`
 *   matches the local git server's repository of that name);
 * - the push is to a branch matching `source.branch` (a glob: `main`, `release/*`). Tag pushes build
 *   nothing: a tag names a commit its branch push already built, and images are keyed by commit;
 * - a changed path matches `source.paths` and not `source.ignorePaths` (globs, dotfiles included), so
 *   that in a monorepo each app builds only for its own directories. When neither the push nor the
 *   repository (`changed`) tells its paths, every path counts as changed.
 * Every other app is listed in `skipped` with the reason, so a push that builds nothing says why.
 *
 * @example
 * ```ts
 * const { selected, skipped } = selectApps({ config, push });
 * for (const { app, reason } of selected) logger.info("building", { app: app.name, reason });
 * ```
 */
export function selectApps(options: SelectAppsOptions): AppsSelection {
  const { config, push } = options;
  const keys = repositoryKeysOf(push);
  const changed = options.changed ?? changedPathsOf(push);
  const selected: AppSelection[] = [];
  const skipped: SkippedApp[] = [];
  for (const app of config.apps) {
    const decision = decide(app, push, keys, changed);
    if (decision.build) selected.push({ app, reason: decision.reason });
    else skipped.push({ app: app.name, reason: decision.reason });
  }
  return { selected, skipped };
}

type Decision = { readonly build: boolean; readonly reason: string };

function decide(
  app: AppConfig,
  push: CommitPushed,
  keys: readonly string[],
  changed: ChangedPaths,
): Decision {
  const { source } = app;
  if (!isManagedBuild(app.build)) {
    return {
      build: false,
      reason:
        "build is external: the app's own CI builds and pushes its images, which enter the chain when they are announced",
    };
  }
  const repo = parseRepoRef(source.repo);
  if ("problem" in repo) {
    return { build: false, reason: `source.repo ${repo.problem}; ${repo.fix}` };
  }
  if (!keys.includes(repo.key)) {
    return {
      build: false,
      reason: `the push is to ${push.repository.url}, not to the app's repository ${source.repo}`,
    };
  }
  if (push.refType === "tag") {
    return {
      build: false,
      reason: `tag '${push.refName}' was pushed; tags build nothing, since the commit was built when its branch was pushed`,
    };
  }
  if (!picomatch.isMatch(push.refName, source.branch, GLOB_OPTIONS)) {
    return {
      build: false,
      reason: `branch '${push.refName}' does not match source.branch '${source.branch}'`,
    };
  }
  const branch = `branch '${push.refName}' matches '${source.branch}'`;
  if (!changed.known) {
    return { build: true, reason: `${branch}; ${changed.why}, so every path counts as changed` };
  }
  const included = picomatch(source.paths, GLOB_OPTIONS);
  const excluded = source.ignorePaths.length > 0 ? picomatch(source.ignorePaths, GLOB_OPTIONS) : () => false;
  const touched = changed.paths.filter((path) => included(path) && !excluded(path));
  const read = changed.origin === "repository" ? " read from the repository" : "";
  if (touched.length === 0) {
    return {
      build: false,
      reason:
        `none of the ${changed.paths.length} changed path(s)${read} (${examples(changed.paths)}) matches source.paths ` +
        `${JSON.stringify(source.paths)}${source.ignorePaths.length > 0 ? ` outside source.ignorePaths ${JSON.stringify(source.ignorePaths)}` : ""}`,
    };
  }
  return {
    build: true,
    reason: `${branch}; ${touched.length} changed path(s)${read} match source.paths (${examples(touched)})`,
  };
}

function examples(paths: readonly string[]): string {
  if (paths.length === 0) return "none";
  const shown = paths.slice(0, EXAMPLES).join(", ");
  return paths.length > EXAMPLES ? `${shown}, ...` : shown;
}
