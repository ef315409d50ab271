import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DetailType } from "../../../functions/core/contracts/detail-type.js";
import { renderCommitMessage } from "../../../functions/core/writer/commit-message.js";
import { makeReviewMergedHandler } from "../../../functions/handlers/review-merged.js";
import type { StepDeps } from "../../../functions/handlers/shared/create-step-deps.js";
import { testConfig } from "../core/promotion/promotion-test-kit.js";
import { anIntent } from "../core/writer/intent-fixtures.js";
import { handlerDeps } from "./handler-test-kit.js";
import {
  type InMemoryPublisher,
  lambdaContext,
  OutputCapture,
  shiplineEvent,
} from "./shared/step-test-kit.js";

const MERGE = "e".repeat(40);

/** `Commit Pushed` of the config repository's `ref`, carrying one merged staging proposal. */
function configPush(ref: string) {
  const proposal = renderCommitMessage({
    intents: [
      anIntent({
        intentId: "evt-7",
        app: "shop",
        environment: "staging",
        mode: "pull-request",
        target: { kind: "helm", file: "envs/staging/values.yaml", path: "image.tag" },
        tag: "1.4.0-0123456",
      }),
    ],
  });
  return shiplineEvent(DetailType.CommitPushed, {
    schemaVersion: 1,
    app: null,
    commit: MERGE,
    correlationId: "github:delivery-9",
    provider: "github",
    repository: { name: "deploy", fullName: "acme/deploy", url: "https://github.com/acme/deploy.git" },
    ref,
    refType: "branch",
    refName: ref.replace("refs/heads/", ""),
    before: "b".repeat(40),
    after: MERGE,
    commits: [{ id: "c".repeat(40), message: proposal }],
    pusher: { name: "reviewer" },
    deliveryId: "delivery-9",
  });
}

describe("the review-merged handler", () => {
  let output: OutputCapture;
  let publisher: InMemoryPublisher;
  let deps: StepDeps;
  let cleanUp: () => Promise<void>;

  beforeEach(async () => {
    output = new OutputCapture();
    output.start();
    ({ publisher, deps, cleanUp } = await handlerDeps("review-merged"));
  });

  afterEach(async () => {
    output.stop();
    await cleanUp();
  });

  it("publishes Config Committed for a pull request merged into the config branch", async () => {
    // Arrange
    const handler = makeReviewMergedHandler({ ...deps, config: testConfig() });

    // Act
    const result = await handler(configPush("refs/heads/main"), lambdaContext());

    // Assert
    expect(result).toEqual({ committed: ["evt-7"] });
    expect(publisher.details(DetailType.ConfigCommitted)).toEqual([
      expect.objectContaining({
        app: "shop",
        environment: "staging",
        configCommit: MERGE,
        tag: "1.4.0-0123456",
        correlationId: "corr-1",
      }),
    ]);
  });

  it("publishes nothing for the writer's push of the pull request's side branch", async () => {
    // Arrange
    const handler = makeReviewMergedHandler({ ...deps, config: testConfig() });

    // Act
    const result = await handler(configPush("refs/heads/shipline/staging/shop"), lambdaContext());

    // Assert
    expect(result).toMatchObject({
      committed: [],
      ignored: expect.stringContaining("not the config branch"),
    });
    expect(publisher.details(DetailType.ConfigCommitted)).toEqual([]);
  });
});
