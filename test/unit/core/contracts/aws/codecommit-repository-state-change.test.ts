import { describe, expect, it } from "vitest";
import { codeCommitRepositoryStateChangeEvent } from "../../../../../functions/core/contracts/aws/codecommit-repository-state-change.js";
import { issuesOf, type JsonPath, naming, readFixture, withChange } from "../samples.js";

const sample = readFixture("aws/codecommit-repository-state-change.reference-updated.json");

describe("codeCommitRepositoryStateChangeEvent", () => {
  it("parses a branch update with the old and new commits", () => {
    // Act
    const event = codeCommitRepositoryStateChangeEvent.parse(sample);

    // Assert
    expect(event.detail).toEqual({
      event: "referenceUpdated",
      repositoryName: "shipline-demo-app",
      repositoryId: "d154cf37-a02b-4866-9934-dff013a48bf2",
      referenceType: "branch",
      referenceName: "main",
      referenceFullName: "refs/heads/main",
      commitId: "8fa8088ce4a74b6efe061fc090f9095b2dc82ce9",
      oldCommitId: "5ac881ac62cd87c327667c5d5b2eeb70c0c8e61e",
      callerUserArn: "arn:aws:iam::123456789012:user/ada",
    });
  });

  it.each<{
    readonly label: string;
    readonly at: JsonPath;
    readonly value?: unknown;
    readonly field: string;
  }>([
    { label: "a missing event kind", at: ["detail", "event"], field: "detail.event" },
    {
      label: "an unknown event kind",
      at: ["detail", "event"],
      value: "pullRequestCreated",
      field: "detail.event",
    },
    { label: "a missing repository name", at: ["detail", "repositoryName"], field: "detail.repositoryName" },
    {
      label: "a reference type other than branch or tag",
      at: ["detail", "referenceType"],
      value: "note",
      field: "detail.referenceType",
    },
    {
      label: "a commit id that is a number",
      at: ["detail", "commitId"],
      value: 42,
      field: "detail.commitId",
    },
  ])("rejects $label and names the field", ({ at, value, field }) => {
    // Arrange
    const mutated = withChange(sample, at, value === undefined ? { remove: true } : { set: value });

    // Act
    const problems = issuesOf(codeCommitRepositoryStateChangeEvent, mutated);

    // Assert
    expect(problems).toContainEqual(naming(field));
  });
});
