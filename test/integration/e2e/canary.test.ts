import { afterEach, describe, expect, it } from "vitest";
import { DEMO_APP_FILES } from "../../../functions/local/demo/demo-app-files.js";
import {
  brokenHealthFiles,
  E2E_TEST_TIMEOUT_MS,
  type E2ePlatform,
  greetingFiles,
  type SeenEvent,
  startE2ePlatform,
} from "./e2e-kit.js";

/** The demo chart's workload as an Argo Rollouts canary: 25%, a timed pause, 75%, an analysis. */
const ROLLOUT = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: demo
spec:
  replicas: 4
  selector:
    matchLabels:
      app: demo
  strategy:
    canary:
      steps:
        - setWeight: 25
        - pause:
            duration: 1s
        - setWeight: 75
        - analysis:
            templates:
              - templateName: health
`;

describe("an Argo Rollouts canary, end to end", () => {
  let run: E2ePlatform | undefined;

  afterEach(async () => {
    await run?.stop();
    run = undefined;
  });

  it(
    "verifies a canary once its steps ran, recording each, and reverts one the Rollout aborts",
    async () => {
      // Arrange
      run = await startE2ePlatform();
      const inStaging =
        (type: string, commit: string) =>
        (event: SeenEvent): boolean =>
          event.type === type && event.detail.commit === commit && event.detail.environment === "staging";
      const good = await run.push(DEMO_APP_FILES, "demo: first version");
      await run.waitFor("the first version verified in staging", inStaging("Deployment Verified", good));
      await run.pushConfig({
        files: { "envs/staging/templates/rollout.yaml": ROLLOUT },
        message: "staging: roll demo out as a canary",
      });

      // Act
      const next = await run.push(greetingFiles("canary"), "demo: greet through a canary");
      const verified = await run.waitFor(
        "the canary verified in staging",
        inStaging("Deployment Verified", next),
      );
      const broken = await run.push(brokenHealthFiles(), "demo: report unhealthy");
      const failed = await run.waitFor(
        "the canary failed in staging",
        inStaging("Deployment Failed", broken),
      );
      const reverted = await run.waitFor(
        "the revert verified in staging",
        (event) => inStaging("Deployment Verified", broken)(event) && event.detail.kind === "revert",
      );
      await run.chain.idle();

      // Assert
      const canary = verified.envelope.detail;
      expect(canary).toMatchObject({ canary: { rollout: "demo-staging/demo" } });
      const steps = JSON.stringify(canary);
      // The weight a read sees at a setWeight step may still be the one before it (0%) under load.
      expect(steps).toContain('"weight":25');
      expect(steps).toContain('"kind":"setWeight"');
      expect(steps).toContain('"kind":"done","weight":100');
      expect(failed.detail.reason).toMatch(
        /^the Rollout demo-staging\/demo was aborted at step 1\/4: RolloutAborted: Rollout aborted update to revision \d+: the canary did not answer \/health/,
      );
      expect(failed.envelope.detail).toMatchObject({ canary: { aborted: true } });
      expect(run.eventsOf("Rollback Committed", broken)).toHaveLength(1);
      expect(reverted.detail.revision).not.toBe(failed.detail.revision);
      const staging = run.chain.argocd.get("local")?.serving("demo-staging");
      expect(staging?.revision).toBe(reverted.detail.revision);
      expect(staging?.reference).toMatch(new RegExp(`(^|/)demo:1\\.0\\.0-${next.slice(0, 7)}$`));
      const trace = await run.cli(["trace", next.slice(0, 7)]);
      expect(trace.stdout).toContain("canary demo-staging/demo: ");
      expect(trace.stdout).toContain("25%");
      expect(trace.stdout).toContain("100% done");
      const status = await run.cli(["status", "--app", "demo"]);
      const stagingRow = status.stdout.split("\n").find((line) => /^demo\s+staging\s/.test(line)) ?? "";
      expect(stagingRow).toContain("[canary demo-staging/demo: ");
      expect(stagingRow).toContain("100% done]");
      const failedTrace = await run.cli(["trace", broken.slice(0, 7)]);
      expect(failedTrace.code).toBe(1);
      expect(failedTrace.stdout).toContain("ROLLED-BACK");
      expect(failedTrace.stdout).toContain("aborted");
    },
    E2E_TEST_TIMEOUT_MS,
  );
});
