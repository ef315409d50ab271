import * as z from "zod";
import type { ShiplineConfig } from "../config/shipline-config.js";
import { DetailType } from "../contracts/detail-type.js";
import { type BuildStarted, buildStartedDetail } from "../contracts/events/build-started.js";
import type { CommitPushed } from "../contracts/events/commit-pushed.js";
import { isoTime } from "../contracts/primitives.js";
import { isRetryable, ShiplineError } from "../errors/shipline-error.js";
import type { BuildRunner } from "../ports/build-runner.js";
import type { ChangedPathsSource } from "../ports/changed-paths-source.js";
import type { Clock } from "../ports/clock.js";
import type { DocumentStore, StoreKey } from "../ports/document-store.js";
import type { EventPublisher } from "../ports/event-publisher.js";
import { completeTag } from "./build-tag.js";
import type { ChangedPaths } from "./changed-paths.js";
import { IDEMPOTENCY_TABLE } from "./idempotency-table.js";
import { type BuildPlan, planBuild } from "./plan-build.js";
import { resolveChangedPaths } from "./resolve-changed-paths.js";
import { type SkippedApp, selectApps } from "./select-apps.js";

/** How long a build start is remembered: longer than any redelivery or retry of its event. */
export const BUILD_RECORD_TTL_SECONDS = 7 * 24 * 60 * 60;

const buildRecord = z.object({
  detail: buildStartedDetail,
  startedAt: isoTime,
  publishedAt: isoTime.optional(),
});

type BuildRecord = z.infer<typeof buildRecord>;

/** What became of one selected app. */
export type BuildStartOutcome =
  /** This call started the build (or completed a start an earlier attempt had made) and published it. */
  | {
      readonly outcome: "started";
      readonly app: string;
      readonly reason: string;
      readonly detail: BuildStarted;
    }
  /** An earlier delivery of the same push already started and announced this build. */
  | { readonly outcome: "already-started"; readonly app: string; readonly buildId: string };

/** What {@link startBuilds} did with a push. */
export interface StartBuildsResult {
  readonly builds: readonly BuildStartOutcome[];
  /** The apps the push does not build, with the reason (for the log). */
  readonly skipped: readonly SkippedApp[];
  /** The paths the push changed, as listed by it or read from the repository, or why they are unknown. */
  readonly changed: ChangedPaths;
}

/** Options of {@link startBuilds}. */
export interface StartBuildsOptions {
  readonly config: Pick<ShiplineConfig, "apps">;
  readonly push: CommitPushed;
  readonly runner: BuildRunner;
  readonly store: DocumentStore;
  readonly publisher: EventPublisher;
  readonly clock: Clock;
  /** The build project of an app, or undefined when it has none. */
  readonly projectNameOf: (app: string) => string | undefined;
  /** The registry host of Shipline-managed repositories (see `planBuild`). */
  readonly imageRegistry?: string;
  /**
   * Reads the paths a push changed from its repository when the push lists none (see
   * `resolveChangedPaths`). @default - none: such a push counts every path as changed
   */
  readonly changedPaths?: ChangedPathsSource;
}

/**
 * Starts a build of every app a push touches (see `selectApps`; a push that lists no changed paths
 * has them read from its repository first, see `resolveChangedPaths`) and publishes `Build Started`
 * for each, saying why the push builds the app. A duplicated `Commit Pushed` starts no second build: within five minutes CodeBuild's
 * idempotency token returns the same build, and beyond that the start is remembered in
 * {@link IDEMPOTENCY_TABLE} under the correlation id and app. When an earlier attempt started a build
 * but failed before announcing it, the recorded build is announced now.
 *
 * One app's failure does not stop the others: every selected app is tried, then the errors are
 * thrown, the one error as it is or several as one `BUILD_START_FAILED`, retryable if any of them is
 * (the retried event skips the builds already started).
 *
 * @example
 * ```ts
 * const { builds, skipped } = await startBuilds({ config, push, runner, store, publisher, clock, projectNameOf, imageRegistry, changedPaths });
 * if (builds.length === 0) logger.info("push builds nothing", { skipped });
 * ```
 */
export async function startBuilds(options: StartBuildsOptions): Promise<StartBuildsResult> {
  const changed = await resolveChangedPaths({
    push: options.push,
    config: options.config,
    ...(options.changedPaths === undefined ? {} : { source: options.changedPaths }),
  });
  const { selected, skipped } = selectApps({ config: options.config, push: options.push, changed });
  const builds: BuildStartOutcome[] = [];
  const failures: { readonly app: string; readonly error: unknown }[] = [];
  for (const { app, reason } of selected) {
    try {
      builds.push(
        await startOne(options, planBuild({ app, push: options.push, ...registry(options) }), reason),
      );
    } catch (error) {
      failures.push({ app: app.name, error });
    }
  }
  const [first, ...more] = failures;
  if (first !== undefined && more.length === 0) throw first.error;
  if (first !== undefined) {
    const retryable = failures.some(({ error }) => isRetryable(error));
    throw new ShiplineError({
      code: "BUILD_START_FAILED",
      message: `${failures.length} builds could not be started: ${failures
        .map(({ app, error }) => `${app}: ${error instanceof Error ? error.message : String(error)}`)
        .join("; ")}`,
      data: {
        apps: failures.map(({ app, error }) => ({
          app,
          code: error instanceof ShiplineError ? error.code : "UNEXPECTED",
        })),
        started: builds.map((build) => build.app),
      },
      retryable,
      cause: first.error,
    });
  }
  return { builds, skipped, changed };
}

function registry(options: StartBuildsOptions): { imageRegistry?: string } {
  return options.imageRegistry === undefined ? {} : { imageRegistry: options.imageRegistry };
}

async function startOne(
  options: StartBuildsOptions,
  plan: BuildPlan,
  reason: string,
): Promise<BuildStartOutcome> {
  const { store, runner, clock, push } = options;
  const earlier = await readRecord(store, plan.recordKey);
  if (earlier?.publishedAt !== undefined) {
    return { outcome: "already-started", app: plan.app, buildId: earlier.detail.buildId };
  }
  if (earlier !== undefined) return announce(options, plan, earlier, reason);
  const projectName = options.projectNameOf(plan.app);
  if (projectName === undefined) {
    throw new ShiplineError({
      code: "CONFIG_INVALID",
      message: `app '${plan.app}' has no build project; deploy the stack again after adding the app to shipline.config.yaml, so that its project is created`,
      data: { app: plan.app },
      retryable: false,
    });
  }
  const started = await runner.startBuild({
    projectName,
    sourceVersion: plan.sourceVersion,
    ...(plan.sourceFetchedByBuild ? { sourceFetchedByBuild: true } : {}),
    environment: definedOnly(plan.environment),
    idempotencyToken: plan.idempotencyToken,
  });
  const detail = buildStartedDetail.parse({
    app: plan.app,
    commit: push.commit,
    correlationId: push.correlationId,
    buildId: started.buildId,
    projectName,
    imageRepository: plan.imageRepositoryUri,
    ...tagFields(plan, started.buildNumber),
    ...(started.logsUrl === undefined ? {} : { logsUrl: started.logsUrl }),
    deliveryId: push.deliveryId,
    selectedBecause: reason,
  });
  const record: BuildRecord = { detail, startedAt: clock.now().toISOString() };
  const created = await store.put(IDEMPOTENCY_TABLE, plan.recordKey, record, {
    ifAbsent: true,
    expiresAt: expiry(clock),
  });
  const standing = created ? record : ((await readRecord(store, plan.recordKey)) ?? record);
  if (standing.publishedAt !== undefined) {
    return { outcome: "already-started", app: plan.app, buildId: standing.detail.buildId };
  }
  return announce(options, plan, standing, reason);
}

async function announce(
  options: StartBuildsOptions,
  plan: BuildPlan,
  record: BuildRecord,
  reason: string,
): Promise<BuildStartOutcome> {
  const { publisher, store, clock } = options;
  await publisher.publish([{ detailType: DetailType.BuildStarted, detail: record.detail }]);
  const published: BuildRecord = { ...record, publishedAt: clock.now().toISOString() };
  await store.put(IDEMPOTENCY_TABLE, plan.recordKey, published, { expiresAt: expiry(clock) });
  return { outcome: "started", app: plan.app, reason, detail: record.detail };
}

function tagFields(plan: BuildPlan, buildNumber: number | undefined): Partial<BuildStarted> {
  const { tag } = plan;
  if (tag.kind === "rendered") return { imageTag: tag.tag };
  if (!tag.pending.includes("version") && buildNumber !== undefined) {
    return { imageTag: completeTag({ template: tag.template, build: buildNumber }) };
  }
  return { imageTagTemplate: tag.template };
}

async function readRecord(store: DocumentStore, key: StoreKey): Promise<BuildRecord | undefined> {
  const parsed = buildRecord.safeParse(await store.get(IDEMPOTENCY_TABLE, key));
  return parsed.success ? parsed.data : undefined;
}

function expiry(clock: Clock): Date {
  return new Date(clock.now().getTime() + BUILD_RECORD_TTL_SECONDS * 1000);
}

function definedOnly(environment: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(environment)) if (value !== undefined) result[name] = value;
  return result;
}
