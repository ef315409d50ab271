import { describe, expect, it } from "vitest";
import { readWebhookEnvironment } from "../../../functions/handlers/webhook-environment.js";

const SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shipline-webhook";
const BASE = {
  EVENT_BUS_NAME: "shipline",
  IDEMPOTENCY_TABLE: "idempotency-table",
  WEBHOOK_SECRET_ARN: SECRET,
};

describe("readWebhookEnvironment", () => {
  it("reads the secret and the repositories whose CodeCommit pushes have their paths read", () => {
    // Act
    const environment = readWebhookEnvironment({
      env: {
        ...BASE,
        CHANGED_PATHS_REPOSITORIES: '["git-codecommit.eu-west-1.amazonaws.com/v1/repos/shop"]',
      },
    });

    // Assert
    expect(environment).toMatchObject({
      secretId: SECRET,
      changedPathsRepositories: ["git-codecommit.eu-west-1.amazonaws.com/v1/repos/shop"],
      step: { eventBusName: "shipline", idempotencyTable: "idempotency-table" },
    });
  });

  it("reads the Harbor and publish secrets apart from the git hosts' secret, and neither when unset", () => {
    // Arrange
    const harbor = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:harbor";
    const publish = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:publish";

    // Act
    const both = readWebhookEnvironment({
      env: { ...BASE, HARBOR_WEBHOOK_SECRET_ARN: harbor, PUBLISH_SECRET_ARN: publish },
    });
    const neither = readWebhookEnvironment({ env: BASE });

    // Assert
    expect(both).toMatchObject({ secretId: SECRET, harborSecretId: harbor, publishSecretId: publish });
    expect(neither).not.toHaveProperty("harborSecretId");
    expect(neither).not.toHaveProperty("publishSecretId");
  });

  it("reads no repository when the variable is not set", () => {
    // Act
    const environment = readWebhookEnvironment({ env: BASE });

    // Assert
    expect(environment.changedPathsRepositories).toEqual([]);
  });

  it("names every problem at once: no secret, repositories that are not a JSON array", () => {
    // Act
    const error = (() => {
      try {
        readWebhookEnvironment({
          env: { EVENT_BUS_NAME: "shipline", IDEMPOTENCY_TABLE: "t", CHANGED_PATHS_REPOSITORIES: "shop" },
        });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();

    // Assert
    expect(error).toMatchObject({ code: "CONFIG_INVALID", retryable: false });
    const message = error instanceof Error ? error.message : "";
    expect(message).toContain("WEBHOOK_SECRET_ARN: is not set");
    expect(message).toContain("CHANGED_PATHS_REPOSITORIES: is not a JSON array of repository keys");
  });
});
