import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CONFIG_FILE_CONTEXT, createApp, createAppFromContext } from "../../infra/create-app.js";
import { thrown } from "./thrown.js";

let outdir: string;

beforeEach(async () => {
  outdir = await mkdtemp(path.join(os.tmpdir(), "shipline-cdk-"));
});

afterEach(async () => {
  await rm(outdir, { recursive: true, force: true });
});

describe("createApp", () => {
  it("builds an environment-agnostic stack, so synthesis needs no AWS account", () => {
    // Act
    const { stack } = createApp({ app: { outdir, builtinCloudFormationValidation: false } });

    // Assert
    expect(stack.stackName).toBe("Shipline");
    expect(stack.resolve(stack.account)).toEqual({ Ref: "AWS::AccountId" });
    expect(stack.resolve(stack.region)).toEqual({ Ref: "AWS::Region" });
  });

  it("fails synthesis on a cdk-nag AwsSolutions finding, naming the rule and the resource", () => {
    // Arrange
    const { app, stack } = createApp({ app: { outdir, builtinCloudFormationValidation: false } });
    new sqs.Queue(stack, "PlainQueue", { encryption: sqs.QueueEncryption.SQS_MANAGED });

    // Act
    const { message } = thrown(() => app.synth());

    // Assert
    expect(message).toContain("AwsSolutions-SQS4");
    expect(message).toContain("Shipline/PlainQueue/Resource");
  });
});

describe("createAppFromContext", () => {
  const fixture = path.resolve(
    path.dirname(fileURLToPath(import.meta.url)),
    "../fixtures/buildspec/shipline.config.yaml",
  );
  const functionCode = lambda.Code.fromInline("exports.handler = async () => {};");

  it("deploys steps 1 to 4 for the apps of the configuration file the context names", async () => {
    // Act
    const { stack } = await createAppFromContext({
      app: { outdir, context: { [CONFIG_FILE_CONTEXT]: fixture } },
      stack: { functionCode },
    });

    // Assert
    expect([...(stack.commitToImage?.builds.keys() ?? [])]).toEqual(["shop", "billing", "docs", "demo"]);
  });

  it("fails with the configuration's own error when the named file does not exist", async () => {
    // Arrange
    const missing = path.join(outdir, "absent.yaml");

    // Act
    const error = await createAppFromContext({
      app: { outdir, context: { [CONFIG_FILE_CONTEXT]: missing } },
      stack: { functionCode },
    }).then(
      () => undefined,
      (reason: unknown) => reason,
    );

    // Assert
    expect(error).toMatchObject({ code: "CONFIG_NOT_FOUND" });
    expect(String(error)).toContain(missing);
  });
});
