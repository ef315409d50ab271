import { describe, expect, it } from "vitest";
import type { Notification } from "../../../../functions/core/notify/notification.js";
import { notificationOf } from "../../../../functions/core/notify/notification-of.js";
import {
  escapeMrkdwn,
  SLACK_LIMITS,
  slackMessageOf,
} from "../../../../functions/core/notify/slack-message.js";
import { COMMIT_INFO, LINKS, PULL_REQUEST_URL, terminalEvent } from "./notify-test-kit.js";

describe("escapeMrkdwn", () => {
  it("escapes the three characters Slack's mrkdwn reserves", () => {
    // Act
    const escaped = escapeMrkdwn("<!channel> & <https://evil.example|click> > 1");

    // Assert
    expect(escaped).toBe("&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt; &gt; 1");
  });
});

describe("slackMessageOf", () => {
  it("renders a header, the text, the fields, a context line and one button per link", () => {
    // Arrange
    const notification = notificationOf({
      event: terminalEvent("Deployment Verified"),
      context: { commit: COMMIT_INFO, ...LINKS },
    });

    // Act
    const message = slackMessageOf(notification);

    // Assert
    expect(message.text).toBe(":white_check_mark: web 1.4.0-f485fcc verified in staging");
    expect(message.blocks.map((block) => block.type)).toEqual([
      "header",
      "section",
      "section",
      "context",
      "actions",
    ]);
    expect(message.blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "web 1.4.0-f485fcc verified in staging", emoji: true },
    });
    const fields = message.blocks[2]?.type === "section" ? message.blocks[2].fields : undefined;
    expect(fields).toContainEqual({ type: "mrkdwn", text: "*Tag*\n1.3.2-a399698 → 1.4.0-f485fcc" });
    expect(fields).toContainEqual({ type: "mrkdwn", text: "*Author*\nAda Lovelace &lt;ada@example.com&gt;" });
    const buttons = message.blocks[4]?.type === "actions" ? message.blocks[4].elements : [];
    expect(buttons.map((button) => [button.text.text, button.url])).toEqual(
      notification.links.map((link) => [link.label, link.url]),
    );
    expect(JSON.parse(JSON.stringify(message))).toEqual(message);
  });

  it("escapes a hostile commit message so that it cannot mention the channel or forge a link", () => {
    // Arrange
    const notification = notificationOf({
      event: terminalEvent("Build Failed", { reason: "exit 1 <@U123> & more" }),
      context: { commit: { message: "<!channel> <https://evil.example|docs> fix" } },
    });

    // Act
    const json = JSON.stringify(slackMessageOf(notification));

    // Assert
    expect(json).not.toMatch(/<[!@h]/);
    expect(json).toContain("&lt;!channel&gt; &lt;https://evil.example|docs&gt; fix");
    expect(json).toContain("exit 1 &lt;@U123&gt; &amp; more");
  });

  it("keeps within Block Kit's limits and leaves out links that are not web pages", () => {
    // Arrange
    const notification: Notification = {
      detailType: "Build Failed",
      app: "web",
      commit: "f".repeat(40),
      title: "t".repeat(400),
      text: "&".repeat(4000),
      severity: "failure",
      fields: Array.from({ length: 14 }, (_, index) => ({ label: `F${index}`, value: "v".repeat(3000) })),
      links: [
        { label: "Build log", url: "https://logs.example.com/1" },
        { label: "Local", url: "local:demo-config" },
      ],
    };

    // Act
    const message = slackMessageOf(notification);

    // Assert
    const [header, section, fields, , actions] = message.blocks;
    expect(header?.type === "header" && header.text.text.length).toBe(SLACK_LIMITS.header);
    const text = section?.type === "section" ? (section.text?.text ?? "") : "";
    expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(text).toMatch(/^(&amp;)+…$/);
    const shown = fields?.type === "section" ? (fields.fields ?? []) : [];
    expect(shown).toHaveLength(SLACK_LIMITS.fields);
    for (const field of shown) expect(field.text.length).toBeLessThanOrEqual(SLACK_LIMITS.field);
    expect(actions?.type === "actions" && actions.elements.map((button) => button.url)).toEqual([
      "https://logs.example.com/1",
    ]);
  });

  it("asks for a review of an opened pull request, its URL in the text and on the first, primary button", () => {
    // Arrange
    const notification = notificationOf({
      event: terminalEvent("Pull Request Opened"),
      context: { commit: COMMIT_INFO, ...LINKS },
    });

    // Act
    const message = slackMessageOf(notification);

    // Assert
    expect(message.text).toBe(":eyes: web 1.4.0-f485fcc waits for review in production");
    const [, section, , context, actions] = message.blocks;
    expect(section).toEqual({
      type: "section",
      text: {
        type: "mrkdwn",
        text: `Pull request #42 proposes web 1.3.2-a399698 → 1.4.0-f485fcc for production; merging it deploys the change. Change: "Serve /healthz" by Ada Lovelace (f485fcc). Review and merge to deploy: ${PULL_REQUEST_URL}`,
      },
    });
    expect(context).toEqual({
      type: "context",
      elements: [{ type: "mrkdwn", text: ":eyes: Pull Request Opened · web · production · `f485fcc`" }],
    });
    const buttons = actions?.type === "actions" ? actions.elements : [];
    expect(buttons[0]).toEqual({
      type: "button",
      text: { type: "plain_text", text: "Review and merge to deploy" },
      url: PULL_REQUEST_URL,
      action_id: "shipline-link-0",
      style: "primary",
    });
    expect(buttons.slice(1).map((button) => button.style)).toEqual([undefined, undefined, undefined]);
  });
});
