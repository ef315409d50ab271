import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { SlackWebhookNotifier } from "../../../functions/adapters/http/slack-webhook-notifier.js";
import type {
  CommitInfo,
  JourneyLookup,
  JourneyQuery,
} from "../../../functions/core/notify/journey-lookup.js";
import { makeNotifyHandler } from "../../../functions/handlers/notify.js";
import type { StepDeps } from "../../../functions/handlers/shared/create-step-deps.js";
import { readFixture } from "../../read-fixture.js";
import { WebhookReceiver } from "../adapters/http/webhook-receiver.js";
import { DETAIL_EXAMPLES, SOURCE_COMMIT } from "../core/contracts/detail-examples.js";
import { COMMIT_INFO, LINKS, PULL_REQUEST_URL, proposal } from "../core/notify/notify-test-kit.js";
import { handlerDeps } from "./handler-test-kit.js";
import {
  type InMemoryPublisher,
  lambdaContext,
  OutputCapture,
  shiplineEvent,
} from "./shared/step-test-kit.js";

const slackBody = z.object({
  text: z.string(),
  blocks: z.array(z.object({ type: z.string() }).passthrough()),
});

class RecordingLookup implements JourneyLookup {
  readonly queries: JourneyQuery[] = [];
  info: CommitInfo = COMMIT_INFO;
  async commitInfo(query: JourneyQuery) {
    this.queries.push(query);
    return this.info;
  }
}

describe("notify handler", () => {
  let deps: StepDeps;
  let publisher: InMemoryPublisher;
  let cleanUp: () => Promise<void>;
  let receiver: WebhookReceiver;
  let url: string;
  let lookup: RecordingLookup;
  const output = new OutputCapture();

  beforeEach(async () => {
    ({ deps, publisher, cleanUp } = await handlerDeps("notify"));
    receiver = new WebhookReceiver();
    url = await receiver.start();
    lookup = new RecordingLookup();
    output.start();
  });

  afterEach(async () => {
    output.stop();
    await receiver.stop();
    await cleanUp();
  });

  function handler() {
    return makeNotifyHandler({
      ...deps,
      notifiers: [
        new SlackWebhookNotifier({
          webhookUrl: async () => url,
          maxAttempts: 2,
          sleep: async () => undefined,
        }),
      ],
      lookup,
      links: LINKS,
    });
  }

  it("tells the channel how the journey ended, with the commit's author from the journey", async () => {
    // Arrange
    const event = shiplineEvent("Deployment Verified", DETAIL_EXAMPLES["Deployment Verified"]);

    // Act
    const result = await handler()(event, lambdaContext());

    // Assert
    expect(result).toEqual({ outcome: "notified", delivered: ["slack"], commitKnown: true });
    expect(lookup.queries).toEqual([{ app: "web", commit: SOURCE_COMMIT, environment: "staging" }]);
    const body = slackBody.parse(JSON.parse(receiver.requests[0]?.body ?? ""));
    expect(body.text).toBe(":white_check_mark: web 1.4.0-f485fcc verified in staging");
    expect(JSON.stringify(body.blocks)).toContain("Ada Lovelace &lt;ada@example.com&gt;");
    expect(output.logs("Notified")[0]).toMatchObject({ delivered: ["slack"], commitKnown: true });
    expect(
      output
        .records()
        .map((record) => JSON.stringify(record))
        .join("\n"),
    ).not.toContain(url);
  });

  it("tells the reviewers that a pull request waits for them, linking it first", async () => {
    // Arrange
    const event = shiplineEvent("Pull Request Opened", DETAIL_EXAMPLES["Pull Request Opened"]);

    // Act
    const result = await handler()(event, lambdaContext());

    // Assert
    expect(result).toEqual({ outcome: "notified", delivered: ["slack"], commitKnown: true });
    expect(lookup.queries).toEqual([{ app: "web", commit: SOURCE_COMMIT, environment: "production" }]);
    const body = slackBody.parse(JSON.parse(receiver.requests[0]?.body ?? ""));
    expect(body.text).toBe(":eyes: web 1.4.0-f485fcc waits for review in production");
    const actions = body.blocks.find((block) => block.type === "actions");
    expect(actions?.elements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          text: { type: "plain_text", text: "Review and merge to deploy" },
          url: PULL_REQUEST_URL,
          style: "primary",
        }),
      ]),
    );
  });

  it("does not tell again a pull request update that proposes the image it already proposed", async () => {
    // Arrange
    lookup.info = {
      ...COMMIT_INFO,
      proposals: [proposal({ eventId: "opened-1", at: "2026-03-01T11:00:00Z" })],
    };
    const event = shiplineEvent(
      "Pull Request Opened",
      { ...DETAIL_EXAMPLES["Pull Request Opened"], updated: true },
      "update-1",
    );

    // Act
    const result = await handler()(event, lambdaContext());

    // Assert
    expect(result).toMatchObject({ outcome: "skipped", reason: expect.stringContaining("pull request #42") });
    expect(receiver.requests).toEqual([]);
    expect(output.logs("Not notified: no news")).toHaveLength(1);
  });

  it("does not tell people again about a replayed event", async () => {
    // Arrange
    const event = {
      ...shiplineEvent("Build Failed", DETAIL_EXAMPLES["Build Failed"]),
      "replay-name": "backfill",
    };

    // Act
    const result = await handler()(event, lambdaContext());

    // Assert
    expect(result).toEqual({ outcome: "skipped", reason: "replay backfill" });
    expect(receiver.requests).toEqual([]);
  });

  it("records a channel that refuses the message for good as Step Failed, without the URL", async () => {
    // Arrange
    receiver.answer({ status: 404, body: "no_service" });
    const event = shiplineEvent("Image Rejected", DETAIL_EXAMPLES["Image Rejected"]);

    // Act
    const result = await handler()(event, lambdaContext());

    // Assert
    expect(result).toBeUndefined();
    const [failed] = publisher.details("Step Failed");
    expect(failed).toMatchObject({ step: "notify", code: "NOTIFY_FAILED", app: "web" });
    expect(JSON.stringify(failed)).not.toContain("s3cr3t");
  });

  it("fails the invocation when the channel may accept later, so that it is retried", async () => {
    // Arrange
    receiver.answer({ status: 503, body: "unavailable" });
    const event = shiplineEvent("Rollback Committed", DETAIL_EXAMPLES["Rollback Committed"]);

    // Act
    const error = await handler()(event, lambdaContext()).catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ code: "NOTIFY_FAILED", retryable: true });
    expect(receiver.requests).toHaveLength(2);
    expect(publisher.published).toEqual([]);
  });

  it("tells the channel when one of Shipline's alarms fires, with what to do, looking no journey up", async () => {
    // Arrange
    const event = readFixture("aws/cloudwatch-alarm-state-change.alarm.json");

    // Act
    const result = await handler()(event, lambdaContext());

    // Assert
    expect(result).toEqual({ outcome: "notified", delivered: ["slack"], commitKnown: false });
    expect(lookup.queries).toEqual([]);
    const body = slackBody.parse(JSON.parse(receiver.requests[0]?.body ?? ""));
    expect(body.text).toBe(":x: Alarm: promote has undelivered or unhandled events in its dead-letter queue");
    expect(JSON.stringify(body.blocks)).toContain("To do: inspect and redrive them.");
    expect(JSON.stringify(body.blocks)).toContain(":x: CloudWatch Alarm State Change");
  });

  it("refuses an alarm event that does not follow CloudWatch's contract as a permanent failure", async () => {
    // Arrange
    const event = {
      ...z.object({}).loose().parse(readFixture("aws/cloudwatch-alarm-state-change.alarm.json")),
      detail: {},
    };

    // Act
    await handler()(event, lambdaContext());

    // Assert
    expect(publisher.details("Step Failed")[0]).toMatchObject({ step: "notify", code: "EVENT_INVALID" });
    expect(receiver.requests).toEqual([]);
  });

  it("refuses an event that is not terminal as a permanent failure", async () => {
    // Arrange
    const event = shiplineEvent("Build Started", DETAIL_EXAMPLES["Build Started"]);

    // Act
    await handler()(event, lambdaContext());

    // Assert
    expect(publisher.details("Step Failed")[0]).toMatchObject({ step: "notify", code: "EVENT_INVALID" });
    expect(receiver.requests).toEqual([]);
  });
});
