import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { divertStrayOutput } from "../../../../functions/local/cli/stray-output.js";

describe("divertStrayOutput", () => {
  let dir: string;
  let originalWrite: typeof process.stdout.write;
  let terminal: string[];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "shipline-stray-"));
    originalWrite = process.stdout.write;
    terminal = [];
    // Stands in for the terminal, so that nothing reaches the test runner's own output.
    process.stdout.write = ((chunk: Uint8Array | string, ...rest: unknown[]) => {
      terminal.push(String(chunk));
      const done = rest.find((item) => typeof item === "function");
      if (typeof done === "function") done();
      return true;
    }) as typeof process.stdout.write;
  });

  afterEach(async () => {
    process.stdout.write = originalWrite;
    await rm(dir, { recursive: true, force: true });
  });

  it("sends stray lines and warnings to the log file and the command's lines to the terminal", async () => {
    // Arrange
    const logFile = join(dir, "data", "shipline.log");
    const diverted = await divertStrayOutput(logFile);

    // Act
    process.stdout.write('{"level":"WARN","message":"a step logs JSON"}\n');
    process.emitWarning("NodeVersionSupportWarning: upgrade node");
    await new Promise((done) => setImmediate(done));
    await new Promise<void>((done) =>
      diverted.stdout.write("12:00:00 · demo@681fa6f  Build Started\n", () => done()),
    );
    await diverted.restore();
    process.stdout.write("after restore\n");

    // Assert
    const log = await readFile(logFile, "utf8");
    expect(log).toContain('{"level":"WARN","message":"a step logs JSON"}\n');
    expect(log).toMatch(/ Warning: NodeVersionSupportWarning: upgrade node\n/);
    expect(terminal).toEqual(["12:00:00 · demo@681fa6f  Build Started\n", "after restore\n"]);
  });
});
