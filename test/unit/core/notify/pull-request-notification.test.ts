import { describe, expect, it } from "vitest";
import { parseDetail } from "../../../../functions/core/contracts/parse-detail.js";
import {
  pullRequestNotification,
  REVIEW_LINK_LABEL,
} from "../../../../functions/core/notify/pull-request-notification.js";
import { DETAIL_EXAMPLES, IMAGE_DIGEST } from "../contracts/detail-examples.js";
import { COMMIT_INFO, LINKS, PULL_REQUEST_URL, SOURCE_COMMIT } from "./notify-test-kit.js";

function pullRequest(updated: boolean) {
  return parseDetail("Pull Request Opened", { ...DETAIL_EXAMPLES["Pull Request Opened"], updated });
}

function fieldsOf(notification: { fields: readonly { label: string; value: string }[] }) {
  return Object.fromEntries(notification.fields.map((field) => [field.label, field.value]));
}

describe("pullRequestNotification", () => {
  it("asks for a review of an opened pull request: app, environment, image, source commit, and the pull request first", () => {
    // Act
    const notification = pullRequestNotification(pullRequest(false), { commit: COMMIT_INFO, ...LINKS });

    // Assert
    expect(notification.title).toBe("web 1.4.0-f485fcc waits for review in production");
    expect(notification.severity).toBe("review");
    expect(notification.detailType).toBe("Pull Request Opened");
    expect(notification.text).toBe(
      `Pull request #42 proposes web 1.3.2-a399698 → 1.4.0-f485fcc for production; merging it deploys the change. Change: "Serve /healthz" by Ada Lovelace (f485fcc). Review and merge to deploy: ${PULL_REQUEST_URL}`,
    );
    expect(fieldsOf(notification)).toEqual({
      App: "web",
      Environment: "production",
      Tag: "1.3.2-a399698 → 1.4.0-f485fcc",
      "Source commit": "f485fcc Serve /healthz",
      Author: "Ada Lovelace <ada@example.com>",
      "Pull request": "#42 on acme/deploy from shipline/web-production-f485fcc",
      Digest: IMAGE_DIGEST,
    });
    expect(notification.links).toEqual([
      { label: REVIEW_LINK_LABEL, url: PULL_REQUEST_URL, primary: true },
      { label: "Source commit", url: `https://github.com/acme/web/commit/${SOURCE_COMMIT}` },
      { label: "Build log", url: COMMIT_INFO.buildLogUrl },
      { label: "Journey", url: `http://127.0.0.1:4000/#web/${SOURCE_COMMIT}` },
    ]);
  });

  it("says that an updated pull request now proposes the new image", () => {
    // Act
    const notification = pullRequestNotification(pullRequest(true), { commit: COMMIT_INFO });

    // Assert
    expect(notification.title).toBe("web pull request #42 now proposes 1.4.0-f485fcc for production");
    expect(notification.text).toMatch(
      /^Pull request #42 now proposes web 1\.3\.2-a399698 → 1\.4\.0-f485fcc for production in place of the image it proposed before; merging it deploys the new image\./,
    );
    expect(notification.text.endsWith(`Review and merge to deploy: ${PULL_REQUEST_URL}`)).toBe(true);
  });

  it("names the image by its commit and digest, and still links the pull request, when the journey is unknown", () => {
    // Act
    const notification = pullRequestNotification(pullRequest(false), {});

    // Assert
    expect(notification.title).toBe("web f485fcc waits for review in production");
    expect(notification.text).toContain("its message and author are not on record");
    expect(fieldsOf(notification).Tag).toBeUndefined();
    expect(fieldsOf(notification).Digest).toBe(IMAGE_DIGEST);
    expect(notification.links).toEqual([{ label: REVIEW_LINK_LABEL, url: PULL_REQUEST_URL, primary: true }]);
  });
});
