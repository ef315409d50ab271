import { describe, expect, it } from "vitest";
import type { ConfigProblem } from "../../../../functions/core/config/config-problem.js";
import { parseConfig } from "../../../../functions/core/config/parse-config.js";
import { parseConfigJson } from "../../../../functions/core/config/parse-config-json.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { type RawConfig, toYaml, validConfig } from "./config-builder.js";

function withBake(bake: unknown): RawConfig {
  const config: RawConfig = validConfig();
  Object.assign(config.environments[0] ?? {}, { bake });
  return config;
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

describe("environments[].bake", () => {
  it("reads a Prometheus check with its window in seconds", () => {
    // Arrange
    const bake = { window: "5m", prometheus: { url: "http://prometheus:9090", query: "up == 0" } };

    // Act
    const config = parseConfig(toYaml(withBake(bake)));

    // Assert
    expect(config.environments[0]?.bake).toEqual({ ...bake, window: 300 });
    expect(config.environments[1]?.bake).toBeUndefined();
  });

  it("reads a CloudWatch alarm by name or by ARN", () => {
    // Act
    const byName = parseConfig(toYaml(withBake({ window: "10m", cloudwatchAlarm: "shop-5xx" })));
    const byArn = parseConfig(
      toYaml(
        withBake({
          window: "1h",
          cloudwatchAlarm: "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:shop-5xx",
        }),
      ),
    );

    // Assert
    expect(byName.environments[0]?.bake).toEqual({ window: 600, cloudwatchAlarm: "shop-5xx" });
    expect(byArn.environments[0]?.bake?.window).toBe(3600);
  });

  it.each([
    [{ window: "5m" }, "bake", "names no check"],
    [
      { window: "5m", cloudwatchAlarm: "a", prometheus: { url: "http://p:9090", query: "up == 0" } },
      "bake",
      "names two checks",
    ],
    [
      { window: "5m", prometheus: { url: "prometheus:9090", query: "up == 0" } },
      "bake.prometheus.url",
      "http(s)",
    ],
    [{ window: "5m", prometheus: { url: "http://p:9090" } }, "bake.prometheus.query", "is missing"],
    [
      { window: "5m", cloudwatchAlarm: "arn:aws:sns:eu-west-1:123456789012:topic" },
      "bake.cloudwatchAlarm",
      "ARN",
    ],
    [{ window: "1d", cloudwatchAlarm: "a" }, "bake.window", "between 1s and 12h"],
    [{ cloudwatchAlarm: "a" }, "bake.window", "is missing"],
    [{ window: "5m", alarm: "a" }, "bake", "alarm"],
  ])("refuses %j, naming the key and what is wrong", (bake, key, said) => {
    // Act
    const problems = problemsOf(toYaml(withBake(bake)));

    // Assert
    expect(problems).toEqual([expect.objectContaining({ path: expect.stringContaining(key) })]);
    expect(JSON.stringify(problems)).toContain(said);
  });

  it("refuses a window that with verifyDeadline passes the 12h a request may be in flight, naming the key and the fix", () => {
    // Arrange: staging's verifyDeadline is the default 5m
    const raw = withBake({ window: "12h", cloudwatchAlarm: "shop-5xx" });

    // Act
    const problems = problemsOf(toYaml(raw));

    // Assert
    expect(problems).toEqual([
      expect.objectContaining({ path: expect.stringContaining("environments[0].bake.window") }),
    ]);
    const said = JSON.stringify(problems);
    expect(said).toContain("12h plus verifyDeadline (5m) is 12h5m, more than the 12h");
    expect(said).toContain("bake.window at most 11h55m, or a shorter verifyDeadline");
  });

  it("accepts verifyDeadline plus the window of exactly 12h", () => {
    // Arrange
    const raw = withBake({ window: "11h55m", cloudwatchAlarm: "shop-5xx" });

    // Act
    const config = parseConfig(toYaml(raw));

    // Assert
    expect(config.environments[0]?.bake?.window).toBe(11 * 3600 + 55 * 60);
  });

  it("is read by the step functions from the JSON cdk synth wrote, without the YAML checks", () => {
    // Arrange
    const raw = withBake({ window: "2m", cloudwatchAlarm: "shop-5xx" });

    // Act
    const config = parseConfigJson(JSON.stringify(raw));

    // Assert
    expect(config.environments[0]?.bake).toEqual({ window: 120, cloudwatchAlarm: "shop-5xx" });
  });
});
