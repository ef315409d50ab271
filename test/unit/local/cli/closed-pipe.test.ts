import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { endQuietlyOnClosedPipe } from "../../../../functions/local/cli/closed-pipe.js";

const REPO_ROOT = new URL("../../../../", import.meta.url).pathname;

/** An error as a stream reports it, with a system error code. */
function systemError(code: string): Error {
  return Object.assign(new Error(`write ${code}`), { code });
}

describe("endQuietlyOnClosedPipe", () => {
  it("ends with exit code 0 when the reader closed the pipe", () => {
    // Arrange
    const stream = new PassThrough();
    const codes: number[] = [];
    endQuietlyOnClosedPipe(stream, (code) => codes.push(code));

    // Act
    stream.emit("error", systemError("EPIPE"));

    // Assert
    expect(codes).toEqual([0]);
  });

  it("lets any other error of the stream through", () => {
    // Arrange
    const stream = new PassThrough();
    const codes: number[] = [];
    endQuietlyOnClosedPipe(stream, (code) => codes.push(code));

    // Act
    const emit = () => stream.emit("error", systemError("ENOSPC"));

    // Assert
    expect(emit).toThrow("write ENOSPC");
    expect(codes).toEqual([]);
  });
});

describe("shipline events | head -1", () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "shipline-pipe-"));
    const event = (index: number) =>
      JSON.stringify({
        archivedAt: "2026-03-01T12:00:00.000Z",
        event: {
          version: "0",
          id: `event-${index}`,
          "detail-type": "Build Started",
          source: "shipline",
          account: "000000000000",
          time: "2026-03-01T12:00:00Z",
          region: "local",
          resources: [],
          detail: { app: "web", commit: "0123456789abcdef0123456789abcdef01234567" },
        },
      });
    await mkdir(join(dir, "bus"), { recursive: true });
    await writeFile(
      join(dir, "bus", "archive.jsonl"),
      `${Array.from({ length: 20_000 }, (_, index) => event(index)).join("\n")}\n`,
    );
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("stops quietly with exit code 0 when head has read its line", async () => {
    // Arrange
    const script = `set -o pipefail; "${process.execPath}" bin/shipline.mjs events -o json --data-dir "${dir}" | head -1 >/dev/null`;

    // Act
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((done) => {
      const child = spawn("bash", ["-c", script], { cwd: REPO_ROOT, stdio: ["ignore", "ignore", "pipe"] });
      let text = "";
      child.stderr.on("data", (chunk) => {
        text += String(chunk);
      });
      child.on("close", (exitCode) => done({ code: exitCode, stderr: text }));
    });

    // Assert
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });
});
