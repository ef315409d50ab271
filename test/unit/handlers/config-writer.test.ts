import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { Tracer } from "@aws-lambda-powertools/tracer";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import type { SQSRecord } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { EventBridgePublisher } from "../../../functions/adapters/aws/eventbridge-publisher.js";
import { DetailType } from "../../../functions/core/contracts/detail-type.js";
import { ShiplineError } from "../../../functions/core/errors/shipline-error.js";
import type { ConfigRepository } from "../../../functions/core/ports/config-repository.js";
import type { WriteIntent } from "../../../functions/core/writer/write-intent.js";
import { type ConfigWriterDeps, makeConfigWriterHandler } from "../../../functions/handlers/config-writer.js";
import { anIntent, VALUES } from "../core/writer/intent-fixtures.js";
import { MemoryConfigRepository } from "../core/writer/memory-config-repository.js";
import { TestClock } from "./handler-test-kit.js";
import { lambdaContext, OutputCapture } from "./shared/step-test-kit.js";

const GROUP = "memory:config#main";
const OTHER_GROUP = "memory:other#main";
const BUS = "shipline-test-bus";

/** An SQS record of the writer's FIFO queue, shaped as Lambda delivers it. */
function record(messageId: string, body: string, groupId = GROUP): SQSRecord {
  return {
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: "1772366400000",
      SenderId: "AROAEXAMPLE:shipline-promote",
      ApproximateFirstReceiveTimestamp: "1772366400100",
      SequenceNumber: `1860000000000000${messageId.replace(/\D/g, "").padStart(4, "0")}`,
      MessageGroupId: groupId,
      MessageDeduplicationId: messageId,
    },
    messageAttributes: {},
    md5OfBody: "0".repeat(32),
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:eu-west-1:123456789012:Shipline-ConfigWriterQueue.fifo",
    awsRegion: "eu-west-1",
  };
}

function intentRecord(messageId: string, intent: WriteIntent, groupId = GROUP): SQSRecord {
  return record(messageId, JSON.stringify(intent), groupId);
}

const putEntry = z.object({ DetailType: z.string(), Detail: z.string() });

describe("the config writer handler", () => {
  const eventBridge = mockClient(EventBridgeClient);
  let output: OutputCapture;
  let repositories: Map<string, MemoryConfigRepository>;
  let deps: ConfigWriterDeps;

  /** Every event sent to the bus, in order: detail type and parsed detail. */
  function published(): { detailType: string; detail: Record<string, unknown> }[] {
    return eventBridge.commandCalls(PutEventsCommand).flatMap((call) =>
      (call.args[0].input.Entries ?? []).map((entry) => {
        const parsed = putEntry.parse(entry);
        return {
          detailType: parsed.DetailType,
          detail: z.record(z.string(), z.unknown()).parse(JSON.parse(parsed.Detail)),
        };
      }),
    );
  }

  beforeEach(() => {
    output = new OutputCapture();
    output.start();
    eventBridge.reset();
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries?: unknown[] }) => ({
      FailedEntryCount: 0,
      Entries: (input.Entries ?? []).map((_, index) => ({ EventId: `event-${index}` })),
    }));
    repositories = new Map([
      [GROUP, new MemoryConfigRepository({ "envs/dev/values.yaml": VALUES })],
      [OTHER_GROUP, new MemoryConfigRepository({ "envs/dev/values.yaml": VALUES })],
    ]);
    deps = {
      publisher: new EventBridgePublisher({
        client: new EventBridgeClient({ region: "eu-west-1" }),
        busName: BUS,
        sleep: async () => undefined,
      }),
      logger: new Logger({ serviceName: "config-writer" }),
      metrics: new Metrics({ namespace: "ShiplineTest", serviceName: "config-writer" }),
      tracer: new Tracer({ serviceName: "config-writer", enabled: false }),
      clock: new TestClock(),
      repositoryFor: (groupId: string): ConfigRepository | undefined => repositories.get(groupId),
      configRepo: {
        author: { name: "Shipline", email: "shipline@noreply.invalid" },
        commitMessage: "deploy({environment}): {app} {tag}",
      },
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
      sleep: async () => undefined,
    };
  });

  afterEach(() => {
    output.stop();
    eventBridge.reset();
  });

  it("commits a group's intents as one commit and publishes Config Committed for each", async () => {
    // Arrange
    const repo = repositories.get(GROUP);
    const event = {
      Records: [
        intentRecord("m1", anIntent({ intentId: "evt-1", tag: "v2" })),
        intentRecord("m2", anIntent({ intentId: "evt-2", tag: "v3" })),
      ],
    };

    // Act
    const response = await makeConfigWriterHandler(deps)(event, lambdaContext());

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(repo?.depth()).toBe(2);
    expect(repo?.fileAtHead("envs/dev/values.yaml")).toBe(VALUES.replace("tag: v1", "tag: v3"));
    expect(published().map(({ detailType, detail }) => [detailType, detail.intentId])).toEqual([
      [DetailType.ConfigCommitted, "evt-1"],
      [DetailType.ConfigCommitted, "evt-2"],
    ]);
    expect(published()[0]?.detail.configCommit).toBe(repo?.remoteHead);
  });

  it("opens a pull request through the configured host for an intent in pull-request mode", async () => {
    // Arrange
    const repo = repositories.get(GROUP);
    const asked: string[] = [];
    const handler = makeConfigWriterHandler({
      ...deps,
      pullRequests: {
        async openOrUpdatePullRequest(request) {
          asked.push(request.branch);
          return { url: "https://git.example.test/acme/config/pull/3", number: 3, updated: false };
        },
      },
    });
    const intent = anIntent({ intentId: "evt-review", mode: "pull-request" });

    // Act
    const response = await handler({ Records: [intentRecord("m1", intent)] }, lambdaContext());

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(asked).toEqual(["shipline/dev/demo"]);
    expect(repo?.depth()).toBe(1);
    expect(repo?.fileOnBranch("shipline/dev/demo", "envs/dev/values.yaml")).toContain("tag: v2");
    expect(published()).toEqual([
      {
        detailType: DetailType.PullRequestOpened,
        detail: expect.objectContaining({ intentId: "evt-review", number: 3, branch: "shipline/dev/demo" }),
      },
    ]);
  });

  it("writes each message group to its own repository with a commit of its own", async () => {
    // Arrange
    const event = {
      Records: [
        intentRecord("m1", anIntent({ intentId: "evt-1", tag: "v2" })),
        intentRecord("m2", anIntent({ intentId: "evt-2", tag: "v5" }), OTHER_GROUP),
      ],
    };

    // Act
    const response = await makeConfigWriterHandler(deps)(event, lambdaContext());

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(repositories.get(GROUP)?.fileAtHead("envs/dev/values.yaml")).toContain("tag: v2");
    expect(repositories.get(OTHER_GROUP)?.fileAtHead("envs/dev/values.yaml")).toContain("tag: v5");
  });

  it("returns a group's messages from its first intent on when its push keeps being rejected, and leaves other groups done", async () => {
    // Arrange
    const busy = repositories.get(GROUP);
    if (busy === undefined) throw new Error("no repository");
    busy.beforePush = (attempt) => busy.pushOther({ "README.md": `moved ${attempt}` });
    const event = {
      Records: [
        record("m1", "not json"),
        intentRecord("m2", anIntent({ intentId: "evt-2" })),
        intentRecord("m3", anIntent({ intentId: "evt-3" }), OTHER_GROUP),
        record("m4", JSON.stringify({ intentId: "evt-4" })),
        intentRecord("m5", anIntent({ intentId: "evt-5", tag: "v9" })),
      ],
    };

    // Act
    const response = await makeConfigWriterHandler(deps)(event, lambdaContext());

    // Assert
    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: "m2" }, { itemIdentifier: "m4" }, { itemIdentifier: "m5" }],
    });
    expect(busy.fileAtHead("envs/dev/values.yaml")).toBe(VALUES);
    expect(repositories.get(OTHER_GROUP)?.fileAtHead("envs/dev/values.yaml")).toContain("tag: v2");
    expect(
      published().map(({ detailType, detail }) => [detailType, detail.failedEventId ?? detail.intentId]),
    ).toEqual([
      [DetailType.StepFailed, "m1"],
      [DetailType.ConfigCommitted, "evt-3"],
    ]);
  });

  it("records a message that is not a write intent as Step Failed and writes the rest of its group", async () => {
    // Arrange
    const event = {
      Records: [
        intentRecord("m1", anIntent({ intentId: "evt-1", tag: "v2" })),
        record("m2", JSON.stringify({ ...anIntent({ intentId: "evt-2" }), commit: "main" })),
        intentRecord("m3", anIntent({ intentId: "evt-3", tag: "v4" })),
      ],
    };

    // Act
    const response = await makeConfigWriterHandler(deps)(event, lambdaContext());

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(repositories.get(GROUP)?.fileAtHead("envs/dev/values.yaml")).toContain("tag: v4");
    const failed = published().filter(({ detailType }) => detailType === DetailType.StepFailed);
    expect(failed).toEqual([
      {
        detailType: DetailType.StepFailed,
        detail: expect.objectContaining({
          step: "config-writer",
          code: "WRITE_INTENT_INVALID",
          app: null,
          commit: null,
          failedEventId: "m2",
          reason: expect.stringContaining("commit:"),
        }),
      },
    ]);
  });

  it("records every intent of a group it does not serve as Step Failed instead of writing it anywhere", async () => {
    // Arrange
    const event = {
      Records: [intentRecord("m1", anIntent({ intentId: "evt-1" }), "https://git.example.com/x#main")],
    };

    // Act
    const response = await makeConfigWriterHandler(deps)(event, lambdaContext());

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(published()).toEqual([
      {
        detailType: DetailType.StepFailed,
        detail: expect.objectContaining({
          code: "WRITE_GROUP_UNKNOWN",
          app: "demo",
          correlationId: "corr-1",
          failedEventId: "evt-1",
          reason: expect.stringContaining("'https://git.example.com/x#main'"),
        }),
      },
    ]);
    expect(repositories.get(GROUP)?.depth()).toBe(1);
  });

  it("records a permanent write error once per intent and does not retry the group", async () => {
    // Arrange
    const repo = repositories.get(GROUP);
    if (repo === undefined) throw new Error("no repository");
    repo.sync = async () => {
      throw new ShiplineError({ code: "GIT_REPOSITORY_NOT_FOUND", message: "branch main does not exist" });
    };
    const event = {
      Records: [
        intentRecord("m1", anIntent({ intentId: "evt-1" })),
        intentRecord("m2", anIntent({ intentId: "evt-2" })),
      ],
    };

    // Act
    const response = await makeConfigWriterHandler(deps)(event, lambdaContext());

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(published().map(({ detail }) => [detail.code, detail.failedEventId])).toEqual([
      ["GIT_REPOSITORY_NOT_FOUND", "evt-1"],
      ["GIT_REPOSITORY_NOT_FOUND", "evt-2"],
    ]);
  });

  it("returns a message and every later one of its group when its Step Failed cannot be published", async () => {
    // Arrange
    eventBridge.on(PutEventsCommand).rejects(new Error("Service unavailable"));
    const event = {
      Records: [
        record("m1", "{}"),
        intentRecord("m2", anIntent({ intentId: "evt-2" }), OTHER_GROUP),
        record("m3", "[]"),
      ],
    };
    const other = repositories.get(OTHER_GROUP);

    // Act
    const response = await makeConfigWriterHandler(deps)(event, lambdaContext());

    // Assert
    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: "m1" }, { itemIdentifier: "m3" }, { itemIdentifier: "m2" }],
    });
    // The other group's commit was pushed; only its Config Committed failed, so it comes back as a
    // duplicate and is published again then.
    expect(other?.fileAtHead("envs/dev/values.yaml")).toContain("tag: v2");
  });

  it("throws on an event that is not an SQS batch, so that the whole batch is retried", async () => {
    // Act
    const error = await makeConfigWriterHandler(deps)({ detail: {} }, lambdaContext()).then(
      () => undefined,
      (reason: unknown) => reason,
    );

    // Assert
    expect(error).toBeInstanceOf(ShiplineError);
    expect(error).toMatchObject({ code: "EVENT_INVALID" });
  });
});
