import { describe, expect, it } from "vitest";
import { httpStatusOf } from "../../../../functions/core/webhook/webhook-classification.js";
import {
  classify,
  edited,
  gitlabSigningHeaders,
  gitlabTokenHeaders,
  NOW,
  SECRET,
  SIGNING_SECRET,
  webhookFixture,
} from "./webhook-test-kit.js";

const PUSH = webhookFixture("gitlab-push-hook.branch-push.json");
const ZEROS = "0".repeat(40);

describe("classifyWebhook for GitLab", () => {
  it("normalises a Push Hook, taking the repository from the project of its subgroup", () => {
    // Arrange
    const headers = gitlabTokenHeaders();

    // Act
    const result = classify(headers, PUSH);

    // Assert
    expect(result.kind).toBe("push");
    if (result.kind !== "push") return;
    expect(result.deliveryId).toBe("0b8f7a6e-5d4c-4b3a-9e8f-7d6c5b4a3e2f");
    expect(result.details[0]).toMatchObject({
      app: null,
      provider: "gitlab",
      commit: "401faa97b16e90247765e3558f8b731d620e015b",
      correlationId: "gitlab:0b8f7a6e-5d4c-4b3a-9e8f-7d6c5b4a3e2f",
      repository: {
        name: "api",
        fullName: "shipline-demo/platform/api",
        url: "https://gitlab.shipline.test/shipline-demo/platform/api.git",
      },
      ref: "refs/heads/main",
      refType: "branch",
      refName: "main",
      before: "be0140c4c3b44614a3c657f81b751b61b379b16c",
      after: "401faa97b16e90247765e3558f8b731d620e015b",
      pusher: { name: "grace", email: "grace@shipline.test" },
      deliveryId: "0b8f7a6e-5d4c-4b3a-9e8f-7d6c5b4a3e2f",
    });
    expect(result.details[0]?.commits.map((commit) => commit.id)).toEqual([
      "f448fb94bb013635500440ffee6338d32837457d",
      "401faa97b16e90247765e3558f8b731d620e015b",
    ]);
    expect(result.details[0]?.commits[1]).toMatchObject({
      added: ["docs/retries.md"],
      modified: ["src/client.ts"],
      removed: ["src/retry.ts"],
      author: { name: "Alan Turing", email: "alan@shipline.test" },
    });
  });

  it("marks the paths unknown when the hook lists 2 of the 4 pushed commits", () => {
    // Arrange
    const headers = gitlabTokenHeaders();

    // Act
    const result = classify(headers, PUSH);

    // Assert
    expect(result.kind === "push" && result.details[0]).toMatchObject({
      commitsTruncated: true,
      pathsKnown: false,
    });
  });

  it("marks the paths known when every pushed commit is listed", () => {
    // Arrange
    const body = edited(PUSH, (payload) => {
      payload.total_commits_count = 2;
    });

    // Act
    const result = classify(gitlabTokenHeaders(), body);

    // Assert
    expect(result.kind === "push" && result.details[0]).toMatchObject({
      commitsTruncated: false,
      pathsKnown: true,
    });
  });

  it("rejects a wrong X-Gitlab-Token with 401", () => {
    // Arrange
    const headers = gitlabTokenHeaders("Push Hook", "not-the-token");

    // Act
    const result = classify(headers, PUSH);

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 401, provider: "gitlab" });
    if (result.kind === "rejected") expect(result.reason).toContain("X-Gitlab-Token is not the secret token");
  });

  it("rejects a request without X-Gitlab-Token or a signature with 401", () => {
    // Arrange
    const { "x-gitlab-token": _dropped, ...headers } = gitlabTokenHeaders();

    // Act
    const result = classify(headers, PUSH);

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 401 });
    if (result.kind === "rejected") expect(result.reason).toContain("has no X-Gitlab-Token header");
  });

  it("accepts a delivery signed with the signing token", () => {
    // Arrange
    const headers = gitlabSigningHeaders(PUSH);

    // Act
    const result = classify(headers, PUSH, { secret: SIGNING_SECRET });

    // Assert
    expect(result.kind).toBe("push");
  });

  it("accepts a signed delivery while both the signing token and the secret token are held", () => {
    // Arrange
    const headers = { ...gitlabSigningHeaders(PUSH), "x-gitlab-token": SECRET };

    // Act
    const result = classify(headers, PUSH, { secret: [SECRET, SIGNING_SECRET] });

    // Assert
    expect(result.kind).toBe("push");
  });

  it("rejects a signed delivery whose body was changed, even with a right X-Gitlab-Token", () => {
    // Arrange
    const headers = { ...gitlabSigningHeaders(PUSH), "x-gitlab-token": SECRET };
    const tampered = edited(PUSH, (payload) => {
      payload.after = "1111111111111111111111111111111111111111";
    });

    // Act
    const result = classify(headers, tampered, { secret: [SECRET, SIGNING_SECRET] });

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 401 });
    if (result.kind === "rejected") expect(result.reason).toContain("webhook-signature does not match");
  });

  it("rejects a signed delivery signed with another signing token", () => {
    // Arrange
    const other = `whsec_${Buffer.from("another key of thirty-two bytes!").toString("base64")}`;
    const headers = gitlabSigningHeaders(PUSH, { secret: other });

    // Act
    const result = classify(headers, PUSH, { secret: SIGNING_SECRET });

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 401 });
  });

  it("rejects a signed delivery older than five minutes, so it cannot be replayed later", () => {
    // Arrange
    const timestamp = Math.floor(NOW.getTime() / 1000) - 600;
    const headers = gitlabSigningHeaders(PUSH, { timestamp });

    // Act
    const result = classify(headers, PUSH, { secret: SIGNING_SECRET });

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 401 });
    if (result.kind === "rejected")
      expect(result.reason).toContain("webhook-timestamp is 600 seconds away from now");
  });

  it("explains that a signed delivery needs the signing token when only a plain secret is held", () => {
    // Arrange
    const headers = gitlabSigningHeaders(PUSH);

    // Act
    const result = classify(headers, PUSH, { secret: SECRET });

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 401 });
    if (result.kind === "rejected")
      expect(result.reason).toContain("a GitLab signing token (whsec_<base64>)");
  });

  it("normalises a Tag Push Hook, building the tagged commit", () => {
    // Arrange
    const tagObject = "8888888888888888888888888888888888888888";
    const body = edited(PUSH, (payload) => {
      Object.assign(payload, {
        object_kind: "tag_push",
        event_name: "tag_push",
        ref: "refs/tags/v1.0.0",
        before: ZEROS,
        after: tagObject,
        checkout_sha: "401faa97b16e90247765e3558f8b731d620e015b",
        commits: [],
        total_commits_count: 0,
      });
    });

    // Act
    const result = classify(gitlabTokenHeaders("Tag Push Hook"), body);

    // Assert
    expect(result.kind === "push" && result.details[0]).toMatchObject({
      refType: "tag",
      refName: "v1.0.0",
      after: tagObject,
      commit: "401faa97b16e90247765e3558f8b731d620e015b",
      pathsKnown: false,
    });
  });

  it("ignores a branch deletion with a reason and status 202", () => {
    // Arrange
    const body = edited(PUSH, (payload) => {
      Object.assign(payload, { after: ZEROS, checkout_sha: null, commits: [], total_commits_count: 0 });
    });

    // Act
    const result = classify(gitlabTokenHeaders(), body);

    // Assert
    expect(result).toMatchObject({
      kind: "ignored",
      reason: "GitLab branch 'main' was deleted; nothing to build",
    });
    expect(httpStatusOf(result)).toBe(202);
  });

  it("ignores a tag deletion with a reason", () => {
    // Arrange
    const body = edited(PUSH, (payload) => {
      Object.assign(payload, { object_kind: "tag_push", ref: "refs/tags/v0.9.0", after: ZEROS, commits: [] });
    });

    // Act
    const result = classify(gitlabTokenHeaders("Tag Push Hook"), body);

    // Assert
    expect(result).toMatchObject({
      kind: "ignored",
      reason: "GitLab tag 'v0.9.0' was deleted; nothing to build",
    });
  });

  it("ignores a Merge Request Hook as not a push", () => {
    // Arrange
    const body = Buffer.from('{"object_kind":"merge_request"}');

    // Act
    const result = classify(gitlabTokenHeaders("Merge Request Hook"), body);

    // Assert
    expect(result).toMatchObject({
      kind: "ignored",
      reason: 'GitLab event "Merge Request Hook" is not a push; nothing to publish',
    });
  });

  it("falls back to X-Gitlab-Event-UUID as the delivery id on GitLab versions without Idempotency-Key", () => {
    // Arrange
    const { "idempotency-key": _dropped, ...headers } = gitlabTokenHeaders();

    // Act
    const result = classify(headers, PUSH);

    // Assert
    expect(result).toMatchObject({ kind: "push", deliveryId: "c1a2b3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d" });
  });

  it("answers 415 with the fix for a form-encoded body, which GitLab never sends", () => {
    // Arrange
    const headers = { ...gitlabTokenHeaders(), "content-type": "application/x-www-form-urlencoded" };

    // Act
    const result = classify(headers, PUSH);

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 415 });
    if (result.kind === "rejected") expect(result.reason).toContain("Shipline reads application/json");
  });
});
