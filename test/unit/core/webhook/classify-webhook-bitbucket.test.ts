import { describe, expect, it } from "vitest";
import {
  bitbucketHeaders,
  classify,
  edited,
  objectOf,
  objectsOf,
  webhookFixture,
} from "./webhook-test-kit.js";

const PUSH = webhookFixture("bitbucket-repo-push.two-changes.json");

type JsonObject = Record<string, unknown>;

/** Replaces the sample's `push.changes` with an edited copy. */
function withChanges(payload: JsonObject, edit: (changes: JsonObject[]) => JsonObject[]): void {
  const push = objectOf(payload.push);
  payload.push = { ...push, changes: edit(objectsOf(push.changes)) };
}

describe("classifyWebhook for Bitbucket Cloud", () => {
  it("publishes one detail per changed ref of a repo:push, each with its own correlation id", () => {
    // Arrange
    const headers = bitbucketHeaders(PUSH);

    // Act
    const result = classify(headers, PUSH);

    // Assert
    expect(result.kind).toBe("push");
    if (result.kind !== "push") return;
    expect(result.deliveryId).toBe("d2c1b0a9-8f7e-4d6c-5b4a-3928170615ab");
    expect(result.details.map((detail) => [detail.ref, detail.correlationId])).toEqual([
      ["refs/heads/main", "bitbucket:d2c1b0a9-8f7e-4d6c-5b4a-3928170615ab#1"],
      ["refs/tags/v1.4.0", "bitbucket:d2c1b0a9-8f7e-4d6c-5b4a-3928170615ab#2"],
    ]);
    expect(result.details[0]).toMatchObject({
      provider: "bitbucket",
      commit: "3333333333333333333333333333333333333333",
      before: "1111111111111111111111111111111111111111",
      after: "3333333333333333333333333333333333333333",
      refType: "branch",
      refName: "main",
      repository: {
        name: "payments-service",
        fullName: "acme/payments-service",
        url: "https://bitbucket.org/acme/payments-service.git",
      },
      pusher: { name: "ada" },
      deliveryId: "d2c1b0a9-8f7e-4d6c-5b4a-3928170615ab",
    });
    expect(result.details[1]).toMatchObject({ refType: "tag", refName: "v1.4.0", before: "0".repeat(40) });
  });

  it("lists the commits Bitbucket names but records that their paths are unknown", () => {
    // Arrange
    const headers = bitbucketHeaders(PUSH);

    // Act
    const result = classify(headers, PUSH);

    // Assert
    expect(result.kind === "push" && result.details[0]).toMatchObject({
      pathsKnown: false,
      commitsTruncated: false,
      commits: [
        {
          id: "3333333333333333333333333333333333333333",
          message: "Raise the retry limit\n",
          timestamp: "2026-02-28T10:15:00+00:00",
          author: { name: "Ada Lovelace", email: "ada@example.com" },
          added: [],
          modified: [],
          removed: [],
        },
        { id: "2222222222222222222222222222222222222222", author: { name: "Grace Hopper" } },
      ],
    });
  });

  it("carries Bitbucket's truncated flag", () => {
    // Arrange
    const body = edited(PUSH, (payload) => {
      withChanges(payload, ([first, ...rest]) => [{ ...first, truncated: true }, ...rest]);
    });

    // Act
    const result = classify(bitbucketHeaders(body), body);

    // Assert
    expect(result.kind === "push" && result.details[0]?.commitsTruncated).toBe(true);
  });

  it("skips a deleted branch but publishes the other changes of the same push", () => {
    // Arrange
    const body = edited(PUSH, (payload) => {
      withChanges(payload, ([first, ...rest]) => [{ ...first, new: null, commits: [] }, ...rest]);
    });

    // Act
    const result = classify(bitbucketHeaders(body), body);

    // Assert
    expect(result.kind).toBe("push");
    if (result.kind !== "push") return;
    expect(result.details.map((detail) => detail.ref)).toEqual(["refs/tags/v1.4.0"]);
    expect(result.skipped).toEqual(["Bitbucket branch 'main' was deleted; nothing to build"]);
  });

  it("ignores a push that only deleted refs", () => {
    // Arrange
    const body = edited(PUSH, (payload) => {
      withChanges(payload, (changes) =>
        changes.map((change) => ({ ...change, old: change.old ?? change.new, new: null })),
      );
    });

    // Act
    const result = classify(bitbucketHeaders(body), body);

    // Assert
    expect(result).toMatchObject({
      kind: "ignored",
      reason:
        "Bitbucket branch 'main' was deleted; nothing to build; Bitbucket tag 'v1.4.0' was deleted; nothing to build",
    });
  });

  it("rejects a push signed with another secret with 401", () => {
    // Arrange
    const headers = bitbucketHeaders(PUSH, "repo:push", "another-secret");

    // Act
    const result = classify(headers, PUSH);

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 401, provider: "bitbucket" });
    if (result.kind === "rejected") expect(result.reason).toContain("X-Hub-Signature does not match");
  });

  it("rejects a push without X-Hub-Signature (a webhook with no secret) with 401", () => {
    // Arrange
    const { "x-hub-signature": _dropped, ...headers } = bitbucketHeaders(PUSH);

    // Act
    const result = classify(headers, PUSH);

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 401 });
    if (result.kind === "rejected") expect(result.reason).toContain("has no X-Hub-Signature header");
  });

  it("does not take X-Hook-UUID, which names the webhook, as the delivery id", () => {
    // Arrange
    const { "x-request-uuid": _dropped, ...headers } = bitbucketHeaders(PUSH);

    // Act
    const result = classify(headers, PUSH);

    // Assert
    expect(result.kind === "push" && result.deliveryId).toMatch(/^body-sha256-[0-9a-f]{64}$/);
  });

  it("ignores a pull request event", () => {
    // Arrange
    const body = Buffer.from('{"pullrequest":{}}');

    // Act
    const result = classify(bitbucketHeaders(body, "pullrequest:created"), body);

    // Assert
    expect(result).toMatchObject({
      kind: "ignored",
      reason: 'Bitbucket event "pullrequest:created" is not a push; nothing to publish',
    });
  });
});
