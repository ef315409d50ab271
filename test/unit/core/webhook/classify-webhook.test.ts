import { describe, expect, it } from "vitest";
import { classifyWebhook } from "../../../../functions/core/webhook/classify-webhook.js";
import { rawBodyOf } from "../../../../functions/core/webhook/raw-body-of.js";
import { httpStatusOf } from "../../../../functions/core/webhook/webhook-classification.js";
import {
  bitbucketHeaders,
  classify,
  githubHeaders,
  gitlabTokenHeaders,
  MAX_BODY_BYTES,
  NOW,
  SECRET,
  webhookFixture,
} from "./webhook-test-kit.js";

const PUSH = webhookFixture("github-push.branch-update.json");

describe("classifyWebhook", () => {
  it("answers 413 for a body over the limit, before looking at anything else", () => {
    // Arrange
    const body = Buffer.alloc(MAX_BODY_BYTES + 1, 0x20);

    // Act
    const result = classify({}, body);

    // Assert
    expect(result).toEqual({
      kind: "rejected",
      status: 413,
      reason: `request body is ${MAX_BODY_BYTES + 1} bytes, over the limit of ${MAX_BODY_BYTES} bytes; raise the webhook body limit if such pushes are expected`,
    });
    expect(httpStatusOf(result)).toBe(413);
  });

  it("accepts a body exactly at the limit", () => {
    // Arrange
    const headers = githubHeaders(PUSH);

    // Act
    const result = classify(headers, PUSH, { maxBodyBytes: PUSH.length });

    // Assert
    expect(result.kind).toBe("push");
  });

  it("answers 401 for a request that names no known git host", () => {
    // Arrange
    const headers = { "content-type": "application/json", "x-hub-signature-256": "sha256=00" };

    // Act
    const result = classify(headers, PUSH);

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 401 });
    if (result.kind === "rejected") expect(result.reason).toContain("request names no known git host");
  });

  it("answers 401 to everything while no secret is configured, rather than trusting an empty key", () => {
    // Arrange
    const headers = githubHeaders(PUSH, "push", "");

    // Act
    const result = classify(headers, PUSH, { secret: "" });

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 401 });
    if (result.kind === "rejected") expect(result.reason).toContain("Shipline holds no webhook secret");
  });

  it("answers 415 with the fix for a content type Shipline does not read", () => {
    // Arrange
    const headers = { ...githubHeaders(PUSH), "Content-Type": "text/plain" };

    // Act
    const result = classify(headers, PUSH);

    // Assert
    expect(result).toEqual({
      kind: "rejected",
      status: 415,
      provider: "github",
      reason:
        "GitHub request has content type 'text/plain'; Shipline reads application/json (or application/x-www-form-urlencoded with a payload field): set the webhook's content type to application/json",
    });
    expect(httpStatusOf(result)).toBe(415);
  });

  it("answers 415 for a request without a content type", () => {
    // Arrange
    const { "content-type": _dropped, ...headers } = bitbucketHeaders(PUSH);

    // Act
    const result = classify(headers, PUSH);

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 415 });
    if (result.kind === "rejected") expect(result.reason).toContain("content type (none)");
  });

  it("reads a JSON content type with a charset parameter", () => {
    // Arrange
    const headers = { ...githubHeaders(PUSH), "Content-Type": "application/json; charset=utf-8" };

    // Act
    const result = classify(headers, PUSH);

    // Assert
    expect(result.kind).toBe("push");
  });

  it("answers 400 for malformed JSON and names the parser's error", () => {
    // Arrange
    const body = Buffer.from('{"ref": "refs/heads/main",, }');

    // Act
    const result = classify(githubHeaders(body), body);

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 400, provider: "github" });
    // Newer Node versions append "(line 1 column 27)"; the message itself is the parser's.
    if (result.kind === "rejected") {
      expect(result.reason).toMatch(
        /^GitHub body is not valid JSON: Expected double-quoted property name in JSON at position 26\b/,
      );
    }
    expect(httpStatusOf(result)).toBe(400);
  });

  it("answers 400 for an empty body", () => {
    // Arrange
    const body = Buffer.alloc(0);

    // Act
    const result = classify(gitlabTokenHeaders(), body);

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 400, provider: "gitlab" });
    if (result.kind === "rejected")
      expect(result.reason).toMatch(/^GitLab body is not valid JSON: Unexpected end of JSON input/);
  });

  it("answers 400 for JSON that is not an object", () => {
    // Arrange
    const body = Buffer.from("[1, 2, 3]");

    // Act
    const result = classify(githubHeaders(body), body);

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 400 });
    if (result.kind === "rejected")
      expect(result.reason).toContain("GitHub push payload is not of the expected shape");
  });

  it("reads headers in any case", () => {
    // Arrange
    const headers = Object.fromEntries(
      Object.entries(githubHeaders(PUSH)).map(([name, value]) => [name.toUpperCase(), value]),
    );

    // Act
    const result = classify(headers, PUSH);

    // Assert
    expect(result.kind).toBe("push");
  });

  it("verifies a base64-encoded Function URL body over its decoded bytes", () => {
    // Arrange
    const request = { body: PUSH.toString("base64"), isBase64Encoded: true };
    const headers = Object.fromEntries(
      Object.entries(githubHeaders(PUSH)).map(([name, value]) => [name.toLowerCase(), value]),
    );

    // Act
    const result = classifyWebhook({
      headers,
      rawBody: rawBodyOf(request),
      secret: SECRET,
      now: NOW,
      maxBodyBytes: MAX_BODY_BYTES,
    });

    // Assert
    expect(result.kind).toBe("push");
  });

  it("gives the same delivery key to a redelivery, so the handler can drop the replay", () => {
    // Arrange
    const headers = githubHeaders(PUSH);

    // Act
    const first = classify(headers, PUSH);
    const again = classify(headers, PUSH);

    // Assert
    expect(first.kind === "push" && first.deliveryKey).toBe("github:72d3162e-cc78-11e3-81ab-4c9367dc0958");
    expect(again.kind === "push" && again.deliveryKey).toBe(first.kind === "push" && first.deliveryKey);
  });
});
