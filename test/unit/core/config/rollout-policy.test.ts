import { describe, expect, it } from "vitest";
import type { ConfigProblem } from "../../../../functions/core/config/config-problem.js";
import { parseConfig } from "../../../../functions/core/config/parse-config.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { type RawConfig, toYaml, validConfig } from "./config-builder.js";

function withRollout(rollout: unknown, extra: Record<string, unknown> = {}): string {
  const config: RawConfig = validConfig();
  Object.assign(config.environments[0] ?? {}, { rollout, ...extra });
  return toYaml(config);
}

function problemsOf(text: string): ConfigProblem[] {
  try {
    parseConfig(text);
  } catch (error) {
    if (!(error instanceof ShiplineError)) throw error;
    const problems = error.data.problems;
    if (!Array.isArray(problems)) throw new Error("data.problems is not a list");
    return problems;
  }
  throw new Error("expected parseConfig to throw");
}

describe("environments[].rollout", () => {
  it("reads promotePauses and maxDuration, in seconds", () => {
    // Arrange
    const text = withRollout({ promotePauses: true, maxDuration: "2h" });

    // Act
    const config = parseConfig(text);

    // Assert
    expect(config.environments[0]?.rollout).toEqual({ promotePauses: true, maxSeconds: 7200 });
  });

  it("defaults to no promotion and a one-hour cap, and is absent when not written", () => {
    // Arrange
    const text = withRollout({});

    // Act
    const config = parseConfig(text);

    // Assert
    expect(config.environments[0]?.rollout).toEqual({ promotePauses: false, maxSeconds: 3600 });
    expect(config.environments[1]?.rollout).toBeUndefined();
  });

  it.each([
    [{ promotePauses: "yes" }, "rollout.promotePauses", "write true or false"],
    [{ maxDuration: "forever" }, "rollout.maxDuration", "write a number with a unit"],
    [{ promote: true }, "rollout", "promote"],
    [{ maxDuration: "1d" }, "rollout.maxDuration", "use a duration between 10s and 12h"],
  ])("refuses %j, naming the key and the fix", (rollout, key, fix) => {
    // Arrange
    const text = withRollout(rollout);

    // Act
    const problems = problemsOf(text);

    // Assert
    const problem = problems.find((candidate) => candidate.path.includes(key));
    expect(problem?.path).toContain(key);
    expect(`${problem?.message}; ${problem?.fix}`).toContain(fix);
  });

  it("refuses a cap shorter than the environment's verifyDeadline", () => {
    // Arrange
    const text = withRollout({ maxDuration: "1m" }, { verifyDeadline: "10m" });

    // Act
    const problems = problemsOf(text);

    // Assert
    const problem = problems.find((candidate) => candidate.path.includes("rollout.maxDuration"));
    expect(problem?.message).toBe("1m is shorter than verifyDeadline (10m)");
    expect(problem?.fix).toContain("make rollout.maxDuration at least verifyDeadline");
  });
});
