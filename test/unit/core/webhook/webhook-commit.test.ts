import { describe, expect, it } from "vitest";
import { isoTimestampOf } from "../../../../functions/core/webhook/webhook-commit.js";

describe("isoTimestampOf", () => {
  it.each([
    ["2018-06-29T19:34:13+05:30", "2018-06-29T19:34:13+05:30"],
    ["2026-02-28T10:15:00Z", "2026-02-28T10:15:00Z"],
    ["2012-05-30 04:07:03+00:00", "2012-05-30T04:07:03.000Z"],
    ["not a date", undefined],
    [null, undefined],
  ])("reads %j", (value, expected) => {
    // Arrange
    const input = value;

    // Act
    const timestamp = isoTimestampOf(input);

    // Assert
    expect(timestamp).toBe(expected);
  });
});
