import { describe, expect, it } from "vitest";
import { ShiplineError } from "../../../functions/core/errors/shipline-error.js";
import { PromoteEnvName } from "../../../functions/core/promotion/promote-env-names.js";
import { EnvName } from "../../../functions/core/topology/env-names.js";
import { readPromoteEnvironment } from "../../../functions/handlers/promote-environment.js";

const configJson = JSON.stringify({
  version: 1,
  configRepo: {
    url: "https://github.com/acme/deploy.git",
    credentials: { provider: "github-app", appId: 1, installationId: 2, privateKeySecret: "shipline/key" },
  },
  clusters: [{ name: "prod" }],
  environments: [{ name: "production", cluster: "prod" }],
  apps: [
    {
      name: "shop",
      source: { repo: "https://github.com/acme/shop.git" },
      image: { repository: "shop" },
      build: {},
      deploy: { production: { kind: "helm", file: "envs/production/values.yaml", path: "image.tag" } },
    },
  ],
});

const complete = {
  [EnvName.EventBusName]: "shipline",
  [EnvName.ConfigJson]: configJson,
  [PromoteEnvName.PromotionTable]: "promotion-table",
  [PromoteEnvName.ImagesTable]: "images-table",
  [PromoteEnvName.WriteQueueUrl]: "https://sqs.eu-west-1.amazonaws.com/123456789012/writer.fifo",
  [PromoteEnvName.ScheduleGroup]: "promote-checks",
  [PromoteEnvName.SchedulerRoleArn]: "arn:aws:iam::123456789012:role/scheduler",
};

describe("readPromoteEnvironment", () => {
  it("reads the promote function's settings and its configuration", () => {
    // Act
    const environment = readPromoteEnvironment({ bundleDir: "/nonexistent", env: complete });

    // Assert
    expect(environment).toMatchObject({
      promotionTable: "promotion-table",
      imagesTable: "images-table",
      writeQueueUrl: complete[PromoteEnvName.WriteQueueUrl],
      scheduleGroup: "promote-checks",
      schedulerRoleArn: complete[PromoteEnvName.SchedulerRoleArn],
      gitCacheDir: "/tmp/shipline-git",
    });
    expect(environment.schedulerDeadLetterArn).toBeUndefined();
    expect(environment.config.apps.map((app) => app.name)).toEqual(["shop"]);
  });

  it("names every missing variable at once, without echoing values", () => {
    // Arrange
    const env = {
      ...complete,
      [PromoteEnvName.WriteQueueUrl]: undefined,
      [PromoteEnvName.SchedulerRoleArn]: " ",
    };

    // Act
    let error: unknown;
    try {
      readPromoteEnvironment({ bundleDir: "/nonexistent", env });
    } catch (thrown) {
      error = thrown;
    }

    // Assert
    expect(error).toBeInstanceOf(ShiplineError);
    expect(error).toMatchObject({ code: "CONFIG_INVALID", retryable: false });
    const message = error instanceof Error ? error.message : "";
    expect(message).toContain(`${PromoteEnvName.WriteQueueUrl}: is not set`);
    expect(message).toContain(`${PromoteEnvName.SchedulerRoleArn}: is set but empty`);
    expect(message).not.toContain("promotion-table");
  });
});
