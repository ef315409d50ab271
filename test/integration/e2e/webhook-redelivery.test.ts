import { afterEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { DEMO_APP_FILES } from "../../../functions/local/demo/demo-app-files.js";
import { E2E_TEST_TIMEOUT_MS, type E2ePlatform, startE2ePlatform } from "./e2e-kit.js";

const pushPayload = z.looseObject({ after: z.string() });

describe("one push webhook delivered three times, end to end", () => {
  let run: E2ePlatform | undefined;

  afterEach(async () => {
    await run?.stop();
    run = undefined;
  });

  it(
    "builds the commit once and commits it once to each environment",
    async () => {
      // Arrange
      run = await startE2ePlatform();
      const commit = await run.push(DEMO_APP_FILES, "demo: first version");
      await run.waitFor(
        "Commit Pushed",
        (event) => event.type === "Commit Pushed" && event.detail.commit === commit,
      );
      const delivery = run.platform.git
        .deliveries()
        .find((candidate) => pushPayload.safeParse(JSON.parse(candidate.body)).data?.after === commit);
      if (delivery === undefined) throw new Error(`no webhook delivery was recorded for ${commit}`);

      // Act
      const statuses = [await run.redeliver(delivery.id), await run.redeliver(delivery.id)];
      await run.waitFor(
        "Deployment Verified in production",
        (event) =>
          event.type === "Deployment Verified" &&
          event.detail.commit === commit &&
          event.detail.environment === "production",
      );
      await run.settle();

      // Assert
      expect(statuses).toEqual([202, 202]);
      expect(delivery.status).toBe("delivered");
      expect(run.eventsOf("Commit Pushed", commit)).toHaveLength(1);
      expect(run.eventsOf("Build Started", commit)).toHaveLength(1);
      expect(run.eventsOf("Image Pushed", commit)).toHaveLength(1);
      const committed = run.eventsOf("Config Committed", commit);
      expect(committed.map((event) => event.detail.environment)).toEqual(["staging", "production"]);
    },
    E2E_TEST_TIMEOUT_MS,
  );
});
