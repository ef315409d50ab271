import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  signHmacSha256Hex,
  verifyHmacHexSignature,
} from "../../../../functions/core/webhook/hmac-hex-signature.js";

/**
 * Shipline's own X-Hub-Signature-256 vector, computed outside the code under test with
 * `printf '%s' 'Hello from Shipline!' | openssl dgst -sha256 -hmac "Shipline's test secret"`.
 */
const vector = {
  secret: "Shipline's test secret",
  payload: "Hello from Shipline!",
  signatureHex: "5050fda27f1dde1ef9be051d16a58573e828c6251912b666dd56eac65795caaa",
  header: "sha256=5050fda27f1dde1ef9be051d16a58573e828c6251912b666dd56eac65795caaa",
};

// RFC 4231, test case 2: an HMAC-SHA256 vector independent of any git host.
const RFC4231_KEY = "Jefe";
const RFC4231_DATA = Buffer.from("what do ya want for nothing?");
const RFC4231_HEX = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

describe("verifyHmacHexSignature", () => {
  it("accepts a body signed the way GitHub documents X-Hub-Signature-256", () => {
    // Arrange
    const rawBody = Buffer.from(vector.payload);

    // Act
    const check = verifyHmacHexSignature({
      signature: vector.header,
      prefix: "sha256=",
      rawBody,
      secrets: [vector.secret],
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
    const signature = `sha256=${vector.signatureHex.toUpperCase()}`;

    // Act
    const check = verifyHmacHexSignature({
      signature,
      prefix: "sha256=",
      rawBody: Buffer.from(vector.payload),
      secrets: [vector.secret],
    });

    // Assert
    expect(check.valid).toBe(true);
  });

  it("rejects the vector's signature over a body with one byte changed", () => {
    // Arrange
    const rawBody = Buffer.from("Hello from Shipline?");

    // Act
    const check = verifyHmacHexSignature({
      signature: vector.header,
      prefix: "sha256=",
      rawBody,
      secrets: [vector.secret],
    });

    // Assert
    expect(check).toEqual({ valid: false, problem: "mismatch" });
  });

  it("rejects the vector's signature under another secret", () => {
    // Arrange
    const secrets = ["Shipline's test secret!"];

    // Act
    const check = verifyHmacHexSignature({
      signature: vector.header,
      prefix: "sha256=",
      rawBody: Buffer.from(vector.payload),
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
    ["a missing prefix", vector.signatureHex],
    ["the SHA-1 prefix", `sha1=${vector.signatureHex}`],
    ["a short digest", `sha256=${vector.signatureHex.slice(2)}`],
    ["non-hex characters", `sha256=${"z".repeat(64)}`],
  ])("calls a signature with %s malformed", (_label, signature) => {
    // Arrange
    const rawBody = Buffer.from(vector.payload);

    // Act
    const check = verifyHmacHexSignature({ signature, prefix: "sha256=", rawBody, secrets: [vector.secret] });

    // Assert
    expect(check).toEqual({ valid: false, problem: "malformed" });
  });

  it("reports a missing header as missing", () => {
    // Arrange
    const rawBody = Buffer.from(vector.payload);

    // Act
    const check = verifyHmacHexSignature({
      signature: undefined,
      prefix: "sha256=",
      rawBody,
      secrets: [vector.secret],
    });

    // Assert
    expect(check).toEqual({ valid: false, problem: "missing" });
  });

  it("refuses to verify anything when no secret is held", () => {
    // Arrange
    const rawBody = Buffer.from(vector.payload);

    // Act
    const check = verifyHmacHexSignature({
      signature: vector.header,
      prefix: "sha256=",
      rawBody,
      secrets: [],
    });

    // Assert
    expect(check).toEqual({ valid: false, problem: "no-secret" });
  });
});

describe("signHmacSha256Hex", () => {
  it("reproduces the vector computed with openssl", () => {
    // Arrange
    const rawBody = Buffer.from(vector.payload);

    // Act
    const hex = signHmacSha256Hex(vector.secret, rawBody);

    // Assert
    expect(hex).toBe(vector.signatureHex);
  });

  it("agrees with Node's own HMAC over a JSON push body and a rotated secret", () => {
    // Arrange
    const secret = "shipline webhook secret, rotated 2026-02";
    const rawBody = Buffer.from(
      '{"ref":"refs/heads/main","after":"2b54c8118521c2c4dcc924c8e3820ef608bc8cc7"}',
    );

    // Act
    const hex = signHmacSha256Hex(secret, rawBody);

    // Assert
    expect(hex).toBe("f8b4ba1519153fc614636b6308014331cd97235bd1bec1e8eb52999da829c323");
    expect(hex).toBe(createHmac("sha256", secret).update(rawBody).digest("hex"));
  });
});
