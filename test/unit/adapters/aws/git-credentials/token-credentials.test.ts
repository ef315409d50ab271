import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SecretsManagerSecretText } from "../../../../../functions/adapters/aws/git-credentials/secret-text.js";
import {
  LONG_LIVED_TOKEN_WARNING,
  TokenCredentials,
} from "../../../../../functions/adapters/aws/git-credentials/token-credentials.js";

const REPO = "https://gitlab.com/acme/deploy.git";
const SECRET_ID = "shipline/config-repo-token";
const TOKEN = "glpat-storedProjectToken0123456789";

const secrets = mockClient(SecretsManagerClient);

function secret(): SecretsManagerSecretText {
  return new SecretsManagerSecretText({
    client: new SecretsManagerClient({ region: "eu-west-1" }),
    secretId: SECRET_ID,
  });
}

beforeEach(() => {
  secrets.reset();
});

afterEach(() => {
  secrets.reset();
});

describe("TokenCredentials", () => {
  it("hands out the stored token with the configured user name", async () => {
    // Arrange
    secrets.on(GetSecretValueCommand).resolves({ SecretString: `${TOKEN}\n` });
    const provider = new TokenCredentials({
      secret: secret(),
      username: "oauth2",
      logger: { warn: () => undefined },
    });

    // Act
    const credential = await provider.credentials(REPO);

    // Assert
    expect(credential).toEqual({ username: "oauth2", password: TOKEN });
    expect(secrets.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toEqual({ SecretId: SECRET_ID });
  });

  it("warns once that a long-lived token is discouraged, naming the secret but not its value", async () => {
    // Arrange
    secrets.on(GetSecretValueCommand).resolves({ SecretString: TOKEN });
    const warnings: { message: string; fields: unknown }[] = [];
    const provider = new TokenCredentials({
      secret: secret(),
      logger: { warn: (message, fields) => warnings.push({ message, fields }) },
    });

    // Act
    await provider.credentials(REPO);
    await provider.credentials(REPO);

    // Assert
    expect(warnings).toEqual([
      {
        message: LONG_LIVED_TOKEN_WARNING,
        fields: { provider: "token", secretId: SECRET_ID, repository: REPO },
      },
    ]);
    expect(LONG_LIVED_TOKEN_WARNING).toBe(
      "long-lived token is discouraged; prefer oidc-exchange or github-app",
    );
  });

  it("fails permanently when the secret does not exist, and retryably when Secrets Manager is throttling", async () => {
    // Arrange
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(Object.assign(new Error("not found"), { name: "ResourceNotFoundException" }))
      .rejectsOnce(Object.assign(new Error("slow down"), { name: "ThrottlingException" }));
    const provider = new TokenCredentials({ secret: secret(), logger: { warn: () => undefined } });

    // Act
    const missing = await provider.credentials(REPO).catch((caught: unknown) => caught);
    const throttled = await provider.credentials(REPO).catch((caught: unknown) => caught);

    // Assert
    expect(missing).toMatchObject({
      code: "SECRET_UNAVAILABLE",
      retryable: false,
      data: { secretId: SECRET_ID },
    });
    expect(throttled).toMatchObject({ code: "SECRET_UNAVAILABLE", retryable: true });
  });

  it("refuses an empty secret", async () => {
    // Arrange
    secrets.on(GetSecretValueCommand).resolves({ SecretString: "  " });
    const provider = new TokenCredentials({ secret: secret(), logger: { warn: () => undefined } });

    // Act
    const error = await provider.credentials(REPO).catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ code: "SECRET_INVALID", retryable: false });
  });
});
