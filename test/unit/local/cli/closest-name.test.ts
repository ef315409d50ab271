import { describe, expect, it } from "vitest";
import { closestName } from "../../../../functions/local/cli/closest-name.js";

const COMMANDS = ["start", "status", "trace", "events", "approve", "release", "replay"];

describe("closestName", () => {
  it.each([
    ["stauts", "status"],
    ["tarce", "trace"],
    ["relase", "release"],
    ["evnets", "events"],
    ["aprove", "approve"],
  ])("suggests %s → %s, one edit away", (typed, expected) => {
    // Act
    const near = closestName(typed, COMMANDS);

    // Assert
    expect(near).toBe(expected);
  });

  it.each(["deploy", "x", "logs"])("suggests nothing for %s, which is no command mistyped", (typed) => {
    // Act
    const near = closestName(typed, COMMANDS);

    // Assert
    expect(near).toBeUndefined();
  });
});
