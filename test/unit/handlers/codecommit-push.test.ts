import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FileDocumentStore } from "../../../functions/adapters/local/file-document-store.js";
import { DetailType } from "../../../functions/core/contracts/detail-type.js";
import type {
  ChangedPathsRequest,
  ChangedPathsSource,
} from "../../../functions/core/ports/changed-paths-source.js";
import { makeCodeCommitPushHandler } from "../../../functions/handlers/codecommit-push.js";
import type { StepDeps } from "../../../functions/handlers/shared/create-step-deps.js";
import { readFixtureBytes } from "../../read-fixture.js";
import { handlerDeps } from "./handler-test-kit.js";
import { type InMemoryPublisher, lambdaContext, OutputCapture } from "./shared/step-test-kit.js";

const SAMPLE = readFixtureBytes("aws/codecommit-repository-state-change.reference-updated.json").toString(
  "utf8",
);

describe("the CodeCommit push handler", () => {
  let output: OutputCapture;
  let publisher: InMemoryPublisher;
  let store: FileDocumentStore;
  let deps: StepDeps;
  let cleanUp: () => Promise<void>;

  beforeEach(async () => {
    output = new OutputCapture();
    output.start();
    ({ publisher, store, deps, cleanUp } = await handlerDeps("webhook"));
  });

  afterEach(async () => {
    output.stop();
    await cleanUp();
  });

  it("publishes a CodeCommit branch update as Commit Pushed with unknown paths", async () => {
    // Act
    const outcome = await makeCodeCommitPushHandler({ ...deps, store })(JSON.parse(SAMPLE), lambdaContext());

    // Assert
    expect(outcome).toBe("published");
    expect(publisher.details(DetailType.CommitPushed)).toEqual([
      expect.objectContaining({
        provider: "codecommit",
        commit: "8fa8088ce4a74b6efe061fc090f9095b2dc82ce9",
        refName: "main",
        pathsKnown: false,
        correlationId: "codecommit:52d69995-7fc9-495d-83c8-834dfdd239e1",
      }),
    ]);
  });

  it("carries the paths read from a repository whose apps filter by path, for start-build", async () => {
    // Arrange
    const asked: ChangedPathsRequest[] = [];
    const source: ChangedPathsSource = {
      changedPaths: async (request) => {
        asked.push(request);
        return ["services/api/main.ts"];
      },
    };
    const handler = makeCodeCommitPushHandler({
      ...deps,
      store,
      changedPaths: {
        source,
        repositories: ["git-codecommit.eu-west-1.amazonaws.com/v1/repos/shipline-demo-app"],
      },
    });

    // Act
    await handler(JSON.parse(SAMPLE), lambdaContext());

    // Assert
    expect(asked).toEqual([
      expect.objectContaining({
        provider: "codecommit",
        base: "5ac881ac62cd87c327667c5d5b2eeb70c0c8e61e",
        head: "8fa8088ce4a74b6efe061fc090f9095b2dc82ce9",
      }),
    ]);
    expect(publisher.details(DetailType.CommitPushed)).toEqual([
      expect.objectContaining({ pathsKnown: false, repositoryPaths: { paths: ["services/api/main.ts"] } }),
    ]);
    expect(output.logs("CodeCommit push published")).toEqual([
      expect.objectContaining({ repositoryPaths: [{ ref: "refs/heads/main", paths: 1 }] }),
    ]);
  });

  it("publishes a redelivered event once", async () => {
    // Arrange
    const handler = makeCodeCommitPushHandler({ ...deps, store });

    // Act
    await handler(JSON.parse(SAMPLE), lambdaContext());
    const again = await handler(JSON.parse(SAMPLE), lambdaContext());

    // Assert
    expect(again).toBe("replayed");
    expect(publisher.details(DetailType.CommitPushed)).toHaveLength(1);
  });

  it("ignores a branch deletion with the reason in the log", async () => {
    // Arrange
    const deletion = JSON.parse(SAMPLE.replace('"referenceUpdated"', '"referenceDeleted"'));

    // Act
    const outcome = await makeCodeCommitPushHandler({ ...deps, store })(deletion, lambdaContext());

    // Assert
    expect(outcome).toBe("ignored");
    expect(publisher.published).toEqual([]);
    expect(output.logs("CodeCommit event ignored")).toEqual([
      expect.objectContaining({ reason: expect.stringContaining("was deleted") }),
    ]);
  });
});
