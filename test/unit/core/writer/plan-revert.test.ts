import { describe, expect, it } from "vitest";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { revertFileEdit } from "../../../../functions/core/writer/plan-revert.js";
import { diffScalars } from "../../../../functions/core/writer/scalar-diff.js";

const BEFORE = "# app\nimage:\n  tag: '1.10' # pinned\n  digest: sha256:aaa\nreplicas: 2\n";
const AFTER = "# app\nimage:\n  tag: '1.11' # pinned\n  digest: sha256:bbb\nreplicas: 2\n";
const source = { configCommit: "c".repeat(40), file: "values.yaml", before: BEFORE, after: AFTER };

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof ShiplineError ? error.code : "not a ShiplineError";
  }
  return undefined;
}

describe("diffScalars", () => {
  it("lists the changed scalars with both values as written", () => {
    // Arrange
    const before = "images:\n  - name: web\n    newTag: 1.10\n  - name: api\n    newTag: v1\n";
    const after = "images:\n  - name: web\n    newTag: 1.20\n  - name: api\n    newTag: v1\n";

    // Act
    const diff = diffScalars({ before, after });

    // Assert
    expect(diff).toEqual({
      changes: [{ documentIndex: 0, path: "images[name=web].newTag", previous: "1.10", next: "1.20" }],
      structural: [],
    });
  });

  it("reports added and removed keys as structural", () => {
    // Arrange
    const before = "a: 1\nb: 2\n";
    const after = "a: 1\nc: 3\n";

    // Act
    const diff = diffScalars({ before, after });

    // Assert
    expect(diff.structural).toEqual(["c", "b"]);
  });
});

describe("revertFileEdit", () => {
  it("sets back every value the commit changed while keeping a later change to another line", () => {
    // Arrange
    const current = AFTER.replace("replicas: 2", "replicas: 5");

    // Act
    const result = revertFileEdit({ source, current });

    // Assert
    expect(result.text).toBe(BEFORE.replace("replicas: 2", "replicas: 5"));
    expect(result.changes.map((change) => [change.path, change.previous, change.next])).toEqual([
      ["image.tag", "1.11", "1.10"],
      ["image.digest", "sha256:bbb", "sha256:aaa"],
    ]);
  });

  it("changes nothing when the values are already back", () => {
    // Arrange
    const current = BEFORE;

    // Act
    const result = revertFileEdit({ source, current });

    // Assert
    expect(result).toEqual({ text: BEFORE, changes: [], alreadyReverted: 2 });
  });

  it("refuses with REVERT_CONFLICT when a later commit changed the same value again", () => {
    // Arrange
    const current = AFTER.replace("'1.11'", "'1.12'");

    // Act
    const code = codeOf(() => revertFileEdit({ source, current }));

    // Assert
    expect(code).toBe("REVERT_CONFLICT");
  });

  it("refuses commits that created the file or changed no value", () => {
    // Arrange
    const created = { ...source, before: undefined };
    const untouched = { ...source, after: BEFORE };

    // Act
    const codes = [
      codeOf(() => revertFileEdit({ source: created, current: AFTER })),
      codeOf(() => revertFileEdit({ source: untouched, current: BEFORE })),
    ];

    // Assert
    expect(codes).toEqual(["REVERT_UNSUPPORTED", "REVERT_NOTHING"]);
  });
});
