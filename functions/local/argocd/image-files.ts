import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ImageReference } from "../../core/manifest/image-reference.js";
import { type OciImageConfig, ociImageConfig } from "../builder/image/oci-config.js";
import type { StoredManifest } from "../registry/local-registry.js";
import { readTarEntries } from "../scanner/tar-entry.js";

/** The part of the local registry the stand-in pulls from. */
export interface ImageSource {
  /** `127.0.0.1:<port>`: references naming this host (or none) are the registry's. */
  readonly host: string;
  getManifest(repository: string, reference: string): Promise<StoredManifest | undefined>;
  getBlob(digest: string): Promise<Buffer | undefined>;
}

/** Why an image cannot be pulled, as a kubelet would say it. */
export class ImagePullError extends Error {
  override readonly name = "ImagePullError";
}

/**
 * Pulls an image from the local registry into `root`, like a container runtime unpacking its
 * layers: each layer's regular files in order, whiteouts (`.wh.<name>`, `.wh..wh..opq`) removing
 * what earlier layers put there; entries that would leave `root` are skipped. An index resolves to
 * its first image. Resolves with the image config. Throws {@link ImagePullError} when the
 * reference names another registry or the image (or a blob) is missing: locally that is
 * `ImagePullBackOff`.
 *
 * @example
 * ```ts
 * const config = await pullImage({ source: registry, image: { repository: "demo", tag: "1.0" }, root });
 * config.config?.Cmd; // ["node", "server.js"]
 * ```
 */
export async function pullImage(options: {
  readonly source: ImageSource;
  readonly image: ImageReference;
  readonly root: string;
}): Promise<OciImageConfig> {
  const { source, image, root } = options;
  const repository = localRepository(image.repository, source.host);
  const shown = `${image.repository}${image.tag ? `:${image.tag}` : ""}${image.digest ? `@${image.digest}` : ""}`;
  if (repository === undefined) {
    throw new ImagePullError(
      `Back-off pulling image "${shown}": the host is not the local registry ${source.host}`,
    );
  }
  let manifest = await source.getManifest(repository, image.digest ?? image.tag ?? "latest");
  if (manifest?.document.kind === "index") {
    const first = manifest.document.index.manifests[0];
    manifest = first === undefined ? undefined : await source.getManifest(repository, first.digest);
  }
  if (manifest === undefined || manifest.document.kind !== "image") {
    throw new ImagePullError(`Back-off pulling image "${shown}": manifest unknown`);
  }
  const layers = manifest.document.manifest.layers;
  const configBlob = await source.getBlob(manifest.document.manifest.config.digest);
  const config = ociImageConfig.safeParse(
    configBlob === undefined ? undefined : JSON.parse(configBlob.toString("utf8")),
  );
  if (!config.success)
    throw new ImagePullError(`Back-off pulling image "${shown}": its config is missing or invalid`);
  await mkdir(root, { recursive: true });
  for (const layer of layers) {
    const blob = await source.getBlob(layer.digest);
    if (blob === undefined)
      throw new ImagePullError(`Back-off pulling image "${shown}": layer ${layer.digest} is missing`);
    await unpackLayer(blob, root);
  }
  return config.data;
}

async function unpackLayer(blob: Buffer, root: string): Promise<void> {
  for (const entry of readTarEntries(blob)) {
    const parts = entry.path.split("/").filter((part) => part !== "");
    if (parts.length === 0 || parts.includes("..")) continue;
    const base = parts.at(-1) ?? "";
    const parent = path.join(root, ...parts.slice(0, -1));
    if (base === ".wh..wh..opq") {
      await rm(parent, { recursive: true, force: true });
      await mkdir(parent, { recursive: true });
      continue;
    }
    if (base.startsWith(".wh.")) {
      await rm(path.join(parent, base.slice(4)), { recursive: true, force: true });
      continue;
    }
    if (entry.kind !== "file") continue;
    await mkdir(parent, { recursive: true });
    await writeFile(path.join(parent, base), entry.content);
  }
}

/** The registry's repository of a reference's repository part, or undefined for another registry. */
function localRepository(repository: string, host: string): string | undefined {
  const slash = repository.indexOf("/");
  const first = slash === -1 ? "" : repository.slice(0, slash);
  const hasHost = first.includes(".") || first.includes(":") || first === "localhost";
  if (!hasHost) return repository;
  const port = host.slice(host.lastIndexOf(":") + 1);
  return first === host || first === `localhost:${port}` ? repository.slice(slash + 1) : undefined;
}
