import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SecretsManagerSecretSource } from "../../../../functions/adapters/aws/secret-source.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";

const SECRET_ID = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shipline-webhook-AbCdEf";

describe("SecretsManagerSecretSource", () => {
  const secrets = mockClient(SecretsManagerClient);
  let now: Date;

  function source(): SecretsManagerSecretSource {
    return new SecretsManagerSecretSource({
      client: new SecretsManagerClient({ region: "eu-west-1" }),
      secretId: SECRET_ID,
      ttlSeconds: 300,
      clock: { now: () => now },
    });
  }

  beforeEach(() => {
    secrets.reset();
    now = new Date("2026-03-01T12:00:00Z");
  });

  afterEach(() => {
    secrets.reset();
  });

  it("reads a plain secret once and serves it from memory until the TTL passes", async () => {
    // Arrange
    secrets
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: "first" })
      .resolves({ SecretString: "second" });
    const cached = source();

    // Act
    const first = await cached.values();
    now = new Date(now.getTime() + 299_000);
    const warm = await cached.values();
    now = new Date(now.getTime() + 2_000);
    const refreshed = await cached.values();

    // Assert
    expect([first, warm, refreshed]).toEqual([["first"], ["first"], ["second"]]);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    expect(secrets.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toEqual({ SecretId: SECRET_ID });
  });

  it("accepts every value of a JSON secret while it is rotated", async () => {
    // Arrange
    secrets
      .on(GetSecretValueCommand)
      .resolves({ SecretString: '{"current":"new-one","previous":"old-one"}' });

    // Act
    const values = await source().values();

    // Assert
    expect(values).toEqual(["new-one", "old-one"]);
  });

  it("shares one read between concurrent callers", async () => {
    // Arrange
    secrets.on(GetSecretValueCommand).resolves({ SecretString: "only" });
    const cached = source();

    // Act
    const both = await Promise.all([cached.values(), cached.values()]);

    // Assert
    expect(both).toEqual([["only"], ["only"]]);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it("makes a failed read a retryable SECRET_UNAVAILABLE", async () => {
    // Arrange
    const throttle = new Error("Rate exceeded");
    throttle.name = "ThrottlingException";
    secrets.on(GetSecretValueCommand).rejects(throttle);

    // Act
    const read = source().values();

    // Assert
    await expect(read).rejects.toMatchObject({ code: "SECRET_UNAVAILABLE", retryable: true });
  });

  it("refuses a secret with no usable value without echoing it", async () => {
    // Arrange
    secrets.on(GetSecretValueCommand).resolves({ SecretString: '{"current": 987654}' });

    // Act
    let thrown: unknown;
    try {
      await source().values();
    } catch (error) {
      thrown = error;
    }

    // Assert
    expect(thrown).toBeInstanceOf(ShiplineError);
    expect(thrown).toMatchObject({ code: "SECRET_INVALID", retryable: false });
    expect(String(thrown)).not.toContain("987654");
  });
});
