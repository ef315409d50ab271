import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../../../functions/local/cli/main.js";
import { captureIo } from "../bus/capture-io.js";

const REPO_ROOT = path.resolve(__dirname, "../../../..");
/** A configuration whose config repository is on CodeCommit, not the local runtime. */
const AWS_CONFIG = path.join(REPO_ROOT, "test/fixtures/buildspec/shipline.config.yaml");
const LOCAL_CONFIG = path.join(REPO_ROOT, "shipline.config.yaml");

describe("shipline merge and shipline pulls", () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "shipline-merge-cli-"));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("refuses a config repository that is not the local runtime's, saying where to merge", async () => {
    // Arrange
    const capture = captureIo(dir);

    // Act
    const code = await main(["merge", "shop", "production", "--config", AWS_CONFIG], capture.io);

    // Assert
    expect(code).toBe(1);
    expect(capture.stderr()).toContain(
      "not one of the local runtime; review and merge its pull requests on its git host",
    );
  });

  it("tells that the local runtime is not running", async () => {
    // Arrange
    const capture = captureIo(dir);

    // Act
    const code = await main(
      ["pulls", "--config", LOCAL_CONFIG, "--data-dir", path.join(dir, "none")],
      capture.io,
    );

    // Assert
    expect(code).toBe(1);
    expect(capture.stderr()).toMatch(/^shipline pulls: .*(not running|shipline start|shipline dev)/m);
  });

  it.each([
    [["merge", "demo"], "expected 2 arguments"],
    [["merge", "Demo", "production"], "is not a Shipline name"],
    [["pulls", "extra"], "unexpected argument 'extra'"],
  ])("answers bad usage %j with exit 2", async (args, message) => {
    // Arrange
    const capture = captureIo(dir);

    // Act
    const code = await main(args, capture.io);

    // Assert
    expect(code).toBe(2);
    expect(capture.stderr()).toContain(message);
  });
});
