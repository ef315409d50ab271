import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FileDocumentStore } from "../../../functions/adapters/local/file-document-store.js";
import { DetailType } from "../../../functions/core/contracts/detail-type.js";
import { makeCodeCommitPushHandler } from "../../../functions/handlers/codecommit-push.js";
import type { StepDeps } from "../../../functions/handlers/shared/create-step-deps.js";
import { handlerDeps } from "./handler-test-kit.js";
import { type InMemoryPublisher, lambdaContext, OutputCapture } from "./shared/step-test-kit.js";

const SAMPLE = readFileSync(
  path.resolve(
    __dirname,
    "../../../../shared/fixtures/aws/codecommit-repository-state-change.reference-updated-push.captured-third-party.json",
  ),
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

  it("publishes the CodeCommit sample as Commit Pushed with unknown paths", async () => {
    // Act
    const outcome = await makeCodeCommitPushHandler({ ...deps, store })(JSON.parse(SAMPLE), lambdaContext());

    // Assert
    expect(outcome).toBe("published");
    expect(publisher.details(DetailType.CommitPushed)).toEqual([
      expect.objectContaining({
        provider: "codecommit",
        commit: "f485fcc95a795517f279d0a877227e51208b0dfc",
        refName: "main",
        pathsKnown: false,
        correlationId: "codecommit:3f7101d2-f1c4-d0a4-6d89-69fc887cc5e4",
      }),
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
