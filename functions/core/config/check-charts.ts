import { assertChartVersion } from "../manifest/validate-values.js";
import { renderTag } from "../tag-template.js";
import { app } from "./app.js";
import { isManagedBuild } from "./build.js";
import type { ConfigView } from "./config-view.js";
import type { PathProblem } from "./issue-messages.js";

/** A commit, branch, version and build number any real build could have. */
const SAMPLE = {
  sha: "abcdef0123456789abcdef0123456789abcdef01",
  branch: "main",
  version: "1.2.3",
  build: 7,
};

/**
 * Checks the apps' Helm charts where the YAML is read (`parseConfig`: the CLI, `npm start`, `cdk
 * synth`), so that the step functions do not carry these checks: an app with a `chart` needs an
 * image tag template that renders a SemVer 2 version (the chart's version is the image's tag) and a
 * build Shipline runs (only that build pushes the chart), and a deploy target's `chartVersion` needs
 * the app to have a `chart`.
 *
 * @example
 * ```ts
 * checkCharts(new ConfigView(yamlValue)); // [{ path: ["apps", 0, "image", "tag"], ... }]
 * ```
 */
export function checkCharts(view: ConfigView): PathProblem[] {
  return view.parsed("apps", app).flatMap(({ index, value }): PathProblem[] => {
    if (value.chart === undefined) {
      return Object.entries(value.deploy).flatMap(([environment, target]) =>
        target.chartVersion === undefined
          ? []
          : [
              {
                path: ["apps", index, "deploy", environment, "chartVersion"],
                message: `writes the chart version, but app '${value.name}' has no chart`,
                fix: "add chart: { path: <the chart directory>, repository: <its OCI repository> } to the app, or drop chartVersion",
              },
            ],
      );
    }
    if (!isManagedBuild(value.build)) {
      return [
        {
          path: ["apps", index, "chart"],
          message: `is set, but app '${value.name}' has build: external, and only Shipline's build packages and pushes the chart`,
          fix: "remove chart (and the deploy targets' chartVersion) and let the app's CI deploy its chart, or remove build: external",
        },
      ];
    }
    const tag = renderTag(value.image.tag, SAMPLE);
    try {
      assertChartVersion(tag);
      return [];
    } catch {
      return [
        {
          path: ["apps", index, "image", "tag"],
          message: `renders tags such as '${tag}', which are not SemVer 2, but the app's chart is versioned with its image's tag`,
          fix: "use a tag template such as {version}-{sha7}",
        },
      ];
    }
  });
}
