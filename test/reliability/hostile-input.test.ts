import { execFile } from "node:child_process";
import { chmod, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signWebhookBody } from "../../functions/local/git-server/webhook-signature.js";
import { readEndpoints } from "../../functions/local/runtime/endpoints-file.js";
import { greetingFiles } from "../integration/e2e/e2e-kit.js";
import { eventOf, PROBE_TEST_TIMEOUT_MS, RuntimeUnderTest } from "./runtime-under-test.js";

const run = promisify(execFile);

/** EventBridge's largest event (PutEvents entry), in bytes. */
const EVENT_LIMIT_BYTES = 256 * 1024;

/**
 * Probes of one running runtime, as a hostile-but-fair user makes them from the outside: forged and
 * malformed webhooks, a push of a thousand commits, an approval the scan gate never gave, a config
 * repository that refuses the writer's push, and configurations no branch can satisfy. Each is
 * answered with a clear refusal or recorded reason, and nothing is deployed unverified.
 */
describe("the runtime, probed with hostile and faulty input", () => {
  let under: RuntimeUnderTest;
  let secret: string;
  let webhook: string;

  /** A GitHub push delivery for the demo repository, signed as the git server signs its own. */
  const deliver = async (payload: Record<string, unknown>, deliveryId: string, signWith = secret) => {
    const body = Buffer.from(JSON.stringify(payload));
    const response = await fetch(webhook, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "push",
        "x-github-delivery": deliveryId,
        "x-hub-signature-256": signWebhookBody(signWith, body),
      },
      body,
    });
    return { status: response.status, text: await response.text() };
  };

  /** A push payload as GitHub sends it, for the demo repository of this runtime. */
  const pushPayload = async (ref: string, before: string, after: string) => {
    const { git } = await readEndpoints(under.dataDir);
    const url = `${git}/demo.git`;
    return {
      ref,
      before,
      after,
      created: false,
      deleted: false,
      forced: false,
      commits: [],
      head_commit: null,
      repository: { name: "demo", full_name: "demo", clone_url: url, html_url: `${git}/demo`, private: true },
      pusher: { name: "dana", email: "dana@example.test" },
      sender: { login: "dana" },
    };
  };

  beforeAll(async () => {
    under = await RuntimeUnderTest.create();
    under.start();
    await under.until("the seeded commit verified in production", (event) =>
      eventOf("Deployment Verified", event.detail.commit, "production")(event),
    );
    secret = (await readFile(join(under.dataDir, "webhook-secret"), "utf8")).trim();
    webhook = (await readEndpoints(under.dataDir)).webhook;
  }, PROBE_TEST_TIMEOUT_MS);

  afterAll(async () => {
    await under?.dispose();
  });

  it("answers 400 to refs git refuses and 401 to a forged signature, and publishes nothing", async () => {
    // Arrange
    const head = await under.headOf("demo");
    const before = (await under.events()).length;

    // Act
    const answers = [];
    for (const ref of [
      "refs/heads/a..b",
      "refs/heads/with space",
      "refs/heads/nul\u0000x",
      "refs/heads/x.lock",
    ]) {
      answers.push(await deliver(await pushPayload(ref, "0".repeat(40), head), `bad-ref-${answers.length}`));
    }
    const forged = await deliver(
      await pushPayload("refs/heads/main", "0".repeat(40), head),
      "forged",
      "a".repeat(64),
    );

    // Assert
    expect(answers.map((answer) => answer.status)).toEqual([400, 400, 400, 400]);
    expect(forged.status).toBe(401);
    await under.settle();
    expect((await under.events()).slice(before)).toEqual([]);
  });

  it(
    "builds a push of a thousand commits once, with a Commit Pushed within EventBridge's 256 KB, and takes a new delivery of it for a duplicate",
    async () => {
      // Arrange: a thousand commits, each touching its own file, made with git fast-import.
      const pushed = await under.pushMany(1000, greetingFiles("Hello from a thousand commits"));

      // Act
      const announced = await under.until(
        "Commit Pushed of the big push",
        eventOf("Commit Pushed", pushed.head),
      );
      await under.until(
        "the big push verified in production",
        eventOf("Deployment Verified", pushed.head, "production"),
      );
      const again = await deliver(
        await pushPayload("refs/heads/main", pushed.before, pushed.head),
        "another-id",
      );
      await under.settle();

      // Assert
      const events = await under.events();
      expect(Buffer.byteLength(JSON.stringify(announced))).toBeLessThan(EVENT_LIMIT_BYTES);
      expect(again.status).toBe(202);
      expect(again.text).toMatch(/duplicate|already/i);
      expect(events.filter(eventOf("Commit Pushed", pushed.head))).toHaveLength(1);
      expect(
        new Set(events.filter(eventOf("Build Started", pushed.head)).map((event) => event.detail.buildId))
          .size,
      ).toBe(1);
    },
    PROBE_TEST_TIMEOUT_MS,
  );

  it("refuses an Image Approved the scan gate never gave, records why, and deploys nothing", async () => {
    // Arrange: an approval put on the bus by hand, for a digest that was never pushed or scanned.
    const digest = `sha256:${"e".repeat(64)}`;
    const commit = "f".repeat(40);
    const detail = {
      schemaVersion: 1,
      app: "demo",
      commit,
      correlationId: "forged-approval",
      repository: "demo",
      tag: "9.9.9-fffffff",
      digest,
      scanner: "local",
      counts: {},
      allowed: [],
      reason: "trust me",
    };
    const entries = JSON.stringify([
      { Source: "shipline", DetailType: "Image Approved", Detail: JSON.stringify(detail) },
    ]);

    // Act
    const put = await under.cli(["put-events", "--entries", entries]);
    const refused = await under.until("the forged approval refused", eventOf("Step Failed", commit));
    const trace = await under.cli(["trace", commit]);
    await under.settle();

    // Assert
    expect(put.code).toBe(0);
    expect(refused.detail.code).toBe("IMAGE_NOT_APPROVED_BY_GATE");
    expect(trace.stdout).toContain("IMAGE_NOT_APPROVED_BY_GATE");
    expect((await under.events()).filter(eventOf("Config Committed", commit))).toEqual([]);
  });

  it("exits non-zero, naming the environment, for an approval of an environment that does not exist", async () => {
    // Act
    const answer = await under.cli([
      "approve",
      "demo",
      "nowhere",
      `sha256:${"e".repeat(64)}`,
      "--config",
      under.config,
    ]);

    // Assert
    expect(answer.code).not.toBe(0);
    expect(answer.stderr).toContain("nowhere");
  });

  it(
    "records the config host's own refusal of the writer's push as the journey's end, and deploys again once the host accepts",
    async () => {
      // Arrange: the config repository's host declines every update, as a protected branch would.
      const hook = join(under.dataDir, "git", "demo-config.git", "hooks", "pre-receive");
      await writeFile(hook, "#!/bin/sh\necho 'main is protected: changes need a review'\nexit 1\n");
      await chmod(hook, 0o755);
      const refusedCommit = await under.push(greetingFiles("Hello, refused"), "Greet, refused");

      // Act
      const failed = await under.until("the refused push recorded", eventOf("Step Failed", refusedCommit));
      const trace = await under.cli(["trace", refusedCommit]);
      await rm(hook);
      const next = await under.push(greetingFiles("Hello, accepted"), "Greet, accepted");
      await under.until("the next push verified", eventOf("Deployment Verified", next, "production"));

      // Assert
      expect(failed.detail.code).toBe("PUSH_REFUSED");
      expect(failed.detail.reason).toContain("main is protected: changes need a review");
      expect(trace.stdout).toContain("main is protected");
      expect((await under.events()).filter(eventOf("Config Committed", refusedCommit))).toEqual([]);
    },
    PROBE_TEST_TIMEOUT_MS,
  );

  it("refuses configurations no branch can satisfy or that expand without end, with the line or the fix", async () => {
    // Arrange
    const example = await readFile(under.config, "utf8");
    const badBranch = join(under.root, "bad-branch.yaml");
    await writeFile(
      badBranch,
      example.replace(/^ {6}branch: main$/m, '      branch: "main;$(touch /tmp/x)"'),
    );
    const bomb = join(under.root, "alias-bomb.yaml");
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (const [index, name] of ["b", "c", "d", "e", "f"].entries()) {
      const previous = "abcde"[index];
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(", ")}]`);
    }
    await writeFile(bomb, `${levels.join("\n")}\n`);

    // Act
    const answers = [];
    for (const config of [badBranch, bomb]) {
      answers.push(
        await run(
          process.execPath,
          [
            "bin/shipline.mjs",
            "start",
            "--config",
            config,
            "--data-dir",
            join(under.root, "other"),
            "--once",
            "--timeout",
            "10s",
          ],
          {
            cwd: join(__dirname, "../.."),
          },
        ).then(
          () => ({ code: 0, stderr: "" }),
          (error: { code?: number; stderr?: string }) => ({
            code: error.code ?? 1,
            stderr: error.stderr ?? "",
          }),
        ),
      );
    }

    // Assert
    const [branch, aliases] = answers;
    expect(branch?.code).not.toBe(0);
    expect(branch?.stderr).toMatch(
      /apps\[0\]\.source\.branch: 'main;\$\(touch \/tmp\/x\)' can match no branch.*\(line \d+\)/,
    );
    expect(aliases?.code).not.toBe(0);
    expect(aliases?.stderr).toMatch(/aliases expand too much.*use at most \d+ alias expansions/);
  });
});
