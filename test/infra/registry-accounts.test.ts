import { Match } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvName } from "../../functions/core/topology/env-names.js";
import { type StackWithConfig, stackWithConfig } from "./stack-with-config.js";

const ACCOUNT = "shipline/ghcr-reader";

let synth: StackWithConfig;

describe("a stack whose configuration declares a registry of kind oci with an account", () => {
  beforeAll(async () => {
    synth = await stackWithConfig({
      registries: [{ kind: "oci", url: "https://ghcr.io", credentials: { secretName: ACCOUNT } }],
    });
  });

  afterAll(async () => {
    await synth.cleanUp();
  });

  it("lets the webhook and image-pushed read the account's secret, and not the scan gate", () => {
    // Arrange
    const { stack, statementsOf, logicalIdOf } = synth;
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

  it("generates a publish secret of its own for the CIs, gives its ARN to the webhook and outputs it", () => {
    // Arrange
    const { stack, template, statementsOf, logicalIdOf } = synth;
    const publish = logicalIdOf(stack.commitToImage?.registryAccounts?.publishSecret);
    const webhookSecret = logicalIdOf(stack.commitToImage?.webhook.secret);

    // Act
    const webhook = template.findResources("AWS::Lambda::Function", {
      Properties: {
        Environment: { Variables: Match.objectLike({ [EnvName.PublishSecretArn]: { Ref: publish } }) },
      },
    });

    // Assert
    expect(publish).not.toBe(webhookSecret);
    expect(Object.keys(webhook)).toHaveLength(1);
    template.hasOutput("PublishSecretArn", { Value: { Ref: publish } });
    expect(JSON.stringify(statementsOf(logicalIdOf(stack.commitToImage?.webhook.step.role)))).toContain(
      publish,
    );
  });

  it("routes Registry Image Pushed to image-pushed", () => {
    // Act
    const rules = synth.template.findResources("AWS::Events::Rule", {
      Properties: {
        EventPattern: { source: ["shipline.registry"], "detail-type": ["Registry Image Pushed"] },
      },
    });

    // Assert
    expect(Object.keys(rules)).toHaveLength(1);
  });
});
