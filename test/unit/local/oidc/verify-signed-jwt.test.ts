import { createServer } from "node:http";
import { createRemoteJWKSet } from "jose";
import { describe, expect, it } from "vitest";
import { systemClock } from "../../../../functions/core/ports/clock.js";
import { loadSigningKey } from "../../../../functions/local/oidc/signing-key.js";
import { verifySignedJwt } from "../../../../functions/local/oidc/verify-signed-jwt.js";
import { issueWorkloadToken } from "../../../../functions/local/oidc/workload-token.js";

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("verifySignedJwt", () => {
  it("reports unreachable issuer keys as a retryable error rather than a bad token", async () => {
    // Arrange
    const issuer = `http://127.0.0.1:${await closedPort()}`;
    const { token } = await issueWorkloadToken({
      issuer,
      key: await loadSigningKey(),
      subject: "arn:aws:iam::000000000000:role/writer",
      audience: ["shipline-token-exchange"],
      region: "us-east-1",
      account: "000000000000",
      clock: systemClock,
    });

    // Act
    const error = await verifySignedJwt({
      token,
      keys: createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`)),
      issuer,
      audience: "shipline-token-exchange",
      type: "JWT",
      label: "subject token",
      clock: systemClock,
    }).catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ code: "OIDC_KEYS_UNAVAILABLE", retryable: true });
  });
});
