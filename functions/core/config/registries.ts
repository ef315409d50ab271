import * as z from "zod";
import { text } from "./fields.js";
import { splitImageRepository } from "./image-repository.js";
import { serviceUrl } from "./repo-ref.js";
import { say } from "./say.js";

/** The kinds of registry Shipline reads besides the deployment's own (ECR on AWS). */
export const REGISTRY_KINDS = ["harbor", "oci"] as const;

/**
 * The `url` that stands for the local runtime's embedded registry: announcing in Harbor's format
 * (kind harbor), or announcing nothing itself, its images announced by the CI (kind oci).
 */
export const LOCAL_HARBOR_URL = "local:registry";

/**
 * The Secrets Manager secret holding the account Shipline reads the registry with, as JSON:
 * `{"username": ..., "password": ...}` (or Harbor's robot export `{"name": ..., "secret": ...}`).
 */
const registryCredentials = z
  .strictObject({
    secretName: text("the Secrets Manager secret name or ARN, e.g. shipline/harbor-robot"),
  })
  .optional();

/**
 * A Harbor registry apps push to: its pushes and scans reach Shipline through Harbor's webhook (the
 * webhook URL, with the Harbor auth header secret), and Shipline reads image labels and vulnerability
 * reports through Harbor's API with a robot account.
 */
const harborRegistry = z
  .strictObject({
    kind: z.literal("harbor"),
    /**
     * Harbor's address, `https://harbor.example.com`; apps whose `image.repository` names this host
     * live there. `local:registry` is the local runtime's embedded registry, announcing in Harbor's
     * format: apps with a bare repository name live there.
     */
    url: serviceUrl,
    /** The robot account Shipline reads Harbor's API with. Required for an https Harbor. */
    credentials: registryCredentials,
  })
  .superRefine((value, ctx) => {
    if (value.url === LOCAL_HARBOR_URL) return;
    if (value.url.startsWith("local:")) {
      ctx.addIssue({
        code: "custom",
        path: ["url"],
        message: say(
          `'${value.url}' is no local registry`,
          `write ${LOCAL_HARBOR_URL} (the embedded registry) or Harbor's https:// address`,
        ),
      });
      return;
    }
    if (value.credentials === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["credentials"],
        message: say(
          "is missing",
          "add credentials: { secretName: shipline/harbor-robot }, the Secrets Manager secret holding a robot account that may read the project's artifacts",
        ),
      });
    }
  })
  .transform((value) => ({ ...value, host: hostOf(value.url) }));

/**
 * Any registry of the OCI distribution API (GHCR, Docker Hub, Quay, Artifact Registry, ACR, a
 * self-hosted distribution): its images are announced by the CI (`shipline publish`, the signed
 * "image published" call) or by GitHub's package webhook, and Shipline reads their digest and
 * labels through the distribution API, with the account of `credentials` (absent: anonymously).
 */
const ociRegistry = z
  .strictObject({
    kind: z.literal("oci"),
    /** The registry's API address, `https://ghcr.io`; `local:registry` is the embedded registry. */
    url: serviceUrl,
    credentials: registryCredentials,
  })
  .superRefine((value, ctx) => {
    if (value.url.startsWith("local:") && value.url !== LOCAL_HARBOR_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["url"],
        message: say(
          `'${value.url}' is no local registry`,
          `write ${LOCAL_HARBOR_URL} or the registry's https:// address`,
        ),
      });
    }
  })
  .transform((value) => ({ ...value, host: hostOf(value.url) }));

/**
 * `registries:` of `shipline.config.yaml`: the registries beyond the deployment's own, each with the
 * host its apps' repositories name. Two registries may not share a host.
 *
 * @example
 * ```ts
 * registries.parse([{ kind: "harbor", url: "https://harbor.example.com", credentials: { secretName: "shipline/harbor-robot" } }]);
 * ```
 */
export const registries = z
  .array(
    z.discriminatedUnion("kind", [harborRegistry, ociRegistry], {
      error: (issue) =>
        typeof issue.input === "object" && issue.input !== null
          ? say("has no kind Shipline knows", `write kind: ${REGISTRY_KINDS.join(" | ")}`)
          : say("is not a mapping", "write each registry as { kind, url, credentials }"),
    }),
    {
      error: say(
        "is not a list",
        "write registries: as a list, e.g. - kind: harbor, url: https://harbor.example.com",
      ),
    },
  )
  .superRefine((list, ctx) => {
    const seen = new Map<string, number>();
    list.forEach((registry, index) => {
      const first = seen.get(registry.host);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [index, "url"],
          message: say(
            `names the same registry as registries[${first}] (${registry.url})`,
            "keep one entry per registry",
          ),
        });
      }
      seen.set(registry.host, index);
    });
  })
  .default([]);

/** A registry of `registries:` (output of {@link registries}). */
export type RegistryConfig = z.output<typeof registries>[number];

/**
 * The host a registry's apps name in their repositories: the URL's host (with its port), or `""` for
 * the embedded registry, whose apps name none.
 */
function hostOf(url: string): string {
  if (url === LOCAL_HARBOR_URL) return "";
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return url;
  }
}

/**
 * The registry of `registries:` that holds an image repository: the one whose host the repository
 * names, or, for a bare name, the embedded registry when it is declared. Undefined for a repository
 * of the deployment's own registry (ECR) or of any registry not declared.
 *
 * @example
 * ```ts
 * registryOf(config.registries, "harbor.example.com/shop/api")?.kind; // "harbor"
 * ```
 */
export function registryOf(list: readonly RegistryConfig[], repository: string): RegistryConfig | undefined {
  const host = splitImageRepository(repository).registry?.toLowerCase() ?? "";
  return list.find((registry) => registry.host === host);
}
