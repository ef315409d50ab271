import type * as nodeFs from "node:fs";
import * as git from "isomorphic-git";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import type { ConfigFileWrite } from "../../core/ports/config-repository.js";

/** Options of {@link writeTreePath}. */
export interface WriteTreePathOptions {
  readonly fs: typeof nodeFs;
  readonly gitdir: string;
  /** isomorphic-git's object cache (pack indexes), shared across calls. */
  readonly cache: object;
  /** The tree to start from (the parent commit's root tree). */
  readonly tree: string;
  readonly files: readonly ConfigFileWrite[];
  /** Receives the sha of every blob and tree written (what a push must send). */
  readonly written?: string[];
}

interface DirectoryChange {
  readonly files: Map<string, string>;
  readonly directories: Map<string, DirectoryChange>;
}

/**
 * Writes new file contents into a git tree without a working tree: writes each blob, then
 * rewrites only the trees on the files' paths, bottom up, reusing every other entry as it is
 * (a 20,000-file repository costs as many tree reads as the paths are deep). File modes are kept;
 * a new file gets `100644`. Resolves with the new root tree's sha.
 *
 * @example
 * ```ts
 * const tree = await writeTreePath({ fs, gitdir, cache, tree: parent.tree, files: [{ path: "envs/dev/values.yaml", content }] });
 * ```
 */
export async function writeTreePath(options: WriteTreePathOptions): Promise<string> {
  const root: DirectoryChange = { files: new Map(), directories: new Map() };
  for (const file of options.files) {
    const parts = file.path.split("/");
    const name = parts.pop() ?? "";
    let node = root;
    for (const part of parts) {
      let child = node.directories.get(part);
      if (!child) {
        child = { files: new Map(), directories: new Map() };
        node.directories.set(part, child);
      }
      node = child;
    }
    node.files.set(name, file.content);
  }
  return rewrite(options, options.tree, root, "");
}

async function rewrite(
  options: WriteTreePathOptions,
  treeOid: string | undefined,
  change: DirectoryChange,
  prefix: string,
): Promise<string> {
  const { fs, gitdir, cache } = options;
  const entries = treeOid === undefined ? [] : (await git.readTree({ fs, gitdir, oid: treeOid, cache })).tree;
  const byName = new Map(entries.map((entry) => [entry.path, entry]));
  for (const [name, content] of change.files) {
    const existing = byName.get(name);
    if (existing !== undefined && existing.type !== "blob") conflict(`${prefix}${name}`, "a directory");
    const oid = await git.writeBlob({ fs, gitdir, blob: Buffer.from(content, "utf8") });
    options.written?.push(oid);
    byName.set(name, { mode: existing?.mode ?? "100644", path: name, oid, type: "blob" });
  }
  for (const [name, child] of change.directories) {
    const existing = byName.get(name);
    if (existing !== undefined && existing.type !== "tree") conflict(`${prefix}${name}`, "a file");
    const oid = await rewrite(options, existing?.oid, child, `${prefix}${name}/`);
    byName.set(name, { mode: "040000", path: name, oid, type: "tree" });
  }
  const oid = await git.writeTree({ fs, gitdir, tree: [...byName.values()] });
  options.written?.push(oid);
  return oid;
}

function conflict(path: string, what: string): never {
  throw new ShiplineError({
    code: "WRITER_PATH_CONFLICT",
    message: `${path} is ${what} in the config repository, so a file cannot be written there; fix the deploy target's file`,
    data: { path },
  });
}
