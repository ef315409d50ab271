import { describe, expect, it } from "vitest";
import { ecrImageActionEvent } from "../../../../../functions/core/contracts/aws/ecr-image-action.js";
import { issuesOf, type JsonPath, naming, readFixture, withChange } from "../samples.js";

const sample = readFixture("aws/ecr-image-action.push.json");

describe("ecrImageActionEvent", () => {
  it("parses ECR's documented push event", () => {
    // Act
    const event = ecrImageActionEvent.parse(sample);

    // Assert
    expect(event.source).toBe("aws.ecr");
    expect(event.detail).toEqual({
      result: "SUCCESS",
      "repository-name": "shipline-demo/app",
      "image-digest": "sha256:ac77fdafc6f72fb6541e841098e185dd63368392b6c959a5998f9cdd6965d19e",
      "action-type": "PUSH",
      "image-tag": "1.2.0-2b54c81",
    });
  });

  it("accepts a push without a tag, since an image can be pushed by digest only", () => {
    // Arrange
    const untagged = withChange(sample, ["detail", "image-tag"], { remove: true });

    // Act
    const event = ecrImageActionEvent.parse(untagged);

    // Assert
    expect(event.detail["image-tag"]).toBeUndefined();
  });

  it.each<{
    readonly label: string;
    readonly at: JsonPath;
    readonly value?: unknown;
    readonly field: string;
  }>([
    {
      label: "a missing repository name",
      at: ["detail", "repository-name"],
      field: "detail.repository-name",
    },
    { label: "a missing digest", at: ["detail", "image-digest"], field: "detail.image-digest" },
    {
      label: "an unknown action type",
      at: ["detail", "action-type"],
      value: "PULL",
      field: "detail.action-type",
    },
    { label: "a numeric result", at: ["detail", "result"], value: 1, field: "detail.result" },
    { label: "another source", at: ["source"], value: "aws.ecs", field: "source" },
    { label: "resources that are not a list", at: ["resources"], value: "arn:aws:ecr", field: "resources" },
  ])("rejects $label and names the field", ({ at, value, field }) => {
    // Arrange
    const mutated = withChange(sample, at, value === undefined ? { remove: true } : { set: value });

    // Act
    const problems = issuesOf(ecrImageActionEvent, mutated);

    // Assert
    expect(problems).toContainEqual(naming(field));
  });
});
