import type { Context } from "aws-lambda";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FileDocumentStore } from "../../../functions/adapters/local/file-document-store.js";
import { LocalMessageQueue } from "../../../functions/adapters/local/local-message-queue.js";
import { KNOWN_IMAGES_TABLE } from "../../../functions/core/images/known-image.js";
import { toPromotionDuePayload } from "../../../functions/core/promotion/promotion-due.js";
import { PromotionState } from "../../../functions/core/promotion/promotion-state.js";
import type { PromotionResult } from "../../../functions/core/promotion/run-promotion.js";
import { verdictKey } from "../../../functions/core/scan/publish-verdict-once.js";
import { writeIntent } from "../../../functions/core/writer/write-intent.js";
import { createPromoteHandler } from "../../../functions/handlers/promote.js";
import type { StepDeps } from "../../../functions/handlers/shared/create-step-deps.js";
import {
  digest,
  MemoryHistory,
  RecordingScheduler,
  sha,
  testConfig,
} from "../core/promotion/promotion-test-kit.js";
import { handlerDeps, type TestClock } from "./handler-test-kit.js";
import {
  type InMemoryPublisher,
  lambdaContext,
  OutputCapture,
  shiplineEvent,
} from "./shared/step-test-kit.js";

const approvedDetail = {
  app: "shop",
  commit: sha("1"),
  correlationId: "push-1",
  repository: "shop",
  tag: "1.0.0-1111111",
  digest: digest("a"),
  scanner: "local",
  counts: {},
  reason: "no finding at or above HIGH",
};

describe("promote handler", () => {
  let deps: StepDeps;
  let publisher: InMemoryPublisher;
  let store: FileDocumentStore;
  let clock: TestClock;
  let cleanUp: () => Promise<void>;
  let queue: LocalMessageQueue;
  let scheduler: RecordingScheduler;
  let contexts: Context[];
  const output = new OutputCapture();

  beforeEach(async () => {
    ({ deps, publisher, store, clock, cleanUp } = await handlerDeps("promote"));
    // The scan gate's own record of the approval: without it, Image Approved promotes nothing.
    await store.put(KNOWN_IMAGES_TABLE, verdictKey(approvedDetail.repository, approvedDetail.digest), {
      detailType: "Image Approved",
      detail: { schemaVersion: 1, allowed: [], ...approvedDetail },
      cause: "scan",
      decidedAt: "2026-03-01T11:59:00.000Z",
    });
    queue = new LocalMessageQueue({ name: "writer.fifo", clock });
    scheduler = new RecordingScheduler();
    contexts = [];
    output.start();
  });

  afterEach(async () => {
    output.stop();
    await cleanUp();
  });

  function handler() {
    const history = new MemoryHistory().add(sha("1"), "2026-03-01T10:00:00Z");
    return createPromoteHandler({
      ...deps,
      config: testConfig(),
      store,
      ancestry: history,
      writeQueue: queue,
      schedulerFor: (context) => {
        contexts.push(context);
        return scheduler;
      },
    });
  }

  async function intents() {
    const messages = await queue.receive({ maxMessages: 10 });
    for (const message of messages) await queue.delete(message.receiptHandle);
    return messages.map((message) => ({
      ...writeIntent.parse(JSON.parse(message.body)),
      group: message.groupId,
    }));
  }

  it("turns an Image Approved event into write intents on the config repo's message group", async () => {
    // Arrange
    const event = shiplineEvent("Image Approved", approvedDetail, "evt-1");

    // Act
    const result = await handler()(event, lambdaContext());

    // Assert
    expect(result?.decisions.map((decision) => decision.environment)).toEqual(["dev", "qa"]);
    expect(await intents()).toMatchObject([
      { intentId: "evt-1/dev", group: "https://github.com/acme/deploy.git#main" },
      { intentId: "evt-1/qa", group: "https://github.com/acme/deploy.git#main" },
    ]);
    expect(output.logs("Promotion promoted: promote 1.0.0-1111111 into dev by a commit")).toHaveLength(1);
    expect(publisher.published).toEqual([]);
  });

  it("schedules the soak check with the invocation's context, and promotes on the scheduled payload", async () => {
    // Arrange
    const promote = handler();
    const context = lambdaContext();
    await promote(shiplineEvent("Image Approved", approvedDetail, "evt-1"), context);
    const verified = shiplineEvent(
      "Deployment Verified",
      {
        app: "shop",
        commit: sha("1"),
        correlationId: "push-1",
        environment: "dev",
        cluster: "nonprod",
        application: "shop-dev",
        revision: sha("c"),
        syncStatus: "Synced",
        health: "Healthy",
        digest: digest("a"),
      },
      "evt-2",
    );
    await promote(verified, context);
    await intents();
    const [check] = scheduler.scheduled;
    clock.current = new Date("2026-03-01T12:10:00Z");

    // Act
    const result: PromotionResult | undefined = await promote(toPromotionDuePayload(check!), context);

    // Assert
    expect(contexts.at(-1)).toBe(context);
    expect(result?.decisions).toMatchObject([
      { environment: "staging", outcome: "promoted", mode: "pull-request" },
    ]);
    expect(await intents()).toMatchObject([{ environment: "staging", image: { digest: digest("a") } }]);
  });

  it("records holds from Hold Placed events", async () => {
    // Arrange
    const event = shiplineEvent(
      "Hold Placed",
      {
        app: "shop",
        commit: sha("1"),
        correlationId: "push-1",
        environment: "qa",
        reason: "freeze",
        placedBy: "bob",
      },
      "hold-1",
    );

    // Act
    await handler()(event, lambdaContext());

    // Assert
    const hold = await new PromotionState({ store }).activeHold("shop", "qa", clock.now());
    expect(hold).toMatchObject({ reason: "freeze", placedBy: "bob" });
  });

  it("records Step Failed for an event that breaks its contract, and sends nothing", async () => {
    // Arrange
    const event = shiplineEvent(
      "Promotion Approved",
      { app: "shop", commit: sha("1"), correlationId: "c" },
      "bad-1",
    );

    // Act
    const result = await handler()(event, lambdaContext());

    // Assert
    expect(result).toBeUndefined();
    expect(publisher.details("Step Failed")).toMatchObject([
      {
        step: "promote",
        code: "EVENT_INVALID",
        failedEventId: "bad-1",
        failedDetailType: "Promotion Approved",
      },
    ]);
    expect(await intents()).toEqual([]);
  });

  it("refuses an Image Approved the scan gate never recorded, and promotes nothing", async () => {
    // Arrange
    const promote = handler();
    const forged = { ...approvedDetail, digest: digest("f") };

    // Act
    await promote(shiplineEvent("Image Approved", forged, "evt-forged"), lambdaContext("promote"));

    // Assert
    expect(await intents()).toEqual([]);
    expect(publisher.details("Step Failed")).toEqual([
      expect.objectContaining({ code: "IMAGE_NOT_APPROVED_BY_GATE", step: "promote" }),
    ]);
  });
});
