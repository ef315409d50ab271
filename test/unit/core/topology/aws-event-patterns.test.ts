import { describe, expect, it } from "vitest";
import * as z from "zod";
import { testEventPattern } from "../../../../functions/core/event-pattern/test-event-pattern.js";
import { AWS_EVENT_PATTERNS } from "../../../../functions/core/topology/aws-event-patterns.js";
import { readFixture } from "../../../read-fixture.js";

const sample = z.looseObject({ detail: z.looseObject({}) });

describe("AWS_EVENT_PATTERNS.inspector2Scanned", () => {
  it("matches an Inspector scan of an ECR image", () => {
    // Arrange
    const event = readFixture("aws/inspector2-scan.ecr-initial-scan.json");

    // Act
    const matched = testEventPattern(AWS_EVENT_PATTERNS.inspector2Scanned, event);

    // Assert
    expect(matched).toBe(true);
  });

  it.each(["aws/inspector2-scan.ec2-instance.json", "aws/inspector2-scan.lambda-function.json"])(
    "leaves out %s, which is not an image",
    (name) => {
      // Arrange
      const event = readFixture(name);

      // Act
      const matched = testEventPattern(AWS_EVENT_PATTERNS.inspector2Scanned, event);

      // Assert
      expect(matched).toBe(false);
    },
  );

  it("matches an image scan in another partition", () => {
    // Arrange
    const event = sample.parse(readFixture("aws/inspector2-scan.ecr-initial-scan.json"));
    const inChina = {
      ...event,
      detail: {
        ...event.detail,
        "repository-name": "arn:aws-cn:ecr:cn-north-1:123456789012:repository/shipline-demo/api",
      },
    };

    // Act
    const matched = testEventPattern(AWS_EVENT_PATTERNS.inspector2Scanned, inChina);

    // Assert
    expect(matched).toBe(true);
  });
});
