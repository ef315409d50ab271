import { ShiplineError } from "../../../core/errors/shipline-error.js";
import { parseImageReference } from "../../../core/manifest/image-reference.js";
import { ociImageConfig, ociImageManifest } from "./oci-config.js";
import type { BaseImage, PackedImage } from "./pack-image.js";
import { sha256Of } from "./tar-layer.js";

const MANIFEST_ACCEPT = [
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

/**
 * A small OCI distribution client for a registry on plain HTTP (the local registry): blob
 * existence, monolithic uploads, cross-repository mounts, manifests. Pushes go through the HTTP API,
 * as any client's would, never through the registry's files.
 *
 * @example
 * ```ts
 * const client = new RegistryClient("127.0.0.1:5000");
 * await client.push({ repository: "demo", tag: "1.0.0-0123456", image });
 * ```
 */
export class RegistryClient {
  readonly #base: string;

  /** @param host `host:port` of a registry served over plain HTTP. */
  constructor(readonly host: string) {
    this.#base = `http://${host}/v2`;
  }

  /** Pushes a packed image: every blob the repository lacks (base layers mounted), then the manifest under `tag`. */
  async push(options: {
    readonly repository: string;
    readonly tag: string;
    readonly image: PackedImage;
  }): Promise<string> {
    const { repository, tag, image } = options;
    for (const layer of image.layers) {
      if (await this.#hasBlob(repository, layer.descriptor.digest)) continue;
      if (layer.kind === "base") await this.#mount(repository, layer.descriptor.digest, layer.repository);
      else await this.#upload(repository, layer.descriptor.digest, layer.blob);
    }
    if (!(await this.#hasBlob(repository, image.config.descriptor.digest))) {
      await this.#upload(repository, image.config.descriptor.digest, image.config.content);
    }
    const response = await this.#request(`${this.#base}/${repository}/manifests/${tag}`, {
      method: "PUT",
      headers: { "content-type": image.manifest.descriptor.mediaType },
      body: image.manifest.content,
    });
    await expectStatus(response, [201], `push the manifest ${repository}:${tag}`);
    return image.manifest.descriptor.digest;
  }

  /**
   * The base image of a `FROM` when this registry has it: a reference naming this registry's host,
   * or a bare name the registry holds. Undefined otherwise (the base is then recorded, not pulled).
   */
  async resolveBase(reference: string): Promise<BaseImage | undefined> {
    const parsed = parseImageReference(reference);
    const slash = parsed.repository.indexOf("/");
    const first = slash < 0 ? "" : parsed.repository.slice(0, slash);
    const hosted = first === this.host;
    if (!hosted && (first.includes(".") || first.includes(":") || first === "localhost")) return undefined;
    const repository = hosted ? parsed.repository.slice(slash + 1) : parsed.repository;
    const response = await this.#request(
      `${this.#base}/${repository}/manifests/${parsed.digest ?? parsed.tag ?? "latest"}`,
      {
        headers: { accept: MANIFEST_ACCEPT },
      },
    );
    if (response.status === 404) return undefined;
    await expectStatus(response, [200], `read the base image ${reference}`);
    const manifest = ociImageManifest.parse(await response.json());
    const config = await this.#request(`${this.#base}/${repository}/blobs/${manifest.config.digest}`);
    await expectStatus(config, [200], `read the config of ${reference}`);
    const content = new Uint8Array(await config.arrayBuffer());
    if (sha256Of(content) !== manifest.config.digest) {
      throw registryFailure(`the config of base image ${reference} does not match its digest`);
    }
    return {
      repository,
      layers: manifest.layers,
      config: ociImageConfig.parse(JSON.parse(new TextDecoder().decode(content))),
    };
  }

  async #hasBlob(repository: string, digest: string): Promise<boolean> {
    const response = await this.#request(`${this.#base}/${repository}/blobs/${digest}`, { method: "HEAD" });
    return response.status === 200;
  }

  async #upload(repository: string, digest: string, content: Uint8Array): Promise<void> {
    const response = await this.#request(`${this.#base}/${repository}/blobs/uploads/?digest=${digest}`, {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: content,
    });
    await expectStatus(response, [201], `upload blob ${digest} to ${repository}`);
  }

  async #mount(repository: string, digest: string, from: string): Promise<void> {
    const response = await this.#request(
      `${this.#base}/${repository}/blobs/uploads/?mount=${digest}&from=${encodeURIComponent(from)}`,
      { method: "POST" },
    );
    await expectStatus(response, [201], `mount blob ${digest} from ${from} into ${repository}`);
  }

  async #request(url: string, init: RequestInit = {}): Promise<Response> {
    try {
      return await fetch(url, init);
    } catch (error) {
      throw registryFailure(
        `cannot reach the registry at ${this.host} (${error instanceof Error ? error.message : String(error)}); is the local registry running?`,
        error,
      );
    }
  }
}

async function expectStatus(response: Response, expected: readonly number[], what: string): Promise<void> {
  if (expected.includes(response.status)) {
    if (response.body) await response.arrayBuffer();
    return;
  }
  const body = await response.text();
  throw registryFailure(`could not ${what}: HTTP ${response.status} ${body.slice(0, 500)}`);
}

function registryFailure(message: string, cause?: unknown): ShiplineError {
  return new ShiplineError({
    code: "IMAGE_PUSH_FAILED",
    message,
    retryable: true,
    ...(cause === undefined ? {} : { cause }),
  });
}
