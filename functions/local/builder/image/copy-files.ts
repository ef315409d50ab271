import path from "node:path";
import picomatch from "picomatch";
import { ShiplineError } from "../../../core/errors/shipline-error.js";
import type { BuildContext, ContextEntry } from "./build-context.js";
import type { LayerEntry } from "./tar-layer.js";

/** Options of {@link copyFiles}. */
export interface CopyFilesOptions {
  readonly context: BuildContext;
  /** The sources as written, relative to the context (globs allowed). */
  readonly sources: readonly string[];
  /** The destination, already absolute (relative ones resolved against WORKDIR). */
  readonly destination: string;
  /** `--chown=uid:gid` (numeric). */
  readonly owner?: { readonly uid: number; readonly gid: number };
  /** `--chmod=` permission bits for every file and directory copied. */
  readonly mode?: number;
  /** The Dockerfile line, for messages. */
  readonly line: number;
}

/**
 * The layer entries of one `COPY`, with Docker's rules: a directory source copies its contents, a
 * file source goes to `dest/<name>` when the destination ends with `/` (required for several sources
 * or a glob) and to `dest` otherwise; symbolic links are copied as links; files keep whether they
 * are executable (mode 0755 or 0644) unless `--chmod` says otherwise.
 *
 * @example
 * ```ts
 * const entries = await copyFiles({ context, sources: ["."], destination: "/app/", line: 3 });
 * ```
 */
export async function copyFiles(options: CopyFilesOptions): Promise<LayerEntry[]> {
  const { context, destination, line } = options;
  const matched = options.sources.flatMap((source) => matchSource(context, source, line));
  const many = options.sources.length > 1 || options.sources.some(isGlob);
  if (many && !destination.endsWith("/")) {
    throw copyError(line, `copies several sources to '${destination}'`, `end the destination with '/'`);
  }
  const entries: LayerEntry[] = [];
  for (const { root, isDirectory } of matched) {
    const below = isDirectory
      ? context.entries.filter((entry) => root === "" || entry.path.startsWith(`${root}/`))
      : [];
    if (isDirectory) {
      const target = destination.replace(/\/+$/, "") || "/";
      if (target !== "/") entries.push(directoryEntry(target, options));
      for (const entry of below) {
        const relative = root === "" ? entry.path : entry.path.slice(root.length + 1);
        entries.push(await entryOf(context, entry, path.posix.join(target, relative), options));
      }
      continue;
    }
    const entry = context.entries.find((candidate) => candidate.path === root);
    if (entry === undefined) continue;
    const target = destination.endsWith("/")
      ? path.posix.join(destination, path.posix.basename(root))
      : destination;
    entries.push(await entryOf(context, entry, target, options));
  }
  return entries;
}

function matchSource(
  context: BuildContext,
  source: string,
  line: number,
): { root: string; isDirectory: boolean }[] {
  const normalised = path.posix.normalize(source).replace(/^\/+|\/+$/g, "");
  if (normalised.startsWith("..")) {
    throw copyError(
      line,
      `copies '${source}', outside the build context`,
      "copy files from inside the context",
    );
  }
  const relative = normalised === "." ? "" : normalised;
  if (relative === "") return [{ root: "", isDirectory: true }];
  const candidates: readonly ContextEntry[] = isGlob(relative)
    ? context.entries.filter((entry) => picomatch(relative, { dot: true })(entry.path))
    : context.entries.filter((entry) => entry.path === relative);
  if (candidates.length === 0) {
    throw copyError(
      line,
      `copies '${source}', which is not in the build context (or .dockerignore excludes it)`,
      "check the path, the build context of the app and .dockerignore",
    );
  }
  return candidates.map((entry) => ({ root: entry.path, isDirectory: entry.kind === "directory" }));
}

async function entryOf(
  context: BuildContext,
  entry: ContextEntry,
  target: string,
  options: CopyFilesOptions,
): Promise<LayerEntry> {
  const owner = options.owner ?? { uid: 0, gid: 0 };
  if (entry.kind === "directory") return directoryEntry(target, options);
  if (entry.kind === "symlink") {
    return { kind: "symlink", path: target, target: await context.readLink(entry.path), ...owner };
  }
  const mode = options.mode ?? ((entry.mode & 0o111) !== 0 ? 0o755 : 0o644);
  return { kind: "file", path: target, mode, content: await context.read(entry.path), ...owner };
}

function directoryEntry(target: string, options: CopyFilesOptions): LayerEntry {
  const owner = options.owner ?? { uid: 0, gid: 0 };
  return { kind: "directory", path: target, mode: options.mode ?? 0o755, ...owner };
}

function isGlob(source: string): boolean {
  return /[*?[]/.test(source);
}

function copyError(line: number, what: string, fix: string): ShiplineError {
  return new ShiplineError({
    code: "DOCKERFILE_UNSUPPORTED",
    message: `Dockerfile line ${line}: COPY ${what}; ${fix}`,
    data: { line },
  });
}
