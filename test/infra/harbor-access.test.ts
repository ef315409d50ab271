import { Match } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvName } from "../../functions/core/topology/env-names.js";
import { type StackWithConfig, stackWithConfig } from "./stack-with-config.js";

const ROBOT = "shipline/harbor-robot";

let synth: StackWithConfig;

describe("a stack whose configuration declares a Harbor", () => {
  beforeAll(async () => {
    synth = await stackWithConfig({
      registries: [{ kind: "harbor", url: "https://harbor.example.com", credentials: { secretName: ROBOT } }],
    });
  });

  afterAll(async () => {
    await synth.cleanUp();
  });

  it("generates the Harbor webhook secret, gives its ARN to the webhook and outputs it", () => {
    // Arrange
    const { stack, template, statementsOf, logicalIdOf } = synth;
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
    const { stack, statementsOf, logicalIdOf } = synth;
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
    const rules = synth.template.findResources("AWS::Events::Rule", {
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
