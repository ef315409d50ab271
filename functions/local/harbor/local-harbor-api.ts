import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { ImageRegistry } from "../../core/ports/image-registry.js";
import type { ScanFindingsSource } from "../../core/ports/scan-findings-source.js";
import { constantTimeEqual } from "../../core/webhook/constant-time-equal.js";
import { HARBOR_VULNERABILITY_REPORT } from "./harbor-payloads.js";
import { HARBOR_SEVERITY } from "./harbor-severity.js";

/** Options of {@link LocalHarborApi}. */
export interface LocalHarborApiOptions {
  /** The embedded registry's images (their labels). */
  readonly images: ImageRegistry;
  /** The local scanner's findings. */
  readonly findings: ScanFindingsSource;
  /** The robot account the API accepts (basic authentication). */
  readonly robot: { readonly username: string; readonly password: string };
}

const ARTIFACT =
  /^\/api\/v2\.0\/projects\/([^/]+)\/repositories\/([^/]+)\/artifacts\/([^/?]+)(\/additions\/vulnerabilities)?$/;

/**
 * The part of Harbor's v2.0 API the scan gate and `image-pushed` read, served over the embedded
 * registry on 127.0.0.1: an artifact (`extra_attrs.config.Labels`) and its vulnerability report
 * (`/additions/vulnerabilities`, from the local scanner's findings), both behind the robot
 * account's basic authentication. Repository paths are encoded twice, as Harbor's are; project
 * `library` holds the bare names.
 *
 * @example
 * ```ts
 * const api = new LocalHarborApi({ images: new LocalImageRegistry(registry), findings, robot });
 * const url = await api.start();
 * ```
 */
export class LocalHarborApi {
  readonly #options: LocalHarborApiOptions;
  #server: Server | undefined;

  constructor(options: LocalHarborApiOptions) {
    this.#options = options;
  }

  /** Listens on a free port of 127.0.0.1; answers the base URL. */
  async start(): Promise<string> {
    const server = createServer((request, response) => {
      this.#handle(request, response).catch((error: unknown) => {
        send(response, 500, { errors: [{ code: "INTERNAL", message: String(error) }] });
      });
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    this.#server = server;
    const address = server.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    return `http://127.0.0.1:${port}`;
  }

  /** Stops listening. */
  async stop(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    this.#server = undefined;
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!this.#authorised(request.headers.authorization)) {
      send(response, 401, { errors: [{ code: "UNAUTHORIZED", message: "unauthorized" }] });
      return;
    }
    const match = ARTIFACT.exec(request.url?.split("?")[0] ?? "");
    if (request.method !== "GET" || !match?.[1] || !match[2] || !match[3]) {
      send(response, 404, { errors: [{ code: "NOT_FOUND", message: "not found" }] });
      return;
    }
    const project = decodeURIComponent(match[1]);
    const name = decodeURIComponent(decodeURIComponent(match[2]));
    const digest = decodeURIComponent(match[3]);
    // Harbor's bare names are in project `library`; the embedded registry may hold either form.
    const candidates = project === "library" ? [`${project}/${name}`, name] : [`${project}/${name}`];
    let repository = `${project}/${name}`;
    let labels: Readonly<Record<string, string>> | undefined;
    for (const candidate of candidates) {
      labels = await this.#options.images.getImageLabels(candidate, digest);
      repository = candidate;
      if (labels !== undefined) break;
    }
    if (labels === undefined) {
      send(response, 404, {
        errors: [{ code: "NOT_FOUND", message: `artifact ${repository}@${digest} not found` }],
      });
      return;
    }
    if (match[4] === undefined) {
      send(response, 200, { digest, extra_attrs: { config: { Labels: labels } } });
      return;
    }
    const findings = await this.#options.findings.findings({ repository, digest }).catch(() => undefined);
    if (findings === undefined) {
      send(response, 404, {
        errors: [{ code: "NOT_FOUND", message: `no vulnerability report of ${repository}@${digest}` }],
      });
      return;
    }
    send(response, 200, {
      [HARBOR_VULNERABILITY_REPORT]: {
        generated_at: new Date().toISOString(),
        scanner: { name: "shipline-local", vendor: "Shipline", version: "1" },
        vulnerabilities: findings.map((finding) => ({
          id: finding.id,
          package: finding.package ?? "",
          version: finding.installedVersion ?? "",
          fix_version: finding.fixedVersion ?? "",
          severity: HARBOR_SEVERITY[finding.severity] ?? "Unknown",
          description: finding.title ?? "",
        })),
      },
    });
  }

  #authorised(header: string | undefined): boolean {
    const { username, password } = this.#options.robot;
    const expected = `Basic ${Buffer.from(`${username}:${password}`, "utf8").toString("base64")}`;
    return (
      header !== undefined && constantTimeEqual(Buffer.from(header, "utf8"), Buffer.from(expected, "utf8"))
    );
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}
