import { describe, expect, it } from "vitest";
import { defaultProvider } from "../../../../functions/lambda/shims/env-credentials.js";

describe("the step functions' credential provider", () => {
  it("reads the role's credentials Lambda puts in the environment, with their expiry and account", async () => {
    // Arrange
    const env = {
      AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
      AWS_SECRET_ACCESS_KEY: "secret",
      AWS_SESSION_TOKEN: "token",
      AWS_CREDENTIAL_EXPIRATION: "2026-03-01T12:00:00Z",
      AWS_ACCOUNT_ID: "123456789012",
    };

    // Act
    const credentials = await defaultProvider({}, env)();

    // Assert
    expect(credentials).toEqual({
      accessKeyId: "AKIAIOSFODNN7EXAMPLE",
      secretAccessKey: "secret",
      sessionToken: "token",
      expiration: new Date("2026-03-01T12:00:00Z"),
      accountId: "123456789012",
    });
  });

  it("refuses, naming the variables, when the key is not in the environment", async () => {
    // Act
    const resolve = defaultProvider({}, { AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE" });

    // Assert
    await expect(resolve()).rejects.toThrow(
      /^AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set: Lambda sets them/,
    );
  });
});
