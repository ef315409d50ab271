import { describe, expect, it } from "vitest";
import {
  durationSeconds,
  formatDuration,
  parseDuration,
} from "../../../../functions/core/config/duration.js";

describe("parseDuration", () => {
  it.each<[string, number]>([
    ["0s", 0],
    ["30s", 30],
    ["10m", 600],
    ["1h", 3600],
    ["1h30m", 5400],
    ["2d", 172_800],
    ["1d2h3m4s", 93_784],
    [" 45s ", 45],
  ])("reads %j as %d seconds", (text, seconds) => {
    // Act
    const parsed = parseDuration(text);

    // Assert
    expect(parsed).toBe(seconds);
  });

  it.each(["", "90", "10 m", "1m1h", "1.5h", "-1s", "1w", "10ms", "s"])("refuses %j", (text) => {
    // Act
    const parsed = parseDuration(text);

    // Assert
    expect(parsed).toBeUndefined();
  });
});

describe("formatDuration", () => {
  it.each<[number, string]>([
    [0, "0s"],
    [59, "59s"],
    [5400, "1h30m"],
    [86_400, "1d"],
    [93_784, "1d2h3m4s"],
  ])("writes %d seconds as %j, which parseDuration reads back", (seconds, text) => {
    // Act
    const written = formatDuration(seconds);

    // Assert
    expect(written).toBe(text);
    expect(parseDuration(written)).toBe(seconds);
  });
});

describe("durationSeconds", () => {
  it("outputs seconds within its bounds and names the range otherwise", () => {
    // Arrange
    const schema = durationSeconds({ min: 10, max: 3600 });

    // Act
    const inside = schema.safeParse("5m");
    const outside = schema.safeParse("2h");

    // Assert
    expect(inside).toEqual({ success: true, data: 300 });
    expect(outside.success).toBe(false);
    expect(outside.error?.issues[0]?.message).toBe("'2h' is out of range; use a duration between 10s and 1h");
  });
});
