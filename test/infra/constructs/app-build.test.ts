import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { app as appSchema } from "../../../functions/core/config/app.js";
import { AppBuild } from "../../../infra/constructs/app-build.js";
import { thrown } from "../thrown.js";

function appFrom(repo: string, repository = "shop") {
  return appSchema.parse({
    name: "shop",
    source: { repo },
    image: { repository },
    deploy: { staging: { kind: "marker", file: "envs/staging/shop.yaml" } },
  });
}

describe("AppBuild", () => {
  it("refuses an image repository outside ECR, which the project's role could not push to", () => {
    // Arrange
    const stack = new Stack(new App(), "Test");
    const app = appFrom("https://github.com/acme/shop.git", "ghcr.io/acme/shop");

    // Act
    const error = thrown(() => new AppBuild(stack, "Build", { app }));

    // Assert
    expect(error.code).toBe("APP_REGISTRY_UNSUPPORTED");
    expect(error.message).toContain("repository 'ghcr.io/acme/shop' is not in ECR");
  });

  it("uses an existing ECR repository named with its registry host instead of creating one", () => {
    // Arrange
    const stack = new Stack(new App(), "Test");
    const app = appFrom(
      "https://github.com/acme/shop.git",
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop",
    );

    // Act
    const build = new AppBuild(stack, "Build", { app });

    // Assert
    expect(stack.resolve(build.imageRepository.repositoryArn)).toEqual({
      "Fn::Join": ["", ["arn:", { Ref: "AWS::Partition" }, ":ecr:eu-west-1:123456789012:repository/shop"]],
    });
    Template.fromStack(stack).resourceCountIs("AWS::ECR::Repository", 0);
  });

  it("refuses a lifecycle that ECR cannot express", () => {
    // Arrange
    const stack = new Stack(new App(), "Test");

    // Act
    const error = thrown(
      () =>
        new AppBuild(stack, "Build", { app: appFrom("https://github.com/acme/shop.git"), maxImageCount: 0 }),
    );

    // Assert
    expect(error.code).toBe("CONSTRUCT_PROPS_INVALID");
    expect(error.message).toContain("maxImageCount is 0; give a whole number of at least 1");
  });
});
