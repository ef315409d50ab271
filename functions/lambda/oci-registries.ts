// The registries of kind oci of a deployed configuration, for the Lambda entries that read them.
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { RegistryAccountSecret } from "../adapters/aws/registry-account-secret.js";
import { type OciRegistrySite, ociRegistrySites } from "../adapters/oci/oci-registry-sites.js";
import type { ShiplineConfig } from "../core/config/shipline-config.js";

/**
 * The registries of kind oci of a deployed configuration (see `ociRegistrySites`), each account
 * read from Secrets Manager when the registry first asks for one, then kept for five minutes.
 *
 * @example
 * ```ts
 * const sites = ociRegistries({ config, capture: (client) => tracer.captureAWSv3Client(client) });
 * ```
 */
export function ociRegistries(options: {
  readonly config: Pick<ShiplineConfig, "apps" | "registries">;
  readonly capture: (client: SecretsManagerClient) => SecretsManagerClient;
}): ReadonlyMap<string, OciRegistrySite> {
  let secrets: SecretsManagerClient | undefined;
  return ociRegistrySites({
    config: options.config,
    accountOf: (secretId) => {
      secrets ??= options.capture(new SecretsManagerClient({}));
      const account = new RegistryAccountSecret({ client: secrets, secretId });
      return () => account.read();
    },
  });
}
