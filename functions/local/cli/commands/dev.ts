import { resolve } from "node:path";
import { DEFAULT_DATA_DIR } from "../../bus/bus-layout.js";
import type { LocalEndpoints } from "../../runtime/endpoints-file.js";
import { startLocalPlatform } from "../../runtime/local-platform.js";
import type { Command } from "../command.js";
import { parseCommandArgs } from "../parse-command-args.js";

/**
 * `shipline dev`: starts the embedded platform (bus, git server, token exchange, registry,
 * webhook endpoint, store), writes `<data-dir>/endpoints.json`, prints the URLs, and runs until
 * SIGINT or SIGTERM, then stops every part it started.
 *
 * @example
 * ```sh
 * shipline dev --data-dir .shipline
 * ```
 */
export const devCommand: Command = {
  name: "dev",
  summary: "Run the local platform (bus, git server, token exchange, registry, webhook endpoint)",
  usage: "shipline dev [--data-dir DIR]",
  options: [{ flag: "--data-dir DIR", text: "where the platform keeps its state (default .shipline)" }],
  async run(args, io) {
    const { values } = parseFlags(args);
    const dataDir = resolve(io.cwd, values["data-dir"] ?? DEFAULT_DATA_DIR);
    // Powertools metrics print EMF lines to stdout; locally they only clutter the timeline.
    io.env.POWERTOOLS_METRICS_DISABLED ??= "true";
    const platform = await startLocalPlatform({
      dataDir,
      onError: (error) =>
        io.stderr.write(`shipline dev: ${error instanceof Error ? error.message : String(error)}\n`),
    });
    io.stdout.write(describeEndpoints(dataDir, platform.endpoints));
    await new Promise<void>((done) => {
      if (io.signal.aborted) done();
      else io.signal.addEventListener("abort", () => done(), { once: true });
    });
    io.stdout.write("Stopping the local platform...\n");
    await platform.stop();
    io.stdout.write("Stopped.\n");
    return 0;
  },
};

function parseFlags(args: readonly string[]) {
  return parseCommandArgs(args, { "data-dir": { type: "string" } });
}

/**
 * The table `shipline dev` prints once everything is up.
 *
 * @example
 * ```ts
 * io.stdout.write(describeEndpoints(".shipline", endpoints));
 * ```
 */
export function describeEndpoints(dataDir: string, endpoints: LocalEndpoints): string {
  const rows: [string, string][] = [
    ["event bus (PutEvents)", endpoints.bus],
    ["git server", `${endpoints.git}/<repository>.git`],
    ["webhook endpoint", endpoints.webhook],
    ["OCI registry", endpoints.registry],
    ["OIDC issuer", endpoints.oidc],
    ["token exchange", `${endpoints.oidc}/token`],
    ["STS stand-in", endpoints.webIdentityToken],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  const lines = rows.map(([name, url]) => `  ${name.padEnd(width)}  ${url}`);
  return [
    "Shipline local platform is running.",
    ...lines,
    `  ${"data directory".padEnd(width)}  ${dataDir}`,
    `Endpoints are in ${dataDir}/endpoints.json. Press Ctrl+C to stop.`,
    "",
  ].join("\n");
}
