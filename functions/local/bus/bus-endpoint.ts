import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import * as z from "zod";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import { busLayout } from "./bus-layout.js";

/** The key of the bus URL in `<data-dir>/endpoints.json`. */
export const BUS_ENDPOINT_KEY = "bus";

const endpointsFile = z.record(z.string(), z.string());

/**
 * Reads the URL of the running local bus from `<data-dir>/endpoints.json` (key `bus`). Throws
 * `BUS_NOT_RUNNING` when the file or the key is missing.
 *
 * @example
 * ```ts
 * const url = await readBusEndpoint(".shipline");
 * ```
 */
export async function readBusEndpoint(dataDir: string): Promise<string> {
  const path = busLayout(dataDir).endpoints;
  const url = (await readEndpoints(path))[BUS_ENDPOINT_KEY];
  if (!url) {
    throw new ShiplineError({
      code: "BUS_NOT_RUNNING",
      message: `No local bus is recorded in ${path}; start the local runtime ('npm start') or pass --endpoint-url`,
      data: { path },
    });
  }
  return url;
}

/**
 * Records the bus URL in `<data-dir>/endpoints.json`, keeping the other services' entries.
 *
 * @example
 * ```ts
 * await recordBusEndpoint(".shipline", await server.start());
 * ```
 */
export async function recordBusEndpoint(dataDir: string, url: string): Promise<void> {
  const path = busLayout(dataDir).endpoints;
  const endpoints = { ...(await readEndpoints(path)), [BUS_ENDPOINT_KEY]: url };
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(endpoints, null, 2)}\n`, "utf8");
  await rename(temporary, path);
}

async function readEndpoints(path: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return {};
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ShiplineError({
      code: "ENDPOINTS_CORRUPT",
      message: `${path} is not valid JSON; delete it and restart the local runtime`,
      data: { path },
      cause: error,
    });
  }
  const parsed = endpointsFile.safeParse(json);
  if (!parsed.success) {
    throw new ShiplineError({
      code: "ENDPOINTS_CORRUPT",
      message: `${path} must map service names to URLs; delete it and restart the local runtime`,
      data: { path },
    });
  }
  return parsed.data;
}
