import { describe, expect, it } from "vitest";
import { formatValuePath, parseValuePath } from "../../../../functions/core/manifest/index.js";
import { catchShiplineError } from "./catch-shipline-error.js";

describe("parseValuePath", () => {
  it("reads keys, indexes, selectors and escaped dots", () => {
    // Arrange
    const path = "spec.containers[0].env[name=A\\.B].value\\.x";

    // Act
    const segments = parseValuePath(path);

    // Assert
    expect(segments).toEqual([
      { key: "spec" },
      { key: "containers" },
      { index: 0 },
      { key: "env" },
      { match: { key: "name", value: "A.B" } },
      { key: "value.x" },
    ]);
  });

  it.each([
    ["", "empty"],
    ["a..b", "a key is empty"],
    ["a[x]", "not a sequence index"],
    ["a[0", "not closed"],
    ["a[=web]", "needs a key"],
    ["a\\", "escapes nothing"],
    ["a[0]b", "expected '.'"],
  ])("refuses %j", (path, reason) => {
    // Arrange / Act
    const error = catchShiplineError(() => parseValuePath(path), "MANIFEST_PATH_INVALID");

    // Assert
    expect(error.message).toContain(reason);
  });
});

describe("formatValuePath", () => {
  it("writes a path that parses back to the same segments", () => {
    // Arrange
    const segments = [
      { key: "a.b" },
      { index: 2 },
      { match: { key: "na=me", value: "x]y" } },
      { key: "c[d\\" },
    ] as const;

    // Act
    const path = formatValuePath(segments);

    // Assert
    expect(path).toBe("a\\.b[2][na\\=me=x\\]y].c\\[d\\\\");
    expect(parseValuePath(path)).toEqual(segments);
  });
});
