import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SlackWebhookNotifier } from "../../../../functions/adapters/http/slack-webhook-notifier.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { notificationOf } from "../../../../functions/core/notify/notification-of.js";
import { slackMessageOf } from "../../../../functions/core/notify/slack-message.js";
import { COMMIT_INFO, LINKS, terminalEvent } from "../../core/notify/notify-test-kit.js";
import { WebhookReceiver } from "./webhook-receiver.js";

const notification = notificationOf({
  event: terminalEvent("Deployment Verified"),
  context: { commit: COMMIT_INFO, ...LINKS },
});

async function rejectionOf(promise: Promise<unknown>): Promise<ShiplineError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ShiplineError) return error;
    throw error;
  }
  throw new Error("expected a ShiplineError, but the promise resolved");
}

describe("SlackWebhookNotifier", () => {
  let receiver: WebhookReceiver;
  let url: string;
  let waits: number[];

  beforeEach(async () => {
    receiver = new WebhookReceiver();
    url = await receiver.start();
    waits = [];
  });

  afterEach(async () => {
    await receiver.stop();
  });

  function notifier(options: { maxAttempts?: number; maxDelayMs?: number } = {}) {
    return new SlackWebhookNotifier({
      webhookUrl: async () => url,
      sleep: async (ms) => {
        waits.push(ms);
      },
      now: () => Date.parse("2026-03-01T12:00:00Z"),
      ...options,
    });
  }

  it("posts the notification as incoming-webhook JSON", async () => {
    // Act
    await notifier().send(notification);

    // Assert
    const [request] = receiver.requests;
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/services/T000/B000/s3cr3tPathToken");
    expect(request?.contentType).toBe("application/json; charset=utf-8");
    expect(JSON.parse(request?.body ?? "")).toEqual(slackMessageOf(notification));
  });

  it("tries again after a 429, honouring Retry-After, and after a 500 with back-off", async () => {
    // Arrange
    receiver.answer(
      { status: 429, body: "rate_limited", headers: { "retry-after": "2" } },
      { status: 500, body: "oops" },
      { status: 429, headers: { "retry-after": "Sun, 01 Mar 2026 12:00:03 GMT" } },
      { status: 200, body: "ok" },
    );

    // Act
    await notifier().send(notification);

    // Assert
    expect(receiver.requests).toHaveLength(4);
    expect(waits).toEqual([2000, 1000, 3000]);
    expect(new Set(receiver.requests.map((request) => request.body)).size).toBe(1);
  });

  it("gives up with a retryable error after its attempts, without the URL in the error", async () => {
    // Arrange
    receiver.answer({ status: 503, body: "service_unavailable" });

    // Act
    const error = await rejectionOf(notifier({ maxAttempts: 3 }).send(notification));

    // Assert
    expect(receiver.requests).toHaveLength(3);
    expect(error.code).toBe("NOTIFY_SLACK_UNAVAILABLE");
    expect(error.retryable).toBe(true);
    expect(error.message).toContain("HTTP 503 (service_unavailable)");
    expect(JSON.stringify({ message: error.message, data: error.data })).not.toContain("s3cr3t");
  });

  it("gives up at once, retryably, when Retry-After asks to wait longer than it may", async () => {
    // Arrange
    receiver.answer({ status: 429, headers: { "retry-after": "120" } });

    // Act
    const error = await rejectionOf(notifier({ maxDelayMs: 30_000 }).send(notification));

    // Assert
    expect(receiver.requests).toHaveLength(1);
    expect(waits).toEqual([]);
    expect(error).toMatchObject({ code: "NOTIFY_SLACK_UNAVAILABLE", retryable: true });
    expect(error.message).toContain("asking to wait 120s");
  });

  it("fails permanently on another 4xx, with Slack's answer and without the URL", async () => {
    // Arrange
    receiver.answer({ status: 404, body: "no_service" });

    // Act
    const error = await rejectionOf(notifier().send(notification));

    // Assert
    expect(receiver.requests).toHaveLength(1);
    expect(error).toMatchObject({ code: "NOTIFY_SLACK_REJECTED", retryable: false, data: { status: 404 } });
    expect(error.message).toContain("HTTP 404 (no_service)");
    expect(error.message).not.toContain("s3cr3t");
  });

  it("tries again when the receiver cannot be reached", async () => {
    // Arrange
    await receiver.stop();

    // Act
    const error = await rejectionOf(notifier({ maxAttempts: 2 }).send(notification));

    // Assert
    expect(error).toMatchObject({ code: "NOTIFY_SLACK_UNAVAILABLE", retryable: true });
    expect(waits).toEqual([500]);
    expect(error.message).not.toContain("127.0.0.1");
  });

  it("refuses a URL that is not http(s) without echoing it", async () => {
    // Arrange
    const slack = new SlackWebhookNotifier({ webhookUrl: async () => "hooks.slack.com/services/SECRET" });

    // Act
    const error = await rejectionOf(slack.send(notification));

    // Assert
    expect(error).toMatchObject({ code: "NOTIFY_CONFIG_INVALID", retryable: false });
    expect(error.message).not.toContain("SECRET");
  });
});
