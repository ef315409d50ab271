import * as z from "zod";
import { ShiplineError } from "../errors/shipline-error.js";

/** The manifest media types Shipline reads: OCI and Docker schema 2, images and indexes. */
export const MANIFEST_MEDIA_TYPES = [
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
] as const;

const descriptor = z.looseObject({
  mediaType: z.string().optional(),
  digest: z.string().min(1),
  platform: z.looseObject({ os: z.string().optional(), architecture: z.string().optional() }).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

const imageManifest = z.looseObject({
  schemaVersion: z.literal(2),
  config: descriptor,
  layers: z.array(descriptor),
});

const imageIndex = z.looseObject({ schemaVersion: z.literal(2), manifests: z.array(descriptor) });

const imageConfig = z.looseObject({
  config: z.looseObject({ Labels: z.record(z.string(), z.string()).nullish() }).nullish(),
});

/** What a manifest says about where an image's labels are. */
export type ImageDocument =
  /** An image manifest: its config blob holds the labels. */
  | { readonly kind: "image"; readonly configDigest: string }
  /** An index: the labels are in the config of the image manifest it picks (see {@link pickImageManifest}). */
  | { readonly kind: "index"; readonly manifestDigest: string | undefined };

/**
 * Reads a manifest (OCI or Docker, image or index) for the one thing `image-pushed` needs: where the
 * image config is. For an index the first platform image is taken, skipping attestations (buildx's
 * `unknown/unknown` entries): every platform of one build carries the same revision label.
 * Throws a permanent `IMAGE_MANIFEST_INVALID` for a document that is neither.
 *
 * @example
 * ```ts
 * const document = readImageDocument(manifestText);
 * if (document.kind === "image") config = await getBlob(document.configDigest);
 * ```
 */
export function readImageDocument(text: string): ImageDocument {
  const json = parseJson(text, "manifest");
  const manifest = imageManifest.safeParse(json);
  if (manifest.success) return { kind: "image", configDigest: manifest.data.config.digest };
  const index = imageIndex.safeParse(json);
  if (!index.success) {
    throw invalid("the manifest is neither an image manifest nor an index (schemaVersion 2)");
  }
  const platform = index.data.manifests.find(
    (entry) =>
      entry.platform?.os !== "unknown" &&
      entry.annotations?.["vnd.docker.reference.type"] !== "attestation-manifest",
  );
  return { kind: "index", manifestDigest: platform?.digest };
}

/**
 * The labels of an image config blob (`config.Labels`); `{}` when it has none.
 *
 * @example
 * ```ts
 * labelsOfImageConfig(configBytes)["org.opencontainers.image.revision"];
 * ```
 */
export function labelsOfImageConfig(content: Uint8Array): Readonly<Record<string, string>> {
  const parsed = imageConfig.safeParse(parseJson(new TextDecoder().decode(content), "image config"));
  if (!parsed.success) throw invalid("the image config is not a JSON object with config.Labels");
  return parsed.data.config?.Labels ?? {};
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalid(`the ${what} is not JSON`, error);
  }
}

function invalid(message: string, cause?: unknown): ShiplineError {
  return new ShiplineError({
    code: "IMAGE_MANIFEST_INVALID",
    message: `${message}; push the image with an OCI or Docker schema 2 client`,
    retryable: false,
    ...(cause === undefined ? {} : { cause }),
  });
}
