import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../../../functions/local/cli/main.js";
import { fixturePath } from "../../../read-fixture.js";
import { captureIo } from "../bus/capture-io.js";

describe("shipline test-event-pattern", () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "shipline-tep-"));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("prints Result true for a matching event read from a file and exits 0", async () => {
    // Arrange
    const capture = captureIo(dir);
    const pattern = '{"source":["aws.ecr"],"detail":{"action-type":["PUSH"],"result":["SUCCESS"]}}';
    const event = `file://${fixturePath("aws/ecr-image-action.push.json")}`;

    // Act
    const code = await main(["test-event-pattern", "--event-pattern", pattern, "--event", event], capture.io);

    // Assert
    expect(code).toBe(0);
    expect(JSON.parse(capture.stdout())).toEqual({ Result: true });
  });

  it("prints Result false for an event that does not match", async () => {
    // Arrange
    const capture = captureIo(dir);
    await writeFile(join(dir, "pattern.json"), '{"detail":{"n":[{"numeric":[">",10]}]}}');

    // Act
    const code = await main(
      ["test-event-pattern", "--event-pattern", "file://pattern.json", "--event", '{"detail":{"n":"11"}}'],
      capture.io,
    );

    // Assert
    expect(code).toBe(0);
    expect(JSON.parse(capture.stdout())).toEqual({ Result: false });
  });

  it("exits 2 with EventBridge's reason for an invalid pattern", async () => {
    // Arrange
    const capture = captureIo(dir);

    // Act
    const code = await main(
      ["test-event-pattern", "--event-pattern", '{"a":[{"wildcard":"x**"}]}', "--event", "{}"],
      capture.io,
    );

    // Assert
    expect(code).toBe(2);
    expect(capture.stdout()).toBe("");
    expect(capture.stderr()).toContain("(InvalidEventPatternException)");
    expect(capture.stderr()).toContain('Consecutive wildcard characters at pos 2 of "x**"');
  });

  it("exits 2 with the usage when a flag is missing", async () => {
    // Arrange
    const capture = captureIo(dir);

    // Act
    const code = await main(["test-event-pattern", "--event", "{}"], capture.io);

    // Assert
    expect(code).toBe(2);
    expect(capture.stderr()).toContain("--event-pattern is required");
    expect(capture.stderr()).toContain("usage: shipline test-event-pattern");
  });

  it("exits 2 for an unknown flag", async () => {
    // Arrange
    const capture = captureIo(dir);

    // Act
    const code = await main(["test-event-pattern", "--pattern", "{}"], capture.io);

    // Assert
    expect(code).toBe(2);
    expect(capture.stderr()).toContain("--pattern");
  });

  it("exits 2 when the event is not JSON", async () => {
    // Arrange
    const capture = captureIo(dir);

    // Act
    const code = await main(
      ["test-event-pattern", "--event-pattern", '{"a":[1]}', "--event", "{nope"],
      capture.io,
    );

    // Assert
    expect(code).toBe(2);
    expect(capture.stderr()).toContain("--event is not valid JSON");
  });
});
