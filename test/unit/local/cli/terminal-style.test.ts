import { describe, expect, it } from "vitest";
import { terminalStyle } from "../../../../functions/local/cli/terminal-style.js";

describe("terminalStyle", () => {
  it.each([
    ["a terminal", { isTTY: true }, {}, true],
    ["a pipe", {}, {}, false],
    ["a terminal with NO_COLOR=1", { isTTY: true }, { NO_COLOR: "1" }, false],
    ["a terminal with an empty NO_COLOR", { isTTY: true }, { NO_COLOR: "" }, true],
    ["a terminal with TERM=dumb", { isTTY: true }, { TERM: "dumb" }, false],
    ["a pipe with FORCE_COLOR=1", {}, { FORCE_COLOR: "1" }, true],
    ["a terminal with FORCE_COLOR=0", { isTTY: true }, { FORCE_COLOR: "0" }, true],
    ["NO_COLOR and FORCE_COLOR together", { isTTY: true }, { NO_COLOR: "1", FORCE_COLOR: "1" }, false],
  ])("colours %s: %s", (_what, stream, env, expected) => {
    // Act
    const style = terminalStyle(stream, env);

    // Assert
    expect(style.colour).toBe(expected);
    expect(style.ok("✓") === "✓").toBe(!expected);
  });

  it("wraps text in the escape codes of its colour and resets only that attribute", () => {
    // Arrange
    const style = terminalStyle({ isTTY: true }, {});

    // Act
    const painted = [style.ok("a"), style.failed("b"), style.waiting("c"), style.dim("d"), style.bold("e")];

    // Assert
    expect(painted).toEqual([
      "\u001b[32ma\u001b[39m",
      "\u001b[31mb\u001b[39m",
      "\u001b[33mc\u001b[39m",
      "\u001b[2md\u001b[22m",
      "\u001b[1me\u001b[22m",
    ]);
  });
});
