import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { COMMANDS } from "../../../../functions/local/cli/command-list.js";
import { main } from "../../../../functions/local/cli/main.js";
import { captureIo } from "../bus/capture-io.js";

const NAMES = COMMANDS.map((command) => command.name);

describe("shipline help", () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "shipline-help-"));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(["--help", "-h", "help"])("lists every command with %s and exits 0", async (flag) => {
    // Arrange
    const capture = captureIo(dir);

    // Act
    const code = await main([flag], capture.io);

    // Assert
    expect(code).toBe(0);
    expect(capture.stdout()).toMatch(/^usage: shipline <command> \[options\]/);
    for (const name of NAMES) expect(capture.stdout()).toMatch(new RegExp(`^ {2}${name} `, "m"));
    expect(capture.stderr()).toBe("");
  });

  it.each(
    NAMES.flatMap((name) => [
      [name, "--help"],
      [name, "-h"],
      ["help", name],
    ]),
  )("prints the usage and flags of '%s %s' and exits 0, running nothing", async (first, second) => {
    // Arrange
    const capture = captureIo(dir);
    const name = first === "help" ? second : first;

    // Act
    const code = await main([first, second], capture.io);

    // Assert
    expect(code).toBe(0);
    expect(capture.stdout()).toMatch(new RegExp(`^usage: shipline ${name}\\b`));
    expect(capture.stdout()).toContain("\noptions:\n");
    expect(capture.stdout()).toMatch(/^ {2}-h, --help +show this help$/m);
    expect(capture.stderr()).toBe("");
  });

  it("answers --help after other arguments, even bad ones", async () => {
    // Arrange
    const capture = captureIo(dir);

    // Act
    const code = await main(["approve", "Not An App", "--nope", "--help"], capture.io);

    // Assert
    expect(code).toBe(0);
    expect(capture.stdout()).toMatch(/^usage: shipline approve <app> <env> <digest>/);
  });

  it("lists each command under the summary its own help shows", async () => {
    // Act
    const loaded = await Promise.all(COMMANDS.map(async (entry) => ({ entry, command: await entry.load() })));

    // Assert
    for (const { entry, command } of loaded) {
      expect(command.name).toBe(entry.name);
      expect(command.summary).toBe(entry.summary);
      expect(command.usage).toMatch(new RegExp(`^shipline ${entry.name}\\b`));
    }
  });

  it("says which command does not exist, and the closest one, with exit code 2", async () => {
    // Arrange
    const capture = captureIo(dir);

    // Act
    const code = await main(["help", "stauts"], capture.io);

    // Assert
    expect(code).toBe(2);
    expect(capture.stderr()).toBe(
      "shipline help: no command is named 'stauts'; did you mean 'status'? Run 'shipline --help' for the commands.\n",
    );
  });
});

describe("shipline --version", () => {
  it.each([["--version"], ["version"]])("prints the package's version with %s", async (flag) => {
    // Arrange
    const capture = captureIo("/");
    const manifest: unknown = JSON.parse(
      await readFile(new URL("../../../../package.json", import.meta.url), "utf8"),
    );
    const version =
      typeof manifest === "object" && manifest !== null && "version" in manifest
        ? manifest.version
        : undefined;

    // Act
    const code = await main([flag], capture.io);

    // Assert
    expect(code).toBe(0);
    expect(capture.stdout()).toBe(`shipline ${String(version)}\n`);
  });
});
