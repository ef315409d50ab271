import { describe, expect, it } from "vitest";
import { commitPushedDetail } from "../../../../functions/core/contracts/events/commit-pushed.js";
import { httpStatusOf } from "../../../../functions/core/webhook/webhook-classification.js";
import { classify, edited, githubHeaders, objectsOf, webhookFixture } from "./webhook-test-kit.js";

const PUSH = webhookFixture("github-push.branch-update.json");
const PING = webhookFixture("github-ping.json");
const ZEROS = "0".repeat(40);

describe("classifyWebhook for GitHub", () => {
  it("normalises a branch push into one Commit Pushed detail", () => {
    // Arrange
    const headers = githubHeaders(PUSH);

    // Act
    const result = classify(headers, PUSH);

    // Assert
    expect(result.kind).toBe("push");
    if (result.kind !== "push") return;
    expect(result.provider).toBe("github");
    expect(result.deliveryId).toBe("72d3162e-cc78-11e3-81ab-4c9367dc0958");
    expect(result.deliveryKey).toBe("github:72d3162e-cc78-11e3-81ab-4c9367dc0958");
    expect(result.details).toHaveLength(1);
    expect(result.details[0]).toEqual({
      schemaVersion: 1,
      app: null,
      commit: "2b54c8118521c2c4dcc924c8e3820ef608bc8cc7",
      correlationId: "github:72d3162e-cc78-11e3-81ab-4c9367dc0958",
      provider: "github",
      repository: {
        name: "app",
        fullName: "shipline-demo/app",
        url: "https://github.com/shipline-demo/app.git",
      },
      ref: "refs/heads/main",
      refType: "branch",
      refName: "main",
      before: "e407ccfc756876e2f69b4d242bf35a7f236d3f7a",
      after: "2b54c8118521c2c4dcc924c8e3820ef608bc8cc7",
      forced: false,
      commits: [
        {
          id: "2b54c8118521c2c4dcc924c8e3820ef608bc8cc7",
          message: "Serve /healthz from the app",
          timestamp: "2026-02-20T09:58:12+01:00",
          author: { name: "Ada Lovelace", email: "ada@shipline.test" },
          added: ["src/health.ts"],
          modified: ["src/server.ts", "package.json"],
          removed: [],
        },
      ],
      commitsTruncated: false,
      pathsKnown: true,
      pusher: { name: "ada-shipline", email: "ada@shipline.test" },
      deliveryId: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
    });
    expect(commitPushedDetail.safeParse(result.details[0]).success).toBe(true);
    expect(httpStatusOf(result)).toBe(202);
  });

  it("answers a ping with ping and status 200", () => {
    // Arrange
    const headers = githubHeaders(PING, "ping");

    // Act
    const result = classify(headers, PING);

    // Assert
    expect(result).toMatchObject({ kind: "ping", provider: "github" });
    expect(httpStatusOf(result)).toBe(200);
  });

  it("rejects a ping whose signature is wrong, so a misconfigured secret shows at once", () => {
    // Arrange
    const headers = githubHeaders(PING, "ping", "another-secret");

    // Act
    const result = classify(headers, PING);

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 401 });
  });

  it("rejects a push signed with another secret with 401", () => {
    // Arrange
    const headers = githubHeaders(PUSH, "push", "another-secret");

    // Act
    const result = classify(headers, PUSH);

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 401, provider: "github" });
    if (result.kind === "rejected") expect(result.reason).toContain("X-Hub-Signature-256 does not match");
  });

  it("rejects a push without X-Hub-Signature-256 with 401 and names the header", () => {
    // Arrange
    const { "X-Hub-Signature-256": _dropped, ...headers } = githubHeaders(PUSH);

    // Act
    const result = classify(headers, PUSH);

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 401 });
    if (result.kind === "rejected") expect(result.reason).toContain("has no X-Hub-Signature-256 header");
  });

  it("rejects a push whose body was changed after signing", () => {
    // Arrange
    const headers = githubHeaders(PUSH);
    const tampered = edited(PUSH, (payload) => {
      payload.after = "1111111111111111111111111111111111111111";
    });

    // Act
    const result = classify(headers, tampered);

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 401 });
  });

  it("ignores a branch deletion with a reason and status 202", () => {
    // Arrange
    const body = edited(PUSH, (payload) => {
      Object.assign(payload, { after: ZEROS, deleted: true, commits: [], head_commit: null });
    });

    // Act
    const result = classify(githubHeaders(body), body);

    // Assert
    expect(result).toMatchObject({ kind: "ignored", provider: "github" });
    if (result.kind === "ignored")
      expect(result.reason).toBe("GitHub branch 'main' was deleted; nothing to build");
    expect(httpStatusOf(result)).toBe(202);
  });

  it("ignores a tag deletion with a reason", () => {
    // Arrange
    const body = edited(PUSH, (payload) => {
      Object.assign(payload, { ref: "refs/tags/v1.0.0", after: ZEROS, deleted: true, commits: [] });
    });

    // Act
    const result = classify(githubHeaders(body), body);

    // Assert
    expect(result).toMatchObject({
      kind: "ignored",
      reason: "GitHub tag 'v1.0.0' was deleted; nothing to build",
    });
  });

  it("builds the tagged commit of an annotated tag, not the tag object", () => {
    // Arrange
    const tagObject = "9999999999999999999999999999999999999999";
    const body = edited(PUSH, (payload) => {
      Object.assign(payload, {
        ref: "refs/tags/v2.0.0",
        before: ZEROS,
        after: tagObject,
        created: true,
        commits: [],
      });
    });

    // Act
    const result = classify(githubHeaders(body), body);

    // Assert
    expect(result.kind).toBe("push");
    if (result.kind !== "push") return;
    expect(result.details[0]).toMatchObject({
      refType: "tag",
      refName: "v2.0.0",
      before: ZEROS,
      after: tagObject,
      commit: "2b54c8118521c2c4dcc924c8e3820ef608bc8cc7",
      pathsKnown: false,
    });
  });

  it("marks the paths unknown for a new branch, which has no base to compare with", () => {
    // Arrange
    const body = edited(PUSH, (payload) => {
      Object.assign(payload, { ref: "refs/heads/feature/x", before: ZEROS, created: true });
    });

    // Act
    const result = classify(githubHeaders(body), body);

    // Assert
    expect(result.kind === "push" && result.details[0]).toMatchObject({
      refName: "feature/x",
      pathsKnown: false,
    });
  });

  it("marks the paths unknown for a forced push", () => {
    // Arrange
    const body = edited(PUSH, (payload) => {
      payload.forced = true;
    });

    // Act
    const result = classify(githubHeaders(body), body);

    // Assert
    expect(result.kind === "push" && result.details[0]).toMatchObject({ forced: true, pathsKnown: false });
  });

  it("ignores a push to a ref that is neither a branch nor a tag", () => {
    // Arrange
    const body = edited(PUSH, (payload) => {
      payload.ref = "refs/notes/commits";
    });

    // Act
    const result = classify(githubHeaders(body), body);

    // Assert
    expect(result).toMatchObject({ kind: "ignored" });
    if (result.kind === "ignored") expect(result.reason).toContain("neither a branch nor a tag");
  });

  it("ignores an event other than push or ping, after checking its signature", () => {
    // Arrange
    const body = Buffer.from('{"action":"opened"}');

    // Act
    const result = classify(githubHeaders(body, "issues"), body);

    // Assert
    expect(result).toMatchObject({
      kind: "ignored",
      reason: 'GitHub event "issues" is not a push; nothing to publish',
    });
  });

  it("accepts the form-encoded content type and reads the JSON from its payload field", () => {
    // Arrange
    const form = Buffer.from(new URLSearchParams({ payload: PUSH.toString("utf8") }).toString());
    const headers = { ...githubHeaders(form), "Content-Type": "application/x-www-form-urlencoded" };

    // Act
    const result = classify(headers, form);

    // Assert
    expect(result.kind === "push" && result.details[0]?.after).toBe(
      "2b54c8118521c2c4dcc924c8e3820ef608bc8cc7",
    );
  });

  it("answers 400 with the fix for a form body without a payload field", () => {
    // Arrange
    const form = Buffer.from("data=%7B%7D");
    const headers = { ...githubHeaders(form), "Content-Type": "application/x-www-form-urlencoded" };

    // Act
    const result = classify(headers, form);

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 400 });
    if (result.kind === "rejected") expect(result.reason).toContain("no payload field");
  });

  it("answers 400 naming the field when a push lacks one Shipline reads", () => {
    // Arrange
    const body = edited(PUSH, (payload) => {
      delete payload.repository;
    });

    // Act
    const result = classify(githubHeaders(body), body);

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 400 });
    if (result.kind === "rejected")
      expect(result.reason).toMatch(/^GitHub push payload is not of the expected shape: repository: /);
  });

  it("answers 400 when a commit id is not a git sha", () => {
    // Arrange
    const body = edited(PUSH, (payload) => {
      payload.after = "not-a-sha";
    });

    // Act
    const result = classify(githubHeaders(body), body);

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 400 });
    if (result.kind === "rejected") expect(result.reason).toContain("after: expected a 40 or 64 character");
  });

  it("marks a list of 2048 commits as possibly truncated", () => {
    // Arrange
    const body = edited(PUSH, (payload) => {
      const [commit] = objectsOf(payload.commits);
      payload.commits = Array.from({ length: 2048 }, () => commit);
    });

    // Act
    const result = classify(githubHeaders(body), body, { maxBodyBytes: 10_000_000 });

    // Assert
    expect(result.kind === "push" && result.details[0]).toMatchObject({
      commitsTruncated: true,
      pathsKnown: false,
    });
  });
});
