import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { App } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import * as z from "zod";
import { EnvName } from "../../functions/core/topology/env-names.js";
import { stepFunctionConfigOf } from "../../infra/constructs/step-function-config.js";
import { ShiplineStack } from "../../infra/stacks/shipline-stack.js";

const INLINE = lambda.Code.fromInline("exports.handler = async () => {};");
const ROBOT = "shipline/harbor-robot";

let outdir: string;
let stack: ShiplineStack;
let template: Template;

/** The logical ids of the policies attached to a role, and their statements. */
function statementsOf(roleLogicalId: string): unknown[] {
  const policies = template.findResources("AWS::IAM::Policy", {
    Properties: { Roles: Match.arrayWith([{ Ref: roleLogicalId }]) },
  });
  return Object.values(policies).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

function logicalIdOf(construct: { node: { defaultChild?: unknown } } | undefined): string {
  const child = construct?.node.defaultChild;
  if (child === undefined) throw new Error("no such construct");
  return stack.getLogicalId(child as never);
}

describe("a stack whose configuration declares a Harbor", () => {
  beforeAll(async () => {
    outdir = await mkdtemp(path.join(os.tmpdir(), "shipline-harbor-cdk-"));
    const text = await readFile(
      path.resolve(import.meta.dirname, "../fixtures/buildspec/shipline.config.yaml"),
      "utf8",
    );
    const document = z.looseObject({}).parse(parse(text));
    const config = stepFunctionConfigOf(
      stringify({
        ...document,
        registries: [
          { kind: "harbor", url: "https://harbor.example.com", credentials: { secretName: ROBOT } },
        ],
      }),
    );
    stack = new ShiplineStack(new App({ outdir, builtinCloudFormationValidation: false }), "Shipline", {
      env: { account: "123456789012", region: "eu-west-1" },
      config,
      functionCode: INLINE,
    });
    template = Template.fromStack(stack);
  });

  afterAll(async () => {
    await rm(outdir, { recursive: true, force: true });
  });

  it("generates the Harbor webhook secret, gives its ARN to the webhook and outputs it", () => {
    // Arrange
    const secret = logicalIdOf(stack.commitToImage?.harbor?.webhookSecret);

    // Act
    const webhook = template.findResources("AWS::Lambda::Function", {
      Properties: {
        Environment: { Variables: Match.objectLike({ [EnvName.HarborWebhookSecretArn]: { Ref: secret } }) },
      },
    });

    // Assert
    expect(Object.keys(webhook)).toHaveLength(1);
    template.hasOutput("HarborWebhookSecretArn", { Value: { Ref: secret } });
    expect(JSON.stringify(statementsOf(logicalIdOf(stack.commitToImage?.webhook.step.role)))).toContain(
      secret,
    );
  });

  it("lets image-pushed and the scan gate read the robot account's secret, and no other function", () => {
    // Arrange
    const readsRobot = (role: string) =>
      statementsOf(role).some((statement) => {
        const text = JSON.stringify(statement);
        return text.includes("secretsmanager:GetSecretValue") && text.includes(`secret:${ROBOT}-`);
      });

    // Act
    const imagePushed = readsRobot(logicalIdOf(stack.commitToImage?.imagePushed.role));
    const scanGate = readsRobot(logicalIdOf(stack.scanGate?.step.role));
    const webhook = readsRobot(logicalIdOf(stack.commitToImage?.webhook.step.role));

    // Assert
    expect([imagePushed, scanGate, webhook]).toEqual([true, true, false]);
  });

  it("routes Harbor's events to image-pushed and the scan gate", () => {
    // Act
    const rules = template.findResources("AWS::Events::Rule", {
      Properties: { EventPattern: { source: ["shipline.harbor"] } },
    });

    // Assert
    expect(
      Object.values(rules)
        .map((rule) => rule.Properties.EventPattern["detail-type"][0])
        .sort(),
    ).toEqual(["Harbor Artifact Pushed", "Harbor Scan Completed"]);
  });
});
