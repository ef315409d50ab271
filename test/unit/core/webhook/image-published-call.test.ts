import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  classifyImagePublished,
  isImagePublishedCall,
  signImagePublished,
} from "../../../../functions/core/webhook/image-published-call.js";
import { MAX_BODY_BYTES, NOW, SECRET } from "./webhook-test-kit.js";

const DIGEST = `sha256:${"ab".repeat(32)}`;
const SECONDS = Math.floor(NOW.getTime() / 1000);

/** A call signed as the documented scheme says, computed here apart from the code under test. */
interface CallOptions {
  readonly secret?: string;
  readonly timestamp?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

function call(body: unknown, options: CallOptions = {}) {
  const rawBody = Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
  const timestamp = options.timestamp ?? SECONDS;
  const signature = createHmac("sha256", options.secret ?? SECRET)
    .update(`${timestamp}.`)
    .update(rawBody)
    .digest("hex");
  const headers = {
    "Content-Type": "application/json",
    "X-Shipline-Event": "image-published",
    "X-Shipline-Delivery": "ci-run-42",
    "X-Shipline-Timestamp": String(timestamp),
    "X-Shipline-Signature-256": `sha256=${signature}`,
    ...options.headers,
  };
  return classifyImagePublished({
    headers,
    rawBody,
    secrets: [SECRET],
    now: NOW,
    maxBodyBytes: MAX_BODY_BYTES,
  });
}

describe("the signed 'image published' call", () => {
  it("is told by its X-Shipline-Event header", () => {
    // Act
    const told = [
      isImagePublishedCall({ "x-shipline-event": "image-published" }),
      isImagePublishedCall({ "x-github-event": "push" }),
    ];

    // Assert
    expect(told).toEqual([true, false]);
  });

  it("reads a signed call into the image it announces, with its delivery", () => {
    // Act
    const result = call({ image: "ghcr.io/acme/api:1.4.2", digest: DIGEST });

    // Assert
    expect(result).toEqual({
      kind: "image",
      deliveryId: "ci-run-42",
      deliveryKey: "publish:ci-run-42",
      image: {
        host: "ghcr.io",
        repository: "acme/api",
        tag: "1.4.2",
        digest: DIGEST,
        announcedBy: "publish",
      },
    });
  });

  it("reads a reference by digest with a registry port", () => {
    // Act
    const result = call({ image: `registry.example.com:5000/team/api@${DIGEST}` });

    // Assert
    expect(result).toMatchObject({
      kind: "image",
      image: { host: "registry.example.com:5000", repository: "team/api", digest: DIGEST },
    });
  });

  it("signs as it verifies", () => {
    // Arrange
    const rawBody = Buffer.from(JSON.stringify({ image: "ghcr.io/acme/api:1.4.2" }));

    // Act
    const signature = signImagePublished({ secret: SECRET, timestamp: SECONDS, rawBody });

    // Assert
    expect(signature).toBe(
      `sha256=${createHmac("sha256", SECRET).update(`${SECONDS}.`).update(rawBody).digest("hex")}`,
    );
  });

  it.each<{ case: string; options: CallOptions; reason: string }>([
    { case: "another secret", options: { secret: "guessed" }, reason: "does not match" },
    { case: "a stale timestamp", options: { timestamp: SECONDS - 301 }, reason: "more than 300 s" },
    {
      case: "no timestamp",
      options: { headers: { "X-Shipline-Timestamp": "" } },
      reason: "X-Shipline-Timestamp is missing",
    },
    {
      case: "no delivery id",
      options: { headers: { "X-Shipline-Delivery": "a b" } },
      reason: "X-Shipline-Delivery",
    },
    {
      case: "no signature",
      options: { headers: { "X-Shipline-Signature-256": "" } },
      reason: "X-Shipline-Signature-256",
    },
  ])("answers $case 401 with the reason", ({ options, reason }) => {
    // Act
    const result = call({ image: "ghcr.io/acme/api:1.4.2" }, options);

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 401 });
    expect(result.kind === "rejected" && result.reason).toContain(reason);
  });

  it.each([
    { case: "a body that is not JSON", body: "image=ghcr.io/acme/api:1", reason: "the body is not JSON" },
    { case: "a reference without a host", body: { image: "api:1.4.2" }, reason: "with its registry host" },
    {
      case: "a reference without tag or digest",
      body: { image: "ghcr.io/acme/api" },
      reason: "names no tag or digest",
    },
    {
      case: "two different digests",
      body: { image: `ghcr.io/acme/api@${DIGEST}`, digest: `sha256:${"cd".repeat(32)}` },
      reason: "give one digest",
    },
    { case: "an unknown field", body: { image: "ghcr.io/acme/api:1", branch: "main" }, reason: "branch" },
  ])("answers $case 400 with the reason", ({ body, reason }) => {
    // Act
    const result = call(body);

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 400 });
    expect(result.kind === "rejected" && result.reason).toContain(reason);
  });

  it("answers another content type 415", () => {
    // Act
    const result = call({ image: "ghcr.io/acme/api:1.4.2" }, { headers: { "Content-Type": "text/plain" } });

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 415 });
  });
});
