import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DEFAULT_DATA_DIR } from "../../bus/bus-layout.js";
import { runDemo } from "../../demo/run-demo.js";
import { type Command, UsageError } from "../command.js";

/**
 * `shipline start` (what `npm start` runs): the whole chain on this machine, with a sample app and
 * config repository created on first run and a first push shown live until production is verified.
 *
 * @example
 * ```sh
 * shipline start --once   # exit 0 when production is verified, 1 with the reason otherwise
 * ```
 */
export const startCommand: Command = {
  name: "start",
  summary: "Run the whole chain locally with a demo app, and show each step live",
  usage: "shipline start [--once] [--data-dir DIR] [--config FILE] [--timeout 15m]",
  async run(args, io) {
    const { values } = parseFlags(args);
    io.env.POWERTOOLS_METRICS_DISABLED ??= "true";
    const timeout = values.timeout === undefined ? undefined : parseMinutes(values.timeout);
    return runDemo({
      dataDir: resolve(io.cwd, values["data-dir"] ?? DEFAULT_DATA_DIR),
      configFile: resolve(io.cwd, values.config ?? "shipline.config.yaml"),
      once: values.once ?? false,
      ...(timeout === undefined ? {} : { timeoutMs: timeout }),
      out: io.stdout,
      err: io.stderr,
      signal: io.signal,
      // An absolute command: the credential helper runs in the user's clone, outside this checkout,
      // where `npx shipline` would resolve to whatever the registry has under that name.
      cli: `node ${fileURLToPath(new URL("../../../../bin/shipline.mjs", import.meta.url))}`,
    });
  },
};

function parseFlags(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      options: {
        once: { type: "boolean" },
        "data-dir": { type: "string" },
        config: { type: "string" },
        timeout: { type: "string" },
      },
      allowPositionals: false,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function parseMinutes(text: string): number {
  const match = /^(\d+)(s|m)$/.exec(text);
  if (!match) throw new UsageError(`--timeout takes a duration such as 90s or 15m, got '${text}'`);
  return Number(match[1]) * (match[2] === "m" ? 60_000 : 1000);
}
