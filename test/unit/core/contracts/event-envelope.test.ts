import { describe, expect, it } from "vitest";
import * as z from "zod";
import { envelopeOf, eventEnvelope } from "../../../../functions/core/contracts/event-envelope.js";
import { issuesOf, naming, readFixture, withChange } from "./samples.js";

const EVENTBRIDGE_SAMPLES = [
  "aws/codebuild-build-state-change.failed.json",
  "aws/codebuild-build-state-change.succeeded.json",
  "aws/codebuild-build-phase-change.completed.json",
  "aws/codecommit-repository-state-change.reference-updated.json",
  "aws/ecr-image-action.push.json",
  "aws/ecr-image-scan.complete.json",
  "aws/inspector2-finding.package-vulnerability.json",
  "aws/inspector2-scan.ecr-initial-scan.json",
];

describe("eventEnvelope", () => {
  it.each(EVENTBRIDGE_SAMPLES)("parses the envelope of %s and leaves its detail untouched", (name) => {
    // Arrange
    const sample = readFixture(name);

    // Act
    const envelope = eventEnvelope.parse(sample);

    // Assert
    expect(envelope.version).toBe("0");
    expect(envelope.source).toMatch(/^aws\./);
    expect(envelope.detail).toEqual(z.object({ detail: z.unknown() }).parse(sample).detail);
  });

  it("accepts the replay name EventBridge adds to replayed events", () => {
    // Arrange
    const replayed = withChange(readFixture("aws/ecr-image-action.push.json"), ["replay-name"], {
      set: "replay-1",
    });

    // Act
    const envelope = eventEnvelope.parse(replayed);

    // Assert
    expect(envelope["replay-name"]).toBe("replay-1");
  });

  it.each([
    { at: ["id"], field: "id" },
    { at: ["detail-type"], field: "detail-type" },
    { at: ["resources"], field: "resources" },
  ])("rejects an envelope without $field and names it", ({ at, field }) => {
    // Arrange
    const mutated = withChange(readFixture("aws/codebuild-build-state-change.failed.json"), at, {
      remove: true,
    });

    // Act
    const problems = issuesOf(eventEnvelope, mutated);

    // Assert
    expect(problems).toContainEqual(naming(field));
  });
});

describe("envelopeOf", () => {
  it("validates the detail with the given schema and prefixes its problems with detail", () => {
    // Arrange
    const schema = envelopeOf(z.object({ "completed-phase": z.literal("BUILD") }));
    const sample = readFixture("aws/codebuild-build-phase-change.completed.json");

    // Act
    const problems = issuesOf(schema, sample);

    // Assert
    expect(problems).toEqual([expect.stringMatching(/^detail\.completed-phase: /)]);
  });
});
