import { LOCAL_HARBOR_URL } from "../../core/config/registries.js";
import type { ShiplineConfig } from "../../core/config/shipline-config.js";
import { harborRepositories } from "../../core/images/harbor-repositories.js";

/**
 * The `harbor` option of `startLocalPlatform` a configuration asks for: set when `registries:` holds
 * `{ kind: harbor, url: local:registry }`, so the embedded registry announces in Harbor's format.
 *
 * @example
 * ```ts
 * const platform = await startLocalPlatform({ dataDir, ...localHarborOption(config) });
 * ```
 */
export function localHarborOption(config: Pick<ShiplineConfig, "apps" | "registries">): {
  readonly harbor?: { readonly repositories: (repository: string) => boolean };
} {
  const local = config.registries.some(
    (registry) => registry.kind === "harbor" && registry.url === LOCAL_HARBOR_URL,
  );
  return local ? { harbor: { repositories: harborRepositories(config) } } : {};
}
