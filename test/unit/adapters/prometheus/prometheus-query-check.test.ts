import { describe, expect, it } from "vitest";
import { PrometheusQueryCheck } from "../../../../functions/adapters/prometheus/prometheus-query-check.js";

const PROMETHEUS = {
  url: "http://prometheus.monitoring:9090/prom",
  query: 'rate(errors_total{app="demo"}[1m]) > 0',
};

/** A fetch that answers `status` with `body` (JSON unless a string) and records the URLs asked. */
function answering(status: number, body: unknown) {
  const urls: string[] = [];
  const fetch: typeof globalThis.fetch = async (input) => {
    urls.push(String(input));
    return new Response(typeof body === "string" ? body : JSON.stringify(body), { status });
  };
  return { fetch, urls };
}

function vector(result: unknown[]) {
  return { status: "success", data: { resultType: "vector", result } };
}

describe("PrometheusQueryCheck", () => {
  it("runs the query on the instant query API under the base URL and reads no series as healthy", async () => {
    // Arrange
    const { fetch, urls } = answering(200, vector([]));

    // Act
    const reading = await new PrometheusQueryCheck({ fetch }).read(PROMETHEUS);

    // Assert
    expect(reading).toEqual({ state: "healthy", says: "returned no series" });
    const url = new URL(urls[0] ?? "");
    expect(url.pathname).toBe("/prom/api/v1/query");
    expect(url.searchParams.get("query")).toBe(PROMETHEUS.query);
  });

  it("reads any returned series as a breach, showing the first three with their labels and values", async () => {
    // Arrange
    const series = [1, 2, 3, 4].map((n) => ({
      metric: { pod: `demo-${n}` },
      value: [1772366400, String(n)],
    }));
    const { fetch } = answering(200, vector(series));

    // Act
    const reading = await new PrometheusQueryCheck({ fetch }).read(PROMETHEUS);

    // Assert
    expect(reading).toEqual({
      state: "breached",
      says: 'returned 4 series: {pod="demo-1"} 1, {pod="demo-2"} 2, {pod="demo-3"} 3, and 1 more',
    });
  });

  it("has no answer when Prometheus refuses the query, with its error type and message", async () => {
    // Arrange
    const { fetch } = answering(400, {
      status: "error",
      errorType: "bad_data",
      error: 'invalid parameter "query": 1:6: parse error: unexpected end of input',
    });

    // Act
    const reading = await new PrometheusQueryCheck({ fetch }).read(PROMETHEUS);

    // Assert
    expect(reading).toEqual({
      state: "unknown",
      says: 'Prometheus at http://prometheus.monitoring:9090/prom/api/v1/query refused the query (HTTP 400, bad_data: invalid parameter "query": 1:6: parse error: unexpected end of input)',
    });
  });

  it("has no answer when Prometheus cannot be reached, with the cause", async () => {
    // Arrange
    const fetch: typeof globalThis.fetch = async () => {
      throw new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:9") });
    };

    // Act
    const reading = await new PrometheusQueryCheck({ fetch }).read(PROMETHEUS);

    // Assert
    expect(reading).toEqual({
      state: "unknown",
      says: "Prometheus at http://prometheus.monitoring:9090/prom/api/v1/query could not be reached: fetch failed (connect ECONNREFUSED 127.0.0.1:9)",
    });
  });

  it("has no answer when Prometheus does not answer within the time-out", async () => {
    // Arrange
    const fetch: typeof globalThis.fetch = (_input, init) =>
      new Promise((_resolve, reject) =>
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)),
      );

    // Act
    const reading = await new PrometheusQueryCheck({ fetch, timeoutMs: 20 }).read(PROMETHEUS);

    // Assert
    expect(reading.state).toBe("unknown");
    expect(reading.says).toContain("did not answer within 20 ms");
  });

  it("has no answer for a body that is not Prometheus' JSON (a proxy's HTML page)", async () => {
    // Arrange
    const { fetch } = answering(502, "<html>Bad Gateway</html>");

    // Act
    const reading = await new PrometheusQueryCheck({ fetch }).read(PROMETHEUS);

    // Assert
    expect(reading.state).toBe("unknown");
    expect(reading.says).toContain(
      "answered HTTP 502 with a body that is not JSON: <html>Bad Gateway</html>",
    );
  });

  it("has no answer for a query that returns a scalar, and says to write an alert expression", async () => {
    // Arrange
    const { fetch } = answering(200, { status: "success", data: { resultType: "scalar", result: [1, "0"] } });

    // Act
    const reading = await new PrometheusQueryCheck({ fetch }).read(PROMETHEUS);

    // Assert
    expect(reading.state).toBe("unknown");
    expect(reading.says).toContain("returns a scalar, not an instant vector");
  });
});
