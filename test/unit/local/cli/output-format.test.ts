import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { FileDocumentStore } from "../../../../functions/adapters/local/file-document-store.js";
import { LocalEventBus } from "../../../../functions/adapters/local/local-event-bus.js";
import { recordHop } from "../../../../functions/core/ledger/record-hop.js";
import { busLayout } from "../../../../functions/local/bus/bus-layout.js";
import type { CommandIo } from "../../../../functions/local/cli/command.js";
import { main } from "../../../../functions/local/cli/main.js";
import { IMAGE_DIGEST, SOURCE_COMMIT } from "../../core/contracts/detail-examples.js";
import { shiplineAt } from "../../core/ledger/ledger-test-kit.js";
import { captureIo } from "../bus/capture-io.js";

/** A CommandIo whose stdout says it is a terminal, as process.stdout does on one. */
function terminalIo(cwd: string, env: NodeJS.ProcessEnv): { io: CommandIo; stdout: () => string } {
  const chunks: Buffer[] = [];
  const stdout = Object.assign(new PassThrough(), { isTTY: true });
  stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
  return {
    io: { stdout, stderr: new PassThrough(), env, cwd, signal: new AbortController().signal },
    stdout: () => Buffer.concat(chunks).toString("utf8"),
  };
}

describe("output formats of the commands that print data", () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "shipline-output-"));
    const store = new FileDocumentStore({ directory: join(dir, ".shipline", "store") });
    for (const event of [
      shiplineAt("Image Approved", 10),
      shiplineAt("Config Committed", 30),
      shiplineAt("Deployment Verified", 60),
    ]) {
      await recordHop({ store, event, productionEnvironments: new Set(["production"]) });
    }
    const bus = new LocalEventBus({ archivePath: busLayout(join(dir, ".shipline")).archive });
    await bus.putEvents([
      {
        Source: "shipline",
        DetailType: "Build Started",
        Detail: JSON.stringify({ app: "web", commit: SOURCE_COMMIT, environment: "staging" }),
      },
    ]);
    await bus.close();
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("prints status as YAML with -o yaml, the same document as -o json", async () => {
    // Arrange
    const json = captureIo(dir);
    const yaml = captureIo(dir);

    // Act
    const codes = [
      await main(["status", "-o", "json"], json.io),
      await main(["status", "-o", "yaml"], yaml.io),
    ];

    // Assert
    expect(codes).toEqual([0, 0]);
    const documents = parseAllDocuments(yaml.stdout()).map((document) => document.toJS());
    const fromJson = JSON.parse(json.stdout());
    expect(documents).toHaveLength(1);
    expect(documents[0]).toMatchObject({ environments: fromJson.environments });
    expect(documents[0].environments[0]).toMatchObject({ app: "web", environment: "staging" });
  });

  it("prints whole digests and commits in status -o wide, cut ones in the table", async () => {
    // Arrange
    const table = captureIo(dir);
    const wide = captureIo(dir);

    // Act
    await main(["status"], table.io);
    await main(["status", "-o", "wide"], wide.io);

    // Assert
    expect(wide.stdout()).toContain(IMAGE_DIGEST);
    expect(wide.stdout()).toContain(SOURCE_COMMIT);
    expect(table.stdout()).not.toContain(IMAGE_DIGEST);
    expect(table.stdout()).toContain(IMAGE_DIGEST.slice(0, 19));
  });

  it("prints a journey as one YAML document with trace -o yaml", async () => {
    // Arrange
    const capture = captureIo(dir);

    // Act
    const code = await main(["trace", "web", "-o", "yaml"], capture.io);

    // Assert
    expect(code).toBe(0);
    const [journey] = parseAllDocuments(capture.stdout()).map((document) => document.toJS());
    expect(journey).toMatchObject({ app: "web", commit: SOURCE_COMMIT });
  });

  it("adds the environment and the whole commit to events -o wide", async () => {
    // Arrange
    const capture = captureIo(dir);

    // Act
    const code = await main(["events", "-o", "wide"], capture.io);

    // Assert
    expect(code).toBe(0);
    const [header, row] = capture.stdout().trim().split("\n");
    expect(header).toMatch(/^TIME\s+DETAIL-TYPE\s+SOURCE\s+APP\s+ENV\s+COMMIT\s+ID$/);
    expect(row?.split(/\s{2,}/).slice(1, 5)).toEqual(["Build Started", "shipline", "web", "staging"]);
    expect(row).toContain(SOURCE_COMMIT);
  });

  it("prints the archived events as YAML documents with events -o yaml", async () => {
    // Arrange
    const capture = captureIo(dir);

    // Act
    const code = await main(["events", "-o", "yaml"], capture.io);

    // Assert
    expect(code).toBe(0);
    const documents = parseAllDocuments(capture.stdout()).map((document) => document.toJS());
    expect(documents).toEqual([
      expect.objectContaining({ "detail-type": "Build Started", source: "shipline" }),
    ]);
  });

  it("answers test-event-pattern as YAML with -o yaml", async () => {
    // Arrange
    const capture = captureIo(dir);

    // Act
    const code = await main(
      [
        "test-event-pattern",
        "--event-pattern",
        '{"source":["a"]}',
        "--event",
        '{"source":"a"}',
        "-o",
        "yaml",
      ],
      capture.io,
    );

    // Assert
    expect(code).toBe(0);
    expect(capture.stdout()).toBe("Result: true\n");
  });

  it("colours trace's marks on a terminal", async () => {
    // Arrange
    const terminal = terminalIo(dir, {});

    // Act
    const code = await main(["trace", "web"], terminal.io);

    // Assert
    expect(code).toBe(0);
    expect(terminal.stdout()).toContain("\u001b[32m✓\u001b[39m");
  });

  it.each([
    ["a terminal with NO_COLOR set", true, { NO_COLOR: "1" }],
    ["a terminal with TERM=dumb", true, { TERM: "dumb" }],
    ["a pipe", false, {}],
  ])("prints trace without colour on %s", async (_where, tty, env) => {
    // Arrange
    const terminal = tty ? terminalIo(dir, env) : undefined;
    const piped = captureIo(dir, env);

    // Act
    const code = await main(["trace", "web"], terminal?.io ?? piped.io);

    // Assert
    expect(code).toBe(0);
    const out = terminal?.stdout() ?? piped.stdout();
    expect(out).toContain("✓");
    expect(out).not.toContain("\u001b[");
  });
});
