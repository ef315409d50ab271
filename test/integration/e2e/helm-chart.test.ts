import { afterEach, describe, expect, it } from "vitest";
import { DEMO_APP_FILES } from "../../../functions/local/demo/demo-app-files.js";
import { E2E_TEST_TIMEOUT_MS, type E2ePlatform, startE2ePlatform } from "./e2e-kit.js";

/** The app's own chart, in its repository: the image's repository is the chart's, its tag the parent's. */
function chartFiles(replicas: number): Record<string, string> {
  return {
    "chart/Chart.yaml": "apiVersion: v2\nname: demo-chart\ndescription: The demo service\nversion: 0.1.0\n",
    "chart/values.yaml": `replicaCount: ${replicas}\nimage:\n  repository: demo\n  tag: ""\n`,
    "chart/templates/deployment.yaml":
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: demo\nspec:\n  replicas: {{ .Values.replicaCount }}\n",
  };
}

/** staging's path in the config repository: an umbrella chart of the app's chart, pulled from the registry. */
function umbrellaFiles(registryHost: string): Record<string, string> {
  return {
    "envs/staging/Chart.yaml": [
      "apiVersion: v2",
      "name: demo-staging",
      "version: 0.1.0",
      "dependencies:",
      "  - name: demo-chart # the chart the app's build pushes",
      "    version: 0.0.0",
      `    repository: oci://${registryHost}/charts`,
      "",
    ].join("\n"),
    "envs/staging/values.yaml": 'demo-chart:\n  image:\n    # Written by Shipline.\n    tag: ""\n',
  };
}

describe("an app's Helm chart as an OCI artifact, end to end", () => {
  let run: E2ePlatform | undefined;

  afterEach(async () => {
    await run?.stop();
    run = undefined;
  });

  it(
    "pushes the chart with each build, writes its version with the image in one commit, and deploys a chart change rendered from the registry",
    async () => {
      // Arrange
      run = await startE2ePlatform({
        manualIn: ["production"],
        app: {
          chart: { path: "chart", repository: "charts/demo-chart" },
          deploy: {
            staging: {
              kind: "helm",
              file: "envs/staging/values.yaml",
              path: "demo-chart.image.tag",
              chartVersion: {
                file: "envs/staging/Chart.yaml",
                path: "dependencies[name=demo-chart].version",
              },
              application: "demo-staging",
            },
            production: { kind: "kustomize", file: "envs/production/kustomization.yaml", image: "demo" },
          },
        },
      });
      const e2e = run;
      await e2e.pushConfig({
        files: umbrellaFiles(e2e.platform.registry.host),
        message: "staging: the demo chart",
      });
      const verified = (commit: string) =>
        e2e.waitFor(
          `Deployment Verified of ${commit.slice(0, 7)} in staging`,
          (event) =>
            event.type === "Deployment Verified" &&
            event.detail.commit === commit &&
            event.detail.environment === "staging",
        );

      // Act
      const first = await e2e.push({ ...DEMO_APP_FILES, ...chartFiles(1) }, "demo: with its chart");
      await verified(first);
      const firstChart = await e2e.configFile("envs/staging/Chart.yaml");
      const second = await e2e.push({ ...DEMO_APP_FILES, ...chartFiles(2) }, "chart: two replicas");
      await verified(second);

      // Assert
      const tag = (commit: string) => `1.0.0-${commit.slice(0, 7)}`;
      for (const commit of [first, second]) {
        const [pushed] = e2e.eventsOf("Chart Pushed", commit);
        expect(pushed?.detail).toMatchObject({
          repository: `${e2e.platform.registry.host}/charts/demo-chart`,
          name: "demo-chart",
          version: tag(commit),
        });
        const committed = e2e.eventsOf("Config Committed", commit);
        expect(committed.map((event) => [event.detail.environment, event.detail.tag])).toEqual([
          ["staging", tag(commit)],
        ]);
      }
      expect(firstChart).toContain(`version: ${tag(first)}\n`);
      expect(await e2e.configFile("envs/staging/Chart.yaml")).toBe(
        umbrellaFiles(e2e.platform.registry.host)["envs/staging/Chart.yaml"]?.replace("0.0.0", tag(second)),
      );
      expect(await e2e.configFile("envs/staging/values.yaml")).toContain(`tag: "${tag(second)}"`);
      const chart = await e2e.platform.registry.getManifest("charts/demo-chart", tag(second));
      expect(JSON.parse(chart?.content.toString("utf8") ?? "{}").config.mediaType).toBe(
        "application/vnd.cncf.helm.config.v1+json",
      );
      const serving = e2e.chain.argocd.get("local")?.serving("demo-staging");
      expect(serving?.reference).toBe(`demo:${tag(second)}`);
      const health = await fetch(`http://127.0.0.1:${serving?.port}/health`);
      expect(health.status).toBe(200);
      const committed = e2e.eventsOf("Config Committed", second)[0]?.envelope.detail;
      expect(committed).toMatchObject({
        files: ["envs/staging/values.yaml", "envs/staging/Chart.yaml"],
        chartVersion: tag(second),
      });
      await e2e.settle();
      const trace = await e2e.cli(["trace", second.slice(0, 7)]);
      expect(trace.stdout).toContain("Chart Pushed");
      expect(trace.stdout).toContain(
        `chart demo-chart ${tag(second)} → ${e2e.platform.registry.host}/charts/demo-chart`,
      );
      const status = await e2e.cli(["status", "--app", "demo"]);
      const stagingRow = status.stdout.split("\n").find((line) => /^demo\s+staging\s/.test(line)) ?? "";
      expect(stagingRow).toContain(`[chart ${tag(second)}]`);
    },
    E2E_TEST_TIMEOUT_MS,
  );
});
