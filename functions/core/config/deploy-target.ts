import * as z from "zod";
import { choice, text, variantError } from "./fields.js";
import { repoPath } from "./repo-path.js";
import { say } from "./say.js";

/**
 * What a deploy target writes:
 * - `tag`: `1.4.0-0123456`
 * - `digest`: `sha256:…`
 * - `tag+digest`: `1.4.0-0123456@sha256:…` (Kustomize: `newTag` and `digest`)
 * - `repository+tag`: `<repository>:1.4.0-0123456` (Kustomize: `newName` and `newTag`)
 */
export const WRITE_FIELDS = ["tag", "digest", "tag+digest", "repository+tag"] as const;

/** One of {@link WRITE_FIELDS}. */
export type WriteField = (typeof WRITE_FIELDS)[number];

const file = repoPath("the file in the config repo, e.g. envs/staging/values.yaml");

const application = z
  .string({ error: say("is not text", "write the Argo CD application's name, e.g. demo-staging") })
  .regex(/^(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?\/)?[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?$/, {
    error: say(
      "is not an Argo CD application name",
      "use lower-case letters, digits, '-' and '.', optionally prefixed by '<namespace>/'",
    ),
  })
  .max(253, { error: say("is longer than 253 characters", "shorten it") })
  .optional();

/**
 * Where the app's chart version is written with the image, in the same commit: the scalar at
 * `path` of `file` (default: the target's file), such as `dependencies[0].version` or `dependencies[name=demo].version` of a
 * `Chart.yaml` or `spec.source.targetRevision` of an Argo CD Application. The version written is
 * the image's tag, which the build gave the chart it pushed; a revert puts back the version the
 * reverted commit replaced.
 */
const chartVersion = z
  .strictObject({
    file: file.optional(),
    /** Checked where it is written (`MANIFEST_PATH_INVALID` says what is wrong with it). */
    path: text("a value path, e.g. dependencies[0].version"),
  })
  .optional();

/** A Helm values file: the value at `path` gets the image. */
const helm = z.strictObject({
  kind: z.literal("helm"),
  /** The values file in the config repo. */
  file,
  /** The dotted value path, e.g. `image.tag`; `[n]` addresses a list item. */
  path: text("the dotted value path, e.g. image.tag").regex(
    /^[A-Za-z0-9_-]+(?:\[\d+\])*(?:\.[A-Za-z0-9_-]+(?:\[\d+\])*)*$/,
    {
      error: say(
        "is not a dotted value path",
        "write keys joined by '.', e.g. image.tag or containers[0].image",
      ),
    },
  ),
  field: choice(WRITE_FIELDS).default("tag"),
  application,
  chartVersion,
});

/** A Kustomize overlay: the `images[]` entry named `image` gets `newTag` / `newName` / `digest`. */
const kustomize = z.strictObject({
  kind: z.literal("kustomize"),
  /** The `kustomization.yaml` in the config repo. */
  file,
  /** The `images[].name` to set; defaults to the app's image repository. */
  image: text("the images[].name of the kustomization, e.g. demo").optional(),
  field: choice(WRITE_FIELDS).default("tag"),
  application,
  chartVersion,
});

/** A plain manifest: the value on the line marked `# shipline:image=<marker>` (or a Flux `$imagepolicy` comment) gets the image. */
const marker = z.strictObject({
  kind: z.literal("marker"),
  /** The manifest in the config repo. */
  file,
  /** The marker's name; defaults to the app's name. */
  marker: text("the marker's name, e.g. demo").optional(),
  field: choice(WRITE_FIELDS).default("repository+tag"),
  application,
  chartVersion,
});

/**
 * Where an app's image is written for one environment, chosen by `kind`, and the Argo CD
 * application that deploys the file.
 *
 * @example
 * ```ts
 * deployTargetInput.parse({ kind: "helm", file: "envs/staging/values.yaml", path: "image.tag" });
 * ```
 */
export const deployTargetInput = z.discriminatedUnion("kind", [helm, kustomize, marker], {
  error: variantError(
    "kind",
    ["helm", "kustomize", "marker"],
    "a target such as { kind: helm, file: ..., path: image.tag }",
  ),
});

/**
 * A deploy target with its defaults filled in by the app: the Argo CD application (default
 * `<app>-<environment>`), the Kustomize image name and the marker name.
 */
export type DeployTarget =
  | (z.output<typeof helm> & { readonly application: string })
  | (z.output<typeof kustomize> & { readonly application: string; readonly image: string })
  | (z.output<typeof marker> & { readonly application: string; readonly marker: string });

/** The kinds of deploy target. */
export type DeployTargetKind = DeployTarget["kind"];
