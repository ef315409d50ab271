import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { type LayerEntry, sha256Of, tarLayer } from "../../../../functions/local/builder/image/tar-layer.js";

const dirs: string[] = [];

afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const ENTRIES: LayerEntry[] = [
  { kind: "file", path: "/app/server.js", mode: 0o644, content: Buffer.from("console.log('hi');\n") },
  { kind: "file", path: "/app/bin/start", mode: 0o755, content: Buffer.from("#!/bin/sh\n") },
  { kind: "symlink", path: "/app/current", target: "server.js" },
];

describe("tarLayer", () => {
  it("gives the same bytes and digests for the same entries in any order", () => {
    // Act
    const first = tarLayer(ENTRIES);
    const second = tarLayer([...ENTRIES].reverse());

    // Assert
    expect(second.digest).toBe(first.digest);
    expect(second.diffId).toBe(first.diffId);
    expect(first.digest).toBe(sha256Of(first.blob));
    expect(first.diffId).toBe(sha256Of(gunzipSync(first.blob)));
  });

  it("changes its digest when a file's content changes", () => {
    // Act
    const changed = tarLayer([
      { ...ENTRIES[0], content: Buffer.from("changed\n") } as LayerEntry,
      ...ENTRIES.slice(1),
    ]);

    // Assert
    expect(changed.digest).not.toBe(tarLayer(ENTRIES).digest);
  });

  it("writes a tar that GNU tar reads: parents added, sorted, owner 0, mtime 0, long paths kept", async () => {
    // Arrange
    const dir = await mkdtemp(path.join(os.tmpdir(), "shipline-tar-"));
    dirs.push(dir);
    const longPath = `/app/${"deep/".repeat(40)}file.txt`;
    const layer = tarLayer([
      ...ENTRIES,
      { kind: "file", path: longPath, mode: 0o644, content: Buffer.from("x") },
    ]);
    const file = path.join(dir, "layer.tar.gz");
    await writeFile(file, layer.blob);

    // Act
    const listing = execFileSync("tar", ["--numeric-owner", "--full-time", "-tvzf", file], {
      encoding: "utf8",
      env: { ...process.env, TZ: "UTC" },
    });

    // Assert
    const lines = listing.trim().split("\n");
    expect(lines.map((line) => line.split(/\s+/).slice(5).join(" "))).toEqual([
      "app/",
      "app/bin/",
      "app/bin/start",
      "app/current -> server.js",
      "app/deep/",
      ...Array.from({ length: 39 }, (_, index) => `app/${"deep/".repeat(index + 2)}`),
      longPath.slice(1),
      "app/server.js",
    ]);
    expect(lines[2]).toMatch(/^-rwxr-xr-x 0\/0 +10 1970-01-01 00:00:00 app\/bin\/start$/);
  });

  it("refuses a path that leaves the image root", () => {
    // Act & Assert
    expect(() => tarLayer([{ kind: "directory", path: "/app/../../etc", mode: 0o755 }])).toThrow(
      /not a path inside the image/,
    );
  });
});
