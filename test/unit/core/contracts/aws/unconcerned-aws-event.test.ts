import { describe, expect, it } from "vitest";
import { unconcernedAwsEventReason } from "../../../../../functions/core/contracts/aws/unconcerned-aws-event.js";
import { readFixture } from "../samples.js";

describe("unconcernedAwsEventReason", () => {
  it("leaves an Inspector scan of an ECR image to the steps", () => {
    // Arrange
    const event = readFixture("aws/inspector2-scan.ecr-initial-scan.json");

    // Act
    const reason = unconcernedAwsEventReason(event);

    // Assert
    expect(reason).toBeUndefined();
  });

  it.each([
    [
      "aws/inspector2-scan.ec2-instance.json",
      "Inspector2 Scan of EC2 instance i-0a1b2c3d4e5f60718 is not a scan of an ECR container image; only image scans concern Shipline",
    ],
    [
      "aws/inspector2-scan.lambda-function.json",
      "Inspector2 Scan of Lambda function arn:aws:lambda:eu-west-1:123456789012:function:invoice-renderer:$LATEST is not a scan of an ECR container image; only image scans concern Shipline",
    ],
  ])("names the resource of %s, which is not an image", (name, expected) => {
    // Arrange
    const event = readFixture(name);

    // Act
    const reason = unconcernedAwsEventReason(event);

    // Assert
    expect(reason).toBe(expected);
  });

  it("says nothing about events of other kinds", () => {
    // Arrange
    const event = readFixture("aws/ecr-image-scan.complete.json");

    // Act
    const reason = unconcernedAwsEventReason(event);

    // Assert
    expect(reason).toBeUndefined();
  });
});
