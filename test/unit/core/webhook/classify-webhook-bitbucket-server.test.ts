import { describe, expect, it } from "vitest";
import { bitbucketServerHeaders, classify, edited, objectsOf, webhookFixture } from "./webhook-test-kit.js";

const TWO_CHANGES = webhookFixture("bitbucket-server-refs-changed.two-changes.json");
const UPDATE = webhookFixture("bitbucket-server-refs-changed.branch-update.json");
const DELIVERY = "5b0e7c1a-94d2-4f3e-8a61-2c7d9e0f1b34";

describe("classifyWebhook for Bitbucket Server and Data Center", () => {
  it("publishes one detail per changed branch or tag of a repo:refs_changed", () => {
    // Arrange
    const headers = bitbucketServerHeaders(TWO_CHANGES);

    // Act
    const result = classify(headers, TWO_CHANGES);

    // Assert
    expect(result.kind).toBe("push");
    if (result.kind !== "push") return;
    expect(result.deliveryId).toBe(DELIVERY);
    expect(result.details.map((detail) => [detail.ref, detail.correlationId])).toEqual([
      ["refs/heads/main", `bitbucket:${DELIVERY}#1`],
      ["refs/tags/v2.0.0", `bitbucket:${DELIVERY}#2`],
    ]);
    expect(result.details[0]).toMatchObject({
      provider: "bitbucket",
      commit: "6666666666666666666666666666666666666666",
      before: "4444444444444444444444444444444444444444",
      after: "6666666666666666666666666666666666666666",
      refType: "branch",
      refName: "main",
      repository: {
        name: "checkout-api",
        fullName: "SHOP/checkout-api",
        url: "https://git.example.org/scm/shop/checkout-api.git",
      },
      pusher: { name: "mhamilton", email: "margaret.hamilton@example.org" },
      pathsKnown: false,
      commits: [],
    });
    expect(result.details[1]).toMatchObject({ refType: "tag", refName: "v2.0.0", before: "0".repeat(40) });
  });

  it("keeps the commits a single-ref push lists, with their authors and times, but not their paths", () => {
    // Arrange
    const headers = bitbucketServerHeaders(UPDATE);

    // Act
    const result = classify(headers, UPDATE);

    // Assert
    expect(result.kind === "push" && result.details[0]).toMatchObject({
      pathsKnown: false,
      commitsTruncated: false,
      commits: [
        {
          id: "8888888888888888888888888888888888888888",
          message: "Round totals to the currency's minor unit",
          timestamp: "2026-02-28T16:05:00.000Z",
          author: { name: "kjohnson", email: "katherine.johnson@example.org" },
          added: [],
          modified: [],
          removed: [],
        },
        { id: "7777777777777777777777777777777777777777" },
      ],
    });
  });

  it("derives the clone URL from the repository's page when the payload lists no clone link", () => {
    // Arrange
    const body = edited(UPDATE, (payload) => {
      payload.repository = {
        slug: "checkout-api",
        project: { key: "SHOP" },
        links: {
          self: [{ href: "https://git.example.org/bitbucket/projects/SHOP/repos/checkout-api/browse" }],
        },
      };
    });

    // Act
    const result = classify(bitbucketServerHeaders(body), body);

    // Assert
    expect(result.kind === "push" && result.details[0]?.repository.url).toBe(
      "https://git.example.org/bitbucket/scm/shop/checkout-api.git",
    );
  });

  it("names the repository by project key and slug when the payload has no links at all", () => {
    // Arrange
    const body = edited(UPDATE, (payload) => {
      payload.repository = { slug: "checkout-api", name: "Checkout API", project: { key: "SHOP" } };
    });

    // Act
    const result = classify(bitbucketServerHeaders(body), body);

    // Assert
    expect(result.kind === "push" && result.details[0]?.repository).toEqual({
      name: "checkout-api",
      fullName: "SHOP/checkout-api",
      url: "bitbucket-server:SHOP/checkout-api",
    });
  });

  it("skips a deleted branch with the reason and publishes the other changes of the same push", () => {
    // Arrange
    const body = edited(TWO_CHANGES, (payload) => {
      payload.changes = objectsOf(payload.changes).map((change, index) =>
        index === 0 ? { ...change, toHash: "0".repeat(40), type: "DELETE" } : change,
      );
    });

    // Act
    const result = classify(bitbucketServerHeaders(body), body);

    // Assert
    expect(result.kind).toBe("push");
    if (result.kind !== "push") return;
    expect(result.details.map((detail) => detail.ref)).toEqual(["refs/tags/v2.0.0"]);
    expect(result.skipped).toEqual(["Bitbucket Server branch 'main' was deleted; nothing to build"]);
  });

  it("ignores a push that only deleted a tag, saying so", () => {
    // Arrange
    const body = edited(TWO_CHANGES, (payload) => {
      payload.changes = objectsOf(payload.changes)
        .slice(1)
        .map((change) => ({ ...change, fromHash: change.toHash, toHash: "0".repeat(40), type: "DELETE" }));
    });

    // Act
    const result = classify(bitbucketServerHeaders(body), body);

    // Assert
    expect(result).toMatchObject({
      kind: "ignored",
      reason: "Bitbucket Server tag 'v2.0.0' was deleted; nothing to build",
    });
  });

  it("answers the connection test (diagnostics:ping) as a ping", () => {
    // Arrange
    const body = Buffer.from('{"test":true}');

    // Act
    const result = classify(bitbucketServerHeaders(body, "diagnostics:ping"), body);

    // Assert
    expect(result).toMatchObject({ kind: "ping", provider: "bitbucket", deliveryId: DELIVERY });
  });

  it("rejects a push signed with another secret with 401, naming Bitbucket Server", () => {
    // Arrange
    const headers = bitbucketServerHeaders(TWO_CHANGES, "repo:refs_changed", "another-secret");

    // Act
    const result = classify(headers, TWO_CHANGES);

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 401, provider: "bitbucket" });
    if (result.kind === "rejected") {
      expect(result.reason).toBe(
        "X-Hub-Signature does not match the body under Shipline's webhook secret; set the same secret on the Bitbucket Server webhook and in Shipline",
      );
    }
  });

  it("refuses a ref git refuses with 400 and publishes nothing", () => {
    // Arrange
    const body = edited(UPDATE, (payload) => {
      payload.changes = objectsOf(payload.changes).map((change) => ({
        ...change,
        ref: { id: "refs/heads/fix..main", displayId: "fix..main", type: "BRANCH" },
        refId: "refs/heads/fix..main",
      }));
    });

    // Act
    const result = classify(bitbucketServerHeaders(body), body);

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 400 });
  });

  it("rejects a repo:refs_changed without changes with 400, naming the field", () => {
    // Arrange
    const body = edited(UPDATE, (payload) => {
      delete payload.changes;
    });

    // Act
    const result = classify(bitbucketServerHeaders(body), body);

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 400 });
    if (result.kind === "rejected") expect(result.reason).toContain("changes");
  });

  it("ignores a pull request event", () => {
    // Arrange
    const body = Buffer.from('{"eventKey":"pr:opened"}');

    // Act
    const result = classify(bitbucketServerHeaders(body, "pr:opened"), body);

    // Assert
    expect(result).toMatchObject({
      kind: "ignored",
      reason: 'Bitbucket Server event "pr:opened" is not a push; nothing to publish',
    });
  });
});
