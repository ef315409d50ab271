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

/** Bakes with a clock that moves by each sleep (and by `readMs` per read), reading every 15 s. */
async function bake(
  checks: MetricChecks | undefined,
  options: { signal?: AbortSignal; readMs?: (reading: MetricReading) => number; asked?: number[] } = {},
) {
  const { readMs, asked, ...rest } = options;
  let now = Date.parse("2026-03-01T12:00:00Z");
  const started = now;
  const timed: MetricChecks | undefined =
    checks === undefined
      ? undefined
      : {
          read: async (check, readOptions) => {
            asked?.push((now - started) / 1000);
            const reading = await checks.read(check, readOptions);
            now += readMs?.(reading) ?? 0;
            return reading;
          },
        };
  return bakeDeployment({
    bake: BAKE,
    ...(timed === undefined ? {} : { checks: timed }),
    clock: { now: () => new Date(now) },
    sleep: async (milliseconds) => {
      now += milliseconds;
    },
    intervalMs: 15_000,
    what: "demo-staging at 2222222",
    ...rest,
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

  it("reads an unanswered check again and passes when it answers within two read intervals", async () => {
    // Arrange: silent for two intervals from the start, then for one between two answers
    const checks = scripted([UNKNOWN, UNKNOWN, HEALTHY, UNKNOWN, HEALTHY]);

    // Act
    const result = await bake(checks);

    // Assert
    expect(result).toEqual({ verdict: "passed", bake: { ...BAKE, checks: 5 }, seconds: 60 });
  });

  it("fails closed when the check is silent for more than two read intervals, even if it answers healthy at the end", async () => {
    // Arrange: unreachable for 45 s of the 60 s window, healthy only at the end
    const checks = scripted([HEALTHY, UNKNOWN, UNKNOWN, UNKNOWN, HEALTHY]);

    // Act
    const result = await bake(checks);

    // Assert
    expect(result).toEqual({
      verdict: "failed",
      code: "METRIC_CHECK_UNREACHABLE",
      reason: `the metric check had no answer for 45s since its last answer (more than two read intervals, 30s), 45s into the 1m bake, so the deployment is not verified (fail closed): Prometheus query '${BAKE.prometheus?.query}': Prometheus could not be reached: ECONNREFUSED`,
      bake: { ...BAKE, checks: 4 },
      seconds: 45,
    });
  });

  it("fails closed when the check has not answered for more than two read intervals since the bake started", async () => {
    // Arrange
    const checks = scripted([UNKNOWN, UNKNOWN, UNKNOWN, HEALTHY]);

    // Act
    const result = await bake(checks);

    // Assert
    expect(result).toMatchObject({
      verdict: "failed",
      code: "METRIC_CHECK_UNREACHABLE",
      reason: expect.stringContaining("had no answer for 45s since the bake started"),
    });
    expect(checks.reads).toBe(4);
  });

  it("asks on a fixed grid, so a slow unanswered read does not push the next answer out of time", async () => {
    // Arrange: an unanswered read takes 10 s (a timeout)
    const checks = scripted([HEALTHY, UNKNOWN, HEALTHY]);
    const asked: number[] = [];

    // Act
    const result = await bake(checks, {
      readMs: (reading) => (reading.state === "unknown" ? 10_000 : 0),
      asked,
    });

    // Assert
    expect(result.verdict).toBe("passed");
    expect(asked).toEqual([0, 15, 30, 45, 60]);
  });

  it("fails closed when the check still has no answer at the end of the window, saying why", async () => {
    // Arrange
    const checks = scripted([HEALTHY, HEALTHY, HEALTHY, HEALTHY, UNKNOWN]);

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
