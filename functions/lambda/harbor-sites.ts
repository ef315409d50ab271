// The Harbor registries of a deployed configuration, for the Lambda entries that read them.
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { RegistryAccountSecret } from "../adapters/aws/registry-account-secret.js";
import { HarborApiClient } from "../adapters/harbor/harbor-api-client.js";
import { HarborImageRegistry } from "../adapters/harbor/harbor-image-registry.js";
import { LOCAL_HARBOR_URL } from "../core/config/registries.js";
import type { ShiplineConfig } from "../core/config/shipline-config.js";
import { harborApps } from "../core/images/harbor-repositories.js";
import type { HarborSite } from "../handlers/image-pushed.js";

/** One Harbor of the configuration: its API client and its apps. */
export interface HarborClientSite extends HarborSite {
  readonly client: HarborApiClient;
}

/**
 * The API client of every https Harbor of `registries:` by host (as its events name it), with the
 * robot account read from Secrets Manager when first needed. `local:registry` is the local runtime's
 * and has none here.
 *
 * @example
 * ```ts
 * const sites = harborSites({ config, capture: (client) => tracer.captureAWSv3Client(client) });
 * sites.get("harbor.example.com")?.client;
 * ```
 */
export function harborSites(options: {
  readonly config: Pick<ShiplineConfig, "apps" | "registries">;
  readonly capture: (client: SecretsManagerClient) => SecretsManagerClient;
}): ReadonlyMap<string, HarborClientSite> {
  const { config } = options;
  const sites = new Map<string, HarborClientSite>();
  let secrets: SecretsManagerClient | undefined;
  for (const registry of config.registries) {
    if (registry.kind !== "harbor" || registry.url === LOCAL_HARBOR_URL || !registry.credentials) continue;
    secrets ??= options.capture(new SecretsManagerClient({}));
    const robot = new RegistryAccountSecret({ client: secrets, secretId: registry.credentials.secretName });
    const client = new HarborApiClient({ baseUrl: registry.url, credentials: () => robot.read() });
    sites.set(registry.host, {
      client,
      apps: harborApps(config, registry),
      registry: new HarborImageRegistry(client),
    });
  }
  return sites;
}
