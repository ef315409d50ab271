import { type OciRegistrySite, ociRegistrySites } from "../../adapters/oci/oci-registry-sites.js";
import { LOCAL_HARBOR_URL } from "../../core/config/registries.js";
import type { ShiplineConfig } from "../../core/config/shipline-config.js";
import { harborRepositories } from "../../core/images/harbor-repositories.js";
import { localRegistryAccount } from "./local-registry-account.js";

/**
 * The registry options of `startLocalPlatform` a configuration asks for:
 * - `harbor` when `registries:` holds `{ kind: harbor, url: local:registry }`, so the embedded
 *   registry announces in Harbor's format;
 * - `images` when it holds a registry of kind oci, whose images are announced to the webhook (the
 *   embedded registry's too, for `{ kind: oci, url: local:registry }`: it then announces none of
 *   its apps' pushes itself), each account read from its `SHIPLINE_SECRET_…` variable.
 *
 * @example
 * ```ts
 * const platform = await startLocalPlatform({ dataDir, ...localHarborOption(config) });
 * ```
 */
export function localHarborOption(config: Pick<ShiplineConfig, "apps" | "registries">): {
  readonly harbor?: { readonly repositories: (repository: string) => boolean };
  readonly images?: {
    readonly sites: (embeddedHost: string) => ReadonlyMap<string, OciRegistrySite>;
  };
} {
  const local = config.registries.some(
    (registry) => registry.kind === "harbor" && registry.url === LOCAL_HARBOR_URL,
  );
  const oci = config.registries.some((registry) => registry.kind === "oci");
  return {
    ...(local ? { harbor: { repositories: harborRepositories(config) } } : {}),
    ...(oci
      ? {
          images: {
            sites: (embeddedHost: string) =>
              ociRegistrySites({ config, embeddedHost, accountOf: (name) => localRegistryAccount(name) }),
          },
        }
      : {}),
  };
}
