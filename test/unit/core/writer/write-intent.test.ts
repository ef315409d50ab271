import { describe, expect, it } from "vitest";
import { writeIntent, writeIntentGroupId } from "../../../../functions/core/writer/write-intent.js";
import { anIntent } from "./intent-fixtures.js";

describe("writeIntent", () => {
  it("refuses a revert without the commit to undo, naming the field", () => {
    // Arrange
    const input = { ...anIntent(), kind: "revert" };

    // Act
    const parsed = writeIntent.safeParse(input);

    // Assert
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join("."))).toEqual(["revertOf"]);
  });

  it("refuses an event id with spaces, since it becomes a one-line trailer", () => {
    // Arrange
    const input = { ...anIntent(), intentId: "two words" };

    // Act
    const parsed = writeIntent.safeParse(input);

    // Assert
    expect(parsed.success).toBe(false);
  });

  it("defaults the kind to update and the target field to tag", () => {
    // Arrange
    const { kind: _kind, ...input } = anIntent();

    // Act
    const intent = writeIntent.parse({
      ...input,
      target: { kind: "helm", file: "v.yaml", path: "image.tag" },
    });

    // Assert
    expect([intent.kind, intent.target.field]).toEqual(["update", "tag"]);
  });

  it("groups messages by repository and branch", () => {
    // Arrange
    const repository = "local:demo-config";

    // Act
    const group = writeIntentGroupId(repository, "main");

    // Assert
    expect(group).toBe("local:demo-config#main");
  });
});
