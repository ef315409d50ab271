import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import * as z from "zod";

/** A blob of a test image: its bytes, digest and media type. */
export interface TestBlob {
  readonly content: Buffer;
  readonly digest: string;
  readonly mediaType: string;
}

/** A small but real OCI image: one gzipped tar layer, a config and a manifest. */
export interface TestImage {
  readonly layer: TestBlob;
  readonly config: TestBlob;
  readonly manifest: TestBlob;
}

/** sha256 digest of some bytes, `sha256:<hex>`. */
export function sha256(content: Uint8Array): string {
  return `sha256:${createHash("sha256").update(content).digest("hex")}`;
}

/** Builds a ustar archive of regular files (enough for an image layer). */
export function tarOf(files: Readonly<Record<string, string>>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, text] of Object.entries(files)) {
    const content = Buffer.from(text);
    const header = Buffer.alloc(512);
    header.write(name, 0, 100, "utf8");
    header.write("0000644\0", 100);
    header.write("0000000\0", 108);
    header.write("0000000\0", 116);
    header.write(`${content.length.toString(8).padStart(11, "0")}\0`, 124);
    header.write(`${(0).toString(8).padStart(11, "0")}\0`, 136);
    header.write("        ", 148);
    header.write("0", 156);
    header.write("ustar\0", 257);
    header.write("00", 263);
    const checksum = header.reduce((sum, byte) => sum + byte, 0);
    header.write(`${checksum.toString(8).padStart(6, "0")}\0 `, 148);
    blocks.push(header, content, Buffer.alloc((512 - (content.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** Builds an OCI image whose layer holds `files` and whose config carries `revision` as a label. */
export function buildTestImage(files: Readonly<Record<string, string>>, revision: string): TestImage {
  const tar = tarOf(files);
  const layerContent = gzipSync(tar);
  const layer = {
    content: layerContent,
    digest: sha256(layerContent),
    mediaType: "application/vnd.oci.image.layer.v1.tar+gzip",
  };
  const configContent = Buffer.from(
    JSON.stringify({
      architecture: "amd64",
      os: "linux",
      config: { Labels: { "org.opencontainers.image.revision": revision } },
      rootfs: { type: "layers", diff_ids: [sha256(tar)] },
    }),
  );
  const config = {
    content: configContent,
    digest: sha256(configContent),
    mediaType: "application/vnd.oci.image.config.v1+json",
  };
  const manifestContent = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: descriptorOf(config),
      layers: [descriptorOf(layer)],
    }),
  );
  const manifest = {
    content: manifestContent,
    digest: sha256(manifestContent),
    mediaType: "application/vnd.oci.image.manifest.v1+json",
  };
  return { layer, config, manifest };
}

/** The OCI descriptor of a blob. */
export function descriptorOf(blob: TestBlob): { mediaType: string; digest: string; size: number } {
  return { mediaType: blob.mediaType, digest: blob.digest, size: blob.content.length };
}

/** Uploads a blob in one `POST ?digest=` request and returns the response. */
export function pushBlob(registryUrl: string, repository: string, blob: TestBlob): Promise<Response> {
  return fetch(`${registryUrl}/v2/${repository}/blobs/uploads/?digest=${blob.digest}`, {
    method: "POST",
    headers: { "Content-Type": "application/octet-stream" },
    body: blob.content,
  });
}

/** Pushes a whole image (blobs, then the manifest under `reference`) and returns the manifest response. */
export async function pushImage(
  registryUrl: string,
  repository: string,
  image: TestImage,
  reference: string,
): Promise<Response> {
  for (const blob of [image.layer, image.config]) {
    const response = await pushBlob(registryUrl, repository, blob);
    if (response.status !== 201)
      throw new Error(`blob push answered ${response.status}: ${await response.text()}`);
  }
  return pushManifest(registryUrl, repository, image.manifest, reference);
}

/** Pushes a manifest under a tag or digest. */
export function pushManifest(
  registryUrl: string,
  repository: string,
  manifest: TestBlob,
  reference: string,
): Promise<Response> {
  return fetch(`${registryUrl}/v2/${repository}/manifests/${reference}`, {
    method: "PUT",
    headers: { "Content-Type": manifest.mediaType },
    body: manifest.content,
  });
}

const ociErrorBody = z.object({
  errors: z
    .array(z.object({ code: z.string(), message: z.string(), detail: z.record(z.string(), z.unknown()) }))
    .min(1),
});

/** The first error of an OCI error body (`{"errors":[{code,message,detail}]}`), parsed. */
export async function firstError(
  response: Response,
): Promise<{ code: string; message: string; detail: Record<string, unknown> }> {
  const [error] = ociErrorBody.parse(await response.json()).errors;
  if (!error) throw new Error("the error body holds no error");
  return error;
}
