import type { AppConfig } from "../config/app.js";
import { splitImageRepository } from "../config/image-repository.js";

/**
 * Finds the app whose image repository is `repository`. Names are compared without their registry
 * host, so an app configured as `123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo` (or as the bare
 * `demo`) owns the ECR repository `demo`; a repository given with a host is compared by name too.
 * Returns `undefined` for a repository no app builds (an image Shipline does not deliver).
 *
 * @example
 * ```ts
 * const app = resolveImageApp({ apps: config.apps, repository: event.detail["repository-name"] });
 * if (!app) return { kind: "ignored", reason: "no app builds this repository" };
 * ```
 */
export function resolveImageApp<A extends Pick<AppConfig, "name" | "image">>(options: {
  readonly apps: readonly A[];
  readonly repository: string;
}): A | undefined {
  const wanted = repositoryName(options.repository);
  return options.apps.find((app) => repositoryName(app.image.repository) === wanted);
}

/**
 * The name of a repository inside its registry: `ghcr.io/acme/demo` gives `acme/demo`, `demo` stays
 * `demo`. ECR events and the local registry name repositories this way.
 *
 * @example
 * ```ts
 * repositoryName("127.0.0.1:5000/team/demo"); // "team/demo"
 * ```
 */
export function repositoryName(repository: string): string {
  return splitImageRepository(repository).name;
}
