import { afterEach, describe, expect, it } from "vitest";
import { type Gate, gatedTestFile, greetingFiles, startGate } from "../integration/e2e/e2e-kit.js";
import {
  type ArchivedEvent,
  eventOf,
  PROBE_TEST_TIMEOUT_MS,
  RuntimeUnderTest,
} from "./runtime-under-test.js";

describe("shipline start, killed or stopped and started again", () => {
  let runtime: RuntimeUnderTest | undefined;

  const gates: Gate[] = [];

  afterEach(async () => {
    await runtime?.dispose();
    runtime = undefined;
    for (const gate of gates.splice(0)) await gate.close();
  });

  it(
    "takes a push to production once though the runtime dies at every point a journey waits on, and deploys the next push as before",
    async () => {
      // Arrange: the seeded first commit deployed; the journey under test is a push whose build
      // waits on a gate, so the first interruption comes while the builder runs it.
      const under = await RuntimeUnderTest.create();
      runtime = under;
      const gate = await startGate();
      gates.push(gate);
      under.start();
      await under.until("the seeded commit verified in production", (event) =>
        eventOf("Deployment Verified", event.detail.commit, "production")(event),
      );
      /** Starts the runtime, waits for `what`, then ends it the way `end` says. */
      const interrupt = async (
        what: string,
        match: (event: ArchivedEvent) => boolean,
        end: "kill" | "stop",
      ) => {
        if (!under.running) under.start();
        await under.until(what, match);
        if (end === "kill") await under.kill();
        else expect(await under.stop()).toBe(0);
      };

      // Act: one journey, interrupted while the builder runs its build, ...
      const commit = await under.push(
        { ...greetingFiles("Hello through the restarts"), "gate.test.js": gatedTestFile(gate.url) },
        "Greet through the restarts",
      );
      await interrupt("Build Started", eventOf("Build Started", commit), "kill");
      gate.open();
      // ... while the scan runs and the scan gate's timeout is scheduled, ...
      await interrupt("Image Pushed", eventOf("Image Pushed", commit), "kill");
      // ... with the gate's approval still on its way to promote, ...
      await interrupt("Image Approved", eventOf("Image Approved", commit), "kill");
      // ... right after staging's config commit, ...
      await interrupt("staging committed", eventOf("Config Committed", commit, "staging"), "kill");
      // ... while the agent verifies staging's sync, ...
      await interrupt("staging sync requested", eventOf("Sync Requested", commit, "staging"), "kill");
      // ... and, with a clean stop (Ctrl+C), while production's soak time runs.
      await interrupt("staging verified", eventOf("Deployment Verified", commit, "staging"), "stop");
      under.start();
      await under.until("production verified", eventOf("Deployment Verified", commit, "production"));
      // A later push, as a developer makes it, deploys as before.
      const next = await under.push(greetingFiles("Hello after the restarts"), "Greet after the restarts");
      await under.until("the next push verified", eventOf("Deployment Verified", next, "production"));
      expect(await under.stop()).toBe(0);

      // Assert: one build and one config commit per environment for each commit, nothing failed.
      // Events are delivered at least once (as on AWS), so an event may come twice after a crash;
      // what it announces may not happen twice.
      const events = await under.events();
      const seen = events
        .map((event) => `${event.time} ${event["detail-type"]} ${JSON.stringify(event.detail).slice(0, 300)}`)
        .join("\n");
      const of = (sha: string | null | undefined, type: string, environment?: string) =>
        events.filter(eventOf(type, sha, environment));
      const distinct = (values: readonly (string | undefined)[]) => new Set(values).size;
      for (const sha of [commit, next]) {
        const builds = [...of(sha, "Build Started"), ...of(sha, "Build Succeeded")];
        // Build Started names the build by its id, Build Succeeded by its ARN (…:build/<id>).
        const buildIds = builds.map((event) => event.detail.buildId?.replace(/^arn:.*:build\//, ""));
        expect(distinct(buildIds), seen).toBe(1);
        expect(of(sha, "Build Succeeded").length, seen).toBeGreaterThan(0);
        for (const environment of ["staging", "production"]) {
          const commits = of(sha, "Config Committed", environment).map((event) => event.detail.configCommit);
          expect(commits.length, seen).toBeGreaterThan(0);
          expect(distinct(commits), seen).toBe(1);
        }
        expect(of(sha, "Deployment Verified", "production").length, seen).toBeGreaterThan(0);
        for (const failure of ["Build Failed", "Deployment Failed", "Step Failed", "Image Rejected"]) {
          expect(of(sha, failure), seen).toEqual([]);
        }
      }
      expect(
        events.filter((event) => event["detail-type"] === "Rollback Committed"),
        seen,
      ).toEqual([]);
    },
    PROBE_TEST_TIMEOUT_MS,
  );
});
