import * as z from "zod";

/** The media types of the images the daemonless builder writes. */
export const OciMediaType = {
  Manifest: "application/vnd.oci.image.manifest.v1+json",
  Config: "application/vnd.oci.image.config.v1+json",
  Layer: "application/vnd.oci.image.layer.v1.tar+gzip",
} as const;

/** The fixed creation time of packed images, so that the same input always gives the same digest. */
export const FIXED_CREATED = "1970-01-01T00:00:00Z";

/** An OCI content descriptor. */
export const ociDescriptor = z.looseObject({
  mediaType: z.string().min(1),
  digest: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  size: z.number().int().nonnegative(),
});

/** An OCI content descriptor. */
export type OciDescriptor = z.infer<typeof ociDescriptor>;

/** The runtime part of an image config (`config`), as far as the builder reads and writes it. */
export const ociRuntimeConfig = z.looseObject({
  User: z.string().optional(),
  ExposedPorts: z.record(z.string(), z.object({})).nullish(),
  Env: z.array(z.string()).nullish(),
  Entrypoint: z.array(z.string()).nullish(),
  Cmd: z.array(z.string()).nullish(),
  WorkingDir: z.string().optional(),
  Labels: z.record(z.string(), z.string()).nullish(),
  StopSignal: z.string().optional(),
});

/** One entry of an image's history. */
export const ociHistory = z.looseObject({
  created: z.string().optional(),
  created_by: z.string().optional(),
  comment: z.string().optional(),
  empty_layer: z.boolean().optional(),
});

/** An OCI image config (image-spec `config.md`). */
export const ociImageConfig = z.looseObject({
  created: z.string().optional(),
  architecture: z.string(),
  os: z.string(),
  config: ociRuntimeConfig.nullish(),
  rootfs: z.object({ type: z.literal("layers"), diff_ids: z.array(z.string()) }),
  history: z.array(ociHistory).optional(),
});

/** An OCI image config. */
export type OciImageConfig = z.infer<typeof ociImageConfig>;

/** An OCI (or Docker schema 2) image manifest. */
export const ociImageManifest = z.looseObject({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  config: ociDescriptor,
  layers: z.array(ociDescriptor),
});

/**
 * The OCI architecture name of this machine (`amd64`, `arm64`, ...), for images whose files do not
 * depend on one: the runtime that runs them locally is this machine.
 *
 * @example
 * ```ts
 * ociArchitecture("x64"); // "amd64"
 * ```
 */
export function ociArchitecture(nodeArch: string = process.arch): string {
  const names: Readonly<Record<string, string>> = { x64: "amd64", ia32: "386", arm: "arm", arm64: "arm64" };
  return names[nodeArch] ?? nodeArch;
}
