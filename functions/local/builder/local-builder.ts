import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import * as z from "zod";
import type { ChartConfig } from "../../core/config/app.js";
import type { ManagedBuildConfig } from "../../core/config/build.js";
import type { CodeBuildBuildStateChangeEvent } from "../../core/contracts/aws/codebuild-build-state-change.js";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import type { BuildRunner, StartBuildInput, StartedBuild } from "../../core/ports/build-runner.js";
import { type Clock, systemClock } from "../../core/ports/clock.js";
import type { ImageBuilderMode } from "./build-image.js";
import { BuildLog } from "./build-log.js";
import { type BuildResult, runBuild } from "./build-run.js";
import { killGroup, runCommand } from "./run-command.js";
import { type RunningBuild, RunningBuilds } from "./running-builds.js";

/** What the builder knows of a build project (one per app, as on CodeBuild). */
export interface LocalBuildProject {
  /** The app's repository URL on the local git server (no credentials in it). */
  readonly sourceUrl: string;
  /** The app's build contract (`build` of its config); an external build has no project. */
  readonly build: ManagedBuildConfig;
  /** The app's chart, when it has one: packaged and pushed with the image. */
  readonly chart?: ChartConfig;
  /** A short-lived read token for the repository, when the git server needs one. */
  readonly sourceToken?: () => Promise<string>;
}

/** Options of {@link LocalBuilder}. */
export interface LocalBuilderOptions {
  /** Holds `logs/<project>/<uuid>.log`, each build's workspace and the build numbers. */
  readonly dataDir: string;
  /** The project of a name, or undefined when there is none. */
  readonly projects: (projectName: string) => LocalBuildProject | undefined;
  /** Receives every `CodeBuild Build State Change` (e.g. puts it on the local bus); failures are logged, not fatal. */
  readonly onStateChange: (event: CodeBuildBuildStateChangeEvent) => void | Promise<void>;
  /** @default "auto" - buildah when usable, else the daemonless packer */
  readonly imageBuilder?: ImageBuilderMode;
  /** Tells whether buildah can run. @default - `buildah --version` succeeds, checked once */
  readonly buildahUsable?: () => Promise<boolean>;
  /** The link to a build's log in its events. @default - the log file's `file://` URL */
  readonly logsUrlOf?: (logFile: string, buildId: string) => string;
  /** The host's PATH given to build commands. @default process.env.PATH */
  readonly path?: string;
  /** @default "000000000000" */
  readonly account?: string;
  /** @default "local" */
  readonly region?: string;
  readonly clock?: Clock;
  /** @default crypto.randomUUID */
  readonly newId?: () => string;
  /**
   * Updates a resumed build's environment for this run of the runtime (its peers' addresses, such
   * as the registry's, change with every start).
   * @default - the environment as the build was started with
   */
  readonly refreshEnvironment?: (environment: Readonly<Record<string, string>>) => Record<string, string>;
}

const PROJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{1,254}$/;
const IDEMPOTENCY_MS = 5 * 60 * 1000;
const buildNumbers = z.record(z.string(), z.number().int().nonnegative());

/**
 * The local stand-in for CodeBuild, implementing the `BuildRunner` port: `startBuild` answers at once
 * with a build id `<project>:<uuid>` and the log's URL, then the build runs in the background (see
 * `runBuild`): clone from the local git server, the build contract's phases with CodeBuild's
 * variables, the image built with buildah or packed without a daemon, pushed to the local registry,
 * and CodeBuild-shaped state-change events. Build numbers count per project and survive restarts;
 * the same idempotency token within five minutes returns the same build.
 *
 * @example
 * ```ts
 * const builder = new LocalBuilder({ dataDir, projects: (name) => projectOf(name), onStateChange: (event) => bus.putServiceEnvelopes([event]) });
 * const { buildId, logsUrl } = await builder.startBuild({ projectName: "demo", sourceVersion: sha, environment, idempotencyToken });
 * await builder.idle();
 * ```
 */
export class LocalBuilder implements BuildRunner {
  readonly #options: LocalBuilderOptions;
  readonly #clock: Clock;
  readonly #started = new Map<string, { readonly build: StartedBuild; readonly at: number }>();
  readonly #running = new Set<Promise<void>>();
  readonly #results = new Map<string, BuildResult>();
  readonly #children = new Set<ChildProcess>();
  #numbers: Promise<unknown> = Promise.resolve();
  readonly #journal: RunningBuilds;
  #stopping = false;
  #buildah: Promise<boolean> | undefined;

  constructor(options: LocalBuilderOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#journal = new RunningBuilds(path.join(options.dataDir, "running-builds.json"));
  }

  async startBuild(input: StartBuildInput): Promise<StartedBuild> {
    this.#project(input.projectName);
    const now = this.#clock.now().getTime();
    const tokenKey = `${input.projectName}\n${input.idempotencyToken}`;
    const earlier = this.#started.get(tokenKey);
    if (earlier && now - earlier.at < IDEMPOTENCY_MS) return earlier.build;
    const uuid = (this.#options.newId ?? randomUUID)();
    const buildId = `${input.projectName}:${uuid}`;
    const buildNumber = await this.#nextNumber(input.projectName);
    const logDir = path.join(this.#options.dataDir, "logs", input.projectName);
    await mkdir(logDir, { recursive: true });
    const logFile = path.join(logDir, `${uuid}.log`);
    const logsUrl = (this.#options.logsUrlOf ?? ((file) => pathToFileURL(file).href))(logFile, buildId);
    const build: StartedBuild = { buildId, logsUrl, buildNumber };
    this.#started.set(tokenKey, { build, at: now });
    const record: RunningBuild = { input, uuid, buildId, buildNumber, logFile, logsUrl };
    await this.#journal.add(record);
    this.#launch(record);
    return build;
  }

  /**
   * Runs again every build a previous run of the runtime left unfinished (stopped or killed while
   * it ran), under the same build id and number, so that its journey goes on; its log says so. A
   * build that had ended while its last state change was being delivered is not run again: that
   * state change is delivered again.
   * Resolves with the ids of the builds resumed.
   */
  async resume(): Promise<string[]> {
    const unfinished = await this.#journal.list();
    for (const record of unfinished) {
      if (!PROJECT_NAME.test(record.input.projectName) || !this.#options.projects(record.input.projectName)) {
        // The app is gone from the configuration: its unfinished build is forgotten.
        await this.#journal.remove(record.buildId);
        continue;
      }
      // A start-build delivered again after the restart finds the build it started, not a new one.
      this.#started.set(`${record.input.projectName}\n${record.input.idempotencyToken}`, {
        build: { buildId: record.buildId, logsUrl: record.logsUrl, buildNumber: record.buildNumber },
        at: this.#clock.now().getTime(),
      });
      if (record.lastStateChange !== undefined) {
        // The build ended; the runtime stopped while its end was being delivered. Build status
        // publishes a build's outcome once, so delivering it again is safe; running it again is not.
        await this.#options.onStateChange(record.lastStateChange);
        await this.#journal.remove(record.buildId);
        continue;
      }
      new BuildLog(record.logFile, this.#clock).line(
        "The local runtime restarted while this build ran: it runs again.",
      );
      // The interrupted run's workspace is half made: the build starts again from a clean one.
      await rm(path.join(this.#options.dataDir, "builds", record.uuid), { recursive: true, force: true });
      const refresh = this.#options.refreshEnvironment;
      this.#launch(
        refresh === undefined
          ? record
          : { ...record, input: { ...record.input, environment: refresh(record.input.environment) } },
      );
    }
    return unfinished
      .filter((record) => this.#options.projects(record.input.projectName) !== undefined)
      .map((record) => record.buildId);
  }

  #launch(record: RunningBuild): void {
    const { input, uuid, buildId, buildNumber, logFile, logsUrl } = record;
    const project = this.#project(input.projectName);
    const log = new BuildLog(logFile, this.#clock);
    const region = this.#options.region ?? "local";
    const account = this.#options.account ?? "000000000000";
    const work = runBuild({
      input,
      buildId,
      buildArn: `arn:aws:codebuild:${region}:${account}:build/${buildId}`,
      buildNumber,
      workDir: path.join(this.#options.dataDir, "builds", uuid),
      log,
      logsUrl,
      sourceUrl: project.sourceUrl,
      ...(project.sourceToken === undefined ? {} : { sourceToken: project.sourceToken }),
      build: project.build,
      ...(project.chart === undefined ? {} : { chart: project.chart }),
      clock: this.#clock,
      account,
      region,
      newId: this.#options.newId ?? randomUUID,
      path: this.#options.path ?? process.env.PATH ?? "/usr/bin:/bin",
      imageMode: this.#options.imageBuilder ?? "auto",
      buildahUsable: () => this.#buildahUsable(),
      track: (child) => {
        this.#children.add(child);
        return () => this.#children.delete(child);
      },
      emit: async (event) => {
        // A build ended by the runtime stopping is not over: it runs again at the next start.
        if (this.#stopping) return;
        if (event.detail["build-status"] !== "IN_PROGRESS") await this.#journal.finish(buildId, event);
        await this.#options.onStateChange(event);
      },
    })
      .then((result) => {
        this.#results.set(buildId, result);
      })
      .catch((error: unknown) => {
        log.line(`The builder failed: ${error instanceof Error ? error.message : String(error)}`);
        this.#results.set(buildId, { status: "FAILED" });
      })
      .finally(() => log.close())
      .then(() => (this.#stopping ? undefined : this.#journal.remove(buildId)));
    const tracked = work.finally(() => this.#running.delete(tracked));
    this.#running.add(tracked);
  }

  /** How a finished build ended, or undefined while it runs (or for an unknown id). */
  result(buildId: string): BuildResult | undefined {
    return this.#results.get(buildId);
  }

  /** Resolves when every build started so far has finished and its last event was delivered. */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }

  /**
   * Ends the commands of running builds and waits for them to end; they stay recorded as
   * unfinished (no event says they failed), and `resume` runs them again at the next start.
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    for (const child of this.#children) killGroup(child, "SIGTERM");
    await this.idle();
  }

  #project(projectName: string): LocalBuildProject {
    const project = PROJECT_NAME.test(projectName) ? this.#options.projects(projectName) : undefined;
    if (project) return project;
    throw new ShiplineError({
      code: "BUILD_PROJECT_NOT_FOUND",
      message: `the local builder has no project '${projectName}'; every app of shipline.config.yaml has one, named after the app`,
      data: { projectName },
    });
  }

  #nextNumber(projectName: string): Promise<number> {
    const file = path.join(this.#options.dataDir, "build-numbers.json");
    const next = this.#numbers.then(async () => {
      const text = await readFile(file, "utf8").catch(() => "{}");
      const parsed = buildNumbers.safeParse(JSON.parse(text));
      const numbers = parsed.success ? parsed.data : {};
      const number = (numbers[projectName] ?? 0) + 1;
      await mkdir(this.#options.dataDir, { recursive: true });
      await writeFile(file, JSON.stringify({ ...numbers, [projectName]: number }));
      return number;
    });
    this.#numbers = next.catch(() => undefined);
    return next;
  }

  #buildahUsable(): Promise<boolean> {
    if (this.#options.buildahUsable) return this.#options.buildahUsable();
    this.#buildah ??= runCommand({
      command: "buildah",
      args: ["--version"],
      cwd: this.#options.dataDir,
      env: { PATH: this.#options.path ?? process.env.PATH ?? "/usr/bin:/bin" },
      output: () => undefined,
      timeoutMs: 10_000,
    }).then((result) => result.exitCode === 0);
    return this.#buildah;
  }
}
