import { describe, expect, it } from "vitest";
import type { Notification, Notifier } from "../../../../functions/core/notify/notification.js";
import { notifyTerminalEvent } from "../../../../functions/core/notify/notify-terminal-event.js";
import { LINKS, terminalEvent } from "./notify-test-kit.js";

class RecordingNotifier implements Notifier {
  readonly channel = "slack";
  readonly sent: Notification[] = [];
  async send(notification: Notification): Promise<void> {
    this.sent.push(notification);
  }
}

describe("notify: holds and waiting images", () => {
  it("tells who held an environment by hand, why, and the command that releases it", async () => {
    // Arrange
    const slack = new RecordingNotifier();

    // Act
    await notifyTerminalEvent({
      event: terminalEvent("Hold Placed", {
        placedBy: "Alice Operator",
        reason: 'Revert "deploy(staging): web"',
      }),
      notifiers: [slack],
      links: LINKS,
    });

    // Assert
    expect(slack.sent[0]).toMatchObject({
      detailType: "Hold Placed",
      title: "web held in staging by Alice Operator",
      severity: "warning",
    });
    expect(slack.sent[0]?.fields).toContainEqual({
      label: "Release with",
      value: "shipline release web staging",
    });
  });

  it("tells that an image waits behind a hold, with the release command", async () => {
    // Arrange
    const slack = new RecordingNotifier();

    // Act
    await notifyTerminalEvent({
      event: terminalEvent("Promotion Waiting", {
        waitingFor: "hold",
        heldBy: "Alice Operator",
        command: "shipline release web production",
      }),
      notifiers: [slack],
      links: LINKS,
    });

    // Assert
    expect(slack.sent[0]?.title).toBe(
      "web 1.4.0-f485fcc waits behind a hold placed by Alice Operator in production",
    );
    expect(slack.sent[0]?.text).toContain("To move it on: shipline release web production.");
  });

  it.each([
    ["a rollback's own hold", "Hold Placed", { placedBy: "rollback" }],
    ["an image soaking", "Promotion Waiting", { waitingFor: "soak", until: "2026-03-01T12:10:00Z" }],
  ] as const)("stays quiet about %s", async (_what, detailType, overrides) => {
    // Arrange
    const slack = new RecordingNotifier();

    // Act
    const result = await notifyTerminalEvent({
      event: terminalEvent(detailType, overrides),
      notifiers: [slack],
      links: LINKS,
    });

    // Assert
    expect(result.outcome).toBe("skipped");
    expect(slack.sent).toEqual([]);
  });
});
