import { describe, expect, it } from "vitest";
import { codeCommitRepositoryStateChangeEvent } from "../../../../../functions/core/contracts/aws/codecommit-repository-state-change.js";
import { issuesOf, type JsonPath, naming, readFixture, withChange } from "../samples.js";

const sample = readFixture(
  "aws/codecommit-repository-state-change.reference-updated-push.captured-third-party.json",
);

describe("codeCommitRepositoryStateChangeEvent", () => {
  it("parses a branch update with the old and new commits", () => {
    // Act
    const event = codeCommitRepositoryStateChangeEvent.parse(sample);

    // Assert
    expect(event.detail).toEqual({
      event: "referenceUpdated",
      repositoryName: "some-repo",
      repositoryId: "280e6f04-7a9c-4c72-8d8f-947d83e21a96",
      referenceType: "branch",
      referenceName: "main",
      referenceFullName: "refs/heads/main",
      commitId: "f485fcc95a795517f279d0a877227e51208b0dfc",
      oldCommitId: "a399698fbd740af9c78fb2dd7f667656b70646b6",
      callerUserArn: "arn:aws:iam::111111111111:user/admin",
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
