import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  signHmacSha256Hex,
  verifyHmacHexSignature,
} from "../../../../functions/core/webhook/hmac-hex-signature.js";
import { SHARED_FIXTURES } from "./webhook-test-kit.js";

const vectors = JSON.parse(
  readFileSync(resolve(SHARED_FIXTURES, "webhooks/webhook-signature-vectors.json"), "utf8"),
);
const github = vectors.github_docs_test_vector;

// RFC 4231, test case 2: an HMAC-SHA256 vector independent of any git host.
const RFC4231_KEY = "Jefe";
const RFC4231_DATA = Buffer.from("what do ya want for nothing?");
const RFC4231_HEX = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

describe("verifyHmacHexSignature", () => {
  it("accepts the GitHub documentation's X-Hub-Signature-256 test vector", () => {
    // Arrange
    const rawBody = Buffer.from(github.payload);

    // Act
    const check = verifyHmacHexSignature({
      signature: github.x_hub_signature_256,
      prefix: "sha256=",
      rawBody,
      secrets: [github.secret],
    });

    // Assert
    expect(check).toEqual({ valid: true });
  });

  it("accepts a bare hex signature, as Gitea and Forgejo send it, for the RFC 4231 vector", () => {
    // Arrange
    const rawBody = RFC4231_DATA;

    // Act
    const check = verifyHmacHexSignature({
      signature: RFC4231_HEX,
      prefix: "",
      rawBody,
      secrets: [RFC4231_KEY],
    });

    // Assert
    expect(check).toEqual({ valid: true });
  });

  it("accepts upper-case hex digits", () => {
    // Arrange
    const signature = `sha256=${github.signature_hex.toUpperCase()}`;

    // Act
    const check = verifyHmacHexSignature({
      signature,
      prefix: "sha256=",
      rawBody: Buffer.from(github.payload),
      secrets: [github.secret],
    });

    // Assert
    expect(check.valid).toBe(true);
  });

  it("rejects the vector's signature over a body with one byte changed", () => {
    // Arrange
    const rawBody = Buffer.from("Hello, World?");

    // Act
    const check = verifyHmacHexSignature({
      signature: github.x_hub_signature_256,
      prefix: "sha256=",
      rawBody,
      secrets: [github.secret],
    });

    // Assert
    expect(check).toEqual({ valid: false, problem: "mismatch" });
  });

  it("rejects the vector's signature under another secret", () => {
    // Arrange
    const secrets = ["It's a Secret to Everybody!"];

    // Act
    const check = verifyHmacHexSignature({
      signature: github.x_hub_signature_256,
      prefix: "sha256=",
      rawBody: Buffer.from(github.payload),
      secrets,
    });

    // Assert
    expect(check).toEqual({ valid: false, problem: "mismatch" });
  });

  it("accepts a body signed with the new secret while the old one is still held (rotation)", () => {
    // Arrange
    const rawBody = Buffer.from('{"ref":"refs/heads/main"}');
    const signature = `sha256=${signHmacSha256Hex("new-secret", rawBody)}`;

    // Act
    const check = verifyHmacHexSignature({
      signature,
      prefix: "sha256=",
      rawBody,
      secrets: ["old-secret", "new-secret"],
    });

    // Assert
    expect(check.valid).toBe(true);
  });

  it.each([
    ["a missing prefix", github.signature_hex],
    ["the SHA-1 prefix", `sha1=${github.signature_hex}`],
    ["a short digest", `sha256=${github.signature_hex.slice(2)}`],
    ["non-hex characters", `sha256=${"z".repeat(64)}`],
  ])("calls a signature with %s malformed", (_label, signature) => {
    // Arrange
    const rawBody = Buffer.from(github.payload);

    // Act
    const check = verifyHmacHexSignature({ signature, prefix: "sha256=", rawBody, secrets: [github.secret] });

    // Assert
    expect(check).toEqual({ valid: false, problem: "malformed" });
  });

  it("reports a missing header as missing", () => {
    // Arrange
    const rawBody = Buffer.from(github.payload);

    // Act
    const check = verifyHmacHexSignature({
      signature: undefined,
      prefix: "sha256=",
      rawBody,
      secrets: [github.secret],
    });

    // Assert
    expect(check).toEqual({ valid: false, problem: "missing" });
  });

  it("refuses to verify anything when no secret is held", () => {
    // Arrange
    const rawBody = Buffer.from(github.payload);

    // Act
    const check = verifyHmacHexSignature({
      signature: github.x_hub_signature_256,
      prefix: "sha256=",
      rawBody,
      secrets: [],
    });

    // Assert
    expect(check).toEqual({ valid: false, problem: "no-secret" });
  });
});

describe("signHmacSha256Hex", () => {
  it("reproduces the GitHub documentation's test vector", () => {
    // Arrange
    const rawBody = Buffer.from(github.payload);

    // Act
    const hex = signHmacSha256Hex(github.secret, rawBody);

    // Assert
    expect(hex).toBe(github.signature_hex);
  });
});
