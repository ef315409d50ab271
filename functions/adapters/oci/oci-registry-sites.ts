import { LOCAL_HARBOR_URL } from "../../core/config/registries.js";
import type { ShiplineConfig } from "../../core/config/shipline-config.js";
import { registryApps } from "../../core/images/registry-apps.js";
import { repositoryName } from "../../core/images/resolve-image-app.js";
import { type OciCredentials, OciRegistryClient } from "./oci-registry-client.js";

/** One registry of kind oci: its distribution API client and the apps whose images live there. */
export interface OciRegistrySite {
  readonly client: OciRegistryClient;
  readonly apps: ShiplineConfig["apps"];
  /** Whether an app's image lives in this repository of the registry. */
  readonly repositories: (repository: string) => boolean;
}

/**
 * Docker Hub's references name `docker.io` (or `index.docker.io`); its distribution API is served
 * at `registry-1.docker.io`.
 */
const API_HOST_OF: Readonly<Record<string, string>> = {
  "docker.io": "registry-1.docker.io",
  "index.docker.io": "registry-1.docker.io",
};

/**
 * The client of every registry of kind oci of `registries:`, by the host image references name
 * (lower case), reading with the account `accountOf` gives for its `credentials.secretName` (none:
 * anonymous pulls). `local:registry` is the embedded registry at `embeddedHost`, skipped without it.
 * Docker Hub (`url: https://docker.io`, apps naming `docker.io/<namespace>/<name>`) is read at its
 * API host.
 *
 * @example
 * ```ts
 * const sites = ociRegistrySites({ config, accountOf: (secretName) => () => readSecret(secretName) });
 * await sites.get("ghcr.io")?.client.resolveTag("acme/api", "1.4.2");
 * ```
 */
export function ociRegistrySites(options: {
  readonly config: Pick<ShiplineConfig, "apps" | "registries">;
  readonly accountOf: (secretName: string) => () => Promise<OciCredentials | undefined>;
  readonly embeddedHost?: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}): ReadonlyMap<string, OciRegistrySite> {
  const { config } = options;
  const sites = new Map<string, OciRegistrySite>();
  for (const registry of config.registries) {
    if (registry.kind !== "oci") continue;
    const embedded = registry.url === LOCAL_HARBOR_URL;
    if (embedded && options.embeddedHost === undefined) continue;
    const url = embedded ? new URL(`http://${options.embeddedHost}`) : new URL(registry.url);
    const apps = registryApps(config, registry);
    const names = new Set(apps.map((app) => repositoryName(app.image.repository)));
    const secretName = registry.credentials?.secretName;
    sites.set(url.host.toLowerCase(), {
      client: new OciRegistryClient({
        host: API_HOST_OF[url.host.toLowerCase()] ?? url.host,
        scheme: url.protocol === "http:" ? "http" : "https",
        ...(secretName === undefined ? {} : { credentials: options.accountOf(secretName) }),
        ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      }),
      apps,
      repositories: (repository) => names.has(repository),
    });
  }
  return sites;
}
