import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Template } from "aws-cdk-lib/assertions";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stepFunctionConfigOf } from "../../../infra/constructs/step-function-config.js";
import { createApp } from "../../../infra/create-app.js";
import type { ShiplineStack } from "../../../infra/stacks/shipline-stack.js";

/** One app CodeBuild builds, and one its own CI builds, whose images must come from main. */
const CONFIG = `
version: 1
configRepo:
  url: https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/deploy
  credentials: { provider: codecommit }
clusters: [{ name: prod-eu }]
environments:
  - { name: staging, cluster: prod-eu }
apps:
  - name: shop
    source: { repo: https://github.com/acme/shop.git }
    image: { repository: shop }
    deploy: { staging: { kind: marker, file: envs/staging/shop.yaml } }
  - name: edge
    source:
      repo: https://gitea.example.com/acme/edge.git
      credentials: { provider: token, secretName: shipline/edge-token }
    image: { repository: edge, tag: "{version}-{sha7}" }
    build: external
    accept: { branches: [main], semver: ">=1.0.0" }
    deploy: { staging: { kind: marker, file: envs/staging/edge.yaml } }
`;

let outdir: string;
let stack: ShiplineStack;
let template: Template;

beforeAll(async () => {
  outdir = await mkdtemp(path.join(os.tmpdir(), "shipline-cdk-external-"));
  ({ stack } = createApp({
    app: { outdir, builtinCloudFormationValidation: false },
    stack: {
      config: stepFunctionConfigOf(CONFIG),
      functionCode: lambda.Code.fromInline("exports.handler = async () => {};"),
    },
  }));
  template = Template.fromStack(stack);
});

afterAll(async () => {
  await rm(outdir, { recursive: true, force: true });
});

describe("an app with build: external", () => {
  it("gets its image repository and no CodeBuild project, and start-build knows no project of it", () => {
    // Arrange
    const steps = stack.commitToImage;
    if (steps === undefined) throw new Error("the stack deployed no steps 1 to 4");

    // Act
    const edge = steps.builds.get("edge");
    const projects = template.findResources("AWS::CodeBuild::Project");
    const functions = Object.values(template.findResources("AWS::Lambda::Function"));

    // Assert
    expect(edge?.project).toBeUndefined();
    expect(edge?.projectName).toBeUndefined();
    expect(steps.builds.get("shop")?.project).toBeDefined();
    expect(Object.keys(projects)).toHaveLength(1);
    expect(JSON.stringify(projects)).not.toContain("edge");
    const projectsOfStartBuild = functions.flatMap((fn) => {
      const listed = fn.Properties.Environment?.Variables?.BUILD_PROJECTS;
      return listed === undefined ? [] : [JSON.parse(String(listed))];
    });
    expect(projectsOfStartBuild).toHaveLength(1);
    expect(Object.keys(projectsOfStartBuild[0] ?? {})).toEqual(["shop"]);
    template.resourceCountIs("AWS::ECR::Repository", 2);
  });

  it("lets image-pushed and the sweep read the repository accept.branches names, with its token", () => {
    // Arrange
    const steps = stack.commitToImage;
    if (steps === undefined) throw new Error("the stack deployed no steps 1 to 4");
    const roles = [steps.imagePushed.role, steps.imageSweep.step.role].map((role) =>
      stack.resolve(role.roleName),
    );

    // Act
    const policies = Object.values(template.findResources("AWS::IAM::Policy")).filter((policy) =>
      roles.some((role) => JSON.stringify(policy.Properties.Roles).includes(JSON.stringify(role))),
    );

    // Assert
    const granted = JSON.stringify(policies.map((policy) => policy.Properties.PolicyDocument));
    expect(granted).toContain("secretsmanager:GetSecretValue");
    expect(granted).toContain("shipline/edge-token");
  });

  it("deploys image-pushed with git, to prove an image's branch, only because an app names accept.branches", () => {
    // Arrange
    const steps = stack.commitToImage;
    if (steps === undefined) throw new Error("the stack deployed no steps 1 to 4");

    // Act
    const entry = path.basename(steps.imagePushed.entry);

    // Assert
    expect(entry).toBe("image-pushed-branches.ts");
  });
});
