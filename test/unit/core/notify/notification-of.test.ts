import { describe, expect, it } from "vitest";
import { notificationOf } from "../../../../functions/core/notify/notification-of.js";
import { COMMIT_INFO, CONFIG_COMMIT, LINKS, SOURCE_COMMIT, terminalEvent } from "./notify-test-kit.js";

function fieldsOf(notification: { fields: readonly { label: string; value: string }[] }) {
  return Object.fromEntries(notification.fields.map((field) => [field.label, field.value]));
}

function linksOf(notification: { links: readonly { label: string; url: string }[] }) {
  return Object.fromEntries(notification.links.map((link) => [link.label, link.url]));
}

describe("notificationOf", () => {
  it("tells a verified deployment with the old and new tag, the commit's subject and author, and every link", () => {
    // Arrange
    const event = terminalEvent("Deployment Verified", { durationSeconds: 117 });

    // Act
    const notification = notificationOf({ event, context: { commit: COMMIT_INFO, ...LINKS } });

    // Assert
    expect(notification.title).toBe("web 1.4.0-f485fcc verified in staging");
    expect(notification.severity).toBe("success");
    expect(notification.environment).toBe("staging");
    expect(notification.text).toContain("staging now runs web 1.3.2-a399698 → 1.4.0-f485fcc");
    expect(notification.text).toContain('"Serve /healthz" by Ada Lovelace');
    expect(fieldsOf(notification)).toMatchObject({
      App: "web",
      Environment: "staging",
      Tag: "1.3.2-a399698 → 1.4.0-f485fcc",
      "Source commit": "f485fcc Serve /healthz",
      Author: "Ada Lovelace <ada@example.com>",
      "Argo CD application": "web-staging (cluster eu-staging)",
      "Verified in": "1m 57s",
    });
    expect(linksOf(notification)).toEqual({
      "Source commit": `https://github.com/acme/web/commit/${SOURCE_COMMIT}`,
      "Config commit": `https://github.com/acme/deploy/commit/${CONFIG_COMMIT}`,
      "Argo CD application": "https://argocd.example.com/applications/web-staging",
      "Build log": COMMIT_INFO.buildLogUrl,
      Journey: `http://127.0.0.1:4000/#web/${SOURCE_COMMIT}`,
    });
  });

  it("tells a failed deployment with its reason, status and failing resources", () => {
    // Arrange
    const event = terminalEvent("Deployment Failed", { tag: "1.4.0-f485fcc", syncStatus: "Synced" });

    // Act
    const notification = notificationOf({ event, context: { commit: COMMIT_INFO, ...LINKS } });

    // Assert
    expect(notification.title).toBe("web 1.4.0-f485fcc failed in staging");
    expect(notification.severity).toBe("failure");
    expect(notification.text).toContain("failed: Deployment web is Degraded: readiness probe failed.");
    expect(fieldsOf(notification)).toMatchObject({
      Reason: "Deployment web is Degraded: readiness probe failed",
      Status: "sync Synced, health Degraded",
      "Failing resources": "Deployment/web/web (Degraded)",
      Tag: "1.3.2-a399698 → 1.4.0-f485fcc",
    });
    expect(notification.links[0]).toEqual({
      label: "Argo CD application",
      url: "https://argocd.example.com/applications/web-staging",
    });
  });

  it("tells a rejected image with the verdict and its blocking findings", () => {
    // Arrange
    const blocking = Array.from({ length: 7 }, (_, index) => ({
      id: `CVE-2026-000${index}`,
      severity: "HIGH",
      package: "openssl",
      installedVersion: "3.0.1",
      fixedVersion: "3.0.2",
    }));
    const event = terminalEvent("Image Rejected", { blocking, counts: { HIGH: 7, LOW: 0 } });

    // Act
    const notification = notificationOf({ event, context: { commit: COMMIT_INFO, ...LINKS } });

    // Assert
    expect(notification.title).toBe("web 1.4.0-f485fcc rejected by the scan gate");
    expect(notification.environment).toBeUndefined();
    const fields = fieldsOf(notification);
    expect(fields.Verdict).toBe("1 CRITICAL finding at or above HIGH");
    expect(fields.Findings).toBe("HIGH 7");
    expect(fields["Blocking findings"]?.split("\n")).toEqual([
      "CVE-2026-0000 HIGH in openssl 3.0.1, fixed in 3.0.2",
      "CVE-2026-0001 HIGH in openssl 3.0.1, fixed in 3.0.2",
      "CVE-2026-0002 HIGH in openssl 3.0.1, fixed in 3.0.2",
      "CVE-2026-0003 HIGH in openssl 3.0.1, fixed in 3.0.2",
      "CVE-2026-0004 HIGH in openssl 3.0.1, fixed in 3.0.2",
      "and 2 more",
    ]);
    expect(linksOf(notification)["Build log"]).toBe(COMMIT_INFO.buildLogUrl);
  });

  it("tells an image the app's accept policy refused: the rule and the reason", () => {
    // Arrange
    const event = terminalEvent("Image Refused");

    // Act
    const notification = notificationOf({ event, context: { commit: COMMIT_INFO, ...LINKS } });

    // Assert
    expect(notification.title).toBe("web 1.4.0-f485fcc refused by accept.branches");
    expect(notification.severity).toBe("failure");
    expect(notification.text).toContain(
      "will not be deployed: commit 3f2a1b9 is on branch feature/login only",
    );
    const fields = fieldsOf(notification);
    expect(fields.Rule).toBe("accept.branches");
    expect(fields.Reason).toContain("accept.branches (main, release/*) does not allow");
  });

  it("tells a rollback: which config commit was reverted, the tag it goes back to and why", () => {
    // Arrange
    const event = terminalEvent("Rollback Committed");

    // Act
    const notification = notificationOf({ event, context: { commit: COMMIT_INFO, ...LINKS } });

    // Assert
    expect(notification.title).toBe("web rolled back in staging");
    expect(notification.severity).toBe("warning");
    expect(notification.text).toContain(
      "Shipline reverted config commit 3b18e51 in staging, so web goes back to 1.3.2-a399698: Deployment Failed: readiness probe failed.",
    );
    expect(fieldsOf(notification).Tag).toBe("1.4.0-f485fcc → 1.3.2-a399698");
    expect(linksOf(notification)).toMatchObject({
      "Revert commit": "https://github.com/acme/deploy/commit/9fceb02d0ae598e95dc970b74767f19372d61af8",
      "Reverted commit": `https://github.com/acme/deploy/commit/${CONFIG_COMMIT}`,
    });
  });

  it("tells a failed build with its status, phase and the build log of the event", () => {
    // Arrange
    const event = terminalEvent("Build Failed", {
      durationSeconds: 42,
      logsUrl: "https://logs.example.com/web-build/1",
    });

    // Act
    const notification = notificationOf({ event, context: { commit: COMMIT_INFO, ...LINKS } });

    // Assert
    expect(notification.title).toBe("web build failed at f485fcc");
    expect(notification.text).toContain("ended FAILED in its BUILD phase: npm test exited with code 1.");
    expect(fieldsOf(notification)).toMatchObject({
      Status: "FAILED",
      "Failed phase": "BUILD",
      "Ran for": "42s",
    });
    expect(linksOf(notification)["Build log"]).toBe("https://logs.example.com/web-build/1");
  });

  it("still tells what happened when the journey knows nothing of the commit, and links nothing it cannot name", () => {
    // Arrange
    const event = terminalEvent("Deployment Verified");

    // Act
    const notification = notificationOf({ event, context: {} });

    // Assert
    expect(notification.title).toBe("web f485fcc verified in staging");
    expect(notification.text).toContain("its message and author are not on record");
    const fields = fieldsOf(notification);
    expect(fields["Source commit"]).toBe("f485fcc");
    expect(fields.Author).toBeUndefined();
    expect(fields.Tag).toBeUndefined();
    expect(notification.links).toEqual([]);
  });

  it("names a verified rollback as such instead of a new tag", () => {
    // Arrange
    const event = terminalEvent("Deployment Verified", { kind: "revert" });

    // Act
    const notification = notificationOf({ event, context: { commit: COMMIT_INFO } });

    // Assert
    expect(notification.title).toBe("web rollback verified in staging");
    expect(notification.severity).toBe("warning");
  });
});
