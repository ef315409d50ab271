import { join, resolve } from "node:path";
import { DEFAULT_DATA_DIR } from "../../bus/bus-layout.js";
import { runDemo } from "../../demo/run-demo.js";
import { type Command, UsageError } from "../command.js";
import { parseCommandArgs } from "../parse-command-args.js";
import { shiplinePackage } from "../shipline-package.js";

/** The log file of `shipline start`, in the data directory: runtime warnings and the steps' log lines. */
export const START_LOG_FILE = "shipline.log";

/**
 * `shipline start` (what `npm start` runs): the whole chain on this machine, with a sample app and
 * config repository created on first run and a first push shown live until production is verified.
 * Only the live lines reach the terminal: the steps' JSON log lines and the runtime's warnings go
 * to `<data-dir>/shipline.log`.
 *
 * @example
 * ```sh
 * shipline start --once   # exit 0 when production is verified, 1 with the reason otherwise
 * ```
 */
export const startCommand: Command = {
  name: "start",
  summary: "Run the whole chain locally with a demo app, and show each step live",
  usage: "shipline start [--once [--timeout 15m]] [--data-dir DIR] [--config FILE]",
  options: [
    { flag: "--once", text: "exit once production is verified (0) or the journey stops (1)" },
    { flag: "--timeout DURATION", text: "with --once: how long to wait, e.g. 90s or 15m (default 15m)" },
    { flag: "--data-dir DIR", text: "where the platform keeps its state and its log (default .shipline)" },
    { flag: "--config FILE", text: "the configuration (default shipline.config.yaml)" },
  ],
  details: `The steps' log lines and runtime warnings go to <data-dir>/${START_LOG_FILE}.`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      once: { type: "boolean" },
      "data-dir": { type: "string" },
      config: { type: "string" },
      timeout: { type: "string" },
    });
    io.env.POWERTOOLS_METRICS_DISABLED ??= "true";
    const timeout = values.timeout === undefined ? undefined : parseMinutes(values.timeout);
    const dataDir = resolve(io.cwd, values["data-dir"] ?? DEFAULT_DATA_DIR);
    const logFile = join(dataDir, START_LOG_FILE);
    const diverted = await io.divertStrayOutput?.(logFile);
    try {
      return await runDemo({
        dataDir,
        configFile: resolve(io.cwd, values.config ?? "shipline.config.yaml"),
        once: values.once ?? false,
        ...(timeout === undefined ? {} : { timeoutMs: timeout }),
        out: diverted?.stdout ?? io.stdout,
        err: diverted?.stderr ?? io.stderr,
        env: io.env,
        logFile,
        signal: io.signal,
        // An absolute command: the credential helper runs in the user's clone, outside this checkout,
        // where `npx shipline` would resolve to whatever the registry has under that name.
        cli: `node ${join(shiplinePackage().root, "bin", "shipline.mjs")}`,
      });
    } finally {
      await diverted?.restore();
    }
  },
};

function parseMinutes(text: string): number {
  const match = /^(\d+)(s|m)$/.exec(text);
  if (!match || Number(match[1]) === 0) {
    throw new UsageError(`--timeout '${text}' is not a duration: write e.g. 90s or 15m`);
  }
  return Number(match[1]) * (match[2] === "m" ? 60_000 : 1000);
}
