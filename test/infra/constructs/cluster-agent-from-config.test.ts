import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stepFunctionConfigOf } from "../../../infra/constructs/step-function-config.js";
import { ShiplineStack } from "../../../infra/stacks/shipline-stack.js";
import { awsSolutionsFindings } from "../nag-findings.js";

const ACCOUNT = "123456789012";
const EDGE_ALARM = `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:edge-errors`;

/** staging on stage-eu bakes with an alarm by name, production on prod-eu with one by ARN; dev has none. */
const CONFIG = `version: 1
configRepo:
  url: https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/deploy
  credentials:
    provider: codecommit
clusters:
  - name: stage-eu
  - name: prod-eu
  - name: dev
environments:
  - name: staging
    cluster: stage-eu
    bake: { window: 5m, cloudwatchAlarm: shop-5xx }
  - name: production
    cluster: prod-eu
    promoteFrom: staging
    bake: { window: 15m, cloudwatchAlarm: "${EDGE_ALARM}" }
  - name: dev
    cluster: dev
    bake: { window: 1m, prometheus: { url: "http://prometheus:9090", query: "up == 0" } }
apps:
  - name: shop
    source:
      repo: https://github.com/acme/shop.git
    image:
      repository: shop
      tag: "{sha}"
    deploy:
      staging: { kind: helm, file: envs/staging/shop.yaml, path: image.tag }
      production: { kind: helm, file: envs/production/shop.yaml, path: image.tag }
      dev: { kind: helm, file: envs/dev/shop.yaml, path: image.tag }
`;

let outdir: string;
let stack: ShiplineStack;
let template: Template;

/** The statements of the policies attached to a cluster agent's role. */
function statementsOf(cluster: string): { Action: unknown; Resource: unknown }[] {
  const cfnRole = stack.deployment?.agents.get(cluster)?.role.node.defaultChild;
  if (!(cfnRole instanceof iam.CfnRole)) throw new Error(`no agent role for ${cluster}`);
  const logicalId = stack.getLogicalId(cfnRole);
  return Object.values(template.findResources("AWS::IAM::Policy"))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(logicalId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

beforeAll(async () => {
  outdir = await mkdtemp(path.join(os.tmpdir(), "shipline-cdk-"));
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  stack = new ShiplineStack(app, "Shipline", {
    env: { account: ACCOUNT, region: "eu-west-1" },
    config: stepFunctionConfigOf(CONFIG),
    functionCode: lambda.Code.fromInline("exports.handler = async () => {};"),
  });
  template = Template.fromStack(stack);
});

afterAll(async () => {
  await rm(outdir, { recursive: true, force: true });
});

describe("the agents' metric gates on AWS", () => {
  it("lets each agent describe the alarms its environments bake with, and no other", () => {
    // Act
    const staging = statementsOf("stage-eu").filter(
      (statement) => statement.Action === "cloudwatch:DescribeAlarms",
    );
    const production = statementsOf("prod-eu").filter(
      (statement) => statement.Action === "cloudwatch:DescribeAlarms",
    );

    // Assert
    expect(staging).toEqual([
      expect.objectContaining({
        Effect: "Allow",
        Resource: {
          "Fn::Join": [
            "",
            ["arn:", { Ref: "AWS::Partition" }, `:cloudwatch:eu-west-1:${ACCOUNT}:alarm:shop-5xx`],
          ],
        },
      }),
    ]);
    expect(production).toEqual([expect.objectContaining({ Effect: "Allow", Resource: EDGE_ALARM })]);
  });

  it("gives an agent whose environments bake with Prometheus (or not at all) no CloudWatch permission", () => {
    // Act
    const actions = JSON.stringify(statementsOf("dev").map((statement) => statement.Action));

    // Assert
    expect(actions).not.toContain("cloudwatch:");
  });

  it("raises no AwsSolutions finding on an agent that may describe alarms", () => {
    // Arrange
    const agent = stack.deployment?.agents.get("stage-eu");
    if (agent === undefined) throw new Error("no agent for stage-eu");

    // Act
    const findings = awsSolutionsFindings(agent);

    // Assert
    expect(findings).toEqual([]);
  });
});

describe("the holds and waits the agents count", () => {
  it("routes the Hold Placed, Hold Released and Promotion Waiting events of each cluster's environments to its queue", () => {
    // Arrange
    const queue = stack.deployment?.agents.get("prod-eu")?.queue;
    if (queue === undefined) throw new Error("no agent queue for prod-eu");

    // Act
    const rules = template.findResources("AWS::Events::Rule", {
      Properties: { EventPattern: { "detail-type": ["Hold Placed", "Hold Released", "Promotion Waiting"] } },
    });

    // Assert
    const byEnvironment = Object.values(rules).map((rule) => [
      rule.Properties.EventPattern.detail.environment,
      rule.Properties.Targets.map((each: { Arn: unknown }) => each.Arn),
    ]);
    expect(byEnvironment).toEqual(
      expect.arrayContaining([[["production"], [stack.resolve(queue.queueArn)]]]),
    );
    expect(byEnvironment).toHaveLength(3);
  });
});
