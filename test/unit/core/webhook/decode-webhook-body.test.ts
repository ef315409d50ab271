import { describe, expect, it } from "vitest";
import { decodeWebhookBody } from "../../../../functions/core/webhook/decode-webhook-body.js";
import type { WebhookSource } from "../../../../functions/core/webhook/detect-webhook-source.js";

const GITEA: WebhookSource = { provider: "gitea", host: "Gitea", event: "push" };
const BITBUCKET: WebhookSource = { provider: "bitbucket", host: "Bitbucket", event: "repo:push" };
const JSON_BODY = '{"ref":"refs/heads/main"}';

describe("decodeWebhookBody", () => {
  it("reads a JSON body", () => {
    // Arrange
    const rawBody = Buffer.from(JSON_BODY);

    // Act
    const decoded = decodeWebhookBody({
      source: BITBUCKET,
      headers: { "Content-Type": "application/json" },
      rawBody,
    });

    // Assert
    expect(decoded).toEqual({ ok: true, payload: { ref: "refs/heads/main" } });
  });

  it("reads the payload field of a form body from Gitea", () => {
    // Arrange
    const rawBody = Buffer.from(new URLSearchParams({ payload: JSON_BODY }).toString());

    // Act
    const decoded = decodeWebhookBody({
      source: GITEA,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      rawBody,
    });

    // Assert
    expect(decoded).toEqual({ ok: true, payload: { ref: "refs/heads/main" } });
  });

  it("answers 400 naming the form field when its JSON is malformed", () => {
    // Arrange
    const rawBody = Buffer.from(new URLSearchParams({ payload: "{" }).toString());

    // Act
    const decoded = decodeWebhookBody({
      source: GITEA,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      rawBody,
    });

    // Assert
    expect(decoded).toMatchObject({ ok: false, status: 400 });
    if (!decoded.ok) expect(decoded.reason).toMatch(/^Gitea form field payload is not valid JSON: /);
  });

  it("answers 415 to a form body from Bitbucket, which only sends JSON", () => {
    // Arrange
    const rawBody = Buffer.from(new URLSearchParams({ payload: JSON_BODY }).toString());

    // Act
    const decoded = decodeWebhookBody({
      source: BITBUCKET,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      rawBody,
    });

    // Assert
    expect(decoded).toEqual({
      ok: false,
      status: 415,
      reason:
        "Bitbucket request has content type 'application/x-www-form-urlencoded'; Shipline reads application/json: set the webhook's content type to application/json",
    });
  });

  it("leaves out the body excerpt the JSON parser quotes", () => {
    // Arrange
    const rawBody = Buffer.from("private-words-in-the-body");

    // Act
    const decoded = decodeWebhookBody({
      source: BITBUCKET,
      headers: { "content-type": "application/json" },
      rawBody,
    });

    // Assert
    expect(decoded).toMatchObject({ ok: false, status: 400 });
    if (!decoded.ok) {
      expect(decoded.reason).toMatch(/^Bitbucket body is not valid JSON: Unexpected token 'p'/);
      expect(decoded.reason).not.toContain("private-w");
    }
  });
});
