import { describe, expect, it } from "vitest";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import type { JourneyLookup, JourneyQuery } from "../../../../functions/core/notify/journey-lookup.js";
import type { Notification, Notifier } from "../../../../functions/core/notify/notification.js";
import { notifyTerminalEvent } from "../../../../functions/core/notify/notify-terminal-event.js";
import { COMMIT_INFO, LINKS, SOURCE_COMMIT, terminalEvent } from "./notify-test-kit.js";

class RecordingNotifier implements Notifier {
  readonly sent: Notification[] = [];
  constructor(
    readonly channel: string,
    private readonly failure?: Error,
  ) {}
  async send(notification: Notification): Promise<void> {
    if (this.failure) throw this.failure;
    this.sent.push(notification);
  }
}

class RecordingLookup implements JourneyLookup {
  readonly queries: JourneyQuery[] = [];
  async commitInfo(query: JourneyQuery) {
    this.queries.push(query);
    return COMMIT_INFO;
  }
}

describe("notifyTerminalEvent", () => {
  it("looks the commit up for the event's environment and delivers the notification to every channel", async () => {
    // Arrange
    const lookup = new RecordingLookup();
    const slack = new RecordingNotifier("slack");
    const sns = new RecordingNotifier("sns");

    // Act
    const result = await notifyTerminalEvent({
      event: terminalEvent("Deployment Verified"),
      lookup,
      notifiers: [slack, sns],
      links: LINKS,
    });

    // Assert
    expect(lookup.queries).toEqual([{ app: "web", commit: SOURCE_COMMIT, environment: "staging" }]);
    expect(result.delivered).toEqual(["slack", "sns"]);
    expect(result.commitKnown).toBe(true);
    expect(slack.sent).toEqual([result.notification]);
    expect(sns.sent).toEqual([result.notification]);
    expect(result.notification.fields).toContainEqual({
      label: "Author",
      value: "Ada Lovelace <ada@example.com>",
    });
  });

  it("tries every channel and then fails with a retryable error naming the one that failed", async () => {
    // Arrange
    const slack = new RecordingNotifier(
      "slack",
      new ShiplineError({ code: "NOTIFY_SLACK_UNAVAILABLE", message: "Slack answered 503", retryable: true }),
    );
    const sns = new RecordingNotifier("sns");

    // Act
    const error = await notifyTerminalEvent({
      event: terminalEvent("Build Failed"),
      notifiers: [slack, sns],
    }).catch((caught: unknown) => caught);

    // Assert
    expect(error).toBeInstanceOf(ShiplineError);
    expect(error).toMatchObject({
      code: "NOTIFY_FAILED",
      retryable: true,
      data: { delivered: ["sns"], failures: [{ channel: "slack", code: "NOTIFY_SLACK_UNAVAILABLE" }] },
    });
    expect(sns.sent).toHaveLength(1);
  });

  it("fails permanently when every failed channel refused the message for good", async () => {
    // Arrange
    const slack = new RecordingNotifier(
      "slack",
      new ShiplineError({ code: "NOTIFY_SLACK_REJECTED", message: "Slack answered 404 no_service" }),
    );

    // Act
    const error = await notifyTerminalEvent({
      event: terminalEvent("Image Rejected"),
      notifiers: [slack],
    }).catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ code: "NOTIFY_FAILED", retryable: false });
  });

  it("notifies without commit details when no lookup is given", async () => {
    // Arrange
    const sns = new RecordingNotifier("sns");

    // Act
    const result = await notifyTerminalEvent({
      event: terminalEvent("Rollback Committed"),
      notifiers: [sns],
    });

    // Assert
    expect(result.commitKnown).toBe(false);
    expect(sns.sent[0]?.title).toBe("web rolled back in staging");
  });
});
