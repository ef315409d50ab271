import { afterEach, describe, expect, it } from "vitest";
import { DEMO_APP_FILES } from "../../../functions/local/demo/demo-app-files.js";
import { E2E_TEST_TIMEOUT_MS, type E2ePlatform, startE2ePlatform } from "./e2e-kit.js";

describe("an environment with manual approval, end to end", () => {
  let run: E2ePlatform | undefined;

  afterEach(async () => {
    await run?.stop();
    run = undefined;
  });

  it(
    "says the journey waits for approval, with the command, and deploys once approved with the digest as trace prints it",
    async () => {
      // Arrange
      run = await startE2ePlatform({ manualIn: ["production"] });
      const commit = await run.push(DEMO_APP_FILES, "demo: first version");
      const waiting = await run.waitFor(
        "production waiting for approval",
        (event) =>
          event.type === "Promotion Waiting" &&
          event.detail.commit === commit &&
          event.detail.environment === "production" &&
          event.detail.waitingFor === "approval",
      );
      await run.settle();

      // Act
      const trace = await run.cli(["trace", commit.slice(0, 7)], { config: false });
      const status = await run.cli(["status", "--app", "demo"], { config: false });
      const printed = /Promotion Waiting\s+promote\s+env production · tag \S+ · (sha256:[0-9a-f]{12})/.exec(
        trace.stdout,
      )?.[1];
      const approve = await run.cli(["approve", "demo", "production", printed ?? "missing", "--by", "alice"]);
      const verified = await run.waitFor(
        "production verified after the approval",
        (event) =>
          event.type === "Deployment Verified" &&
          event.detail.commit === commit &&
          event.detail.environment === "production",
      );

      // Assert
      expect(waiting.detail).toMatchObject({
        waitingFor: "approval",
        digest: expect.stringMatching(/^sha256:/),
      });
      expect(trace.code).toBe(0);
      expect(trace.stdout).toContain(
        `WAITING: waiting for approval to enter production: shipline approve demo production ${waiting.detail.digest}`,
      );
      expect(printed).toBe(waiting.detail.digest?.slice(0, 19));
      const production = status.stdout.split("\n").find((line) => /^demo\s+production\s/.test(line)) ?? "";
      expect(production).toContain(
        `[waiting: 1.0.0-${commit.slice(0, 7)} for approval — shipline approve demo production ${waiting.detail.digest}]`,
      );
      expect(approve.stderr).toBe("");
      expect(approve.code).toBe(0);
      expect(verified.detail.digest).toBe(waiting.detail.digest);
    },
    E2E_TEST_TIMEOUT_MS,
  );
});
