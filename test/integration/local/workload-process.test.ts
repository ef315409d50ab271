import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const TSX_LOADER = pathToFileURL(require.resolve("tsx/esm")).href;
const WORKLOAD_MODULE = fileURLToPath(
  new URL("../../../functions/local/argocd/workload-process.ts", import.meta.url),
);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("a workload started by the Argo CD stand-in", () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "shipline-workload-"));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("ends when the runtime that started it is killed with SIGKILL", async () => {
    // Arrange: a runtime stand-in that starts a workload, prints its pid and stays up.
    const root = path.join(dir, "rootfs");
    await mkdir(root);
    await writeFile(
      path.join(root, "server.js"),
      'require("node:http").createServer((q, s) => s.end("ok")).listen(Number(process.env.PORT), "127.0.0.1");\n',
    );
    const runtime = path.join(dir, "runtime.mts");
    await writeFile(
      runtime,
      `import { startWorkload } from ${JSON.stringify(WORKLOAD_MODULE)};
const workload = await startWorkload({ config: { config: { Cmd: ["node", "/server.js"] } }, root: ${JSON.stringify(root)} });
console.log(workload.pid);
setInterval(() => {}, 1000);
`,
    );
    // One process, so that SIGKILL reaches the very process that started the workload.
    const parent = spawn(process.execPath, ["--import", TSX_LOADER, runtime], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const pid = await new Promise<number>((resolve, reject) => {
      parent.stdout.once("data", (chunk: Buffer) => resolve(Number(chunk.toString("utf8").trim())));
      parent.once("exit", () =>
        reject(new Error("the runtime stand-in exited before starting the workload")),
      );
    });
    const runningBefore = alive(pid);

    // Act
    parent.kill("SIGKILL");
    const until = Date.now() + 10_000;
    while (alive(pid) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));

    // Assert
    expect(runningBefore).toBe(true);
    expect(alive(pid)).toBe(false);
  });
});
