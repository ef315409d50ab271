import { type RegistryConfig, registryOf } from "../config/registries.js";
import type { ShiplineConfig } from "../config/shipline-config.js";
import { repositoryName } from "./resolve-image-app.js";

/**
 * The apps whose image repository lives in a registry of kind harbor (in `registry` when one is
 * given), by the rule of `registryOf`.
 *
 * @example
 * ```ts
 * const apps = harborApps(config); // the apps whose image.repository names a Harbor host
 * ```
 */
export function harborApps<A extends Pick<ShiplineConfig["apps"][number], "image">>(
  config: { readonly apps: readonly A[]; readonly registries: readonly RegistryConfig[] },
  registry?: RegistryConfig,
): A[] {
  return config.apps.filter((app) => {
    const found = registryOf(config.registries, app.image.repository);
    return found?.kind === "harbor" && (registry === undefined || found === registry);
  });
}

/**
 * Tells the Harbor repositories (`<project>/<repository>`) an app's image lives in: the webhook
 * publishes Harbor's notifications of these only.
 *
 * @example
 * ```ts
 * const named = harborRepositories(config);
 * named("shop/api"); // true when an app's image is harbor.example.com/shop/api in a declared Harbor
 * ```
 */
export function harborRepositories(config: {
  readonly apps: readonly Pick<ShiplineConfig["apps"][number], "image">[];
  readonly registries: readonly RegistryConfig[];
}): (repository: string) => boolean {
  const names = new Set(harborApps(config).map((app) => repositoryName(app.image.repository)));
  return (repository) => names.has(repository);
}
