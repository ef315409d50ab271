import { describe, expect, it } from "vitest";
import {
  REDACTED,
  redactSecrets,
  sensitiveValuesOf,
} from "../../../../functions/core/webhook/redact-secrets.js";

describe("redactSecrets", () => {
  it("replaces every occurrence, longest value first", () => {
    // Arrange
    const text = "token abcdef and abc and abcdef";

    // Act
    const redacted = redactSecrets(text, ["abc", "abcdef"]);

    // Assert
    expect(redacted).toBe(`token ${REDACTED} and ${REDACTED} and ${REDACTED}`);
  });

  it("treats regular-expression characters in a secret literally", () => {
    // Arrange
    const text = "the secret is a.b*c(d)";

    // Act
    const redacted = redactSecrets(text, ["a.b*c(d)"]);

    // Assert
    expect(redacted).toBe(`the secret is ${REDACTED}`);
  });

  it("collects the secrets, the key of a whsec_ secret and the parts of every signature header", () => {
    // Arrange
    const headers = {
      "X-Hub-Signature-256": "sha256=0123456789abcdef",
      "webhook-signature": "v1,AAAABBBBCCCC= v1,DDDDEEEEFFFF=",
    };

    // Act
    const values = sensitiveValuesOf(headers, ["plain", "whsec_a2V5a2V5"]);

    // Assert
    expect(values).toEqual(
      expect.arrayContaining([
        "plain",
        "whsec_a2V5a2V5",
        "a2V5a2V5",
        "sha256=0123456789abcdef",
        "0123456789abcdef",
        "AAAABBBBCCCC",
        "DDDDEEEEFFFF",
      ]),
    );
  });
});
