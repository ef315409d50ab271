import { describe, expect, it } from "vitest";
import { parseSince } from "../../../../functions/local/bus/since-argument.js";

describe("parseSince", () => {
  const now = new Date("2026-03-01T12:00:00.000Z");

  it.each([
    ["500ms", "2026-03-01T11:59:59.500Z"],
    ["90s", "2026-03-01T11:58:30.000Z"],
    ["10m", "2026-03-01T11:50:00.000Z"],
    ["2h", "2026-03-01T10:00:00.000Z"],
    ["1d", "2026-02-28T12:00:00.000Z"],
    ["2026-03-01T08:00:00Z", "2026-03-01T08:00:00.000Z"],
  ])("reads %s", (value, expected) => {
    // Arrange
    const input = value;

    // Act
    const since = parseSince(input, now);

    // Assert
    expect(since.toISOString()).toBe(expected);
  });

  it.each(["10", "ten minutes", "5w", "2026-13-45"])("refuses %s with a usage error", (value) => {
    // Arrange
    const input = value;

    // Act
    const parse = () => parseSince(input, now);

    // Assert
    expect(parse).toThrow(/neither an ISO time nor a duration/);
  });
});
