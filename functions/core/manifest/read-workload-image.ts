import { parse } from "yaml";
import * as z from "zod";
import { ShiplineError } from "../errors/shipline-error.js";
import { type ImageReference, parseImageReference } from "./image-reference.js";

const text = z.string().min(1);

/** Helm's common `image:` block: `repository` + `tag` (+ `digest`), or one full reference string. */
const helmImage = z.union([
  text,
  z.looseObject({
    registry: text.optional(),
    repository: text,
    tag: z.union([text, z.number()]).optional(),
    digest: text.optional(),
  }),
]);

const kustomizeImage = z.looseObject({
  name: text,
  newName: text.optional(),
  newTag: z.union([text, z.number()]).optional(),
  digest: text.optional(),
});

const kustomization = z.looseObject({ images: z.array(kustomizeImage).nullish() });

/**
 * The image a Helm values file asks for at `key` (default `image`): either a full reference string
 * (`image: ghcr.io/acme/web:1.2`) or the usual block of `registry`, `repository`, `tag` and
 * `digest`. Returns `undefined` when the file has no such key. Throws a permanent
 * `MANIFEST_IMAGE_UNREADABLE` when the file is not YAML or the value is neither shape.
 *
 * @example
 * ```ts
 * readHelmImage({ text: "image:\n  repository: demo\n  tag: 1.0.0-0123456\n" });
 * // { repository: "demo", tag: "1.0.0-0123456" }
 * ```
 */
export function readHelmImage(options: {
  readonly text: string;
  readonly key?: string;
}): ImageReference | undefined {
  const key = options.key ?? "image";
  const values = parseYaml(options.text, "Helm values file");
  let value: unknown = values;
  for (const part of key.split(".")) {
    value = isRecord(value) ? value[part] : undefined;
  }
  if (value === undefined || value === null) return undefined;
  const result = helmImage.safeParse(value);
  if (!result.success) {
    throw unreadable(
      `the value at ${key} is neither an image reference nor a block with repository and tag`,
      {
        key,
      },
    );
  }
  const image = result.data;
  if (typeof image === "string") return parseImageReference(image);
  const repository =
    image.registry === undefined ? image.repository : `${image.registry}/${image.repository}`;
  return {
    repository,
    ...(image.tag === undefined ? {} : { tag: String(image.tag) }),
    ...(image.digest === undefined ? {} : { digest: image.digest }),
  };
}

/**
 * The images a `kustomization.yaml` sets in its `images[]`: each entry's `newName` (else `name`),
 * `newTag` and `digest`, keyed by the `name` the workloads refer to. Throws a permanent
 * `MANIFEST_IMAGE_UNREADABLE` when the file is not YAML or an entry has no name.
 *
 * @example
 * ```ts
 * readKustomizeImages({ text: "images:\n  - name: demo\n    newTag: 1.0.0\n" });
 * // [{ name: "demo", image: { repository: "demo", tag: "1.0.0" } }]
 * ```
 */
export function readKustomizeImages(options: {
  readonly text: string;
}): { readonly name: string; readonly image: ImageReference }[] {
  const result = kustomization.safeParse(parseYaml(options.text, "kustomization") ?? {});
  if (!result.success) {
    throw unreadable("its images[] entries need at least a name", {});
  }
  return (result.data.images ?? []).map((entry) => {
    const named = parseImageReference(entry.newName ?? entry.name);
    return {
      name: entry.name,
      image: {
        repository: named.repository,
        ...(entry.newTag === undefined
          ? named.tag === undefined
            ? {}
            : { tag: named.tag }
          : { tag: String(entry.newTag) }),
        ...(entry.digest === undefined ? {} : { digest: entry.digest }),
      },
    };
  });
}

function parseYaml(source: string, what: string): unknown {
  try {
    return parse(source, { uniqueKeys: false });
  } catch (error) {
    throw unreadable(
      `the ${what} is not valid YAML (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`,
      {},
    );
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function unreadable(reason: string, data: Record<string, unknown>): ShiplineError {
  return new ShiplineError({
    code: "MANIFEST_IMAGE_UNREADABLE",
    message: `cannot read the workload's image: ${reason}; fix the file in the config repository`,
    data,
  });
}
