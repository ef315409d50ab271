import type { CodeBuildBuildStateChangeEvent } from "../contracts/aws/codebuild-build-state-change.js";
import type { DetailBase } from "../contracts/detail-base.js";
import { DetailType } from "../contracts/detail-type.js";
import { chartPushedDetail } from "../contracts/events/chart-pushed.js";
import { formatIssues } from "../contracts/format-issues.js";
import { ShiplineError } from "../errors/shipline-error.js";
import type { PublishRequest } from "../ports/event-publisher.js";
import { ChartVariable } from "./chart-variable.js";

/**
 * The `Chart Pushed` a succeeded build announces: the chart its exported variables name
 * ({@link ChartVariable}; by default those its state change carries, as the local builder's does),
 * for the journey of its `Build Succeeded`. Undefined when the build
 * exported no chart (an app without `chart`, or a failed build). Throws a permanent
 * `EVENT_INVALID` when it exported some of them but not valid ones.
 *
 * @example
 * ```ts
 * const chart = chartPushedOf(event, { app: "demo", commit, correlationId });
 * await publisher.publish(chart ? [request, chart] : [request]);
 * ```
 */
export function chartPushedOf(
  event: CodeBuildBuildStateChangeEvent,
  journey: Pick<DetailBase, "app" | "commit" | "correlationId">,
  exported: ReadonlyMap<string, string> = exportedVariablesOf(event),
): PublishRequest<typeof DetailType.ChartPushed> | undefined {
  const { detail } = event;
  if (detail["build-status"] !== "SUCCEEDED" || !exported.get(ChartVariable.Version)) return undefined;
  const parsed = chartPushedDetail.safeParse({
    ...journey,
    repository: exported.get(ChartVariable.Repository),
    name: exported.get(ChartVariable.Name),
    version: exported.get(ChartVariable.Version),
    digest: exported.get(ChartVariable.Digest),
    buildId: detail["build-id"],
  });
  if (!parsed.success) {
    const problems = formatIssues(parsed.error.issues);
    throw new ShiplineError({
      code: "EVENT_INVALID",
      message: `build ${detail["build-id"]} exported a chart but not a valid one: ${problems.join("; ")}; export ${Object.values(ChartVariable).join(", ")} after pushing the chart`,
      data: { buildId: detail["build-id"], problems },
    });
  }
  return { detailType: DetailType.ChartPushed, detail: parsed.data, resources: [parsed.data.repository] };
}

/**
 * The exported variables a build's state change carries (`exported-environment-variables`), by name;
 * empty when it carries none (CodeBuild's own event: see `BuildExports`).
 *
 * @example
 * ```ts
 * exportedVariablesOf(event).get(ChartVariable.Version);
 * ```
 */
export function exportedVariablesOf(event: CodeBuildBuildStateChangeEvent): ReadonlyMap<string, string> {
  return new Map(
    (event.detail["additional-information"]?.["exported-environment-variables"] ?? []).map((variable) => [
      variable.name,
      variable.value,
    ]),
  );
}
