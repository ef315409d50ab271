import { lstat, readdir, readFile, readlink } from "node:fs/promises";
import path from "node:path";
import picomatch from "picomatch";

/** A file, directory or symbolic link of the build context, by its path relative to the context. */
export interface ContextEntry {
  /** POSIX path relative to the context root, e.g. `src/server.js`. */
  readonly path: string;
  readonly kind: "file" | "directory" | "symlink";
  /** Permission bits as stored on disk. */
  readonly mode: number;
}

/** The build context: its root and every entry `.dockerignore` lets through, sorted by path. */
export interface BuildContext {
  readonly root: string;
  readonly entries: readonly ContextEntry[];
  /** Reads a file of the context. */
  read(relative: string): Promise<Buffer>;
  /** The target of a symbolic link of the context. */
  readLink(relative: string): Promise<string>;
}

/**
 * Lists a build context as Docker sends it to the daemon: every entry under `root` except those
 * `.dockerignore` excludes (its patterns, `!` exceptions, later lines winning; `**` spans
 * directories). Entries are sorted, so that what is copied from it does not depend on the order a
 * file system lists them in.
 *
 * @example
 * ```ts
 * const context = await readBuildContext("/work/checkout");
 * context.entries.map((entry) => entry.path); // ["Dockerfile", "package.json", "src", "src/server.js"]
 * ```
 */
export async function readBuildContext(root: string): Promise<BuildContext> {
  const ignored = await ignoreMatcher(root);
  const entries: ContextEntry[] = [];
  const walk = async (relative: string): Promise<void> => {
    const names = (await readdir(path.join(root, relative))).sort();
    for (const name of names) {
      const child = relative === "" ? name : `${relative}/${name}`;
      if (ignored(child)) continue;
      const stat = await lstat(path.join(root, child));
      const kind = stat.isDirectory()
        ? "directory"
        : stat.isSymbolicLink()
          ? "symlink"
          : stat.isFile()
            ? "file"
            : undefined;
      if (kind === undefined) continue;
      entries.push({ path: child, kind, mode: stat.mode & 0o7777 });
      if (kind === "directory") await walk(child);
    }
  };
  await walk("");
  return {
    root,
    entries,
    read: (relative) => readFile(path.join(root, relative)),
    readLink: (relative) => readlink(path.join(root, relative)),
  };
}

async function ignoreMatcher(root: string): Promise<(relative: string) => boolean> {
  let text: string;
  try {
    text = await readFile(path.join(root, ".dockerignore"), "utf8");
  } catch {
    return () => false;
  }
  const rules = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const negated = line.startsWith("!");
      const pattern = path.posix.normalize((negated ? line.slice(1) : line).trim()).replace(/^\/+|\/+$/g, "");
      return { negated, matches: picomatch(pattern, { dot: true }) };
    });
  return (relative) => {
    let excluded = false;
    const prefixes = relative.split("/").map((_, index, parts) => parts.slice(0, index + 1).join("/"));
    for (const rule of rules) {
      // A pattern that matches a parent directory excludes everything below it.
      if (prefixes.some((prefix) => rule.matches(prefix))) excluded = !rule.negated;
    }
    return excluded;
  };
}
