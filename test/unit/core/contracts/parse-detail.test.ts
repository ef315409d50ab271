import { describe, expect, it } from "vitest";
import {
  DETAIL_TYPES,
  DetailType,
  type DetailTypeName,
} from "../../../../functions/core/contracts/detail-type.js";
import { formatPath } from "../../../../functions/core/contracts/format-issues.js";
import { parseDetail } from "../../../../functions/core/contracts/parse-detail.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { DETAIL_EXAMPLES } from "./detail-examples.js";
import { type JsonPath, naming, withChange } from "./samples.js";

/** For each detail type: a required field to drop, and a field to give the wrong type or value. */
const MUTATIONS: {
  readonly [K in DetailTypeName]: {
    readonly missing: JsonPath;
    readonly wrong: JsonPath;
    readonly value: unknown;
  };
} = {
  "Commit Pushed": { missing: ["after"], wrong: ["commits", 0, "id"], value: 42 },
  "Build Started": { missing: ["buildId"], wrong: ["imageTag"], value: ["1.4.0"] },
  "Build Succeeded": { missing: ["projectName"], wrong: ["durationSeconds"], value: "117" },
  "Build Failed": { missing: ["reason"], wrong: ["status"], value: "SUCCEEDED" },
  "Chart Pushed": { missing: ["version"], wrong: ["digest"], value: "sha256:short" },
  "Image Pushed": { missing: ["digest"], wrong: ["commitFrom"], value: "guess" },
  "Image Refused": { missing: ["reason"], wrong: ["rule"], value: "mood" },
  "Image Approved": { missing: ["scanner"], wrong: ["counts", "MEDIUM"], value: "3" },
  "Image Rejected": { missing: ["reason"], wrong: ["blocking", 0, "id"], value: null },
  "Promotion Approved": { missing: ["approvedBy"], wrong: ["digest"], value: "sha256:short" },
  "Config Committed": { missing: ["configCommit"], wrong: ["files"], value: [] },
  "Pull Request Opened": { missing: ["url"], wrong: ["number"], value: "42" },
  "Sync Requested": { missing: ["deadline"], wrong: ["deadline"], value: "tomorrow" },
  "Deployment Verified": { missing: ["revision"], wrong: ["health"], value: "Degraded" },
  "Deployment Failed": { missing: ["cluster"], wrong: ["resources", 0, "kind"], value: 1 },
  "Rollback Committed": { missing: ["revertedCommit"], wrong: ["configCommit"], value: "HEAD" },
  "Hold Placed": { missing: ["placedBy"], wrong: ["environment"], value: "Staging" },
  "Hold Released": { missing: ["releasedBy"], wrong: ["app"], value: 7 },
  "Promotion Waiting": { missing: ["waitingFor"], wrong: ["waitingFor"], value: "coffee" },
  "Promotion Refused": { missing: ["refusal"], wrong: ["refusal"], value: "because" },
  "Step Failed": { missing: ["code"], wrong: ["step"], value: "" },
};

function rejectionOf(detailType: DetailTypeName, detail: unknown): ShiplineError {
  try {
    parseDetail(detailType, detail);
  } catch (error) {
    if (error instanceof ShiplineError) return error;
    throw error;
  }
  throw new Error(`${detailType}: the mutated detail was accepted`);
}

describe("parseDetail", () => {
  it("returns the parsed detail with its defaults", () => {
    // Act
    const detail = parseDetail(DetailType.CommitPushed, DETAIL_EXAMPLES["Commit Pushed"]);

    // Assert
    expect(detail.schemaVersion).toBe(1);
    expect(detail.forced).toBe(false);
    expect(detail.commitsTruncated).toBe(false);
    expect(detail.commits[0]?.removed).toEqual([]);
  });

  it.each(DETAIL_TYPES)("rejects a %s detail with a required field missing, naming it", (detailType) => {
    // Arrange
    const { missing } = MUTATIONS[detailType];
    const detail = withChange(DETAIL_EXAMPLES[detailType], missing, { remove: true });

    // Act
    const error = rejectionOf(detailType, detail);

    // Assert
    const field = formatPath(["detail", ...missing]);
    expect(error.code).toBe("EVENT_INVALID");
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(`${detailType} event does not match its contract: ${field}: `);
    expect(error.data).toMatchObject({ detailType });
    expect(error.data.problems).toContainEqual(naming(field));
  });

  it.each(DETAIL_TYPES)(
    "rejects a %s detail with a field of the wrong type or value, naming it",
    (detailType) => {
      // Arrange
      const { wrong, value } = MUTATIONS[detailType];
      const detail = withChange(DETAIL_EXAMPLES[detailType], wrong, { set: value });

      // Act
      const error = rejectionOf(detailType, detail);

      // Assert
      const field = formatPath(["detail", ...wrong]);
      expect(error.code).toBe("EVENT_INVALID");
      expect(error.message).toContain(`${field}: `);
      expect(error.data.problems).toContainEqual(naming(field));
    },
  );

  it("names every bad field at once, not only the first", () => {
    // Arrange
    const detail = { ...DETAIL_EXAMPLES["Build Started"], commit: "HEAD", app: "Web App", buildId: "" };

    // Act
    const error = rejectionOf(DetailType.BuildStarted, detail);

    // Assert
    expect(error.data.problems).toEqual([
      expect.stringMatching(/^detail\.app: /),
      expect.stringMatching(/^detail\.commit: expected a 40 or 64 character lower-case hex git sha$/),
      expect.stringMatching(/^detail\.buildId: /),
    ]);
  });

  it("rejects a detail that is not an object at all", () => {
    // Act
    const error = rejectionOf(DetailType.ImagePushed, "sha256:abc");

    // Assert
    expect(error.code).toBe("EVENT_INVALID");
    expect(error.data.problems).toEqual([expect.stringMatching(/^detail: /)]);
  });
});
