import * as z from "zod";
import { commands, flag, isRecord, show, variantError } from "./fields.js";
import { repoPath } from "./repo-path.js";
import { didYouMean, say } from "./say.js";

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

/** The one word that turns the managed build off: `build: external`. */
export const EXTERNAL_BUILD = "external";

const MANAGED_KEYS = ["commands", "dockerfile", "context", "version"] as const;

/** Shipline's build contract (see {@link build}), with `external` as the mapping form of `build: external`. */
const buildFields = z.strictObject(
  {
    /** `true` is the same as `build: external`; nothing else may be set then. */
    external: flag(false),
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
  },
  {
    error: (issue) =>
      issue.code === "invalid_type"
        ? say(
            `${show(issue.input)} is not a build`,
            typeof issue.input === "string" && didYouMean(issue.input, [EXTERNAL_BUILD]) !== undefined
              ? "did you mean build: external?"
              : "write build: external for an app its own CI builds, or a mapping such as build: { commands: { test: npm test } }",
          )
        : undefined,
  },
);

/** A build Shipline runs itself: CodeBuild's generated buildspec, or the local builder. */
export interface ManagedBuildConfig {
  readonly external?: false;
  readonly commands: {
    readonly install: readonly string[];
    readonly test: readonly string[];
    readonly build: readonly string[];
  };
  readonly dockerfile: string;
  readonly context: string;
  readonly version?: VersionSource;
}

/** A build the app's own CI runs: Shipline only takes the images it announces. */
export interface ExternalBuildConfig {
  readonly external: true;
}

/**
 * An app's build. By default Shipline's build contract, run by CodeBuild (generated buildspec) and
 * by the local builder alike: install, test, build, then build the image from the Dockerfile, label
 * it with the source revision and push it. `build: external` (or `build: { external: true }`) turns
 * it off for an app its own CI (Jenkins, GitHub Actions, Azure DevOps...) builds and pushes: it gets
 * no build project, `start-build` starts nothing for it, and its images enter the chain when they
 * are announced, as the app's `accept` policy allows.
 *
 * @example
 * ```ts
 * build.parse({ commands: { install: "npm ci", test: ["npm test"] } });
 * build.parse("external"); // { external: true }
 * ```
 */
export const build = z
  .preprocess((value, ctx) => {
    if (value === EXTERNAL_BUILD) return { external: true };
    if (isRecord(value) && value.external === true) {
      for (const key of MANAGED_KEYS.filter((name) => value[name] !== undefined)) {
        ctx.issues.push({
          code: "custom",
          path: [key],
          input: value[key],
          message: say(
            `is set, but the build is external (its CI builds the image)`,
            `remove build.${key}, or remove external: true to let Shipline build the app`,
          ),
        });
      }
    }
    return value ?? {};
  }, buildFields)
  .transform(({ external, ...managed }): ManagedBuildConfig | ExternalBuildConfig =>
    external ? { external: true } : managed,
  );

/** An app's build (output of {@link build}): managed, or `{ external: true }`. */
export type BuildConfig = z.output<typeof build>;

/**
 * Whether Shipline builds the app itself, as a type guard on its build.
 *
 * @example
 * ```ts
 * if (isManagedBuild(app.build)) renderBuildspec(app.build);
 * ```
 */
export function isManagedBuild(config: BuildConfig): config is ManagedBuildConfig {
  return config.external !== true;
}
