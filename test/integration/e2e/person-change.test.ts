import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../../../functions/local/cli/main.js";
import { DEMO_APP_FILES } from "../../../functions/local/demo/demo-app-files.js";
import { captureIo } from "../../unit/local/bus/capture-io.js";
import {
  E2E_TEST_TIMEOUT_MS,
  type E2ePlatform,
  greetingFiles,
  PERSON,
  type SeenEvent,
  startE2ePlatform,
} from "./e2e-kit.js";

const tagOf = (commit: string) => `1.0.0-${commit.slice(0, 7)}`;

/** Calls `read` until `done` says yes (at most 10 s), and answers the last result. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const until = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("a person's change to the config repository wins, end to end", () => {
  let run: E2ePlatform | undefined;

  afterEach(async () => {
    await run?.stop();
    run = undefined;
  });

  it(
    "holds staging after a person's git revert and a pin by hand, verifies what they deployed, and moves on only after shipline release",
    async () => {
      // Arrange
      run = await startE2ePlatform();
      const platform = run;
      const verifiedIn = (commit: string, environment: string) => (event: SeenEvent) =>
        event.type === "Deployment Verified" &&
        event.detail.commit === commit &&
        event.detail.environment === environment;
      const first = await run.push(DEMO_APP_FILES, "demo: first version");
      await run.waitFor("the first version in staging", verifiedIn(first, "staging"));
      const second = await run.push(greetingFiles("second"), "demo: second greeting");
      await run.waitFor("the second version in staging", verifiedIn(second, "staging"));
      const shiplineCommit = run
        .eventsOf("Config Committed", second)
        .find((event) => event.detail.environment === "staging")?.detail.configCommit;

      // Act: a person reverts Shipline's staging commit of the second version.
      const revert = await run.pushConfig({ revert: shiplineCommit ?? "" });
      const hold = await run.waitFor(
        "the person's hold on staging",
        (event) => event.type === "Hold Placed" && event.detail.placedBy === PERSON.name,
      );
      const restored = await run.waitFor(
        "the person's revert verified in staging",
        (event) => event.type === "Deployment Verified" && event.detail.revision === revert,
      );
      // The ledger records events on its own deliveries: read status once it has the revert's verification.
      const statusAfterRevert = await eventually(
        () => platform.cli(["status", "--app", "demo"]),
        (status) => new RegExp(`^demo\\s+staging\\s+${tagOf(first)}\\s`, "m").test(status?.stdout ?? ""),
      );
      const third = await run.push(greetingFiles("third"), "demo: third greeting");
      await run.waitFor(
        "the third image approved",
        (event) => event.type === "Image Approved" && event.detail.commit === third,
      );
      await run.settle();
      const heldOut = run
        .eventsOf("Config Committed", third)
        .filter((e) => e.detail.environment === "staging");
      const capture = captureIo(run.dir);
      const released = await main(
        [
          "release",
          "demo",
          "staging",
          "--data-dir",
          join(run.dir, "data"),
          "--config",
          join(run.dir, "shipline.config.yaml"),
        ],
        capture.io,
      );
      await run.waitFor("the third version in staging after the release", verifiedIn(third, "staging"));
      // Then a person pins staging back to the first version by editing the values file.
      const values = await run.configFile("envs/staging/values.yaml");
      const pin = await run.pushConfig({
        files: { "envs/staging/values.yaml": values.replace(tagOf(third), tagOf(first)) },
        message: "Pin staging to the first version",
      });
      const pinned = await run.waitFor(
        "the pin verified in staging",
        (event) => event.type === "Deployment Verified" && event.detail.revision === pin,
      );
      await run.settle();

      // Assert
      expect(hold.detail).toMatchObject({
        app: "demo",
        environment: "staging",
        commit: second,
        reason: expect.stringContaining("Revert"),
      });
      const byPerson = platform
        .events()
        .filter((event) => event.type === "Config Committed" && event.detail.by === "person");
      expect(byPerson.map((event) => [event.detail.kind, event.detail.tag, event.detail.author])).toEqual([
        ["revert", tagOf(first), PERSON.name],
        ["update", tagOf(first), PERSON.name],
      ]);
      expect(byPerson[0]?.detail).toMatchObject({ commit: first, replaced: { tag: tagOf(second) } });
      expect(restored.detail.commit).toBe(first);
      const stagingRow =
        statusAfterRevert.stdout.split("\n").find((line) => /^demo\s+staging\s/.test(line)) ?? "";
      expect(stagingRow).toMatch(new RegExp(`^demo\\s+staging\\s+${tagOf(first)}\\s`));
      expect(stagingRow).toContain(`held by ${PERSON.name}`);
      expect(heldOut).toEqual([]);
      expect(capture.stderr()).toBe("");
      expect(released).toBe(0);
      expect(pinned.detail.commit).toBe(first);
      const pinHolds = platform
        .events()
        .filter((event) => event.type === "Hold Placed" && event.detail.placedBy === PERSON.name);
      expect(pinHolds.map((event) => event.detail.reason)).toEqual([
        hold.detail.reason,
        "Pin staging to the first version",
      ]);
      const staging = run.chain.argocd.get("local")?.serving("demo-staging");
      expect(staging?.reference).toMatch(new RegExp(`(^|/)demo:${tagOf(first)}$`));
      expect(await run.configFile("envs/staging/values.yaml")).toContain(tagOf(first));
    },
    E2E_TEST_TIMEOUT_MS,
  );
});
