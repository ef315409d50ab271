import * as z from "zod";
import { ShiplineError } from "../core/errors/shipline-error.js";
import { EnvName } from "../core/topology/env-names.js";

const chartApps = z.array(z.string().min(1));

/**
 * Reads the apps that declare a chart ({@link EnvName.ChartApps}, a JSON array of app names) from
 * `build-status`'s environment, once at cold start. Throws a permanent `CONFIG_INVALID` naming the
 * variable when it is not set or not such an array.
 *
 * @example
 * ```ts
 * const chartApps = readChartApps(process.env); // Set { "shop" }
 * ```
 */
export function readChartApps(env: Readonly<Record<string, string | undefined>>): ReadonlySet<string> {
  const text = env[EnvName.ChartApps];
  let json: unknown;
  try {
    json = text === undefined ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = chartApps.safeParse(json);
  if (parsed.success) return new Set(parsed.data);
  const problem = `${EnvName.ChartApps}: ${text === undefined ? "is not set" : `${JSON.stringify(text)} is not a JSON array of app names`}`;
  throw new ShiplineError({
    code: "CONFIG_INVALID",
    message: `The function's environment is not usable: ${problem}; set it to ["<app>", ...], the apps with a chart`,
    data: { problems: [problem] },
    retryable: false,
  });
}
