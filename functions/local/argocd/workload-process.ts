import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import type { OciImageConfig } from "../builder/image/oci-config.js";

/** A workload started from an unpacked image. */
export interface WorkloadProcess {
  readonly pid: number;
  /** The port it was told to listen on (`PORT`). */
  readonly port: number;
  /** The last lines it wrote (stdout and stderr), for messages. */
  output(): string;
  /** Resolves with the exit code once it has exited (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** Stops it: SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** Why an image cannot be started locally, as a kubelet's `CreateContainerError` would say. */
export class WorkloadStartError extends Error {
  override readonly name = "WorkloadStartError";
}

/** The variable that tells a workload its runtime's process id. */
const PARENT_PID_VARIABLE = "SHIPLINE_RUNTIME_PID";

/**
 * Loaded before a workload's own code: it ends the workload once the runtime that started it is
 * gone, even when the runtime was killed (`kill -9` leaves no chance to stop its children). The
 * timer is unref'd, so it never keeps a workload alive by itself.
 */
const PARENT_WATCHDOG = `data:text/javascript,${encodeURIComponent(
  `const parent = Number(process.env.${PARENT_PID_VARIABLE});
if (parent > 0) setInterval(() => { try { process.kill(parent, 0); } catch { process.exit(0); } }, 500).unref();`,
)}`;

/**
 * Starts an image's command as a local process, the stand-in's container: `Entrypoint` + `Cmd`
 * from the image config, run in `WorkingDir` under the unpacked `root`, with the image's `Env`
 * (but the host's `PATH`), `PORT` (a free port) and `HOST=127.0.0.1`. Only Node images run: the
 * command must start with `node`, which is the host's own Node (the daemonless builder records a
 * `node` base image without pulling it). Arguments that are absolute paths inside the image are
 * mapped under `root`.
 *
 * @example
 * ```ts
 * const running = await startWorkload({ config, root });
 * await fetch(`http://127.0.0.1:${running.port}/health`);
 * await running.stop();
 * ```
 */
export async function startWorkload(options: {
  readonly config: OciImageConfig;
  readonly root: string;
}): Promise<WorkloadProcess> {
  const runtime = options.config.config ?? {};
  const command = [...(runtime.Entrypoint ?? []), ...(runtime.Cmd ?? [])];
  const [program, ...args] = command;
  if (program === undefined) throw new WorkloadStartError("the image has no CMD or ENTRYPOINT");
  if (program !== "node" && !program.endsWith("/node")) {
    throw new WorkloadStartError(
      `only Node images run locally: the command starts with '${program}'; start it with node (CMD ["node", "server.js"])`,
    );
  }
  const inImage = (file: string) => path.join(options.root, ...file.split("/").filter((part) => part !== ""));
  const mapped = args.map((arg) => (arg.startsWith("/") && existsSync(inImage(arg)) ? inImage(arg) : arg));
  const cwd = inImage(runtime.WorkingDir ?? "/");
  const port = await freePort();
  const env: Record<string, string> = {};
  for (const pair of runtime.Env ?? []) {
    const equals = pair.indexOf("=");
    if (equals > 0) env[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  const child: ChildProcess = spawn(process.execPath, ["--import", PARENT_WATCHDOG, ...mapped], {
    cwd: existsSync(cwd) ? cwd : options.root,
    env: {
      ...env,
      PATH: process.env.PATH ?? "",
      PORT: String(port),
      HOST: "127.0.0.1",
      [PARENT_PID_VARIABLE]: String(process.pid),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(
      ...chunk
        .toString("utf8")
        .split("\n")
        .filter((line) => line.trim() !== ""),
    );
    lines.splice(0, Math.max(0, lines.length - 20));
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.once("error", () => resolve(-1));
  });
  if (child.pid === undefined) {
    await exited;
    throw new WorkloadStartError(`the command could not be started: ${lines.join(" | ")}`);
  }
  const pid = child.pid;
  return {
    pid,
    port,
    output: () => lines.join("\n"),
    exited,
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Probes a workload's readiness endpoint until it answers 2xx: true when it did before
 * `timeoutMs`, false when it did not or the process exited.
 *
 * @example
 * ```ts
 * const ready = await probeReadiness({ workload, path: "/health", timeoutMs: 30_000 });
 * ```
 */
export async function probeReadiness(options: {
  readonly workload: WorkloadProcess;
  readonly path: string;
  readonly timeoutMs: number;
  readonly intervalMs?: number;
}): Promise<boolean> {
  const until = Date.now() + options.timeoutMs;
  let exited = false;
  void options.workload.exited.then(() => {
    exited = true;
  });
  while (!exited && Date.now() < until) {
    try {
      const response = await fetch(`http://127.0.0.1:${options.workload.port}${options.path}`, {
        signal: AbortSignal.timeout(1000),
      });
      await response.arrayBuffer();
      if (response.ok) return true;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200));
  }
  return false;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
