import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Shipline's own package: its directory and version. */
export interface ShiplinePackage {
  /** The directory of Shipline's package.json (the checkout). */
  readonly root: string;
  readonly version: string;
}

/**
 * Finds Shipline's package.json upwards from a module (this one by default), from the TypeScript
 * sources and from the compiled CLI in `dist/` alike. Throws when there is none, which only a
 * broken checkout can cause.
 *
 * @example
 * ```ts
 * shiplinePackage().version; // "0.1.0"
 * ```
 */
export function shiplinePackage(from: string = import.meta.url): ShiplinePackage {
  let directory = dirname(from.startsWith("file:") ? fileURLToPath(from) : from);
  for (;;) {
    const found = readManifest(join(directory, "package.json"));
    if (found?.name === "shipline") return { root: directory, version: found.version };
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`no package.json of shipline above ${from}`);
    directory = parent;
  }
}

/** Reads a package.json's name and version (no zod: `--version` loads as little as it can). */
function readManifest(file: string): { readonly name: string; readonly version: string } | undefined {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
  if (typeof json !== "object" || json === null || !("name" in json) || !("version" in json))
    return undefined;
  const { name, version } = json;
  return typeof name === "string" && typeof version === "string" ? { name, version } : undefined;
}
