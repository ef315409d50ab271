import * as z from "zod";
import { imageTag } from "../contracts/primitives.js";
import { parseImageReference } from "../manifest/image-reference.js";
import type { AnnouncedImage } from "./announced-image.js";

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * The parts of GitHub's `package` webhook payload (`X-GitHub-Event: package`, actions `published`
 * and `updated`) that name a container image pushed to GHCR: the package, its owner, the version's
 * digest and tag, and the registry's URL.
 */
export const githubPackagePayload = z.object({
  action: z.string(),
  package: z.object({
    name: z.string().min(1),
    namespace: z.string().min(1).optional(),
    package_type: z.string(),
    owner: z.object({ login: z.string().min(1) }),
    package_version: z
      .object({
        version: z.string().optional(),
        package_url: z.string().optional(),
        container_metadata: z
          .object({
            tag: z.object({ name: z.string(), digest: z.string().optional() }).nullish(),
          })
          .nullish(),
      })
      .nullish(),
    registry: z.object({ url: z.string() }).nullish(),
  }),
});

/** A GitHub `package` payload (see {@link githubPackagePayload}). */
export type GithubPackagePayload = z.infer<typeof githubPackagePayload>;

/**
 * The image a GitHub `package` delivery announces, or why it announces none: another action, a
 * package that is not a container, or a version without a tag (a platform manifest of a
 * multi-platform image; its tagged index is announced by its own delivery).
 *
 * @example
 * ```ts
 * const outcome = imageOfGithubPackage(parseWebhookPayload(githubPackagePayload, payload, "GitHub package payload"));
 * if ("image" in outcome) publish(outcome.image);
 * ```
 */
export function imageOfGithubPackage(
  payload: GithubPackagePayload,
): { readonly image: AnnouncedImage } | { readonly ignored: string } {
  const { package: pkg } = payload;
  if (payload.action !== "published" && payload.action !== "updated") {
    return {
      ignored: `GitHub package action ${JSON.stringify(payload.action.slice(0, 32))} announces no image`,
    };
  }
  const type = pkg.package_type.toLowerCase();
  if (type !== "container" && type !== "docker") {
    return { ignored: `GitHub package ${pkg.name} is a ${type} package, not a container image` };
  }
  const version = pkg.package_version;
  const tag = version?.container_metadata?.tag;
  if (tag === undefined || tag === null || tag.name === "") {
    return {
      ignored: `GitHub package ${pkg.name} published a version without a tag (a platform manifest); its tagged image is announced on its own`,
    };
  }
  if (!imageTag.safeParse(tag.name).success) {
    return { ignored: `GitHub package ${pkg.name} names a tag no registry accepts; nothing is announced` };
  }
  const digest = [tag.digest, version?.version].find((value) => value !== undefined && DIGEST.test(value));
  const named =
    version?.package_url === undefined ? undefined : parseImageReference(version.package_url).repository;
  const slash = named?.indexOf("/") ?? -1;
  const host = slash > 0 && named ? named.slice(0, slash) : hostOf(pkg.registry?.url);
  const repository =
    slash > 0 && named ? named.slice(slash + 1) : `${pkg.namespace ?? pkg.owner.login}/${pkg.name}`;
  return {
    image: {
      host: host.toLowerCase(),
      // GHCR names are lower case whatever the owner's login is.
      repository: repository.toLowerCase(),
      tag: tag.name,
      ...(digest === undefined ? {} : { digest }),
      announcedBy: "github-package",
    },
  };
}

function hostOf(url: string | undefined): string {
  if (url === undefined) return "ghcr.io";
  try {
    return new URL(url).host;
  } catch {
    return "ghcr.io";
  }
}
