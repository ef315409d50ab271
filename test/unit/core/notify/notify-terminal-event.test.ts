import { describe, expect, it } from "vitest";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import type {
  CommitInfo,
  JourneyLookup,
  JourneyQuery,
} from "../../../../functions/core/notify/journey-lookup.js";
import type { Notification, Notifier } from "../../../../functions/core/notify/notification.js";
import {
  type NotifyResult,
  notifyTerminalEvent,
} from "../../../../functions/core/notify/notify-terminal-event.js";
import {
  COMMIT_INFO,
  LINKS,
  PULL_REQUEST_URL,
  proposal,
  SOURCE_COMMIT,
  terminalEvent,
} from "./notify-test-kit.js";

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
  constructor(private readonly info: CommitInfo = COMMIT_INFO) {}
  async commitInfo(query: JourneyQuery) {
    this.queries.push(query);
    return this.info;
  }
}

/** The result of a notification that was sent; fails the test when it was skipped. */
function notified(result: NotifyResult) {
  if (result.outcome !== "notified") throw new Error(`expected a notification, got ${result.reason}`);
  return result;
}

describe("notifyTerminalEvent", () => {
  it("looks the commit up for the event's environment and delivers the notification to every channel", async () => {
    // Arrange
    const lookup = new RecordingLookup();
    const slack = new RecordingNotifier("slack");
    const sns = new RecordingNotifier("sns");

    // Act
    const result = notified(
      await notifyTerminalEvent({
        event: terminalEvent("Deployment Verified"),
        lookup,
        notifiers: [slack, sns],
        links: LINKS,
      }),
    );

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
    const result = notified(
      await notifyTerminalEvent({
        event: terminalEvent("Rollback Committed"),
        notifiers: [sns],
      }),
    );

    // Assert
    expect(result.commitKnown).toBe(false);
    expect(sns.sent[0]?.title).toBe("web rolled back in staging");
  });

  it("tells the reviewers of a pull request that now proposes another image", async () => {
    // Arrange
    const earlier = proposal({ digest: `sha256:${"0".repeat(64)}`, at: "2026-03-01T11:00:00Z" });
    const lookup = new RecordingLookup({ ...COMMIT_INFO, proposals: [earlier] });
    const slack = new RecordingNotifier("slack");
    const event = {
      ...terminalEvent("Pull Request Opened", { updated: true }),
      id: "update-1",
      time: "2026-03-01T12:00:00Z",
    };

    // Act
    const result = await notifyTerminalEvent({ event, lookup, notifiers: [slack] });

    // Assert
    expect(lookup.queries).toEqual([{ app: "web", commit: SOURCE_COMMIT, environment: "production" }]);
    expect(result).toMatchObject({ outcome: "notified", delivered: ["slack"] });
    expect(slack.sent[0]?.title).toBe("web pull request #42 now proposes 1.4.0-f485fcc for production");
    expect(slack.sent[0]?.links[0]).toEqual({
      label: "Review and merge to deploy",
      url: PULL_REQUEST_URL,
      primary: true,
    });
  });

  it("tells nobody again when an update proposes the image the pull request already proposed", async () => {
    // Arrange
    const earlier = proposal({ eventId: "opened-1", at: "2026-03-01T11:00:00Z" });
    const lookup = new RecordingLookup({ ...COMMIT_INFO, proposals: [earlier] });
    const slack = new RecordingNotifier("slack");
    const event = {
      ...terminalEvent("Pull Request Opened", { updated: true }),
      id: "update-1",
      time: "2026-03-01T12:00:00Z",
    };

    // Act
    const result = await notifyTerminalEvent({ event, lookup, notifiers: [slack] });

    // Assert
    expect(result).toEqual({
      outcome: "skipped",
      reason: `pull request #42 already proposed ${earlier.digest} in production`,
    });
    expect(slack.sent).toEqual([]);
  });
});
