import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { deliveryIdOf } from "../../../../functions/core/webhook/delivery-id-of.js";

const BODY = Buffer.from('{"ref":"refs/heads/main"}');

describe("deliveryIdOf", () => {
  it.each([
    ["github", { "X-GitHub-Delivery": "gh-1" }, "gh-1"],
    ["gitea", { "x-gitea-delivery": "gt-1" }, "gt-1"],
    ["gitea", { "x-gitea-delivery": "gt-1", "x-forgejo-delivery": "fj-1" }, "fj-1"],
    ["bitbucket", { "x-request-uuid": "bb-1", "x-hook-uuid": "hook" }, "bb-1"],
    ["gitlab", { "idempotency-key": "gl-1", "x-gitlab-event-uuid": "gl-event" }, "gl-1"],
    ["gitlab", { "webhook-id": "gl-2", "x-gitlab-event-uuid": "gl-event" }, "gl-2"],
    ["gitlab", { "x-gitlab-event-uuid": "gl-event" }, "gl-event"],
  ] as const)("reads the %s delivery header %j", (provider, headers, expected) => {
    // Arrange
    const options = { provider, headers, rawBody: BODY };

    // Act
    const id = deliveryIdOf(options);

    // Assert
    expect(id).toBe(expected);
  });

  it("falls back to the body's SHA-256 when the host sends no delivery id", () => {
    // Arrange
    const expected = `body-sha256-${createHash("sha256").update(BODY).digest("hex")}`;

    // Act
    const id = deliveryIdOf({ provider: "bitbucket", headers: { "x-hook-uuid": "{hook}" }, rawBody: BODY });

    // Assert
    expect(id).toBe(expected);
  });

  it("hashes an id with characters unfit for a key or a log line", () => {
    // Arrange
    const headers = { "x-github-delivery": "abc\ndef ghi" };

    // Act
    const id = deliveryIdOf({ provider: "github", headers, rawBody: BODY });

    // Assert
    expect(id).toMatch(/^sha256-[0-9a-f]{64}$/);
  });

  it("hashes an id longer than 128 characters", () => {
    // Arrange
    const headers = { "x-github-delivery": "a".repeat(129) };

    // Act
    const id = deliveryIdOf({ provider: "github", headers, rawBody: BODY });

    // Assert
    expect(id).toMatch(/^sha256-[0-9a-f]{64}$/);
  });
});
