import { describe, expect, it } from "vitest";
import { notificationOf } from "../../../../functions/core/notify/notification-of.js";
import { SNS_SUBJECT_LIMIT, snsMessageOf } from "../../../../functions/core/notify/sns-message.js";
import { COMMIT_INFO, LINKS, PULL_REQUEST_URL, terminalEvent } from "./notify-test-kit.js";

describe("snsMessageOf", () => {
  it("writes a subject, a plain-text message and the attributes subscriptions filter on", () => {
    // Arrange
    const notification = notificationOf({
      event: terminalEvent("Deployment Failed", { tag: "1.4.0-f485fcc" }),
      context: { commit: COMMIT_INFO, ...LINKS },
    });

    // Act
    const message = snsMessageOf(notification);

    // Assert
    expect(message.subject).toBe("Shipline: web 1.4.0-f485fcc failed in staging");
    expect(message.message.split("\n").slice(0, 3)).toEqual([
      "web 1.4.0-f485fcc failed in staging",
      "",
      notification.text,
    ]);
    expect(message.message).toContain("Tag: 1.3.2-a399698 → 1.4.0-f485fcc\n");
    expect(message.message).toContain(
      "Argo CD application: https://argocd.example.com/applications/web-staging\n",
    );
    expect(message.attributes).toEqual({
      app: { DataType: "String", StringValue: "web" },
      environment: { DataType: "String", StringValue: "staging" },
      detailType: { DataType: "String", StringValue: "Deployment Failed" },
      severity: { DataType: "String", StringValue: "failure" },
    });
  });

  it("indents the further lines of a multi-line field", () => {
    // Arrange
    const blocking = [
      { id: "CVE-1", severity: "HIGH" },
      { id: "CVE-2", severity: "HIGH" },
    ];
    const notification = notificationOf({
      event: terminalEvent("Image Rejected", { blocking }),
      context: {},
    });

    // Act
    const { message, attributes } = snsMessageOf(notification);

    // Assert
    expect(message).toContain("Blocking findings: CVE-1 HIGH\n  CVE-2 HIGH\n");
    expect(attributes.environment).toBeUndefined();
  });

  it("keeps the subject to one line of printable ASCII under 100 characters", () => {
    // Arrange
    const notification = {
      ...notificationOf({ event: terminalEvent("Build Failed"), context: {} }),
      title: `café → naïve 🚀\nsecond line ${"x".repeat(200)}`,
    };

    // Act
    const { subject } = snsMessageOf(notification);

    // Assert
    expect(subject.length).toBeLessThanOrEqual(SNS_SUBJECT_LIMIT);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    expect(subject.startsWith("Shipline: cafe -> naive ?? second line xxx")).toBe(true);
    expect(subject.endsWith("...")).toBe(true);
  });

  it("asks for a review of an opened pull request, with its URL in the text and as the first link", () => {
    // Arrange
    const notification = notificationOf({
      event: terminalEvent("Pull Request Opened"),
      context: { commit: COMMIT_INFO, ...LINKS },
    });

    // Act
    const { subject, message, attributes } = snsMessageOf(notification);

    // Assert
    expect(subject).toBe("Shipline: web 1.4.0-f485fcc waits for review in production");
    const lines = message.split("\n");
    expect(lines[2]).toMatch(
      /^Pull request #42 proposes web 1\.3\.2-a399698 → 1\.4\.0-f485fcc for production;/,
    );
    expect(lines[2]?.endsWith(`Review and merge to deploy: ${PULL_REQUEST_URL}`)).toBe(true);
    expect(message).toContain("Pull request: #42 on acme/deploy from shipline/web-production-f485fcc\n");
    const links = lines.slice(lines.indexOf("", 4) + 1);
    expect(links[0]).toBe(`Review and merge to deploy: ${PULL_REQUEST_URL}`);
    expect(attributes).toEqual({
      app: { DataType: "String", StringValue: "web" },
      environment: { DataType: "String", StringValue: "production" },
      detailType: { DataType: "String", StringValue: "Pull Request Opened" },
      severity: { DataType: "String", StringValue: "review" },
    });
  });
});
