import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseConfig } from "../../core/config/parse-config.js";
import type { ShiplineConfig } from "../../core/config/shipline-config.js";
import { ShiplineError } from "../../core/errors/shipline-error.js";

/** The file name Shipline looks for when no other is given. */
export const CONFIG_FILE_NAME = "shipline.config.yaml";

/**
 * Reads and validates a `shipline.config.yaml`. A missing file is a `CONFIG_NOT_FOUND` error that
 * names the path and how to create one; an unreadable file is `CONFIG_UNREADABLE`; an invalid one
 * is the `CONFIG_INVALID` error of `parseConfig`, naming the file as given. All are permanent.
 *
 * @example
 * ```ts
 * const config = await loadConfigFile(path.join(process.cwd(), CONFIG_FILE_NAME));
 * ```
 */
export async function loadConfigFile(file: string): Promise<ShiplineConfig> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw readError(file, error);
  }
  return parseConfig(text, file);
}

function readError(file: string, error: unknown): ShiplineError {
  const code = error instanceof Error && "code" in error ? String(error.code) : "UNKNOWN";
  if (code === "ENOENT") {
    return new ShiplineError({
      code: "CONFIG_NOT_FOUND",
      message:
        `no configuration file at ${file}; create ${path.basename(file) === CONFIG_FILE_NAME ? "it" : CONFIG_FILE_NAME} ` +
        "by copying the example shipline.config.yaml at the root of the Shipline repository and " +
        "editing its apps and environments, or pass the path of an existing one",
      data: { file },
      retryable: false,
      cause: error,
    });
  }
  const fix =
    code === "EISDIR"
      ? `point at the file inside it, e.g. ${path.join(file, CONFIG_FILE_NAME)}`
      : "check that the file exists and is readable by this user";
  return new ShiplineError({
    code: "CONFIG_UNREADABLE",
    message: `cannot read the configuration file ${file} (${code}); ${fix}`,
    data: { file, errorCode: code },
    retryable: false,
    cause: error,
  });
}
