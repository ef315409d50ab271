import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../infra/create-app.js";
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
