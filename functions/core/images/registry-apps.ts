import { type RegistryConfig, registryOf } from "../config/registries.js";

/**
 * The apps whose image repository lives in one registry of `registries:`, by the rule of
 * `registryOf` (its host, or a bare name for the embedded registry `local:registry`).
 *
 * @example
 * ```ts
 * const apps = registryApps(config, config.registries[0]); // the apps whose images are in ghcr.io
 * ```
 */
export function registryApps<A extends { readonly image: { readonly repository: string } }>(
  config: { readonly apps: readonly A[]; readonly registries: readonly RegistryConfig[] },
  registry: RegistryConfig,
): A[] {
  return config.apps.filter((app) => registryOf(config.registries, app.image.repository) === registry);
}
