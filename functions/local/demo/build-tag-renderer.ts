import fs from "node:fs";
import git from "isomorphic-git";
import * as z from "zod";
import { isManagedBuild } from "../../core/config/build.js";
import type { ShiplineConfig } from "../../core/config/shipline-config.js";
import { localRepositoryName } from "./seed-demo.js";

const packageVersion = z.looseObject({ version: z.string().min(1) });

/** What an OCI tag may hold. */
const OCI_TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

/** Options of {@link buildTagRenderer}. */
export interface BuildTagRendererOptions {
  readonly config: ShiplineConfig;
  /** The bare repository of a local git server repository, if it has one. */
  readonly gitDirOf: (repository: string) => Promise<string | undefined>;
}

/**
 * Completes the tag template `Build Started` carries (`{version}-681fa6f`) the way the build will:
 * reads the app's version (`build.version`: a package.json's `version`, or a file) at the pushed
 * commit in the local git server's repository, with `+` made `_` as in every tag. Answers
 * undefined when the app, its repository or its version file is not there, or the result is no
 * tag, so that the template is shown instead.
 *
 * @example
 * ```ts
 * const render = buildTagRenderer({ config, gitDirOf: async (name) => (await platform.git.getRepository(name))?.gitDir });
 * await render("demo", "681fa6f…", "{version}-681fa6f"); // "1.0.0-681fa6f"
 * ```
 */
export function buildTagRenderer(
  options: BuildTagRendererOptions,
): (app: string, commit: string, template: string) => Promise<string | undefined> {
  return async (appName, commit, template) => {
    const app = options.config.apps.find((candidate) => candidate.name === appName);
    const source = app !== undefined && isManagedBuild(app.build) ? app.build.version : undefined;
    const repository = app === undefined ? undefined : localRepositoryName(app.source.repo);
    if (source === undefined || repository === undefined) return undefined;
    const gitdir = await options.gitDirOf(repository);
    if (gitdir === undefined) return undefined;
    const { blob } = await git.readBlob({ fs, gitdir, oid: commit, filepath: source.path });
    const text = Buffer.from(blob).toString("utf8");
    const version = source.from === "file" ? text.trim() : versionOfPackage(text);
    if (version === undefined || version === "") return undefined;
    const tag = template.replaceAll("{version}", version.replaceAll("+", "_"));
    return OCI_TAG.test(tag) ? tag : undefined;
  };
}

function versionOfPackage(text: string): string | undefined {
  try {
    const parsed = packageVersion.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.version : undefined;
  } catch {
    return undefined;
  }
}
