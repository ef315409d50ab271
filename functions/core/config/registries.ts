import * as z from "zod";
import { text } from "./fields.js";
import { splitImageRepository } from "./image-repository.js";
import { serviceUrl } from "./repo-ref.js";
import { say } from "./say.js";

/** The kinds of registry Shipline reads besides the deployment's own (ECR on AWS). */
export const REGISTRY_KINDS = ["harbor"] as const;

/** The Harbor `url` that stands for the local runtime's embedded registry, announcing in Harbor's format. */
export const LOCAL_HARBOR_URL = "local:registry";

/**
 * A Harbor registry apps push to: its pushes and scans reach Shipline through Harbor's webhook (the
 * webhook URL, with the Harbor auth header secret), and Shipline reads image labels and vulnerability
 * reports through Harbor's API with a robot account.
 */
const harborRegistry = z
  .strictObject({
    kind: z.literal("harbor", {
      error: say("is not a registry kind Shipline knows", `write kind: ${REGISTRY_KINDS.join(" | ")}`),
    }),
    /**
     * Harbor's address, `https://harbor.example.com`; apps whose `image.repository` names this host
     * live there. `local:registry` is the local runtime's embedded registry, announcing in Harbor's
     * format: apps with a bare repository name live there.
     */
    url: serviceUrl,
    /** The robot account Shipline reads Harbor's API with. Required for an https Harbor. */
    credentials: z
      .strictObject({
        /**
         * The Secrets Manager secret holding the robot account as JSON: Harbor's own export
         * (`{"name": "robot$shipline", "secret": "..."}`) or `{"username": ..., "password": ...}`.
         */
        secretName: text("the Secrets Manager secret name or ARN, e.g. shipline/harbor-robot"),
      })
      .optional(),
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
 * `registries:` of `shipline.config.yaml`: the registries beyond the deployment's own, each with the
 * host its apps' repositories name. Two registries may not share a host.
 *
 * @example
 * ```ts
 * registries.parse([{ kind: "harbor", url: "https://harbor.example.com", credentials: { secretName: "shipline/harbor-robot" } }]);
 * ```
 */
export const registries = z
  .array(harborRegistry, {
    error: say(
      "is not a list",
      "write registries: as a list, e.g. - kind: harbor, url: https://harbor.example.com",
    ),
  })
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
