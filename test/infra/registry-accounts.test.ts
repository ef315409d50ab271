import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { App } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import * as z from "zod";
import { stepFunctionConfigOf } from "../../infra/constructs/step-function-config.js";
import { ShiplineStack } from "../../infra/stacks/shipline-stack.js";

const INLINE = lambda.Code.fromInline("exports.handler = async () => {};");
const ACCOUNT = "shipline/ghcr-reader";

let outdir: string;
let stack: ShiplineStack;
let template: Template;

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

describe("a stack whose configuration declares a registry of kind oci with an account", () => {
  beforeAll(async () => {
    outdir = await mkdtemp(path.join(os.tmpdir(), "shipline-oci-cdk-"));
    const text = await readFile(
      path.resolve(import.meta.dirname, "../fixtures/buildspec/shipline.config.yaml"),
      "utf8",
    );
    const document = z.looseObject({}).parse(parse(text));
    const config = stepFunctionConfigOf(
      stringify({
        ...document,
        registries: [{ kind: "oci", url: "https://ghcr.io", credentials: { secretName: ACCOUNT } }],
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

  it("lets the webhook and image-pushed read the account's secret, and not the scan gate", () => {
    // Arrange
    const readsAccount = (role: string) =>
      statementsOf(role).some((statement) => {
        const text = JSON.stringify(statement);
        return text.includes("secretsmanager:GetSecretValue") && text.includes(`secret:${ACCOUNT}-`);
      });

    // Act
    const webhook = readsAccount(logicalIdOf(stack.commitToImage?.webhook.step.role));
    const imagePushed = readsAccount(logicalIdOf(stack.commitToImage?.imagePushed.role));
    const scanGate = readsAccount(logicalIdOf(stack.scanGate?.step.role));

    // Assert
    expect([webhook, imagePushed, scanGate]).toEqual([true, true, false]);
  });

  it("routes Registry Image Pushed to image-pushed", () => {
    // Act
    const rules = template.findResources("AWS::Events::Rule", {
      Properties: { EventPattern: { source: ["shipline.registry"] } },
    });

    // Assert
    expect(Object.values(rules).map((rule) => rule.Properties.EventPattern["detail-type"])).toEqual([
      ["Registry Image Pushed"],
    ]);
  });
});
