import { describe, expect, it } from "vitest";
import { classify, edited, giteaHeaders, objectsOf, webhookFixture } from "./webhook-test-kit.js";

const PUSH = webhookFixture("gitea-push.branch-update.json");

describe("classifyWebhook for Gitea and Forgejo", () => {
  it("normalises a Gitea push, even though Gitea also sends X-GitHub-Event", () => {
    // Arrange
    const headers = giteaHeaders(PUSH);

    // Act
    const result = classify(headers, PUSH);

    // Assert
    expect(result.kind).toBe("push");
    if (result.kind !== "push") return;
    expect(result.deliveryKey).toBe("gitea:f6266f16-1bf3-46a5-9ea4-602e06ead473");
    expect(result.details[0]).toMatchObject({
      provider: "gitea",
      commit: "5555555555555555555555555555555555555555",
      repository: { name: "web", fullName: "acme/web", url: "https://gitea.example.com/acme/web.git" },
      ref: "refs/heads/develop",
      refName: "develop",
      pathsKnown: true,
      commitsTruncated: false,
      pusher: { name: "linus", email: "linus@example.com" },
      commits: [{ added: ["src/health.ts"], modified: ["src/server.ts"], removed: [] }],
    });
  });

  it("never carries the secret old Gitea versions put in the body", () => {
    // Arrange
    const headers = giteaHeaders(PUSH);

    // Act
    const result = classify(headers, PUSH);

    // Assert
    expect(result.kind).toBe("push");
    expect(JSON.stringify(result)).not.toContain("legacy-secret-in-body-must-not-leak");
  });

  it("normalises a Forgejo push and checks X-Forgejo-Signature", () => {
    // Arrange
    const headers = giteaHeaders(PUSH, { host: "forgejo" });

    // Act
    const result = classify(headers, PUSH);

    // Assert
    expect(result).toMatchObject({ kind: "push", provider: "gitea" });
  });

  it("does not let a good X-Gitea-Signature rescue a bad X-Forgejo-Signature", () => {
    // Arrange
    const headers = { ...giteaHeaders(PUSH, { host: "forgejo" }), "x-forgejo-signature": "0".repeat(64) };

    // Act
    const result = classify(headers, PUSH);

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 401 });
    if (result.kind === "rejected") expect(result.reason).toContain("X-Forgejo-Signature does not match");
  });

  it("rejects a push signed with another secret with 401", () => {
    // Arrange
    const headers = giteaHeaders(PUSH, { secret: "another-secret" });

    // Act
    const result = classify(headers, PUSH);

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 401, provider: "gitea" });
  });

  it("rejects a push without X-Gitea-Signature even when X-Hub-Signature-256 is present", () => {
    // Arrange
    const { "x-gitea-signature": _dropped, ...headers } = giteaHeaders(PUSH);

    // Act
    const result = classify(headers, PUSH);

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 401 });
    if (result.kind === "rejected") expect(result.reason).toContain("has no X-Gitea-Signature header");
  });

  it("marks the paths unknown when Gitea capped the commit list", () => {
    // Arrange
    const body = edited(PUSH, (payload) => {
      payload.total_commits = 12;
    });

    // Act
    const result = classify(giteaHeaders(body), body);

    // Assert
    expect(result.kind === "push" && result.details[0]).toMatchObject({
      commitsTruncated: true,
      pathsKnown: false,
    });
  });

  it("marks the paths unknown when the commits carry no path lists", () => {
    // Arrange
    const body = edited(PUSH, (payload) => {
      payload.commits = objectsOf(payload.commits).map(({ added, removed, modified, ...commit }) => commit);
    });

    // Act
    const result = classify(giteaHeaders(body), body);

    // Assert
    expect(result.kind === "push" && result.details[0]).toMatchObject({ pathsKnown: false });
  });

  it("ignores a branch deletion pushed as a push event", () => {
    // Arrange
    const body = edited(PUSH, (payload) => {
      Object.assign(payload, { after: "0".repeat(40), commits: [], total_commits: 0, head_commit: null });
    });

    // Act
    const result = classify(giteaHeaders(body), body);

    // Assert
    expect(result).toMatchObject({
      kind: "ignored",
      reason: "Gitea branch 'develop' was deleted; nothing to build",
    });
  });

  it("ignores Gitea's delete event", () => {
    // Arrange
    const body = Buffer.from('{"ref":"develop","ref_type":"branch"}');

    // Act
    const result = classify(giteaHeaders(body, { event: "delete" }), body);

    // Assert
    expect(result).toMatchObject({
      kind: "ignored",
      reason: 'Gitea event "delete" is not a push; nothing to publish',
    });
  });

  it("takes X-Forgejo-Delivery as the delivery id of a Forgejo request", () => {
    // Arrange
    const headers = {
      ...giteaHeaders(PUSH, { host: "forgejo" }),
      "x-forgejo-delivery": "forgejo-delivery-1",
    };

    // Act
    const result = classify(headers, PUSH);

    // Assert
    expect(result).toMatchObject({ kind: "push", deliveryId: "forgejo-delivery-1" });
  });
});
