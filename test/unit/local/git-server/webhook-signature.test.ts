import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signWebhookBody } from "../../../../functions/local/git-server/webhook-signature.js";

describe("signWebhookBody", () => {
  it("signs a body as GitHub documents X-Hub-Signature-256, for a vector computed with openssl", () => {
    // Arrange
    // printf '%s' 'Hello from Shipline!' | openssl dgst -sha256 -hmac "Shipline's test secret"
    const secret = "Shipline's test secret";
    const body = Buffer.from("Hello from Shipline!", "utf8");

    // Act
    const signature = signWebhookBody(secret, body);

    // Assert
    expect(signature).toBe("sha256=5050fda27f1dde1ef9be051d16a58573e828c6251912b666dd56eac65795caaa");
  });

  it("signs the exact bytes of a push payload, as Node's HMAC computes them", () => {
    // Arrange
    const secret = "local-git-server-secret";
    const body = Buffer.from('{"ref":"refs/heads/main","commits":[{"message":"Grüße ✓"}]}', "utf8");

    // Act
    const signature = signWebhookBody(secret, body);

    // Assert
    expect(signature).toBe(`sha256=${createHmac("sha256", secret).update(body).digest("hex")}`);
  });
});
