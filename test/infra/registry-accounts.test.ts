import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
