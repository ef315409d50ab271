import { describe, expect, it } from "vitest";
import { bakeDeployment } from "../../../../functions/core/agent/bake-deployment.js";
import type { MetricChecks, MetricReading } from "../../../../functions/core/agent/metric-checks.js";
import type { BakeDetail } from "../../../../functions/core/contracts/events/bake-detail.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";

const BAKE: BakeDetail = {
  window: 60,
  prometheus: { url: "http://prometheus:9090", query: 'rate(http_requests_total{code="500"}[1m]) > 0' },
};

/** Metric checks answering a script of readings (the last one repeats), counting the reads. */
function scripted(readings: readonly MetricReading[]): MetricChecks & { reads: number } {
  const queue = [...readings];
  return {
    reads: 0,
    async read() {
      this.reads += 1;
      const next = queue.length > 1 ? queue.shift() : queue[0];
      if (next === undefined) throw new Error("no reading scripted");
      return next;
    },
  };
}

/** Bakes with a clock that moves by each sleep, reading every 15 s. */
async function bake(checks: MetricChecks | undefined, options: { signal?: AbortSignal } = {}) {
  let now = Date.parse("2026-03-01T12:00:00Z");
  return bakeDeployment({
    bake: BAKE,
    ...(checks === undefined ? {} : { checks }),
    clock: { now: () => new Date(now) },
    sleep: async (milliseconds) => {
      now += milliseconds;
    },
    intervalMs: 15_000,
    what: "demo-staging at 2222222",
    ...options,
  });
}

const HEALTHY: MetricReading = { state: "healthy", says: "returned no series" };
const BREACHED: MetricReading = { state: "breached", says: 'returned 1 series: {code="500"} 3' };
const UNKNOWN: MetricReading = { state: "unknown", says: "Prometheus could not be reached: ECONNREFUSED" };

describe("bakeDeployment", () => {
  it("passes when every read over the window is healthy, reading at the start and at the end", async () => {
    // Arrange
    const checks = scripted([HEALTHY]);

    // Act
    const result = await bake(checks);

    // Assert
    expect(result).toEqual({ verdict: "passed", bake: { ...BAKE, checks: 5 }, seconds: 60 });
    expect(checks.reads).toBe(5);
  });

  it("fails at the first breached read, with the code, when it happened and what the query returned", async () => {
    // Arrange
    const checks = scripted([HEALTHY, HEALTHY, BREACHED, HEALTHY]);

    // Act
    const result = await bake(checks);

    // Assert
    expect(result).toEqual({
      verdict: "failed",
      code: "METRIC_CHECK_BREACHED",
      reason: `the metric check breached 30s into the 1m bake: Prometheus query '${BAKE.prometheus?.query}' returned 1 series: {code="500"} 3`,
      bake: { ...BAKE, checks: 3 },
      seconds: 30,
    });
    expect(checks.reads).toBe(3);
  });

  it("reads an unanswered check again and passes when the window ends healthy", async () => {
    // Arrange
    const checks = scripted([UNKNOWN, UNKNOWN, HEALTHY]);

    // Act
    const result = await bake(checks);

    // Assert
    expect(result.verdict).toBe("passed");
  });

  it("fails closed when the check still has no answer at the end of the window, saying why", async () => {
    // Arrange
    const checks = scripted([HEALTHY, UNKNOWN]);

    // Act
    const result = await bake(checks);

    // Assert
    expect(result).toMatchObject({
      verdict: "failed",
      code: "METRIC_CHECK_UNREACHABLE",
      reason: expect.stringContaining(
        "had no answer at the end of the 1m bake, so the deployment is not verified (fail closed)",
      ),
    });
    expect(result.verdict === "failed" && result.reason).toContain("ECONNREFUSED");
  });

  it("fails closed when the agent has no metric checks at all", async () => {
    // Act
    const result = await bake(undefined);

    // Assert
    expect(result).toMatchObject({
      verdict: "failed",
      code: "METRIC_CHECK_UNREACHABLE",
      reason: expect.stringContaining("this agent was started without metric checks"),
    });
  });

  it("counts a check that throws as no answer rather than letting the error escape", async () => {
    // Arrange
    const checks: MetricChecks = {
      read: async () => {
        throw new Error("socket hang up");
      },
    };

    // Act
    const result = await bake(checks);

    // Assert
    expect(result).toMatchObject({
      code: "METRIC_CHECK_UNREACHABLE",
      reason: expect.stringContaining("socket hang up"),
    });
  });

  it("stops with a retryable AGENT_STOPPING when the agent shuts down during the window", async () => {
    // Arrange
    const controller = new AbortController();
    const checks: MetricChecks = {
      read: async () => {
        controller.abort();
        return HEALTHY;
      },
    };

    // Act
    const error = await bake(checks, { signal: controller.signal }).catch((caught: unknown) => caught);

    // Assert
    expect(error).toBeInstanceOf(ShiplineError);
    expect(error).toMatchObject({ code: "AGENT_STOPPING", retryable: true });
  });
});
