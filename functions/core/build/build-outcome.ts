import * as z from "zod";
import type { CodeBuildBuildStateChangeEvent } from "../contracts/aws/codebuild-build-state-change.js";
import { DetailType } from "../contracts/detail-type.js";
import { buildFailedDetail } from "../contracts/events/build-failed.js";
import { buildSucceededDetail } from "../contracts/events/build-succeeded.js";
import { formatIssues } from "../contracts/format-issues.js";
import { gitSha, resourceName } from "../contracts/primitives.js";
import { ShiplineError } from "../errors/shipline-error.js";
import type { PublishRequest } from "../ports/event-publisher.js";
import { BuildVariable } from "./build-variable.js";

/** What a CodeBuild state change amounts to. */
export type BuildOutcome =
  | {
      readonly kind: "publish";
      readonly request: PublishRequest<typeof DetailType.BuildSucceeded | typeof DetailType.BuildFailed>;
    }
  /** Not a finished Shipline build: nothing to publish; `reason` says why, for the log. */
  | { readonly kind: "ignored"; readonly reason: string };

const FAILED_PHASE_STATUSES = new Set(["FAILED", "FAULT", "TIMED_OUT", "STOPPED"]);

const shiplineVariables = z.object({
  [BuildVariable.App]: resourceName,
  [BuildVariable.Commit]: gitSha,
  [BuildVariable.CorrelationId]: z.string().min(1).max(256),
  [BuildVariable.ImageTag]: z.string().min(1).optional(),
});

/**
 * Maps CodeBuild's `Build State Change` to Shipline's outcome: `SUCCEEDED` to `Build Succeeded`;
 * `FAILED`, `FAULT`, `STOPPED` and `TIMED_OUT` to `Build Failed` with the first phase that did not
 * succeed and its context as the reason. Both carry the logs link (the event's deep link, else the
 * CodeBuild console page of the build) and the duration (the sum of the phases' durations). The app,
 * commit, correlation id and tag come from the `SHIPLINE_*` variables `start-build` gave the build.
 *
 * `IN_PROGRESS` and builds without those variables (not started by Shipline) are ignored with a
 * reason. A build with some of them but not valid ones is a permanent `EVENT_INVALID` error.
 *
 * @example
 * ```ts
 * const outcome = buildOutcomeOf(event);
 * if (outcome.kind === "publish") await publisher.publish([outcome.request]);
 * else logger.info("ignored", { reason: outcome.reason });
 * ```
 */
export function buildOutcomeOf(event: CodeBuildBuildStateChangeEvent): BuildOutcome {
  const { detail } = event;
  const status = detail["build-status"];
  const buildId = detail["build-id"];
  if (status === "IN_PROGRESS") {
    return { kind: "ignored", reason: `build ${buildId} is still in progress; only its end is published` };
  }
  const info = detail["additional-information"];
  const variables = new Map(
    (info?.environment?.["environment-variables"] ?? []).map((variable) => [variable.name, variable.value]),
  );
  const known = Object.values(BuildVariable).filter((name) => variables.has(name));
  if (known.length === 0) {
    return {
      kind: "ignored",
      reason: `build ${buildId} of project ${detail["project-name"]} carries no SHIPLINE_* variables, so Shipline did not start it`,
    };
  }
  const parsed = shiplineVariables.safeParse(Object.fromEntries(variables));
  if (!parsed.success) {
    const problems = formatIssues(parsed.error.issues);
    throw new ShiplineError({
      code: "EVENT_INVALID",
      message: `build ${buildId} has Shipline's variables but not valid ones: ${problems.join("; ")}; start Shipline's builds only through start-build`,
      data: { buildId, problems },
      retryable: false,
    });
  }
  const vars = parsed.data;
  const phases = info?.phases ?? [];
  const durations = phases.flatMap((phase) => phase["duration-in-seconds"] ?? []);
  const common = {
    app: vars[BuildVariable.App],
    commit: vars[BuildVariable.Commit],
    correlationId: vars[BuildVariable.CorrelationId],
    buildId,
    projectName: detail["project-name"],
    ...(durations.length > 0 ? { durationSeconds: durations.reduce((sum, value) => sum + value, 0) } : {}),
    logsUrl: info?.logs?.["deep-link"] ?? consoleUrlOf(event),
  };
  if (status === "SUCCEEDED") {
    const imageTag = vars[BuildVariable.ImageTag];
    return {
      kind: "publish",
      request: {
        detailType: DetailType.BuildSucceeded,
        detail: buildSucceededDetail.parse({ ...common, ...(imageTag === undefined ? {} : { imageTag }) }),
        resources: [buildArnOf(event)],
      },
    };
  }
  const failed = phases.find((phase) => FAILED_PHASE_STATUSES.has(phase["phase-status"] ?? ""));
  const failedPhase = failed?.["phase-type"] ?? detail["current-phase"];
  const context = (failed?.["phase-context"] ?? []).filter((line) => line.trim() !== "").join("; ");
  const reason = `build ${status}${failedPhase === undefined ? "" : ` in phase ${failedPhase}`}${context === "" ? "" : `: ${context}`}`;
  return {
    kind: "publish",
    request: {
      detailType: DetailType.BuildFailed,
      detail: buildFailedDetail.parse({
        ...common,
        status,
        ...(failedPhase === undefined ? {} : { failedPhase }),
        reason,
      }),
      resources: [buildArnOf(event)],
    },
  };
}

function buildArnOf(event: CodeBuildBuildStateChangeEvent): string {
  const id = event.detail["build-id"];
  return id.startsWith("arn:") ? id : (event.resources[0] ?? id);
}

/** The CodeBuild console page of a build, from its ARN (`arn:aws:codebuild:region:account:build/project:uuid`). */
function consoleUrlOf(event: CodeBuildBuildStateChangeEvent): string | undefined {
  const match = /^arn:aws[a-z-]*:codebuild:([a-z0-9-]+):(\d{12}):build\/(.+)$/.exec(buildArnOf(event));
  if (!match) return undefined;
  const [, region, account, buildId] = match;
  const project = event.detail["project-name"];
  return `https://${region}.console.aws.amazon.com/codesuite/codebuild/${account}/projects/${encodeURIComponent(project)}/build/${encodeURIComponent(buildId ?? "")}/log?region=${region}`;
}
