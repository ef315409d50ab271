/** What {@link BuildRunner.startBuild} is asked to start. */
export interface StartBuildInput {
  /** The build project of the app (one CodeBuild project per app on AWS). */
  readonly projectName: string;
  /** The commit to check out. */
  readonly sourceVersion: string;
  /**
   * True when the project has no source of its own and its build fetches the commit itself (from
   * `SHIPLINE_COMMIT`): CodeBuild is then given no source version. @default false
   */
  readonly sourceFetchedByBuild?: boolean;
  /** Environment variables for this build only (plain text: they hold no secret). */
  readonly environment: Readonly<Record<string, string>>;
  /**
   * Makes a repeated start of the same build a no-op: a runner that sees the same token again
   * (within CodeBuild's five minutes) returns the build it already started.
   */
  readonly idempotencyToken: string;
}

/** A started build. */
export interface StartedBuild {
  /** The runner's build id (CodeBuild: `project:uuid`). */
  readonly buildId: string;
  /** Where its logs can be read, when the runner can tell. */
  readonly logsUrl?: string;
  /** The build's number within its project, when the runner assigns one. */
  readonly buildNumber?: number;
}

/**
 * Port through which `start-build` starts an app's build: CodeBuild's StartBuild on AWS, the local
 * builder locally. The build runs Shipline's build contract with the given environment and reports
 * its outcome as a CodeBuild-shaped state-change event. Failures are coded ShiplineErrors, retryable
 * when trying later may succeed (throttling, a full account build quota).
 *
 * @example
 * ```ts
 * const { buildId, logsUrl } = await runner.startBuild({ projectName: "shop-build", sourceVersion: sha, environment, idempotencyToken });
 * ```
 */
export interface BuildRunner {
  /** Starts a build; resolves once the runner has accepted it. */
  startBuild(input: StartBuildInput): Promise<StartedBuild>;
}
