import { describe, expect, it } from "vitest";
import type { ConfigProblem } from "../../../../functions/core/config/config-problem.js";
import { parseConfig } from "../../../../functions/core/config/parse-config.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { type RawConfig, toYaml, validConfig } from "./config-builder.js";

function mutated(change: (config: RawConfig) => void): string {
  const config = validConfig();
  change(config);
  return toYaml(config);
}

function problemsOf(text: string): ConfigProblem[] {
  try {
    parseConfig(text);
  } catch (error) {
    if (!(error instanceof ShiplineError)) throw error;
    const problems = error.data.problems;
    if (!Array.isArray(problems)) throw new Error("data.problems is not a list");
    return problems;
  }
  throw new Error("expected parseConfig to throw");
}

const CHART = { path: "charts/shop", repository: "charts/shop" };

describe("an app's chart", () => {
  it("reads chart and a deploy target's chartVersion, its file defaulting to the target's", () => {
    // Arrange
    const text = mutated((c) => {
      const shop = c.apps[0];
      if (!shop) throw new Error("no shop app");
      Object.assign(shop, { chart: CHART });
      Object.assign(shop.deploy.staging ?? {}, {
        chartVersion: { file: "envs/staging/shop/Chart.yaml", path: "dependencies[name=shop].version" },
      });
      Object.assign(shop.deploy.production ?? {}, { chartVersion: { path: "helmCharts[0].version" } });
    });

    // Act
    const config = parseConfig(text);

    // Assert
    const shop = config.apps[0];
    expect(shop?.chart).toEqual(CHART);
    expect(shop?.deploy.staging?.chartVersion).toEqual({
      file: "envs/staging/shop/Chart.yaml",
      path: "dependencies[name=shop].version",
    });
    expect(shop?.deploy.production?.chartVersion).toEqual({ path: "helmCharts[0].version" });
  });

  it("refuses a chartVersion on an app without a chart, with the fix", () => {
    // Arrange
    const text = mutated((c) =>
      Object.assign(c.apps[0]?.deploy.staging ?? {}, { chartVersion: { path: "dependencies[0].version" } }),
    );

    // Act
    const problems = problemsOf(text);

    // Assert
    expect(problems).toEqual([
      expect.objectContaining({
        path: "apps[0].deploy.staging.chartVersion",
        message: "writes the chart version, but app 'shop' has no chart",
        fix: expect.stringContaining("add chart: { path:"),
      }),
    ]);
  });

  it("refuses a chart on an app whose tags are not SemVer, since the chart is versioned with them", () => {
    // Arrange: billing tags images with the whole commit sha.
    const text = mutated((c) => Object.assign(c.apps[1] ?? {}, { chart: CHART }));

    // Act
    const problems = problemsOf(text);

    // Assert
    expect(problems).toEqual([
      expect.objectContaining({
        path: "apps[1].image.tag",
        message: expect.stringContaining("which are not SemVer 2"),
        fix: "use a tag template such as {version}-{sha7}",
      }),
    ]);
  });

  it("refuses a chart on an app its own CI builds, since no build of Shipline's pushes it", () => {
    // Arrange
    const text = mutated((c) => {
      Object.assign(c.apps[0] ?? {}, { chart: CHART, build: "external" });
      Object.assign(c.apps[0]?.deploy.staging ?? {}, { chartVersion: { path: "dependencies[0].version" } });
    });

    // Act
    const problems = problemsOf(text);

    // Assert
    expect(problems).toEqual([
      expect.objectContaining({
        path: "apps[0].chart",
        message: expect.stringContaining("app 'shop' has build: external"),
        fix: expect.stringContaining("remove chart"),
      }),
    ]);
  });

  it("refuses a chartVersion path that is empty", () => {
    // Arrange
    const text = mutated((c) => {
      Object.assign(c.apps[0] ?? {}, { chart: CHART });
      Object.assign(c.apps[0]?.deploy.staging ?? {}, { chartVersion: { path: "" } });
    });

    // Act
    const problems = problemsOf(text);

    // Assert
    expect(problems).toEqual([expect.objectContaining({ path: "apps[0].deploy.staging.chartVersion.path" })]);
  });
});
