import { describe, expect, it } from "vitest";
import { inspector2ScanEvent } from "../../../../../functions/core/contracts/aws/inspector2-scan.js";
import { issuesOf, type JsonPath, naming, readFixture, withChange } from "../samples.js";

const sample = readFixture("aws/inspector2-scan.ecr-initial-scan.json");

describe("inspector2ScanEvent", () => {
  it("parses Inspector's initial-scan event, whose repository is an ARN and whose counts include TOTAL", () => {
    // Act
    const event = inspector2ScanEvent.parse(sample);

    // Assert
    expect(event.source).toBe("aws.inspector2");
    expect(event.detail["scan-status"]).toBe("INITIAL_SCAN_COMPLETE");
    expect(event.detail["repository-name"]).toBe(
      "arn:aws:ecr:eu-west-1:123456789012:repository/shipline-demo/api",
    );
    expect(event.detail["finding-severity-counts"]).toEqual({
      CRITICAL: 0,
      HIGH: 3,
      MEDIUM: 5,
      TOTAL: 11,
    });
  });

  it("rejects a plain repository name and says an ARN is expected", () => {
    // Arrange
    const mutated = withChange(sample, ["detail", "repository-name"], { set: "shipline-demo/api" });

    // Act
    const problems = issuesOf(inspector2ScanEvent, mutated);

    // Assert
    expect(problems).toEqual(["detail.repository-name: expected the repository's ARN (arn:aws:ecr:...)"]);
  });

  it.each<{
    readonly label: string;
    readonly at: JsonPath;
    readonly value?: unknown;
    readonly field: string;
  }>([
    { label: "a missing scan status", at: ["detail", "scan-status"], field: "detail.scan-status" },
    { label: "a missing digest", at: ["detail", "image-digest"], field: "detail.image-digest" },
    {
      label: "a negative count",
      at: ["detail", "finding-severity-counts", "HIGH"],
      value: -1,
      field: "detail.finding-severity-counts.HIGH",
    },
    {
      label: "tags that are not a list",
      at: ["detail", "image-tags"],
      value: "latest",
      field: "detail.image-tags",
    },
    { label: "a missing event id", at: ["id"], field: "id" },
  ])("rejects $label and names the field", ({ at, value, field }) => {
    // Arrange
    const mutated = withChange(sample, at, value === undefined ? { remove: true } : { set: value });

    // Act
    const problems = issuesOf(inspector2ScanEvent, mutated);

    // Assert
    expect(problems).toContainEqual(naming(field));
  });
});
