import { describe, expect, it } from "vitest";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import {
  signingKeyOf,
  signStandardWebhook,
  verifyStandardWebhookSignature,
} from "../../../../functions/core/webhook/standard-webhook-signature.js";

// The Standard Webhooks specification's own test vector (the scheme GitLab's signing token follows).
const SPEC = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  body: Buffer.from('{"test": 2432232314}'),
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};
const SPEC_NOW = new Date(SPEC.timestamp * 1000);

function verify(overrides: Partial<Parameters<typeof verifyStandardWebhookSignature>[0]> = {}) {
  return verifyStandardWebhookSignature({
    id: SPEC.id,
    timestamp: String(SPEC.timestamp),
    signature: SPEC.signature,
    rawBody: SPEC.body,
    secrets: [SPEC.secret],
    now: SPEC_NOW,
    ...overrides,
  });
}

describe("verifyStandardWebhookSignature", () => {
  it("accepts the specification's test vector", () => {
    // Arrange
    const options = {};

    // Act
    const check = verify(options);

    // Assert
    expect(check).toEqual({ valid: true });
  });

  it("accepts a header with several signatures when one of them matches", () => {
    // Arrange
    const signature = `v1,${Buffer.alloc(32, 7).toString("base64")} v2,ignored ${SPEC.signature}`;

    // Act
    const check = verify({ signature });

    // Assert
    expect(check.valid).toBe(true);
  });

  it("rejects a changed body", () => {
    // Arrange
    const rawBody = Buffer.from('{"test": 2432232315}');

    // Act
    const check = verify({ rawBody });

    // Assert
    expect(check).toEqual({ valid: false, problem: "mismatch" });
  });

  it("rejects a changed webhook-id, which the signature covers", () => {
    // Arrange
    const id = "msg_another";

    // Act
    const check = verify({ id });

    // Assert
    expect(check).toEqual({ valid: false, problem: "mismatch" });
  });

  it("rejects a timestamp more than five minutes old", () => {
    // Arrange
    const now = new Date((SPEC.timestamp + 301) * 1000);

    // Act
    const check = verify({ now });

    // Assert
    expect(check).toMatchObject({ valid: false, problem: "stale" });
  });

  it("rejects a timestamp more than five minutes ahead", () => {
    // Arrange
    const now = new Date((SPEC.timestamp - 301) * 1000);

    // Act
    const check = verify({ now });

    // Assert
    expect(check).toMatchObject({ valid: false, problem: "stale" });
  });

  it("accepts a timestamp exactly at the edge of the tolerance", () => {
    // Arrange
    const now = new Date((SPEC.timestamp + 300) * 1000);

    // Act
    const check = verify({ now });

    // Assert
    expect(check.valid).toBe(true);
  });

  it("honours a tighter tolerance", () => {
    // Arrange
    const now = new Date((SPEC.timestamp + 61) * 1000);

    // Act
    const check = verify({ now, toleranceSeconds: 60 });

    // Assert
    expect(check).toMatchObject({ valid: false, problem: "stale" });
  });

  it.each(["id", "timestamp", "signature"] as const)("reports a missing webhook-%s as missing", (header) => {
    // Arrange
    const overrides = { [header]: undefined };

    // Act
    const check = verify(overrides);

    // Assert
    expect(check).toEqual({ valid: false, problem: "missing" });
  });

  it("calls a timestamp that is not Unix seconds malformed", () => {
    // Arrange
    const timestamp = "2021-02-25T15:02:10Z";

    // Act
    const check = verify({ timestamp });

    // Assert
    expect(check).toEqual({ valid: false, problem: "malformed", detail: "webhook-timestamp" });
  });

  it("calls a header with no v1 signature malformed", () => {
    // Arrange
    const signature = "v0,abc";

    // Act
    const check = verify({ signature });

    // Assert
    expect(check).toEqual({ valid: false, problem: "malformed", detail: "webhook-signature" });
  });

  it("has no key when no secret is of the whsec_ form", () => {
    // Arrange
    const secrets = ["plain-secret-token"];

    // Act
    const check = verify({ secrets });

    // Assert
    expect(check).toEqual({ valid: false, problem: "no-secret" });
  });
});

describe("signStandardWebhook", () => {
  it("reproduces the specification's test vector", () => {
    // Arrange
    const options = { id: SPEC.id, timestamp: SPEC.timestamp, rawBody: SPEC.body, secret: SPEC.secret };

    // Act
    const signature = signStandardWebhook(options);

    // Assert
    expect(signature).toBe(SPEC.signature);
  });

  it("refuses a secret that is not of the whsec_ form", () => {
    // Arrange
    const options = { id: SPEC.id, timestamp: SPEC.timestamp, rawBody: SPEC.body, secret: "plain" };

    // Act
    const sign = () => signStandardWebhook(options);

    // Assert
    expect(sign).toThrow(ShiplineError);
    expect(sign).toThrow(expect.objectContaining({ code: "WEBHOOK_SECRET_INVALID" }));
  });
});

describe("signingKeyOf", () => {
  it("decodes the base64 key after whsec_", () => {
    // Arrange
    const secret = `whsec_${Buffer.from("key bytes").toString("base64")}`;

    // Act
    const key = signingKeyOf(secret);

    // Assert
    expect(key?.toString("utf8")).toBe("key bytes");
  });

  it.each(["no-prefix", "whsec_", "whsec_not base64!"])("has no key for %j", (secret) => {
    // Arrange
    const input = secret;

    // Act
    const key = signingKeyOf(input);

    // Assert
    expect(key).toBeUndefined();
  });
});
