import { createHash } from "node:crypto";
import * as z from "zod";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import {
  labelsOfImageConfig,
  MANIFEST_MEDIA_TYPES,
  readImageDocument,
} from "../../core/images/image-documents.js";
import type { ImageRegistry, RegistryImage } from "../../core/ports/image-registry.js";

/** A user (or robot, or token) a registry accepts for pulls. */
export interface OciCredentials {
  readonly username: string;
  readonly password: string;
}

/** Options of {@link OciRegistryClient}. */
export interface OciRegistryClientOptions {
  /** The registry's host (and port): `ghcr.io`, `registry.example.com:5000`. */
  readonly host: string;
  /** @default "https", and "http" for 127.0.0.1 and localhost */
  readonly scheme?: "https" | "http";
  /** Read when the registry asks for credentials; none: anonymous pulls only. */
  readonly credentials?: () => Promise<OciCredentials | undefined>;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** How long one request may take. @default 10000 */
  readonly timeoutMs?: number;
}

/** A manifest as read: its bytes, its digest (as computed from the bytes) and its media type. */
export interface FetchedManifest {
  readonly digest: string;
  readonly mediaType: string | undefined;
  readonly content: Uint8Array;
}

const tokenAnswer = z.looseObject({ token: z.string().optional(), access_token: z.string().optional() });

/**
 * Reads images from any registry that speaks the OCI distribution API (GHCR, Docker Hub, Quay,
 * Artifact Registry, ACR, Harbor, a self-hosted distribution): a tag's digest, a manifest checked
 * against its digest, and an image's config labels. Authentication follows the registry: anonymous
 * first, then, on a 401, the `WWW-Authenticate` challenge: a Bearer token from the realm (with the
 * credentials as Basic, pull scope of the repository), or Basic itself. Tokens are kept per scope.
 *
 * Errors are coded: `OCI_REGISTRY_DENIED` (401/403 with the credentials given) is permanent, a 5xx,
 * a 429 or a network failure is a retryable `OCI_REGISTRY_UNAVAILABLE`, and a manifest whose bytes do
 * not hash to the digest asked for is a permanent `OCI_DIGEST_MISMATCH`. Credentials never appear
 * in a message.
 *
 * @example
 * ```ts
 * const registry = new OciRegistryClient({ host: "ghcr.io", credentials: secret.read });
 * const digest = await registry.resolveTag("acme/demo", "1.4.0-0123456");
 * const labels = digest && (await registry.getImageLabels("acme/demo", digest));
 * ```
 */
export class OciRegistryClient implements ImageRegistry {
  readonly #options: OciRegistryClientOptions;
  readonly #base: string;
  readonly #tokens = new Map<string, string>();

  constructor(options: OciRegistryClientOptions) {
    this.#options = options;
    const local = /^(127\.0\.0\.1|localhost)(:\d+)?$/.test(options.host);
    this.#base = `${options.scheme ?? (local ? "http" : "https")}://${options.host}`;
  }

  /** The digest the tag points at; `undefined` when the repository has no such tag. */
  async resolveTag(repository: string, tag: string): Promise<string | undefined> {
    return (await this.getManifest(repository, tag))?.digest;
  }

  /**
   * The manifest of a tag or digest, its digest computed from its bytes; `undefined` when the
   * registry has none. Asked by digest, bytes that hash to another digest are refused.
   */
  async getManifest(repository: string, reference: string): Promise<FetchedManifest | undefined> {
    const response = await this.#get(repository, `manifests/${reference}`, MANIFEST_MEDIA_TYPES.join(", "));
    if (response === undefined) return undefined;
    const content = new Uint8Array(await response.arrayBuffer());
    const digest = `sha256:${createHash("sha256").update(content).digest("hex")}`;
    if (reference.startsWith("sha256:") && reference !== digest) {
      throw new ShiplineError({
        code: "OCI_DIGEST_MISMATCH",
        message: `${this.#options.host}/${repository}@${reference} answered a manifest whose digest is ${digest}; the registry serves other content than asked for, so nothing of it is trusted`,
        data: { host: this.#options.host, repository, reference, digest },
      });
    }
    const mediaType = response.headers.get("content-type")?.split(";")[0]?.trim();
    return { digest, mediaType, content };
  }

  /** The image's config labels (for an index, its first platform image's); `undefined` when absent. */
  async getImageLabels(
    repository: string,
    digest: string,
  ): Promise<Readonly<Record<string, string>> | undefined> {
    const manifest = await this.getManifest(repository, digest);
    if (manifest === undefined) return undefined;
    let document = readImageDocument(new TextDecoder().decode(manifest.content));
    if (document.kind === "index") {
      if (document.manifestDigest === undefined) return {};
      const platform = await this.getManifest(repository, document.manifestDigest);
      if (platform === undefined) return undefined;
      document = readImageDocument(new TextDecoder().decode(platform.content));
      if (document.kind === "index") return {};
    }
    const config = await this.#get(repository, `blobs/${document.configDigest}`, "*/*");
    return config === undefined ? undefined : labelsOfImageConfig(new Uint8Array(await config.arrayBuffer()));
  }

  /**
   * The distribution API lists tags, not when images were pushed: a registry read through it is
   * announced by its own webhook or by `shipline publish`, never swept.
   */
  async listImagesSince(repository: string): Promise<RegistryImage[]> {
    throw new ShiplineError({
      code: "OCI_LISTING_UNSUPPORTED",
      message: `${this.#options.host}/${repository} is read through the OCI distribution API, which does not tell when images were pushed; announce its images with the registry's webhook or shipline publish`,
      data: { host: this.#options.host, repository },
    });
  }

  /** GET under `/v2/<repository>/`, authenticated as the registry asks; `undefined` on a 404. */
  async #get(repository: string, path: string, accept: string): Promise<Response | undefined> {
    const url = `${this.#base}/v2/${repository}/${path}`;
    const scope = `repository:${repository}:pull`;
    let authorization = this.#tokens.get(scope);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const response = await this.#fetch(url, {
        accept,
        ...(authorization === undefined ? {} : { authorization }),
      });
      if (response.status === 401 && attempt === 0) {
        authorization = await this.#authorize(response.headers.get("www-authenticate"), scope);
        if (authorization === undefined) break;
        this.#tokens.set(scope, authorization);
        continue;
      }
      return this.#checked(response, repository);
    }
    this.#tokens.delete(scope);
    throw denied(this.#options.host, repository, 401);
  }

  /** The Authorization a challenge asks for, or `undefined` when it cannot be met. */
  async #authorize(challenge: string | null, scope: string): Promise<string | undefined> {
    const credentials = await this.#options.credentials?.();
    const basic =
      credentials === undefined
        ? undefined
        : `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;
    const bearer = challenge?.match(/^Bearer\s+(.*)$/i)?.[1];
    if (bearer === undefined) return basic;
    const parameters = Object.fromEntries(
      [...bearer.matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1], match[2]]),
    );
    const realm = parameters.realm;
    if (realm === undefined) return basic;
    const tokenUrl = new URL(realm);
    if (parameters.service !== undefined) tokenUrl.searchParams.set("service", parameters.service);
    tokenUrl.searchParams.set("scope", scope);
    // The account goes only to a token service reached over TLS (or on this machine): a challenge
    // naming a plain-http realm gets an anonymous token request.
    const secure =
      tokenUrl.protocol === "https:" || /^(127\.0\.0\.1|localhost|\[::1\])$/.test(tokenUrl.hostname);
    const response = await this.#fetch(tokenUrl.toString(), {
      accept: "application/json",
      ...(basic === undefined || !secure ? {} : { authorization: basic }),
    });
    if (response.status === 401 || response.status === 403) return undefined;
    const answer = tokenAnswer.safeParse(await this.#checked(response, scope)?.json());
    const token = answer.success ? (answer.data.token ?? answer.data.access_token) : undefined;
    return token === undefined ? undefined : `Bearer ${token}`;
  }

  #checked(response: Response, repository: string): Response | undefined {
    if (response.ok) return response;
    if (response.status === 404) return undefined;
    if (response.status === 401 || response.status === 403) {
      throw denied(this.#options.host, repository, response.status);
    }
    const retryable = response.status === 429 || response.status >= 500;
    throw new ShiplineError({
      code: "OCI_REGISTRY_UNAVAILABLE",
      message: `${this.#options.host} answered HTTP ${response.status} for ${repository}${retryable ? "; tried again later" : ", which trying again does not change"}`,
      data: { host: this.#options.host, repository, status: response.status },
      retryable,
    });
  }

  async #fetch(url: string, headers: Record<string, string>): Promise<Response> {
    try {
      return await (this.#options.fetch ?? fetch)(url, {
        headers,
        signal: AbortSignal.timeout(this.#options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new ShiplineError({
        code: "OCI_REGISTRY_UNAVAILABLE",
        message: `${this.#options.host} could not be reached (${error instanceof Error ? error.message : String(error)}); tried again later`,
        data: { host: this.#options.host },
        retryable: true,
      });
    }
  }
}

function denied(host: string, repository: string, status: number): ShiplineError {
  return new ShiplineError({
    code: "OCI_REGISTRY_DENIED",
    message: `${host} refused to let Shipline pull ${repository} (HTTP ${status}); give the registry credentials (a read-only token or robot account) pull access to it`,
    data: { host, repository, status },
  });
}
