import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_APP_FILES } from "../../../functions/local/demo/demo-app-files.js";
import {
  E2E_TEST_TIMEOUT_MS,
  type E2ePlatform,
  greetingFiles,
  type SeenEvent,
  startE2ePlatform,
} from "./e2e-kit.js";

const QUERY = 'sum by (app) (rate(demo_http_errors_total{app="demo"}[1m])) > 0';

/**
 * A Prometheus HTTP API on 127.0.0.1 answering `/api/v1/query` as Prometheus does: an empty
 * instant vector while healthy, one series once `breach` is set. Records the queries it ran.
 */
async function startPrometheus() {
  const state = { breach: false, queries: [] as string[] };
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://prometheus");
    if (url.pathname !== "/api/v1/query") {
      response.writeHead(404).end();
      return;
    }
    state.queries.push(url.searchParams.get("query") ?? "");
    const result = state.breach ? [{ metric: { app: "demo" }, value: [Date.now() / 1000, "0.75"] }] : [];
    response
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ status: "success", data: { resultType: "vector", result } }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    state,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const verifiedIn = (commit: string, environment: string) => (event: SeenEvent) =>
  event.type === "Deployment Verified" &&
  event.detail.commit === commit &&
  event.detail.environment === environment;

const failedIn = (commit: string, environment: string) => (event: SeenEvent) =>
  event.type === "Deployment Failed" &&
  event.detail.commit === commit &&
  event.detail.environment === environment;

describe("a metric gate in staging, end to end", () => {
  let run: E2ePlatform | undefined;
  let prometheus: Awaited<ReturnType<typeof startPrometheus>> | undefined;

  afterEach(async () => {
    await run?.stop();
    await prometheus?.close();
    run = undefined;
    prometheus = undefined;
  });

  it(
    "verifies after a healthy bake, fails and reverts a breach, and fails closed when Prometheus is gone",
    async () => {
      // Arrange
      prometheus = await startPrometheus();
      const bake = { window: "2s", prometheus: { url: prometheus.url, query: QUERY } };
      run = await startE2ePlatform({ environments: { staging: { bake } } });
      const good = await run.push(DEMO_APP_FILES, "demo: first version");
      const baked = await run.waitFor("the first version verified in staging", verifiedIn(good, "staging"));
      await run.waitFor("the first version verified in production", verifiedIn(good, "production"));
      const goodTag = `1.0.0-${good.slice(0, 7)}`;

      // Act: the query returns a series while the next version bakes.
      prometheus.state.breach = true;
      const bad = await run.push(greetingFiles("breaching"), "demo: a version whose errors breach the gate");
      const breached = await run.waitFor("Deployment Failed in staging", failedIn(bad, "staging"));
      const rollback = await run.waitFor(
        "Rollback Committed in staging",
        (event) => event.type === "Rollback Committed" && event.detail.commit === bad,
      );
      const reverted = await run.waitFor(
        "the revert verified in staging",
        (event) => verifiedIn(bad, "staging")(event) && event.detail.kind === "revert",
      );
      await run.chain.idle();

      // Assert: the healthy bake verified, recording the gate.
      expect(baked.detail.bake).toEqual({ ...bake, window: 2, checks: expect.any(Number) });
      expect(prometheus.state.queries.length).toBeGreaterThanOrEqual(2);
      expect(new Set(prometheus.state.queries)).toEqual(new Set([QUERY]));
      // The breach failed the deployment with its code and what the query returned, and was reverted.
      expect(breached.detail.code).toBe("METRIC_CHECK_BREACHED");
      expect(breached.detail.reason).toContain(
        `Prometheus query '${QUERY}' returned 1 series: {app="demo"} 0.75`,
      );
      expect(rollback.detail.restored?.tag).toBe(goodTag);
      expect(reverted.detail).not.toHaveProperty("bake");
      const staging = run.chain.argocd.get("local")?.serving("demo-staging");
      expect(staging?.reference).toMatch(new RegExp(`(^|/)demo:${goodTag}$`));
      expect(run.eventsOf("Config Committed", bad).map((event) => event.detail.environment)).toEqual([
        "staging",
        "staging",
      ]);
      const verifiedTrace = await run.cli(["trace", good.slice(0, 7)]);
      expect(verifiedTrace.stdout).toContain(`baked 2s on Prometheus query '${QUERY}'`);
      const trace = await run.cli(["trace", bad.slice(0, 7)]);
      expect(trace.code).toBe(1);
      expect(trace.stdout).toContain("the metric check breached");

      // Act: Prometheus is gone; the hold is released and a next version comes.
      await prometheus.close();
      await run.platform.publisher.publish([
        {
          detailType: "Hold Released",
          detail: {
            app: "demo",
            commit: bad,
            correlationId: rollback.detail.correlationId ?? "rollback",
            environment: "staging",
            releasedBy: "tester",
          },
        },
      ]);
      const unverified = await run.push(
        greetingFiles("unverifiable"),
        "demo: baked while Prometheus is down",
      );
      const closed = await run.waitFor(
        "Deployment Failed in staging, closed",
        failedIn(unverified, "staging"),
      );
      await run.waitFor(
        "the second revert verified in staging",
        (event) => verifiedIn(unverified, "staging")(event) && event.detail.kind === "revert",
      );
      await run.settle();

      // Assert: no answer fails closed with the reason, and nothing unverified went on.
      expect(closed.detail.code).toBe("METRIC_CHECK_UNREACHABLE");
      expect(closed.detail.reason).toContain("fail closed");
      expect(closed.detail.reason).toContain(
        `Prometheus at ${prometheus.url}/api/v1/query could not be reached`,
      );
      expect(
        [bad, unverified].flatMap((commit) =>
          run
            ?.eventsOf("Config Committed", commit)
            .filter((event) => event.detail.environment === "production"),
        ),
      ).toEqual([]);
      expect(run.chain.argocd.get("local")?.serving("demo-staging")?.reference).toMatch(
        new RegExp(`(^|/)demo:${goodTag}$`),
      );
    },
    E2E_TEST_TIMEOUT_MS,
  );
});
