import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { Tracer } from "@aws-lambda-powertools/tracer";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { codeBuildBuildStateChangeEvent } from "../../../../functions/core/contracts/aws/codebuild-build-state-change.js";
import { DetailType } from "../../../../functions/core/contracts/detail-type.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { systemClock } from "../../../../functions/core/ports/clock.js";
import type { StepDeps } from "../../../../functions/handlers/shared/create-step-deps.js";
import { createStepHandler } from "../../../../functions/handlers/shared/create-step-handler.js";
import { awsInput, shiplineInput } from "../../../../functions/handlers/shared/step-input.js";
import { readFixture } from "../../../read-fixture.js";
import { DETAIL_EXAMPLES } from "../../core/contracts/detail-examples.js";
import { InMemoryPublisher, lambdaContext, OutputCapture, shiplineEvent } from "./step-test-kit.js";

const commitPushed = DETAIL_EXAMPLES["Commit Pushed"];
const pushEvent = shiplineEvent(DetailType.CommitPushed, commitPushed);

describe("createStepHandler", () => {
  let output: OutputCapture;
  let publisher: InMemoryPublisher;
  let deps: StepDeps;

  beforeEach(() => {
    output = new OutputCapture();
    output.start();
    publisher = new InMemoryPublisher();
    deps = {
      publisher,
      logger: new Logger({ serviceName: "start-build" }),
      metrics: new Metrics({ namespace: "ShiplineTest", serviceName: "start-build" }),
      tracer: new Tracer({ serviceName: "start-build", enabled: false }),
      clock: systemClock,
    };
  });

  afterEach(() => {
    output.stop();
  });

  /** A start-build step that publishes Build Started for the pushed commit. */
  function startBuild(work?: () => Promise<void>) {
    const calls: unknown[] = [];
    const handler = createStepHandler({
      step: "start-build",
      input: shiplineInput(DetailType.CommitPushed),
      deps,
      run: async ({ event, deps, correlationId }) => {
        calls.push(event.detail);
        deps.logger.info("Selecting apps", { ref: event.detail.ref });
        await work?.();
        const [result] = await deps.publisher.publish([
          {
            detailType: DetailType.BuildStarted,
            detail: { ...DETAIL_EXAMPLES["Build Started"], correlationId },
          },
        ]);
        return result?.eventId;
      },
    });
    return { handler, calls };
  }

  it("parses the detail, runs the step with the journey's correlation id and returns its result", async () => {
    // Arrange
    const { handler, calls } = startBuild();

    // Act
    const result = await handler(pushEvent, lambdaContext());

    // Assert
    expect(result).toBe("event-0");
    expect(calls).toEqual([
      expect.objectContaining({ schemaVersion: 1, forced: false, after: commitPushed.after }),
    ]);
    expect(publisher.details(DetailType.BuildStarted)).toEqual([
      expect.objectContaining({ correlationId: "push-7a1c2f" }),
    ]);
  });

  it("puts the detail's correlation id, the step and the Lambda context on every log line", async () => {
    // Arrange
    const { handler } = startBuild();

    // Act
    await handler(pushEvent, lambdaContext("req-42"));

    // Assert
    expect(output.logs("Selecting apps")).toEqual([
      expect.objectContaining({
        correlation_id: "push-7a1c2f",
        step: "start-build",
        eventId: pushEvent.id,
        detailType: "Commit Pushed",
        function_request_id: "req-42",
        ref: "refs/heads/main",
      }),
    ]);
  });

  it("does not carry one invocation's correlation id into the next", async () => {
    // Arrange
    const { handler } = startBuild();
    const second = shiplineEvent(DetailType.CommitPushed, { ...commitPushed, correlationId: "push-second" });

    // Act
    await handler(pushEvent, lambdaContext());
    await handler(second, lambdaContext());

    // Assert
    expect(output.logs("Selecting apps").map((record) => record.correlation_id)).toEqual([
      "push-7a1c2f",
      "push-second",
    ]);
    expect(deps.logger.getCorrelationId()).toBeUndefined();
  });

  it("flushes the step's metrics after each invocation", async () => {
    // Arrange
    const { handler } = startBuild();

    // Act
    await handler(pushEvent, lambdaContext());

    // Assert
    const emf = output.records().filter((record) => "_aws" in record);
    expect(emf).toContainEqual(expect.objectContaining({ StepSucceeded: 1, service: "start-build" }));
  });

  it("takes an AWS event with its schema and uses the event id as correlation id", async () => {
    // Arrange
    const sample = readFixture("aws/codebuild-build-state-change.succeeded.json");
    const seen: string[] = [];
    const handler = createStepHandler({
      step: "build-status",
      input: awsInput(codeBuildBuildStateChangeEvent, "CodeBuild Build State Change"),
      deps,
      run: async ({ event, correlationId }) => {
        seen.push(event.detail["build-status"], correlationId);
      },
    });

    // Act
    await handler(sample, lambdaContext());

    // Assert
    expect(seen).toEqual(["SUCCEEDED", "579965d2-e572-4845-8e86-b3514694dad9"]);
  });

  it("records a detail that breaks its contract as one Step Failed and returns without throwing", async () => {
    // Arrange
    const { handler, calls } = startBuild();
    const invalid = shiplineEvent(DetailType.CommitPushed, { ...commitPushed, after: "HEAD" });

    // Act
    const result = await handler(invalid, lambdaContext());

    // Assert
    expect(result).toBeUndefined();
    expect(calls).toEqual([]);
    expect(publisher.published).toHaveLength(1);
    expect(publisher.details(DetailType.StepFailed)).toEqual([
      {
        schemaVersion: 1,
        app: null,
        commit: commitPushed.commit,
        correlationId: "push-7a1c2f",
        step: "start-build",
        code: "EVENT_INVALID",
        reason: expect.stringContaining("detail.after: "),
        failedEventId: invalid.id,
        failedDetailType: "Commit Pushed",
        data: { detailType: "Commit Pushed", problems: [expect.stringMatching(/^detail\.after: /)] },
      },
    ]);
    expect(output.logs("Step failed permanently; recording Step Failed")).toEqual([
      expect.objectContaining({ code: "EVENT_INVALID", correlation_id: "push-7a1c2f" }),
    ]);
  });

  it("records an event of another detail type as Step Failed, pointing at the rule", async () => {
    // Arrange
    const { handler } = startBuild();
    const misrouted = shiplineEvent(DetailType.ImagePushed, DETAIL_EXAMPLES["Image Pushed"]);

    // Act
    await handler(misrouted, lambdaContext());

    // Assert
    expect(publisher.details(DetailType.StepFailed)).toEqual([
      expect.objectContaining({
        app: "web",
        code: "EVENT_INVALID",
        failedDetailType: "Image Pushed",
        reason: expect.stringContaining(
          "expected a 'Commit Pushed' event from source 'shipline', got 'Image Pushed'",
        ),
      }),
    ]);
  });

  it("records something that is not an EventBridge event under the Lambda request id", async () => {
    // Arrange
    const { handler } = startBuild();

    // Act
    await handler({ hello: "world" }, lambdaContext("req-7"));

    // Assert
    expect(publisher.details(DetailType.StepFailed)).toEqual([
      expect.objectContaining({
        app: null,
        commit: null,
        correlationId: "req-7",
        code: "EVENT_INVALID",
        reason: expect.stringMatching(/^not an EventBridge event: version: /),
      }),
    ]);
  });

  it("records a permanent error thrown by the step with its code and data", async () => {
    // Arrange
    const { handler } = startBuild(async () => {
      throw new ShiplineError({
        code: "CONFIG_INVALID",
        message: "apps[0].tag: '{latest}' is not a known placeholder; use {sha}, {sha7}, {version}",
        data: { key: "apps[0].tag" },
      });
    });

    // Act
    const result = await handler(pushEvent, lambdaContext());

    // Assert
    expect(result).toBeUndefined();
    expect(publisher.published.map((entry) => entry.DetailType)).toEqual(["Step Failed"]);
    expect(publisher.details(DetailType.StepFailed)).toEqual([
      expect.objectContaining({
        code: "CONFIG_INVALID",
        reason: "apps[0].tag: '{latest}' is not a known placeholder; use {sha}, {sha7}, {version}",
        data: { key: "apps[0].tag" },
      }),
    ]);
  });

  it("rethrows a retryable error and records no Step Failed", async () => {
    // Arrange
    const throttled = new ShiplineError({
      code: "BUILD_THROTTLED",
      message: "StartBuild throttled",
      retryable: true,
    });
    const { handler } = startBuild(async () => {
      throw throttled;
    });

    // Act
    const outcome = handler(pushEvent, lambdaContext());

    // Assert
    await expect(outcome).rejects.toBe(throttled);
    expect(publisher.published).toEqual([]);
    expect(output.logs("Step failed with a retryable error; rethrowing so that it is retried")).toHaveLength(
      1,
    );
  });

  it("rethrows an unexpected error as retryable and records no Step Failed", async () => {
    // Arrange
    const crash = new TypeError("Cannot read properties of undefined (reading 'apps')");
    const { handler } = startBuild(async () => {
      throw crash;
    });

    // Act
    const outcome = handler(pushEvent, lambdaContext());

    // Assert
    await expect(outcome).rejects.toBe(crash);
    expect(publisher.published).toEqual([]);
  });

  it("rethrows when Step Failed itself cannot be published", async () => {
    // Arrange
    const { handler } = startBuild();
    const busDown = new ShiplineError({
      code: "PUBLISH_FAILED",
      message: "InternalFailure",
      retryable: true,
    });
    publisher.failWith = busDown;
    const invalid = shiplineEvent(DetailType.CommitPushed, { ...commitPushed, commits: "none" });

    // Act
    const outcome = handler(invalid, lambdaContext());

    // Assert
    await expect(outcome).rejects.toBe(busDown);
    expect(publisher.published).toEqual([]);
    expect(
      output.logs("Could not publish Step Failed; rethrowing so that the event is retried"),
    ).toHaveLength(1);
  });

  it("rethrows a permanent failure on a Step Failed event instead of publishing another", async () => {
    // Arrange
    const handler = createStepHandler({
      step: "notify",
      input: shiplineInput(DetailType.StepFailed),
      deps,
      run: async () => undefined,
    });
    const broken = shiplineEvent(DetailType.StepFailed, { ...DETAIL_EXAMPLES["Step Failed"], code: "" });

    // Act
    const outcome = handler(broken, lambdaContext());

    // Assert
    await expect(outcome).rejects.toMatchObject({ code: "EVENT_INVALID" });
    expect(publisher.published).toEqual([]);
  });

  it("accepts each of several detail types and hands run the matching detail", async () => {
    // Arrange
    const seen: string[] = [];
    const handler = createStepHandler({
      step: "promote",
      input: shiplineInput(DetailType.ImageApproved, DetailType.DeploymentVerified),
      deps,
      run: async ({ event }) => {
        if (event["detail-type"] === DetailType.ImageApproved) seen.push(`approved ${event.detail.scanner}`);
        else seen.push(`verified ${event.detail.environment}`);
      },
    });

    // Act
    await handler(
      shiplineEvent(DetailType.ImageApproved, DETAIL_EXAMPLES["Image Approved"]),
      lambdaContext(),
    );
    await handler(
      shiplineEvent(DetailType.DeploymentVerified, DETAIL_EXAMPLES["Deployment Verified"]),
      lambdaContext(),
    );

    // Assert
    expect(seen).toEqual(["approved ecr-basic", "verified staging"]);
    expect(publisher.published).toEqual([]);
  });
});
