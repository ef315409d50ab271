import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FileDocumentStore } from "../../../functions/adapters/local/file-document-store.js";
import { BuildVariable } from "../../../functions/core/build/build-variable.js";
import { DetailType } from "../../../functions/core/contracts/detail-type.js";
import { ShiplineError } from "../../../functions/core/errors/shipline-error.js";
import type {
  BuildRunner,
  StartBuildInput,
  StartedBuild,
} from "../../../functions/core/ports/build-runner.js";
import type { StepDeps } from "../../../functions/handlers/shared/create-step-deps.js";
import { ecrRegistryOfFunctionArn, makeStartBuildHandler } from "../../../functions/handlers/start-build.js";
import { appConfig, pushOf, SHA } from "../core/build/build-test-kit.js";
import { handlerDeps, type TestClock } from "./handler-test-kit.js";
import {
  type InMemoryPublisher,
  lambdaContext,
  OutputCapture,
  shiplineEvent,
} from "./shared/step-test-kit.js";

/** A build runner that behaves like CodeBuild's idempotency token: the same token within five minutes gives the same build. */
class RecordingRunner implements BuildRunner {
  readonly calls: StartBuildInput[] = [];
  readonly #byToken = new Map<string, { readonly build: StartedBuild; readonly at: number }>();
  failWith: Error | undefined;

  constructor(private readonly clock: TestClock) {}

  async startBuild(input: StartBuildInput): Promise<StartedBuild> {
    this.calls.push(input);
    if (this.failWith) throw this.failWith;
    const now = this.clock.now().getTime();
    const earlier = this.#byToken.get(input.idempotencyToken);
    if (earlier && now - earlier.at < 5 * 60 * 1000) return earlier.build;
    const number = this.#byToken.size + 1;
    const build = {
      buildId: `${input.projectName}:build-${number}`,
      logsUrl: `https://logs.example/${number}`,
      buildNumber: number,
    };
    this.#byToken.set(input.idempotencyToken, { build, at: now });
    return build;
  }

  /** Builds actually started (distinct ids). */
  get started(): number {
    return this.#byToken.size;
  }
}

const config = {
  apps: [
    appConfig("api", { source: { paths: ["services/api/**"] }, image: { tag: "{branch}-{sha7}" } }),
    appConfig("web", { source: { paths: ["services/web/**"] }, image: { tag: "{build}-{sha7}" } }),
  ],
};
const CONTEXT = lambdaContext();
const REGISTRY = ecrRegistryOfFunctionArn(CONTEXT.invokedFunctionArn);

describe("the start-build handler", () => {
  let output: OutputCapture;
  let publisher: InMemoryPublisher;
  let store: FileDocumentStore;
  let clock: TestClock;
  let runner: RecordingRunner;
  let deps: StepDeps;
  let cleanUp: () => Promise<void>;

  beforeEach(async () => {
    output = new OutputCapture();
    output.start();
    const kit = await handlerDeps("start-build");
    ({ publisher, store, clock, cleanUp, deps } = kit);
    runner = new RecordingRunner(clock);
  });

  afterEach(async () => {
    output.stop();
    await cleanUp();
  });

  function handler() {
    return makeStartBuildHandler({
      ...deps,
      config,
      store,
      runner,
      projectNameOf: (app) => `shipline-${app}`,
    });
  }

  it("starts the app the push touches with the build's variables and publishes Build Started", async () => {
    // Arrange
    const push = pushOf({ modified: ["services/api/main.ts"] });

    // Act
    await handler()(shiplineEvent(DetailType.CommitPushed, push), CONTEXT);

    // Assert
    expect(runner.calls).toEqual([
      {
        projectName: "shipline-api",
        sourceVersion: SHA,
        environment: {
          [BuildVariable.App]: "api",
          [BuildVariable.Commit]: SHA,
          [BuildVariable.CorrelationId]: push.correlationId,
          [BuildVariable.DeliveryId]: push.deliveryId,
          [BuildVariable.RefName]: "main",
          [BuildVariable.ImageRepositoryUri]: `${REGISTRY}/api`,
          [BuildVariable.ImageTag]: "main-0123456",
        },
        idempotencyToken: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    ]);
    expect(publisher.details(DetailType.BuildStarted)).toEqual([
      {
        schemaVersion: 1,
        app: "api",
        commit: SHA,
        correlationId: push.correlationId,
        buildId: "shipline-api:build-1",
        projectName: "shipline-api",
        imageRepository: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api",
        imageTag: "main-0123456",
        logsUrl: "https://logs.example/1",
        deliveryId: push.deliveryId,
        selectedBecause:
          "branch 'main' matches 'main'; 1 changed path(s) match source.paths (services/api/main.ts)",
      },
    ]);
  });

  it("completes a {build} tag with the number the runner assigned", async () => {
    // Arrange
    const push = pushOf({ modified: ["services/web/index.ts"] });

    // Act
    await handler()(shiplineEvent(DetailType.CommitPushed, push), CONTEXT);

    // Assert
    expect(runner.calls[0]?.environment[BuildVariable.ImageTagTemplate]).toBe("{build}-0123456");
    expect(publisher.details(DetailType.BuildStarted)).toEqual([
      expect.objectContaining({ imageTag: "1-0123456" }),
    ]);
  });

  it("starts one build for a duplicated Commit Pushed, even after CodeBuild's five minutes", async () => {
    // Arrange
    const event = shiplineEvent(DetailType.CommitPushed, pushOf({ modified: ["services/api/main.ts"] }));

    // Act
    await handler()(event, CONTEXT);
    await handler()(event, CONTEXT);
    clock.current = new Date(clock.current.getTime() + 10 * 60 * 1000);
    await handler()(event, CONTEXT);

    // Assert
    expect(runner.calls).toHaveLength(1);
    expect(runner.started).toBe(1);
    expect(publisher.details(DetailType.BuildStarted)).toHaveLength(1);
  });

  it("announces on the retry a build an earlier attempt started but could not announce", async () => {
    // Arrange
    const event = shiplineEvent(DetailType.CommitPushed, pushOf({ modified: ["services/api/main.ts"] }));
    publisher.failWith = new ShiplineError({ code: "PUBLISH_FAILED", message: "bus down", retryable: true });

    // Act
    const failed = handler()(event, CONTEXT);
    await expect(failed).rejects.toMatchObject({ code: "PUBLISH_FAILED" });
    publisher.failWith = undefined;
    await handler()(event, CONTEXT);

    // Assert
    expect(runner.started).toBe(1);
    expect(publisher.details(DetailType.BuildStarted)).toEqual([
      expect.objectContaining({ buildId: "shipline-api:build-1" }),
    ]);
  });

  it("builds only the app whose paths the repository says a Bitbucket push changed", async () => {
    // Arrange
    const push = pushOf({}, { provider: "bitbucket", pathsKnown: false });
    const changedPaths = { changedPaths: async () => ["services/web/index.ts"] };
    const start = makeStartBuildHandler({
      ...deps,
      config,
      store,
      runner,
      projectNameOf: (app) => `shipline-${app}`,
      changedPaths,
    });

    // Act
    await start(shiplineEvent(DetailType.CommitPushed, push), CONTEXT);

    // Assert
    expect(runner.calls.map((call) => call.projectName)).toEqual(["shipline-web"]);
    expect(publisher.details(DetailType.BuildStarted)).toEqual([
      expect.objectContaining({
        app: "web",
        selectedBecause:
          "branch 'main' matches 'main'; 1 changed path(s) read from the repository match source.paths (services/web/index.ts)",
      }),
    ]);
    expect(output.logs("Changed paths read from the repository")).toEqual([
      expect.objectContaining({ count: 1 }),
    ]);
  });

  it("builds every app of the branch when the repository cannot be read, and Build Started says why", async () => {
    // Arrange
    const push = pushOf({}, { provider: "bitbucket", pathsKnown: false });
    const changedPaths = {
      changedPaths: async () => {
        throw new ShiplineError({
          code: "CHANGED_PATHS_UNAVAILABLE",
          message: "the fetch failed (HttpError)",
        });
      },
    };
    const start = makeStartBuildHandler({
      ...deps,
      config,
      store,
      runner,
      projectNameOf: (app) => `shipline-${app}`,
      changedPaths,
    });

    // Act
    await start(shiplineEvent(DetailType.CommitPushed, push), CONTEXT);

    // Assert
    expect(publisher.details(DetailType.BuildStarted)).toEqual([
      expect.objectContaining({
        app: "api",
        selectedBecause:
          "branch 'main' matches 'main'; bitbucket does not list the changed paths, and reading them from the repository failed (CHANGED_PATHS_UNAVAILABLE: the fetch failed (HttpError)), so every path counts as changed",
      }),
      expect.objectContaining({ app: "web" }),
    ]);
  });

  it("starts nothing for a push that touches no app and logs why", async () => {
    // Arrange
    const event = shiplineEvent(DetailType.CommitPushed, pushOf({ modified: ["docs/readme.md"] }));

    // Act
    await handler()(event, CONTEXT);

    // Assert
    expect(runner.calls).toEqual([]);
    expect(publisher.published).toEqual([]);
    expect(output.logs("Push builds no app")).toEqual([
      expect.objectContaining({
        skipped: [
          expect.objectContaining({ app: "api", reason: expect.stringContaining("docs/readme.md") }),
          expect.objectContaining({ app: "web" }),
        ],
      }),
    ]);
  });

  it("never starts a build of an app with build: external, and logs that its own CI builds it", async () => {
    // Arrange
    const external = appConfig("edge", {
      source: { paths: ["services/edge/**"] },
      build: { external: true },
    });
    const event = shiplineEvent(DetailType.CommitPushed, pushOf({ modified: ["services/edge/main.ts"] }));
    const withExternal = makeStartBuildHandler({
      ...deps,
      config: { apps: [external] },
      store,
      runner,
      projectNameOf: () => undefined,
    });

    // Act
    await withExternal(event, CONTEXT);

    // Assert
    expect(runner.calls).toEqual([]);
    expect(publisher.published).toEqual([]);
    expect(output.logs("Push builds no app")).toEqual([
      expect.objectContaining({
        skipped: [
          {
            app: "edge",
            reason:
              "build is external: the app's own CI builds and pushes its images, which enter the chain when they are announced",
          },
        ],
      }),
    ]);
  });

  it("rethrows a CodeBuild throttle so that the event is retried", async () => {
    // Arrange
    runner.failWith = new ShiplineError({
      code: "BUILD_START_FAILED",
      message: "throttled",
      retryable: true,
    });
    const event = shiplineEvent(DetailType.CommitPushed, pushOf({ modified: ["services/api/main.ts"] }));

    // Act
    const result = handler()(event, CONTEXT);

    // Assert
    await expect(result).rejects.toMatchObject({ code: "BUILD_START_FAILED" });
    expect(publisher.published).toEqual([]);
  });

  it("records an app without a build project as Step Failed and still starts the others", async () => {
    // Arrange
    const partial = makeStartBuildHandler({
      ...deps,
      config,
      store,
      runner,
      projectNameOf: (app) => (app === "web" ? "shipline-web" : undefined),
    });
    const event = shiplineEvent(
      DetailType.CommitPushed,
      pushOf({ modified: ["services/api/a.ts", "services/web/b.ts"] }),
    );

    // Act
    await partial(event, CONTEXT);

    // Assert
    expect(runner.calls.map((call) => call.projectName)).toEqual(["shipline-web"]);
    expect(publisher.details(DetailType.BuildStarted)).toEqual([expect.objectContaining({ app: "web" })]);
    expect(publisher.details(DetailType.StepFailed)).toEqual([
      expect.objectContaining({ step: "start-build", code: "CONFIG_INVALID" }),
    ]);
  });
});

describe("ecrRegistryOfFunctionArn", () => {
  it("names the ECR registry of the function's account and region", () => {
    // Act
    const registry = ecrRegistryOfFunctionArn("arn:aws:lambda:eu-west-1:123456789012:function:start-build");

    // Assert
    expect(registry).toBe("123456789012.dkr.ecr.eu-west-1.amazonaws.com");
  });
});
