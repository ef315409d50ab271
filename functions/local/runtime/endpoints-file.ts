import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import * as z from "zod";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import { busLayout } from "../bus/bus-layout.js";

/** The URLs of a running local runtime, as written to `<data-dir>/endpoints.json`. */
export const localEndpoints = z.object({
  /** The local bus, speaking EventBridge's PutEvents protocol. */
  bus: z.string().url(),
  /** The git server: clone URLs are `<git>/<name>.git`. */
  git: z.string().url(),
  /** The webhook step's Function URL stand-in, which the git server posts push webhooks to. */
  webhook: z.string().url(),
  /** The OCI registry (distribution API, plain HTTP). */
  registry: z.string().url(),
  /** The OIDC issuer; its RFC 8693 token endpoint is `<oidc>/token`. */
  oidc: z.string().url(),
  /** The stand-in of STS GetWebIdentityToken. */
  webIdentityToken: z.string().url(),
  /** The process id of the runtime that wrote the file (a string, as every entry of the file). */
  pid: z.string().regex(/^\d+$/),
});

/** The URLs of a running local runtime. */
export type LocalEndpoints = z.infer<typeof localEndpoints>;

/**
 * Writes `<data-dir>/endpoints.json` atomically.
 *
 * @example
 * ```ts
 * await writeEndpoints(".shipline", endpoints);
 * ```
 */
export async function writeEndpoints(dataDir: string, endpoints: LocalEndpoints): Promise<void> {
  const path = busLayout(dataDir).endpoints;
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(endpoints, null, 2)}\n`, "utf8");
  await rename(temporary, path);
}

/**
 * Reads `<data-dir>/endpoints.json` of a running local runtime. Throws `RUNTIME_NOT_RUNNING` when
 * there is none and `RUNTIME_ENDPOINTS_INVALID` when the file is damaged.
 *
 * @example
 * ```ts
 * const { git } = await readEndpoints(".shipline");
 * ```
 */
export async function readEndpoints(dataDir: string): Promise<LocalEndpoints> {
  const path = busLayout(dataDir).endpoints;
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ShiplineError({
      code: "RUNTIME_NOT_RUNNING",
      message: `No local runtime is recorded in ${path}; start it with 'npm start' (or 'shipline dev --data-dir ${dataDir}')`,
      data: { path },
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    json = undefined;
    void error;
  }
  const parsed = localEndpoints.safeParse(json);
  if (!parsed.success) {
    throw new ShiplineError({
      code: "RUNTIME_ENDPOINTS_INVALID",
      message: `${path} is not a valid endpoints file; stop the runtime, delete the file and start it again`,
      data: { path },
    });
  }
  return parsed.data;
}

/**
 * Removes the runtime's entries when it stops, so that CLI commands say it is not running.
 *
 * @example
 * ```ts
 * await clearEndpoints(".shipline");
 * ```
 */
export async function clearEndpoints(dataDir: string): Promise<void> {
  const path = busLayout(dataDir).endpoints;
  await writeFile(path, "{}\n", "utf8").catch(() => undefined);
}
