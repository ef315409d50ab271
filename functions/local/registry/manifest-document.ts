import * as z from "zod";
import { formatIssues } from "../../core/contracts/format-issues.js";
import { registryError } from "./registry-error.js";

/** The manifest media types the registry accepts. */
export const ManifestMediaType = {
  OciManifest: "application/vnd.oci.image.manifest.v1+json",
  OciIndex: "application/vnd.oci.image.index.v1+json",
  DockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  DockerManifestList: "application/vnd.docker.distribution.manifest.list.v2+json",
} as const;

/** One of {@link ManifestMediaType}. */
export type ManifestMediaTypeName = (typeof ManifestMediaType)[keyof typeof ManifestMediaType];

const MEDIA_TYPES: readonly string[] = Object.values(ManifestMediaType);
const INDEX_TYPES: readonly string[] = [ManifestMediaType.OciIndex, ManifestMediaType.DockerManifestList];

/** An OCI content descriptor. */
export const descriptor = z.looseObject({
  mediaType: z.string().min(1),
  digest: z.string().min(1),
  size: z.number().int().nonnegative(),
  urls: z.array(z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  artifactType: z.string().optional(),
});

/** A content descriptor. */
export type Descriptor = z.infer<typeof descriptor>;

/** An image manifest (OCI or Docker schema 2). */
export const imageManifest = z.looseObject({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  artifactType: z.string().optional(),
  config: descriptor,
  layers: z.array(descriptor),
  subject: descriptor.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

/** An image index (OCI index or Docker manifest list). */
export const imageIndex = z.looseObject({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  artifactType: z.string().optional(),
  manifests: z.array(descriptor),
  subject: descriptor.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

/** A manifest the registry understood. */
export interface ParsedManifest {
  readonly mediaType: ManifestMediaTypeName;
  /** The document, for an image manifest or for an index. */
  readonly document:
    | { readonly kind: "image"; readonly manifest: z.infer<typeof imageManifest> }
    | { readonly kind: "index"; readonly index: z.infer<typeof imageIndex> };
  /** Blobs the manifest references and the repository must hold (config and layers without `urls`). */
  readonly blobs: readonly Descriptor[];
  /** Manifests an index references. */
  readonly manifests: readonly Descriptor[];
  /** The `artifactType` the referrers API reports (an image manifest falls back to its config type). */
  readonly artifactType?: string;
  /** The digest of the manifest this one refers to (`subject`), if any. */
  readonly subject?: string;
}

/**
 * Parses a pushed manifest: the media type comes from `Content-Type` (or, when that is generic, from
 * the document's `mediaType`), must be one of {@link ManifestMediaType} and must agree with the
 * document; the document must follow its schema. Anything else is a 400 `MANIFEST_INVALID`.
 *
 * @example
 * ```ts
 * const parsed = parseManifest(request.headers["content-type"], body);
 * for (const blob of parsed.blobs) await requireBlob(blob.digest);
 * ```
 */
export function parseManifest(contentType: string | undefined, content: Uint8Array): ParsedManifest {
  const json = parseJson(content);
  const declared = z.looseObject({ mediaType: z.string().optional() }).safeParse(json);
  const bodyType = declared.success ? declared.data.mediaType : undefined;
  const mediaType = pickMediaType(baseType(contentType), bodyType);
  if (bodyType !== undefined && bodyType !== mediaType) {
    throw invalid(`the manifest's mediaType '${bodyType}' does not match its Content-Type '${mediaType}'`);
  }
  if (INDEX_TYPES.includes(mediaType)) {
    const index = validate(imageIndex, json, mediaType);
    return {
      mediaType,
      document: { kind: "index", index },
      blobs: [],
      manifests: index.manifests,
      ...(index.artifactType === undefined ? {} : { artifactType: index.artifactType }),
      ...(index.subject === undefined ? {} : { subject: index.subject.digest }),
    };
  }
  const manifest = validate(imageManifest, json, mediaType);
  return {
    mediaType,
    document: { kind: "image", manifest },
    blobs: [manifest.config, ...manifest.layers].filter((layer) => !layer.urls?.length),
    manifests: [],
    artifactType: manifest.artifactType ?? manifest.config.mediaType,
    ...(manifest.subject === undefined ? {} : { subject: manifest.subject.digest }),
  };
}

/** Strips parameters from a `Content-Type` or `Accept` item: `application/json; charset=utf-8`. */
export function baseType(value: string | undefined): string | undefined {
  const type = value?.split(";")[0]?.trim().toLowerCase();
  return type ? type : undefined;
}

function pickMediaType(contentType: string | undefined, bodyType: string | undefined): ManifestMediaTypeName {
  const generic = contentType === undefined || contentType === "application/json";
  const candidate = generic ? bodyType : contentType;
  const known = Object.values(ManifestMediaType).find((type) => type === candidate);
  if (!known) {
    throw invalid(
      `manifest media type '${candidate ?? "(none)"}' is not supported; send Content-Type ${MEDIA_TYPES.join(", ")}`,
    );
  }
  return known;
}

function parseJson(content: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(content).toString("utf8"));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw invalid(`the manifest is not valid JSON (${reason}); send the manifest document itself`);
  }
}

function validate<S extends z.ZodType>(schema: S, json: unknown, mediaType: string): z.infer<S> {
  const result = schema.safeParse(json);
  if (!result.success) {
    throw invalid(
      `the manifest is not a valid ${mediaType}: ${formatIssues(result.error.issues).join("; ")}`,
    );
  }
  return result.data;
}

function invalid(message: string) {
  return registryError({ status: 400, code: "MANIFEST_INVALID", message });
}
