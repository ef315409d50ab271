import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { STSClient } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { createGitCredentialsProvider } from "../../../../../functions/adapters/aws/git-credentials/create-git-credentials-provider.js";
import { credentials } from "../../../../../functions/core/config/credentials.js";
import { CachedGitCredentials } from "../../../../../functions/core/credentials/cached-git-credentials.js";

const clock = { now: () => new Date("2026-03-01T12:00:00Z") };
const clients = {
  sts: new STSClient({ region: "eu-west-1" }),
  secretsManager: new SecretsManagerClient({ region: "eu-west-1" }),
  logger: { warn: () => undefined },
  clock,
};

describe("createGitCredentialsProvider", () => {
  it.each([
    [
      {
        provider: "oidc-exchange",
        exchangeUrl: "https://sts.example.com/token",
        audience: "https://sts.example.com",
      },
    ],
    [
      {
        provider: "github-app",
        appId: 123456,
        installationId: 7654321,
        privateKeySecret: "shipline/github-app-key",
      },
    ],
    [{ provider: "codecommit", region: "eu-west-1" }],
    [{ provider: "token", secretName: "shipline/config-repo-token" }],
  ])("builds the cached provider that %o names", (input) => {
    // Arrange
    const config = credentials.parse(input);

    // Act
    const provider = createGitCredentialsProvider({ config, ...clients });

    // Assert
    expect(provider).toBeInstanceOf(CachedGitCredentials);
    expect(provider.kind).toBe(config.provider);
  });

  it("refuses the local runtime's exchange, which AWS cannot reach", () => {
    // Arrange
    const config = credentials.parse({
      provider: "oidc-exchange",
      exchangeUrl: "local:oidc-exchange",
      audience: "shipline-token-exchange",
    });

    // Act / Assert
    expect(() => createGitCredentialsProvider({ config, ...clients })).toThrow(
      expect.objectContaining({ code: "CONFIG_INVALID" }),
    );
  });
});
