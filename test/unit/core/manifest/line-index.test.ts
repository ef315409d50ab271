import { describe, expect, it } from "vitest";
import { LineIndex } from "../../../../functions/core/manifest/line-index.js";

describe("LineIndex", () => {
  it("maps offsets to lines and columns and ends lines before CRLF", () => {
    // Arrange
    const lines = new LineIndex("a: 1\r\nbb: 2\r\nc: 3");

    // Act / Assert
    expect(lines.lineOf(0)).toBe(1);
    expect(lines.lineOf(6)).toBe(2);
    expect(lines.columnOf(8)).toBe(2);
    expect(lines.lineText(2)).toBe("bb: 2");
    expect(lines.lineEnd(6)).toBe(11);
    expect(lines.lineText(3)).toBe("c: 3");
    expect(lines.lineEnd(14)).toBe(17);
  });
});
