import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { RegistryAccountSecret } from "../../../../functions/adapters/aws/registry-account-secret.js";

const secretsManager = mockClient(SecretsManagerClient);

describe("RegistryAccountSecret", () => {
  afterEach(() => {
    secretsManager.reset();
  });

  it("reads Harbor's robot-account export once and keeps it", async () => {
    // Arrange
    secretsManager
      .on(GetSecretValueCommand, { SecretId: "shipline/harbor-robot" })
      .resolves({ SecretString: JSON.stringify({ name: "robot$shop+shipline", secret: "s3cr3t" }) });
    const robot = new RegistryAccountSecret({
      client: new SecretsManagerClient({}),
      secretId: "shipline/harbor-robot",
    });

    // Act
    const first = await robot.read();
    const second = await robot.read();

    // Assert
    expect(first).toEqual({ username: "robot$shop+shipline", password: "s3cr3t" });
    expect(second).toEqual(first);
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it("takes a username and password too", async () => {
    // Arrange
    secretsManager
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ username: "shipline", password: "pw" }) });
    const robot = new RegistryAccountSecret({ client: new SecretsManagerClient({}), secretId: "robot" });

    // Act
    const credentials = await robot.read();

    // Assert
    expect(credentials).toEqual({ username: "shipline", password: "pw" });
  });

  it("refuses a secret of another shape with a permanent SECRET_INVALID that does not show it", async () => {
    // Arrange
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: "just-a-password" });
    const robot = new RegistryAccountSecret({ client: new SecretsManagerClient({}), secretId: "robot" });

    // Act
    const error = await robot.read().catch((thrown: unknown) => thrown);

    // Assert
    expect(error).toMatchObject({ code: "SECRET_INVALID", retryable: false });
    expect(String(error)).not.toContain("just-a-password");
  });

  it("makes an unreadable secret a retryable SECRET_UNAVAILABLE", async () => {
    // Arrange
    secretsManager
      .on(GetSecretValueCommand)
      .rejects(Object.assign(new Error("throttled"), { name: "ThrottlingException" }));
    const robot = new RegistryAccountSecret({ client: new SecretsManagerClient({}), secretId: "robot" });

    // Act
    const error = await robot.read().catch((thrown: unknown) => thrown);

    // Assert
    expect(error).toMatchObject({ code: "SECRET_UNAVAILABLE", retryable: true });
  });
});
