import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { App, Duration, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import * as kms from "aws-cdk-lib/aws-kms";
import * as logs from "aws-cdk-lib/aws-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeadLetterQueue } from "../../../infra/constructs/dead-letter-queue.js";
import { EventLog } from "../../../infra/constructs/event-log.js";
import { ShiplineEventBus } from "../../../infra/constructs/shipline-event-bus.js";
import { thrown } from "../thrown.js";

let outdir: string;
let template: Template;

beforeAll(async () => {
  outdir = await mkdtemp(path.join(os.tmpdir(), "shipline-cdk-"));
  const stack = new Stack(new App({ outdir, builtinCloudFormationValidation: false }), "Props");
  const key = new kms.Key(stack, "Key", { enableKeyRotation: true });
  new ShiplineEventBus(stack, "Bus", { archiveRetention: Duration.days(30), encryptionKey: key });
  new EventLog(stack, "Log", { retention: logs.RetentionDays.THREE_MONTHS, encryptionKey: key });
  new DeadLetterQueue(stack, "DeadLetters", { retentionPeriod: Duration.days(4) });
  template = Template.fromStack(stack);
});

afterAll(async () => {
  await rm(outdir, { recursive: true, force: true });
});

describe("ShiplineEventBus", () => {
  it("keeps the archive as long as asked and encrypts bus and archive with the given key", () => {
    // Act
    const archive = Object.values(template.findResources("AWS::Events::Archive"))[0];
    const bus = Object.values(template.findResources("AWS::Events::EventBus"))[0];

    // Assert
    expect(archive?.Properties.RetentionDays).toBe(30);
    expect(archive?.Properties.KmsKeyIdentifier).toEqual({
      "Fn::GetAtt": [expect.stringMatching(/^Key/), "Arn"],
    });
    expect(bus?.Properties.KmsKeyIdentifier).toEqual({
      "Fn::GetAtt": [expect.stringMatching(/^Key/), "Arn"],
    });
  });

  it.each([
    ["a fraction of a day", Duration.hours(36)],
    ["less than a day", Duration.hours(12)],
  ])("refuses an archive retention of %s", (_what, archiveRetention) => {
    // Arrange
    const stack = new Stack(new App(), "Bad");

    // Act
    const error = thrown(() => new ShiplineEventBus(stack, "Bus", { archiveRetention }));

    // Assert
    expect(error.code).toBe("CONSTRUCT_PROPS_INVALID");
    expect(error.message).toMatch(/archiveRetention is .*hours.*Duration\.days\(n\)/);
  });

  it("refuses a bus name EventBridge would reject", () => {
    // Arrange
    const stack = new Stack(new App(), "Bad");

    // Act
    const create = () => new ShiplineEventBus(stack, "Bus", { eventBusName: "default" });

    // Assert
    expect(create).toThrow(/eventBusName 'default' is not valid/);
  });
});

describe("EventLog", () => {
  it("encrypts the log group with the given key and lets this region's CloudWatch Logs use it", () => {
    // Act
    const keyPolicy = JSON.stringify(
      Object.values(template.findResources("AWS::KMS::Key"))[0]?.Properties.KeyPolicy,
    );

    // Assert
    const logGroup = Object.values(template.findResources("AWS::Logs::LogGroup"))[0];
    expect(logGroup?.Properties).toEqual({
      RetentionInDays: 90,
      KmsKeyId: { "Fn::GetAtt": [expect.stringMatching(/^Key/), "Arn"] },
    });
    expect(keyPolicy).toContain('"kms:GenerateDataKey*"');
    expect(keyPolicy).toContain('{"Ref":"AWS::Region"},".amazonaws.com"');
    expect(keyPolicy).toContain('"kms:EncryptionContext:aws:logs:arn"');
  });
});

describe("DeadLetterQueue", () => {
  it("keeps messages as long as asked", () => {
    // Act
    const queue = Object.values(template.findResources("AWS::SQS::Queue"))[0];

    // Assert
    expect(queue?.Properties.MessageRetentionPeriod).toBe(4 * 86_400);
  });

  it("refuses a retention SQS does not allow", () => {
    // Arrange
    const stack = new Stack(new App(), "Bad");

    // Act
    const create = () => new DeadLetterQueue(stack, "DeadLetters", { retentionPeriod: Duration.days(15) });

    // Assert
    expect(create).toThrow(/retentionPeriod is 15 days; SQS keeps messages from 1 minute to 14 days/);
  });
});
