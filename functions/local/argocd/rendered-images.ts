import type { ApplicationManifest } from "./application-manifest.js";
import type { ConfigTree } from "./config-tree.js";
import type { ChartSource } from "./oci-chart-source.js";
import { resolveWorkload } from "./workload-image.js";

/**
 * What Applications render at commits of the config repository, as the stand-in compares them:
 * the workload image reference of an Application's source at a commit, or undefined when the
 * source cannot be rendered there (Argo CD's ComparisonError). A commit never changes, so answers
 * are remembered per commit and source (the last `limit` of them).
 *
 * @example
 * ```ts
 * const rendered = new RenderedImages(tree);
 * const desired = await rendered.imageAt(manifest, head); // "127.0.0.1:5000/demo:1.0.0-0123456"
 * ```
 */
export class RenderedImages {
  readonly #tree: ConfigTree;
  readonly #limit: number;
  readonly #charts: ChartSource | undefined;
  readonly #cache = new Map<string, Promise<string | undefined>>();

  constructor(tree: ConfigTree, options: { readonly limit?: number; readonly charts?: ChartSource } = {}) {
    this.#tree = tree;
    this.#charts = options.charts;
    this.#limit = Math.max(1, options.limit ?? 1024);
  }

  /** The image reference `application` deploys at `commit`, or undefined when it cannot be rendered. */
  imageAt(application: ApplicationManifest, commit: string): Promise<string | undefined> {
    const key = `${commit} ${JSON.stringify(application.spec.source)}`;
    const known = this.#cache.get(key);
    if (known !== undefined) return known;
    const charts = this.#charts;
    const rendered = resolveWorkload({
      tree: this.#tree,
      commit,
      application,
      ...(charts === undefined ? {} : { charts }),
    }).then(
      (workload) => workload.reference,
      () => undefined,
    );
    if (this.#cache.size >= this.#limit) this.#cache.clear();
    this.#cache.set(key, rendered);
    return rendered;
  }
}
