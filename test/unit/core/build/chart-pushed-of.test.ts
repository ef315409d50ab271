import { describe, expect, it } from "vitest";
import { chartPushedOf } from "../../../../functions/core/build/chart-pushed-of.js";
import { ChartVariable } from "../../../../functions/core/build/chart-variable.js";
import {
  type CodeBuildBuildStateChangeEvent,
  codeBuildBuildStateChangeEvent,
} from "../../../../functions/core/contracts/aws/codebuild-build-state-change.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { readFixture } from "../../../read-fixture.js";
import { SHA } from "./build-test-kit.js";

const JOURNEY = { app: "shop", commit: SHA, correlationId: "github:72d3162e" };
const DIGEST = `sha256:${"c".repeat(64)}`;

function exporting(name: string, exported: Record<string, string>): CodeBuildBuildStateChangeEvent {
  const event = codeBuildBuildStateChangeEvent.parse(readFixture(`aws/${name}`));
  const info = event.detail["additional-information"];
  if (info === undefined) throw new Error("the build event has no additional-information");
  info["exported-environment-variables"] = Object.entries(exported).map(([key, value]) => ({
    name: key,
    value,
  }));
  return event;
}

const CHART = {
  [ChartVariable.Repository]: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop-chart",
  [ChartVariable.Name]: "shop-chart",
  [ChartVariable.Version]: "1.4.0-0123456",
  [ChartVariable.Digest]: DIGEST,
};

describe("chartPushedOf", () => {
  it("announces the chart a succeeded build exported, for the build's journey", () => {
    // Arrange
    const event = exporting("codebuild-build-state-change.succeeded.json", CHART);

    // Act
    const request = chartPushedOf(event, JOURNEY);

    // Assert
    expect(request).toEqual({
      detailType: "Chart Pushed",
      detail: expect.objectContaining({
        ...JOURNEY,
        repository: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop-chart",
        name: "shop-chart",
        version: "1.4.0-0123456",
        digest: DIGEST,
        buildId: event.detail["build-id"],
      }),
      resources: ["123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop-chart"],
    });
  });

  it("announces nothing for a build that exported no chart", () => {
    // Arrange
    const event = exporting("codebuild-build-state-change.succeeded.json", {
      SHIPLINE_IMAGE_DIGEST: DIGEST,
    });

    // Act
    const request = chartPushedOf(event, JOURNEY);

    // Assert
    expect(request).toBeUndefined();
  });

  it("announces nothing for a failed build, whatever it exported", () => {
    // Arrange
    const event = exporting("codebuild-build-state-change.failed.json", CHART);

    // Act
    const request = chartPushedOf(event, JOURNEY);

    // Assert
    expect(request).toBeUndefined();
  });

  it("refuses a chart exported without its digest, naming the variables to export", () => {
    // Arrange
    const event = exporting("codebuild-build-state-change.succeeded.json", {
      ...CHART,
      [ChartVariable.Digest]: "",
    });

    // Act
    const act = () => chartPushedOf(event, JOURNEY);

    // Assert
    expect(act).toThrow(ShiplineError);
    expect(act).toThrow(/exported a chart but not a valid one: .*digest.*export SHIPLINE_CHART_URI/);
  });
});
