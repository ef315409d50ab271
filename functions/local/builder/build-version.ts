import { readFile } from "node:fs/promises";
import path from "node:path";
import * as z from "zod";
import { ShiplineError } from "../../core/errors/shipline-error.js";

const packageJson = z.looseObject({ version: z.string().min(1) });

/**
 * Reads an app's `{version}` from its checkout, as the build contract says (`SHIPLINE_VERSION_FROM`,
 * `SHIPLINE_VERSION_PATH`): the `version` of a package.json, or the trimmed content of a file.
 * Throws a permanent `BUILD_VERSION_MISSING` naming the file and the fix.
 *
 * @example
 * ```ts
 * await readBuildVersion({ sourceDir, from: "package-json", file: "package.json" }); // "1.4.0"
 * ```
 */
export async function readBuildVersion(options: {
  readonly sourceDir: string;
  readonly from: string;
  readonly file: string;
}): Promise<string> {
  const full = path.resolve(options.sourceDir, options.file);
  if (!full.startsWith(path.resolve(options.sourceDir) + path.sep))
    throw missing(options.file, "is outside the checkout");
  let text: string;
  try {
    text = await readFile(full, "utf8");
  } catch {
    throw missing(options.file, "is not in the checkout");
  }
  if (options.from === "file") {
    const version = text.trim();
    if (version === "") throw missing(options.file, "is empty");
    return version;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw missing(options.file, "is not JSON");
  }
  const parsed = packageJson.safeParse(json);
  if (!parsed.success) throw missing(options.file, 'has no "version" string');
  return parsed.data.version;
}

function missing(file: string, what: string): ShiplineError {
  return new ShiplineError({
    code: "BUILD_VERSION_MISSING",
    message: `the version file '${file}' ${what}; add it, or point build.version at the file that holds the version`,
    data: { file },
  });
}
