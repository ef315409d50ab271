import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { BuildVariable } from "../../../../functions/core/build/build-variable.js";
import { planBuild } from "../../../../functions/core/build/plan-build.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { appConfig, pushOf, SHA } from "./build-test-kit.js";

const REGISTRY = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

describe("planBuild", () => {
  it("plans the commit, repository URI, tag, environment and idempotency token of a build", () => {
    // Arrange
    const app = appConfig("api", { image: { tag: "{branch}-{sha7}" } });
    const push = pushOf({ modified: ["a"] });

    // Act
    const plan = planBuild({ app, push, imageRegistry: REGISTRY });

    // Assert
    expect(plan).toEqual({
      app: "api",
      sourceVersion: SHA,
      sourceFetchedByBuild: false,
      imageRepository: "api",
      imageRepositoryUri: `${REGISTRY}/api`,
      tag: { kind: "rendered", tag: "main-0123456" },
      environment: {
        [BuildVariable.App]: "api",
        [BuildVariable.Commit]: SHA,
        [BuildVariable.CorrelationId]: push.correlationId,
        [BuildVariable.DeliveryId]: push.deliveryId,
        [BuildVariable.RefName]: "main",
        [BuildVariable.ImageRepositoryUri]: `${REGISTRY}/api`,
        [BuildVariable.ImageTag]: "main-0123456",
      },
      idempotencyToken: createHash("sha256").update(`${push.correlationId}\napi`).digest("hex"),
      recordKey: { pk: `build#${push.correlationId}#api`, sk: "start" },
    });
  });

  it("gives the same token for the same push and app and another for another app", () => {
    // Arrange
    const push = pushOf({ modified: ["a"] });

    // Act
    const first = planBuild({ app: appConfig("api"), push, imageRegistry: REGISTRY });
    const again = planBuild({ app: appConfig("api"), push, imageRegistry: REGISTRY });
    const web = planBuild({ app: appConfig("web"), push, imageRegistry: REGISTRY });

    // Assert
    expect(again.idempotencyToken).toBe(first.idempotencyToken);
    expect(web.idempotencyToken).not.toBe(first.idempotencyToken);
    expect(first.idempotencyToken).toMatch(/^[0-9a-f]{64}$/);
  });

  it("hands a {version} template to the build with where to read the version", () => {
    // Arrange
    const app = appConfig("api", {
      image: { tag: "{version}-{sha7}" },
      build: { version: { from: "file", path: "services/api/VERSION" } },
    });

    // Act
    const plan = planBuild({ app, push: pushOf(), imageRegistry: REGISTRY });

    // Assert
    expect(plan.environment[BuildVariable.ImageTag]).toBeUndefined();
    expect(plan.environment[BuildVariable.ImageTagTemplate]).toBe("{version}-0123456");
    expect(plan.environment[BuildVariable.VersionFrom]).toBe("file");
    expect(plan.environment[BuildVariable.VersionPath]).toBe("services/api/VERSION");
  });

  it("leaves the checkout to the build for an app on a host CodeBuild cannot clone", () => {
    // Arrange
    const app = appConfig("api", {
      source: { repo: "https://gitea.acme.example/shop/api.git", host: "gitea" },
    });

    // Act
    const plan = planBuild({ app, push: pushOf(), imageRegistry: REGISTRY });

    // Assert
    expect(plan).toMatchObject({ sourceVersion: SHA, sourceFetchedByBuild: true });
    expect(plan.environment[BuildVariable.Commit]).toBe(SHA);
  });

  it("keeps a repository with its own registry as it is", () => {
    // Arrange
    const app = appConfig("api", { image: { repository: "ghcr.io/acme/api" } });

    // Act
    const plan = planBuild({ app, push: pushOf() });

    // Assert
    expect(plan.imageRepositoryUri).toBe("ghcr.io/acme/api");
  });

  it("refuses a Shipline-managed repository when no registry is known", () => {
    // Arrange
    const app = appConfig("api");

    // Act
    let thrown: unknown;
    try {
      planBuild({ app, push: pushOf() });
    } catch (error) {
      thrown = error;
    }

    // Assert
    expect(thrown).toBeInstanceOf(ShiplineError);
    expect(thrown).toMatchObject({ code: "CONFIG_INVALID", retryable: false });
  });

  it("plans no build of an app with build: external", () => {
    // Arrange
    const app = appConfig("api", { build: { external: true } });

    // Act
    let thrown: unknown;
    try {
      planBuild({ app, push: pushOf(), imageRegistry: REGISTRY });
    } catch (error) {
      thrown = error;
    }

    // Assert
    expect(thrown).toBeInstanceOf(ShiplineError);
    expect(thrown).toMatchObject({ code: "BUILD_EXTERNAL", retryable: false });
  });
});
