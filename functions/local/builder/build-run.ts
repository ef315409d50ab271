import type { ChildProcess } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { completeTag } from "../../core/build/build-tag.js";
import { BuildVariable } from "../../core/build/build-variable.js";
import type { ChartConfig } from "../../core/config/app.js";
import type { ManagedBuildConfig } from "../../core/config/build.js";
import type { CodeBuildBuildStateChangeEvent } from "../../core/contracts/aws/codebuild-build-state-change.js";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import { CORRELATION_LABEL, REVISION_LABEL } from "../../core/images/image-labels.js";
import type { StartBuildInput } from "../../core/ports/build-runner.js";
import type { Clock } from "../../core/ports/clock.js";
import {
  type BuildImageOptions,
  buildImage,
  type ImageBuilderMode,
  type PreparedImage,
} from "./build-image.js";
import type { BuildLog } from "./build-log.js";
import type { BuildPhaseType, PhaseRecord } from "./build-phases.js";
import { buildStateEvent } from "./build-state-event.js";
import { readBuildVersion } from "./build-version.js";
import { type PreparedChart, prepareChart } from "./chart/prepare-chart.js";
import { cloneSource } from "./clone-source.js";
import { runCommand } from "./run-command.js";

/** Everything one build needs, prepared by the builder when the build is started. */
export interface BuildRun {
  readonly input: StartBuildInput;
  readonly buildId: string;
  readonly buildArn: string;
  readonly buildNumber: number;
  /** The build's own directory (checkout, home); removed in FINALIZING. */
  readonly workDir: string;
  readonly log: BuildLog;
  readonly logsUrl: string;
  /** The repository URL to check out (no credentials). */
  readonly sourceUrl: string;
  /** A short-lived token to read it, when the git server needs one. */
  readonly sourceToken?: () => Promise<string>;
  readonly build: ManagedBuildConfig;
  /** The app's chart, packaged with the image's tag and pushed before the image. */
  readonly chart?: ChartConfig;
  readonly clock: Clock;
  readonly account: string;
  readonly region: string;
  readonly newId: () => string;
  /** The host's PATH, for commands and git. */
  readonly path: string;
  readonly imageMode: ImageBuilderMode;
  readonly buildahUsable: () => Promise<boolean>;
  readonly track: (child: ChildProcess) => () => void;
  /** Receives each CodeBuild-shaped state change. */
  readonly emit: (event: CodeBuildBuildStateChangeEvent) => Promise<void>;
}

/** How a build ended. */
export interface BuildResult {
  readonly status: "SUCCEEDED" | "FAILED";
  /** The pushed image, when the build got that far. */
  readonly image?: { readonly uri: string; readonly tag: string; readonly digest: string };
}

/**
 * Runs one build through CodeBuild's phases with Shipline's build contract: DOWNLOAD_SOURCE checks
 * out the commit, INSTALL and PRE_BUILD run the install and test commands (tests must pass before
 * any image is built), BUILD runs the build commands then builds the image (labelled with the
 * revision), POST_BUILD pushes it. An app with a chart has it packaged in BUILD with the image's tag
 * as its version and pushed in POST_BUILD before the image (see `prepareChart`), the chart exported
 * as `SHIPLINE_CHART_*` variables. The first failure skips to FINALIZING (fail fast), its reason in
 * the phase's context. `IN_PROGRESS` is emitted once submitted, `SUCCEEDED` or `FAILED` at the end.
 *
 * @example
 * ```ts
 * const result = await runBuild(run);
 * ```
 */
export async function runBuild(run: BuildRun): Promise<BuildResult> {
  const { log, clock, input } = run;
  const startTime = clock.now();
  const phases: PhaseRecord[] = [];
  const sourceDir = path.join(run.workDir, "src");
  const env: Record<string, string> = {
    PATH: run.path,
    HOME: path.join(run.workDir, "home"),
    LANG: "C.UTF-8",
    CI: "true",
    CODEBUILD_BUILD_ID: run.buildId,
    CODEBUILD_BUILD_ARN: run.buildArn,
    CODEBUILD_BUILD_NUMBER: String(run.buildNumber),
    CODEBUILD_BUILD_IMAGE: "shipline/local-builder",
    CODEBUILD_INITIATOR: "shipline-local",
    CODEBUILD_LOG_PATH: run.buildId.slice(run.buildId.indexOf(":") + 1),
    CODEBUILD_SOURCE_REPO_URL: run.sourceUrl,
    CODEBUILD_SOURCE_VERSION: input.sourceVersion,
    CODEBUILD_SRC_DIR: sourceDir,
    CODEBUILD_START_TIME: String(startTime.getTime()),
    CODEBUILD_BUILD_SUCCEEDING: "1",
    ...input.environment,
  };
  const emit = async (
    status: "IN_PROGRESS" | "SUCCEEDED" | "FAILED",
    exported: Record<string, string> = {},
  ) => {
    const event = buildStateEvent({
      id: run.newId(),
      time: clock.now(),
      account: run.account,
      region: run.region,
      projectName: input.projectName,
      buildArn: run.buildArn,
      status,
      buildNumber: run.buildNumber,
      startTime,
      sourceLocation: run.sourceUrl,
      sourceVersion: input.sourceVersion,
      environment: input.environment,
      logs: { streamName: env.CODEBUILD_LOG_PATH ?? run.buildId, deepLink: run.logsUrl },
      phases,
      exported,
    });
    try {
      await run.emit(event);
    } catch (error) {
      log.line(
        `Could not deliver the ${status} state change: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };
  let failed = false;
  const phase = async (type: BuildPhaseType, work: () => Promise<void>) => {
    if (failed && type !== "FINALIZING") return;
    const record: PhaseRecord = { type, start: clock.now(), context: [] };
    phases.push(record);
    log.line(`Entering phase ${type}`);
    try {
      await work();
      record.status = "SUCCEEDED";
    } catch (error) {
      const code = error instanceof ShiplineError ? error.code : "CLIENT_ERROR";
      const message = error instanceof Error ? error.message : String(error);
      record.status = "FAILED";
      record.context = [`${code}: ${message}`];
      env.CODEBUILD_BUILD_SUCCEEDING = "0";
      failed = true;
      log.line(`Phase context status code: ${code} Message: ${message}`);
    }
    record.end = clock.now();
    log.line(`Phase complete: ${type} State: ${record.status}`);
  };
  const commands = async (list: readonly string[]) => {
    for (const command of list) {
      log.line(`Running command ${command}`);
      const result = await runCommand({
        command,
        cwd: sourceDir,
        env,
        output: (chunk) => log.output(chunk),
        track: run.track,
      });
      if (result.exitCode !== 0) {
        throw new ShiplineError({
          code: "COMMAND_EXECUTION_ERROR",
          message: `Error while executing command: ${command}. Reason: exit status ${result.exitCode}${result.reason ? ` (${result.reason})` : ""}`,
          data: { command, exitCode: result.exitCode },
        });
      }
    }
  };

  await phase("SUBMITTED", async () => undefined);
  await emit("IN_PROGRESS");
  await phase("PROVISIONING", async () => {
    await mkdir(sourceDir, { recursive: true });
    await mkdir(env.HOME ?? run.workDir, { recursive: true });
    await writeFile(
      path.join(run.workDir, "gitconfig"),
      "[user]\n\tname = Shipline builder\n\temail = builder@shipline.invalid\n",
    );
  });
  let resolved = input.sourceVersion;
  await phase("DOWNLOAD_SOURCE", async () => {
    const token = run.sourceToken ? await run.sourceToken() : undefined;
    resolved = await cloneSource({
      url: run.sourceUrl,
      commit: input.sourceVersion,
      directory: sourceDir,
      env: {
        PATH: run.path,
        HOME: env.HOME ?? run.workDir,
        GIT_CONFIG_GLOBAL: path.join(run.workDir, "gitconfig"),
        GIT_CONFIG_NOSYSTEM: "1",
        GIT_TERMINAL_PROMPT: "0",
        LC_ALL: "C",
      },
      ...(token === undefined ? {} : { token }),
      log,
      track: run.track,
    });
    env.CODEBUILD_RESOLVED_SOURCE_VERSION = resolved;
  });
  await phase("INSTALL", () => commands(run.build.commands.install));
  await phase("PRE_BUILD", () => commands(run.build.commands.test));
  let prepared: { image: PreparedImage; tag: string } | undefined;
  let chart: PreparedChart | undefined;
  let exported: Record<string, string> = {};
  await phase("BUILD", async () => {
    await commands(run.build.commands.build);
    const tag = await imageTag(env, sourceDir, run.buildNumber);
    const correlationId = input.environment[BuildVariable.CorrelationId];
    const options: BuildImageOptions = {
      sourceDir,
      dockerfile: run.build.dockerfile,
      context: run.build.context,
      repositoryUri: requireVariable(env, BuildVariable.ImageRepositoryUri),
      tag,
      labels: {
        [REVISION_LABEL]: resolved,
        ...(correlationId ? { [CORRELATION_LABEL]: correlationId } : {}),
      },
      log,
      env,
      mode: run.imageMode,
      buildahUsable: run.buildahUsable,
      track: run.track,
    };
    prepared = { image: await buildImage(options), tag };
    if (run.chart) {
      chart = await prepareChart({
        sourceDir,
        chart: run.chart,
        imageRepositoryUri: options.repositoryUri,
        version: tag,
        log,
      });
    }
  });
  let image: BuildResult["image"];
  await phase("POST_BUILD", async () => {
    if (!prepared) return;
    // The chart first: once the image is announced, a deploy target may already ask for its chart.
    if (chart) exported = await chart.push();
    const digest = await prepared.image.push();
    image = { uri: requireVariable(env, BuildVariable.ImageRepositoryUri), tag: prepared.tag, digest };
    log.line(`Pushed ${image.uri}:${image.tag}@${digest}`);
  });
  await phase("UPLOAD_ARTIFACTS", async () => undefined);
  await phase("FINALIZING", () => rm(sourceDir, { recursive: true, force: true }));
  phases.push({ type: "COMPLETED", start: clock.now(), context: [] });
  const status = failed ? "FAILED" : "SUCCEEDED";
  log.line(`Build ${status}`);
  await emit(
    status,
    image ? { SHIPLINE_IMAGE_TAG: image.tag, SHIPLINE_IMAGE_DIGEST: image.digest, ...exported } : {},
  );
  return { status, ...(image ? { image } : {}) };
}

async function imageTag(
  env: Readonly<Record<string, string>>,
  sourceDir: string,
  buildNumber: number,
): Promise<string> {
  const tag = env[BuildVariable.ImageTag];
  if (tag) return tag;
  const template = requireVariable(env, BuildVariable.ImageTagTemplate);
  const from = env[BuildVariable.VersionFrom];
  const version = template.includes("{version}")
    ? await readBuildVersion({
        sourceDir,
        from: from ?? "package-json",
        file: env[BuildVariable.VersionPath] ?? "package.json",
      })
    : undefined;
  return completeTag({ template, ...(version === undefined ? {} : { version }), build: buildNumber });
}

function requireVariable(env: Readonly<Record<string, string>>, name: string): string {
  const value = env[name];
  if (value) return value;
  throw new ShiplineError({
    code: "BUILD_CONFIG_INVALID",
    message: `the build has no ${name}; start it with the build contract's variables (start-build sets them)`,
    data: { variable: name },
  });
}
