import * as z from "zod";
import { commands, variantError } from "./fields.js";
import { repoPath } from "./repo-path.js";

/**
 * Where `{version}` comes from:
 * - `package-json`: the `version` field of a package.json (default `package.json` at the repo root);
 * - `file`: the trimmed content of a file such as `VERSION`.
 */
const versionSource = z.discriminatedUnion(
  "from",
  [
    z.strictObject({
      from: z.literal("package-json"),
      path: repoPath("the package.json path, e.g. package.json").default("package.json"),
    }),
    z.strictObject({
      from: z.literal("file"),
      path: repoPath("the version file's path, e.g. VERSION"),
    }),
  ],
  { error: variantError("from", ["package-json", "file"], "version: { from: package-json }") },
);

/** Where an app's version is read (output of the `build.version` schema). */
export type VersionSource = z.output<typeof versionSource>;

/**
 * Shipline's build contract for one app, run by CodeBuild (generated buildspec) and by the local
 * builder alike: install, test, build, then build the image from the Dockerfile, label it with the
 * source revision and push it.
 *
 * @example
 * ```ts
 * build.parse({ commands: { install: "npm ci", test: ["npm test"] } });
 * ```
 */
export const build = z
  .strictObject({
    /** Commands run in the source checkout; each key takes one command or a list. */
    commands: z
      .strictObject({
        /** Dependencies, e.g. `npm ci`. */
        install: commands(),
        /** Tests: a failure fails the build and nothing is pushed. */
        test: commands(),
        /** Compilation before the image build, e.g. `npm run build`. */
        build: commands(),
      })
      .prefault({}),
    /** The Dockerfile, relative to the source repo root. */
    dockerfile: repoPath("the Dockerfile's path, e.g. Dockerfile").default("Dockerfile"),
    /** The image build context, relative to the source repo root. */
    context: repoPath("the build context, e.g. . or services/api").default("."),
    /** Where `{version}` comes from; required when the tag template uses `{version}`. */
    version: versionSource.optional(),
  })
  .prefault({});

/** An app's build (output of {@link build}). */
export type BuildConfig = z.output<typeof build>;
