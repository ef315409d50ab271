import { afterEach, describe, expect, it } from "vitest";
import { DEMO_APP_FILES } from "../../../functions/local/demo/demo-app-files.js";
import {
  E2E_TEST_TIMEOUT_MS,
  type E2ePlatform,
  type Gate,
  gatedTestFile,
  greetingFiles,
  startE2ePlatform,
  startGate,
} from "./e2e-kit.js";

describe("two pushes in quick succession, end to end", () => {
  let run: E2ePlatform | undefined;
  let gate: Gate | undefined;

  afterEach(async () => {
    gate?.open();
    await run?.stop();
    await gate?.close();
    run = undefined;
    gate = undefined;
  });

  it(
    "ends with the newer commit deployed everywhere, even when the older image is approved after it",
    async () => {
      // Arrange
      run = await startE2ePlatform();
      gate = await startGate();
      const passingTest = 'require("node:test").test("passes", () => {});\n';

      // Act
      const older = await run.push(
        { ...DEMO_APP_FILES, "gate.test.js": gatedTestFile(gate.url) },
        "demo: first",
      );
      await new Promise((done) => setTimeout(done, 1000));
      const newer = await run.push(
        { ...greetingFiles("Hello from the second version"), "gate.test.js": passingTest },
        "demo: change the greeting",
      );
      const newerInStaging = await run.waitFor(
        "the newer commit committed to staging",
        (event) =>
          event.type === "Config Committed" &&
          event.detail.commit === newer &&
          event.detail.environment === "staging",
      );
      // The older build finishes only now, so its image reaches the scan gate after the newer one.
      gate.open();
      const olderApproved = await run.waitFor(
        "the older image approved",
        (event) => event.type === "Image Approved" && event.detail.commit === older,
      );
      await run.waitFor(
        "the newer commit verified in production",
        (event) =>
          event.type === "Deployment Verified" &&
          event.detail.commit === newer &&
          event.detail.environment === "production",
      );
      await run.settle();

      // Assert
      const events = run.events();
      expect(events.indexOf(olderApproved)).toBeGreaterThan(events.indexOf(newerInStaging));
      expect(run.eventsOf("Config Committed", older)).toEqual([]);
      const committed = events.filter((event) => event.type === "Config Committed");
      for (const environment of ["staging", "production"]) {
        const commits = committed
          .filter((event) => event.detail.environment === environment)
          .map((event) => event.detail.commit);
        expect(commits, environment).toEqual([newer]);
      }
      const newerTag = `1.0.0-${newer.slice(0, 7)}`;
      expect(await run.configFile("envs/staging/values.yaml")).toContain(`tag: "${newerTag}"`);
      expect(await run.configFile("envs/production/kustomization.yaml")).toContain(`newTag: "${newerTag}"`);
      const argocd = run.chain.argocd.get("local");
      for (const application of ["demo-staging", "demo-production"]) {
        const serving = argocd?.serving(application);
        expect(serving?.reference, application).toMatch(new RegExp(`(^|/)demo:${newerTag}$`));
        const greeting = await fetch(`http://127.0.0.1:${serving?.port}/`);
        expect(await greeting.text(), application).toBe("Hello from the second version\n");
      }
    },
    E2E_TEST_TIMEOUT_MS,
  );
});
