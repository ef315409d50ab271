import * as z from "zod";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import type { RegistryImage } from "../../core/ports/image-registry.js";
import {
  type HarborVulnerabilityReport,
  harborVulnerabilityReport,
} from "../../core/scan/harbor-vulnerability-report.js";

/** A Harbor robot account (or user) Shipline reads the API with. */
export interface HarborCredentials {
  readonly username: string;
  readonly password: string;
}

/** Options of {@link HarborApiClient}. */
export interface HarborApiClientOptions {
  /** Harbor's address, e.g. `https://harbor.example.com`. */
  readonly baseUrl: string;
  /** The robot account, read when a request needs it (from Secrets Manager on AWS, cached there). */
  readonly credentials: () => Promise<HarborCredentials>;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** How long one request may take. @default 10000 */
  readonly timeoutMs?: number;
}

const artifact = z.looseObject({
  digest: z.string().min(1),
  push_time: z.string().optional(),
  tags: z.array(z.looseObject({ name: z.string() })).nullish(),
  extra_attrs: z
    .looseObject({
      config: z.looseObject({ Labels: z.record(z.string(), z.string()).nullish() }).nullish(),
    })
    .nullish(),
});

const PAGE_SIZE = 100;

/**
 * Reads what Shipline needs from Harbor's v2.0 API with basic authentication (a robot account):
 * an artifact's config labels (`extra_attrs.config.Labels`), a repository's artifacts and an
 * artifact's vulnerability report. Repository names are Harbor's `<project>/<repository>`; the
 * repository part is encoded twice in paths, as Harbor requires for names with `/`.
 *
 * Errors are coded: `HARBOR_API_DENIED` (401/403: the robot account's permissions) is permanent; a
 * 5xx, 429 or a network failure is a retryable `HARBOR_API_UNAVAILABLE`. The password never
 * appears in a message.
 *
 * @example
 * ```ts
 * const harbor = new HarborApiClient({ baseUrl: "https://harbor.example.com", credentials: robot.read });
 * const labels = await harbor.artifactLabels("shop/api", "sha256:...");
 * ```
 */
export class HarborApiClient {
  readonly #options: HarborApiClientOptions;

  constructor(options: HarborApiClientOptions) {
    this.#options = options;
  }

  /** The artifact's config labels; `undefined` when Harbor has no such artifact. */
  async artifactLabels(repository: string, digest: string): Promise<Record<string, string> | undefined> {
    const body = await this.#get(`${artifactsPath(repository)}/${encodeURIComponent(digest)}`, {
      notFound: "undefined",
    });
    if (body === undefined) return undefined;
    return {
      ...(this.#parse(artifact, body, `artifact ${repository}@${digest}`).extra_attrs?.config?.Labels ?? {}),
    };
  }

  /** The repository's artifacts pushed at or after `since`, oldest first; none when it does not exist. */
  async listArtifacts(repository: string, since: Date | undefined): Promise<RegistryImage[]> {
    const images: RegistryImage[] = [];
    for (let page = 1; ; page++) {
      const body = await this.#get(
        `${artifactsPath(repository)}?page=${page}&page_size=${PAGE_SIZE}&with_tag=true`,
        { notFound: "undefined" },
      );
      if (body === undefined) break;
      const items = this.#parse(z.array(artifact), body, `artifacts of ${repository}`);
      for (const item of items) {
        const pushedAt = new Date(item.push_time ?? 0);
        if (since !== undefined && pushedAt < since) continue;
        images.push({
          repository,
          digest: item.digest,
          tags: (item.tags ?? []).map((tag) => tag.name),
          pushedAt,
        });
      }
      if (items.length < PAGE_SIZE) break;
    }
    return images.sort(
      (a, b) => a.pushedAt.getTime() - b.pushedAt.getTime() || a.digest.localeCompare(b.digest),
    );
  }

  /** The artifact's vulnerability report; `SCAN_FINDINGS_UNAVAILABLE` when Harbor has none. */
  async vulnerabilities(repository: string, digest: string): Promise<HarborVulnerabilityReport> {
    const body = await this.#get(
      `${artifactsPath(repository)}/${encodeURIComponent(digest)}/additions/vulnerabilities`,
      { notFound: "error" },
    );
    return this.#parse(
      harborVulnerabilityReport,
      body,
      `the vulnerability report of ${repository}@${digest}`,
    );
  }

  async #get(path: string, options: { readonly notFound: "undefined" | "error" }): Promise<unknown> {
    const url = `${this.#options.baseUrl.replace(/\/+$/, "")}${path}`;
    const { username, password } = await this.#options.credentials();
    let response: Response;
    try {
      response = await (this.#options.fetch ?? fetch)(url, {
        headers: {
          accept: "application/json",
          authorization: `Basic ${Buffer.from(`${username}:${password}`, "utf8").toString("base64")}`,
        },
        signal: AbortSignal.timeout(this.#options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new ShiplineError({
        code: "HARBOR_API_UNAVAILABLE",
        message: `Harbor at ${this.#options.baseUrl} could not be reached for GET ${path} (${error instanceof Error ? error.message : String(error)}); the invocation is retried`,
        data: { path },
        retryable: true,
        cause: error,
      });
    }
    if (response.status === 404) {
      await response.arrayBuffer();
      if (options.notFound === "undefined") return undefined;
      throw new ShiplineError({
        code: "SCAN_FINDINGS_UNAVAILABLE",
        message: `Harbor has no vulnerability report at GET ${path}; scan the artifact in Harbor (or enable scan on push for its project)`,
        data: { path },
        retryable: false,
      });
    }
    if (response.status === 401 || response.status === 403) {
      await response.arrayBuffer();
      throw new ShiplineError({
        code: "HARBOR_API_DENIED",
        message: `Harbor refused GET ${path} with ${response.status}; give the robot account '${username}' read access to the project's artifacts and scans (repository: pull, artifact: read, scan: read)`,
        data: { path, status: response.status },
        retryable: false,
      });
    }
    if (!response.ok) {
      await response.arrayBuffer();
      throw new ShiplineError({
        code: "HARBOR_API_UNAVAILABLE",
        message: `Harbor answered GET ${path} with ${response.status}; the invocation is retried`,
        data: { path, status: response.status },
        retryable: response.status === 429 || response.status >= 500,
      });
    }
    return response.json();
  }

  #parse<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    throw new ShiplineError({
      code: "HARBOR_API_INVALID",
      message: `Harbor answered ${what} with a body Shipline cannot read: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`,
      data: { what },
      retryable: false,
    });
  }
}

/** `/api/v2.0/projects/<project>/repositories/<repository, encoded twice>/artifacts`. */
function artifactsPath(repository: string): string {
  const slash = repository.indexOf("/");
  const project = slash < 0 ? "library" : repository.slice(0, slash);
  const name = slash < 0 ? repository : repository.slice(slash + 1);
  return `/api/v2.0/projects/${encodeURIComponent(project)}/repositories/${encodeURIComponent(encodeURIComponent(name))}/artifacts`;
}
