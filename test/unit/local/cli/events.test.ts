import { appendFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalEventBus } from "../../../../functions/adapters/local/local-event-bus.js";
import { busLayout } from "../../../../functions/local/bus/bus-layout.js";
import { main } from "../../../../functions/local/cli/main.js";
import { captureIo } from "../bus/capture-io.js";

const commit = "0123456789abcdef0123456789abcdef01234567";

describe("shipline events", () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "shipline-events-"));
    let now = Date.now() - 3_600_000;
    const bus = new LocalEventBus({
      archivePath: busLayout(join(dir, ".shipline")).archive,
      clock: { now: () => new Date(now) },
    });
    await bus.putEvents([
      { Source: "shipline", DetailType: "Build Started", Detail: JSON.stringify({ app: "web", commit }) },
    ]);
    now = Date.now();
    await bus.putEvents([
      { Source: "shipline", DetailType: "Build Failed", Detail: JSON.stringify({ app: "api", commit }) },
      { Source: "com.example", DetailType: "Other", Detail: "{}" },
    ]);
    await bus.close();
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("lists archived events as a table, oldest first", async () => {
    // Arrange
    const capture = captureIo(dir);

    // Act
    const code = await main(["events"], capture.io);

    // Assert
    expect(code).toBe(0);
    const lines = capture.stdout().trim().split("\n");
    expect(lines[0]).toMatch(/^TIME\s+DETAIL-TYPE\s+SOURCE\s+APP\s+COMMIT\s+ID$/);
    expect(lines.slice(1).map((line) => line.split(/\s{2,}/).slice(1, 5))).toEqual([
      ["Build Started", "shipline", "web", "0123456"],
      ["Build Failed", "shipline", "api", "0123456"],
      ["Other", "com.example", "-", "-"],
    ]);
  });

  it("prints one event envelope per line with --json, filtered by --type", async () => {
    // Arrange
    const capture = captureIo(dir);

    // Act
    const code = await main(["events", "--json", "--type", "Build Failed", "--type", "Other"], capture.io);

    // Assert
    expect(code).toBe(0);
    const events = capture
      .stdout()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(events.map((event) => event["detail-type"])).toEqual(["Build Failed", "Other"]);
    expect(events[0]).toMatchObject({ version: "0", source: "shipline", detail: { app: "api" } });
  });

  it("keeps events archived within a --since duration", async () => {
    // Arrange
    const capture = captureIo(dir);

    // Act
    const code = await main(["events", "--json", "--since", "10m"], capture.io);

    // Assert
    expect(code).toBe(0);
    expect(capture.stdout().trim().split("\n")).toHaveLength(2);
  });

  it("accepts an ISO time for --since", async () => {
    // Arrange
    const capture = captureIo(dir);
    const since = new Date(Date.now() - 2 * 3_600_000).toISOString();

    // Act
    const code = await main(["events", "--json", "--since", since], capture.io);

    // Assert
    expect(code).toBe(0);
    expect(capture.stdout().trim().split("\n")).toHaveLength(3);
  });

  it("reads the archive of another --data-dir and says when it is empty", async () => {
    // Arrange
    const capture = captureIo(dir);

    // Act
    const code = await main(["events", "--data-dir", "elsewhere"], capture.io);

    // Assert
    expect(code).toBe(0);
    expect(capture.stdout()).toContain(`No events in ${join(dir, "elsewhere", "bus", "archive.jsonl")}`);
  });

  it("exits 2 for a --since that is neither a time nor a duration", async () => {
    // Arrange
    const capture = captureIo(dir);

    // Act
    const code = await main(["events", "--since", "yesterday"], capture.io);

    // Assert
    expect(code).toBe(2);
    expect(capture.stderr()).toContain("--since 'yesterday'");
  });

  it("keeps the events of one app with --app", async () => {
    // Arrange
    const capture = captureIo(dir);

    // Act
    const code = await main(["events", "--json", "--app", "api"], capture.io);

    // Assert
    expect(code).toBe(0);
    const events = capture
      .stdout()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(events.map((event) => event["detail-type"])).toEqual(["Build Failed"]);
  });

  it("says no event matches when --app names an app without events", async () => {
    // Arrange
    const capture = captureIo(dir);

    // Act
    const code = await main(["events", "--app", "billing"], capture.io);

    // Assert
    expect(code).toBe(0);
    expect(capture.stdout()).toContain("match the filters");
  });

  it("prints archived events, then new ones as the archive grows, until interrupted, with --follow", async () => {
    // Arrange
    const controller = new AbortController();
    const stdout = new PassThrough();
    let out = "";
    stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
    });
    const io = { stdout, stderr: new PassThrough(), env: {}, cwd: dir, signal: controller.signal };
    const archive = busLayout(join(dir, ".shipline")).archive;
    const appended = {
      archivedAt: new Date().toISOString(),
      event: {
        version: "0",
        id: "appended-1",
        "detail-type": "Deployment Verified",
        source: "shipline",
        account: "000000000000",
        time: "2026-03-01T12:00:00Z",
        region: "us-east-1",
        resources: [],
        detail: { app: "web", commit },
      },
    };
    const until = async (condition: () => boolean) => {
      while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
    };

    // Act
    const running = main(["events", "--follow", "--json", "--app", "web"], io);
    await until(() => out.includes("Build Started"));
    await appendFile(archive, `${JSON.stringify(appended)}\n`);
    await until(() => out.includes("appended-1"));
    controller.abort();
    const code = await running;

    // Assert
    expect(code).toBe(0);
    expect(
      out
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line)["detail-type"]),
    ).toEqual(["Build Started", "Deployment Verified"]);
  });

  it("prints a header and one aligned line per event with --follow in human form", async () => {
    // Arrange
    const controller = new AbortController();
    const stdout = new PassThrough();
    let out = "";
    stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
    });
    const io = { stdout, stderr: new PassThrough(), env: {}, cwd: dir, signal: controller.signal };

    // Act
    const running = main(["events", "--follow", "--type", "Build Failed"], io);
    while (!out.includes("Build Failed")) await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    const code = await running;

    // Assert
    expect(code).toBe(0);
    const lines = out.trim().split("\n");
    expect(lines[0]).toMatch(/^TIME\s+DETAIL-TYPE\s+SOURCE\s+APP\s+COMMIT\s+ID$/);
    expect(lines.slice(1).map((line) => line.split(/\s{2,}/).slice(1, 5))).toEqual([
      ["Build Failed", "shipline", "api", "0123456"],
    ]);
  });
});
