import { lstat, readdir, readFile, readlink } from "node:fs/promises";
import path from "node:path";
import picomatch from "picomatch";
import { ShiplineError } from "../../../core/errors/shipline-error.js";

/** A file of a chart directory, by its POSIX path relative to the directory. */
export interface ChartFile {
  readonly path: string;
  readonly content: Buffer;
  readonly mode: number;
}

/**
 * Reads the files of a chart directory as `helm package` takes them: every file under `root`
 * except those its `.helmignore` names (one pattern a line, `#` comments; a pattern without `/`
 * matches a name at any depth, one ending in `/` only directories, `*` and `?` within a name) and
 * the `.git` directory. Sorted by path.
 *
 * A symbolic link is not followed (a cycle would never end, and one that leads out of the chart
 * would pack files of the machine): unless `.helmignore` names it, it is refused with a permanent
 * `CHART_SYMLINK` that names it, `chartPath` (the directory as the configuration names it) first.
 *
 * @example
 * ```ts
 * const files = await readChartFiles("/build/src/charts/demo", "charts/demo");
 * files.map((file) => file.path); // ["Chart.yaml", "templates/deployment.yaml", "values.yaml"]
 * ```
 */
export async function readChartFiles(root: string, chartPath: string): Promise<ChartFile[]> {
  const ignored = await helmIgnore(root);
  const files: ChartFile[] = [];
  const walk = async (relative: string): Promise<void> => {
    for (const name of (await readdir(path.join(root, relative))).sort()) {
      const entry = relative === "" ? name : `${relative}/${name}`;
      const info = await lstat(path.join(root, entry));
      if (info.isSymbolicLink()) {
        if (ignored(entry, false) || ignored(entry, true)) continue;
        const target = await readlink(path.join(root, entry));
        throw new ShiplineError({
          code: "CHART_SYMLINK",
          message: `${chartPath}/${entry} is a symbolic link (to '${target}'), which a chart is not packed with; replace it with the file or directory it points to, or name it in ${chartPath}/.helmignore`,
          data: { chartPath, file: entry, target },
        });
      }
      if (info.isDirectory()) {
        if (name !== ".git" && !ignored(entry, true)) await walk(entry);
      } else if (info.isFile() && !ignored(entry, false)) {
        files.push({ path: entry, content: await readFile(path.join(root, entry)), mode: info.mode & 0o777 });
      }
    }
  };
  await walk("");
  return files;
}

async function helmIgnore(root: string): Promise<(entry: string, directory: boolean) => boolean> {
  const text = await readFile(path.join(root, ".helmignore"), "utf8").catch(() => "");
  const rules = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#") && !line.startsWith("!"))
    .map((line) => {
      const directoryOnly = line.endsWith("/");
      const pattern = line.replace(/^\/+|\/+$/g, "");
      const matches = picomatch(pattern, { dot: true, basename: !pattern.includes("/") });
      return { directoryOnly, matches };
    });
  return (entry, directory) =>
    rules.some((rule) => (!rule.directoryOnly || directory) && rule.matches(entry));
}
