import { describe, expect, it } from "vitest";
import { ecrImageScanEvent } from "../../../../../functions/core/contracts/aws/ecr-image-scan.js";
import { issuesOf, type JsonPath, naming, readFixture, withChange } from "../samples.js";

const sample = readFixture("aws/ecr-image-scan.complete.json");

describe("ecrImageScanEvent", () => {
  it("parses a basic-scanning completion with its severity counts", () => {
    // Act
    const event = ecrImageScanEvent.parse(sample);

    // Assert
    expect(event["detail-type"]).toBe("ECR Image Scan");
    expect(event.detail["scan-status"]).toBe("COMPLETE");
    expect(event.detail["image-tags"]).toEqual(["1.2.0-2b54c81"]);
    expect(event.detail["finding-severity-counts"]).toEqual({ CRITICAL: 1, HIGH: 4, MEDIUM: 7, LOW: 2 });
  });

  it("defaults absent tags and counts to empty, as ECR leaves them out when there are none", () => {
    // Arrange
    const bare = withChange(
      withChange(sample, ["detail", "image-tags"], { remove: true }),
      ["detail", "finding-severity-counts"],
      { remove: true },
    );

    // Act
    const event = ecrImageScanEvent.parse(bare);

    // Assert
    expect(event.detail["image-tags"]).toEqual([]);
    expect(event.detail["finding-severity-counts"]).toEqual({});
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
      label: "a count that is a string",
      at: ["detail", "finding-severity-counts", "HIGH"],
      value: "2",
      field: "detail.finding-severity-counts.HIGH",
    },
    {
      label: "a tag that is a number",
      at: ["detail", "image-tags", 0],
      value: 7,
      field: "detail.image-tags[0]",
    },
    {
      label: "an Inspector detail type",
      at: ["detail-type"],
      value: "Inspector2 Scan",
      field: "detail-type",
    },
  ])("rejects $label and names the field", ({ at, value, field }) => {
    // Arrange
    const mutated = withChange(sample, at, value === undefined ? { remove: true } : { set: value });

    // Act
    const problems = issuesOf(ecrImageScanEvent, mutated);

    // Assert
    expect(problems).toContainEqual(naming(field));
  });
});
