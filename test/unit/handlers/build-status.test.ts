import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FileDocumentStore } from "../../../functions/adapters/local/file-document-store.js";
import { BuildVariable } from "../../../functions/core/build/build-variable.js";
import { ChartVariable } from "../../../functions/core/build/chart-variable.js";
import {
  type CodeBuildBuildStateChangeEvent,
  codeBuildBuildStateChangeEvent,
} from "../../../functions/core/contracts/aws/codebuild-build-state-change.js";
import { DetailType } from "../../../functions/core/contracts/detail-type.js";
import { makeBuildStatusHandler } from "../../../functions/handlers/build-status.js";
import type { StepDeps } from "../../../functions/handlers/shared/create-step-deps.js";
import { readFixture } from "../../read-fixture.js";
import { SHA } from "../core/build/build-test-kit.js";
import { handlerDeps } from "./handler-test-kit.js";
import { type InMemoryPublisher, lambdaContext, OutputCapture } from "./shared/step-test-kit.js";

/** A CodeBuild fixture, with Shipline's variables added to its environment when given. */
function sample(name: string, variables: Record<string, string> = {}): CodeBuildBuildStateChangeEvent {
  const event = codeBuildBuildStateChangeEvent.parse(readFixture(`aws/${name}`));
  event.detail["additional-information"]?.environment?.["environment-variables"].push(
    ...Object.entries(variables).map(([variable, value]) => ({ name: variable, type: "PLAINTEXT", value })),
  );
  return event;
}

const SHIPLINE = {
  [BuildVariable.App]: "shop",
  [BuildVariable.Commit]: SHA,
  [BuildVariable.CorrelationId]: "github:72d3162e",
  [BuildVariable.ImageTag]: "main-0123456",
};

describe("the build-status handler", () => {
  let output: OutputCapture;
  let publisher: InMemoryPublisher;
  let deps: StepDeps;
  let store: FileDocumentStore;
  let cleanUp: () => Promise<void>;

  beforeEach(async () => {
    output = new OutputCapture();
    output.start();
    ({ publisher, deps, store, cleanUp } = await handlerDeps("build-status"));
  });

  afterEach(async () => {
    output.stop();
    await cleanUp();
  });

  it("publishes Build Succeeded for a succeeded Shipline build", async () => {
    // Act
    await makeBuildStatusHandler(deps)(
      sample("codebuild-build-state-change.succeeded.json", SHIPLINE),
      lambdaContext(),
    );

    // Assert
    expect(publisher.details(DetailType.BuildSucceeded)).toEqual([
      expect.objectContaining({
        app: "shop",
        commit: SHA,
        imageTag: "main-0123456",
        projectName: "shipline-demo-app",
        durationSeconds: 177,
      }),
    ]);
  });

  it("publishes Chart Pushed beside Build Succeeded for a build that exported its chart", async () => {
    // Arrange
    const event = sample("codebuild-build-state-change.succeeded.json", SHIPLINE);
    const info = event.detail["additional-information"];
    if (info === undefined) throw new Error("the fixture has no additional-information");
    info["exported-environment-variables"] = [
      { name: ChartVariable.Repository, value: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/charts/shop" },
      { name: ChartVariable.Name, value: "shop" },
      { name: ChartVariable.Version, value: "1.4.0-0123456" },
      { name: ChartVariable.Digest, value: `sha256:${"c".repeat(64)}` },
    ];

    // Act
    await makeBuildStatusHandler(deps)(event, lambdaContext());

    // Assert
    expect(publisher.details(DetailType.BuildSucceeded)).toHaveLength(1);
    expect(publisher.details(DetailType.ChartPushed)).toEqual([
      expect.objectContaining({ app: "shop", commit: SHA, name: "shop", version: "1.4.0-0123456" }),
    ]);
  });

  it("reads the chart of a CodeBuild build from the build itself when its state change carries no exported variables", async () => {
    // Arrange
    const asked: string[] = [];
    const exports = {
      exportedVariables: async (buildId: string) => {
        asked.push(buildId);
        return new Map([
          [ChartVariable.Repository, "123456789012.dkr.ecr.eu-west-1.amazonaws.com/charts/shop"],
          [ChartVariable.Name, "shop"],
          [ChartVariable.Version, "1.4.0-0123456"],
          [ChartVariable.Digest, `sha256:${"c".repeat(64)}`],
        ]);
      },
    };
    const event = sample("codebuild-build-state-change.succeeded.json", SHIPLINE);

    // Act
    await makeBuildStatusHandler({ ...deps, exports, chartApps: new Set(["shop"]) })(event, lambdaContext());

    // Assert
    expect(asked).toEqual([event.detail["build-id"]]);
    expect(publisher.details(DetailType.ChartPushed)).toEqual([
      expect.objectContaining({ name: "shop", version: "1.4.0-0123456" }),
    ]);
  });

  it("publishes Build Succeeded and records a chart exported without a digest as Step Failed", async () => {
    // Arrange
    const event = sample("codebuild-build-state-change.succeeded.json", SHIPLINE);
    const info = event.detail["additional-information"];
    if (info === undefined) throw new Error("the fixture has no additional-information");
    info["exported-environment-variables"] = [
      { name: ChartVariable.Repository, value: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/charts/shop" },
      { name: ChartVariable.Name, value: "shop" },
      { name: ChartVariable.Version, value: "1.4.0-0123456" },
      { name: ChartVariable.Digest, value: "" },
    ];

    // Act
    await makeBuildStatusHandler(deps)(event, lambdaContext());

    // Assert
    expect(publisher.details(DetailType.BuildSucceeded)).toEqual([
      expect.objectContaining({ app: "shop", commit: SHA, imageTag: "main-0123456" }),
    ]);
    expect(publisher.details(DetailType.ChartPushed)).toEqual([]);
    expect(publisher.details(DetailType.StepFailed)).toEqual([
      expect.objectContaining({
        app: "shop",
        commit: SHA,
        step: "build-status",
        code: "EVENT_INVALID",
        reason: expect.stringContaining("exported a chart but not a valid one"),
      }),
    ]);
  });

  it("does not read the build of an app that declares no chart", async () => {
    // Arrange
    const asked: string[] = [];
    const exports = {
      exportedVariables: async (buildId: string) => {
        asked.push(buildId);
        return new Map<string, string>();
      },
    };
    const event = sample("codebuild-build-state-change.succeeded.json", SHIPLINE);

    // Act
    await makeBuildStatusHandler({ ...deps, exports, chartApps: new Set(["billing"]) })(
      event,
      lambdaContext(),
    );

    // Assert
    expect(asked).toEqual([]);
    expect(publisher.details(DetailType.BuildSucceeded)).toHaveLength(1);
  });

  it("publishes a build's outcome once when CodeBuild delivers its state change again", async () => {
    // Arrange
    const handler = makeBuildStatusHandler({ ...deps, store });
    const event = sample("codebuild-build-state-change.succeeded.json", SHIPLINE);

    // Act
    await handler(event, lambdaContext());
    await handler(event, lambdaContext());

    // Assert
    expect(publisher.details(DetailType.BuildSucceeded)).toHaveLength(1);
    expect(output.logs("Build outcome delivered again; it was published before")).toHaveLength(1);
  });

  it("publishes Build Failed with the failed phase for a failed Shipline build", async () => {
    // Act
    await makeBuildStatusHandler(deps)(
      sample("codebuild-build-state-change.failed.json", SHIPLINE),
      lambdaContext(),
    );

    // Assert
    expect(publisher.details(DetailType.BuildFailed)).toEqual([
      expect.objectContaining({
        app: "shop",
        status: "FAILED",
        failedPhase: "BUILD",
        durationSeconds: 123,
      }),
    ]);
  });

  it.each(["codebuild-build-state-change.succeeded.json", "codebuild-build-state-change.failed.json"])(
    "ignores the build of %s, which Shipline did not start, with a log line",
    async (name) => {
      // Act
      await makeBuildStatusHandler(deps)(sample(name), lambdaContext());

      // Assert
      expect(publisher.published).toEqual([]);
      expect(output.logs("Build state change ignored")).toEqual([
        expect.objectContaining({ reason: expect.stringContaining("no SHIPLINE_* variables") }),
      ]);
    },
  );

  it("ignores a build that is still in progress", async () => {
    // Arrange
    const inProgress = sample("codebuild-build-state-change.succeeded.json", SHIPLINE);
    inProgress.detail["build-status"] = "IN_PROGRESS";

    // Act
    await makeBuildStatusHandler(deps)(inProgress, lambdaContext());

    // Assert
    expect(publisher.published).toEqual([]);
  });
});
