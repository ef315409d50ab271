import { createHash } from "node:crypto";
import { parse } from "yaml";
import * as z from "zod";
import { readTarEntries } from "../scanner/tar-entry.js";

/** A Helm chart pulled from an OCI registry, unpacked. */
export interface PulledChart {
  /** `oci://host/path/name:version`, as Argo CD names what it pulled. */
  readonly reference: string;
  readonly name: string;
  readonly version: string;
  readonly appVersion?: string;
  /** The chart's files by path inside the chart (`values.yaml`, `templates/...`). */
  readonly files: ReadonlyMap<string, string>;
}

/** Where the stand-in gets the charts an Application's source depends on. */
export interface ChartSource {
  /** Pulls `<repository>:<version>` (`repository` as `host/path/name`). Throws {@link ChartPullError}. */
  pull(repository: string, version: string): Promise<PulledChart>;
}

/** Why a chart cannot be pulled, as Argo CD's repo-server would say it. */
export class ChartPullError extends Error {
  override readonly name = "ChartPullError";
}

const HELM_CONFIG = "application/vnd.cncf.helm.config.v1+json";
const HELM_CONTENT = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";

const helmManifest = z.looseObject({
  config: z.looseObject({ mediaType: z.literal(HELM_CONFIG), digest: z.string() }),
  layers: z.array(z.looseObject({ mediaType: z.string(), digest: z.string() })),
});

const chartYaml = z.looseObject({
  name: z.string().min(1),
  version: z.string().min(1),
  appVersion: z.union([z.string(), z.number()]).optional(),
});

/**
 * Pulls Helm charts from the embedded registry over the OCI distribution API, as `helm pull
 * oci://...` does: the manifest (its config must be Helm's), then the chart content layer, checked
 * against its digest and unpacked. A repository on `127.0.0.1` or `localhost` is the embedded
 * registry whatever its port (the port changes with every start); another host is not reachable
 * locally. A version's chart never changes (tags are immutable there), so pulls are remembered.
 *
 * @example
 * ```ts
 * const charts = new OciChartSource(registry.host);
 * const chart = await charts.pull("127.0.0.1:5000/charts/demo", "1.4.0-0123456");
 * chart.files.get("values.yaml");
 * ```
 */
export class OciChartSource implements ChartSource {
  readonly #host: string;
  readonly #pulled = new Map<string, Promise<PulledChart>>();

  /** @param registryHost `host:port` of the embedded registry (plain HTTP). */
  constructor(registryHost: string) {
    this.#host = registryHost;
  }

  pull(repository: string, version: string): Promise<PulledChart> {
    const key = `${repository}:${version}`;
    const known = this.#pulled.get(key);
    if (known !== undefined) return known;
    const pulled = this.#pull(repository, version);
    // A failed pull is tried again next time: the chart may be pushed meanwhile.
    pulled.catch(() => this.#pulled.delete(key));
    this.#pulled.set(key, pulled);
    return pulled;
  }

  async #pull(repository: string, version: string): Promise<PulledChart> {
    const reference = `oci://${repository}:${version}`;
    const fail = (reason: string) => new ChartPullError(`failed to pull chart ${reference}: ${reason}`);
    const slash = repository.indexOf("/");
    const host = repository.slice(0, slash);
    if (slash < 1 || !/^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host)) {
      throw fail(`${host || repository} is not the local registry ${this.#host}`);
    }
    const base = `http://${this.#host}/v2/${repository.slice(slash + 1)}`;
    const get = async (url: string, accept?: string): Promise<Buffer> => {
      const response = await fetch(url, accept ? { headers: { accept } } : {}).catch((error: unknown) => {
        throw fail(`the registry did not answer (${error instanceof Error ? error.message : String(error)})`);
      });
      const body = Buffer.from(await response.arrayBuffer());
      if (response.status === 404) throw fail("not found");
      if (!response.ok) throw fail(`HTTP ${response.status}`);
      return body;
    };
    const manifest = await get(`${base}/manifests/${version}`, "application/vnd.oci.image.manifest.v1+json");
    const parsed = helmManifest.safeParse(json(manifest.toString("utf8")));
    if (!parsed.success) throw fail(`it is not a Helm chart (its config is not ${HELM_CONFIG})`);
    const layer = parsed.data.layers.find((candidate) => candidate.mediaType === HELM_CONTENT);
    if (layer === undefined) throw fail(`it has no ${HELM_CONTENT} layer`);
    const content = await get(`${base}/blobs/${layer.digest}`);
    if (`sha256:${createHash("sha256").update(content).digest("hex")}` !== layer.digest) {
      throw fail(`its content does not match its digest ${layer.digest}`);
    }
    const files = new Map<string, string>();
    for (const entry of readTarEntries(content)) {
      const inside = entry.path.slice(entry.path.indexOf("/") + 1);
      if (entry.kind === "file" && entry.path.includes("/"))
        files.set(inside, entry.content.toString("utf8"));
    }
    const metadata = chartYaml.safeParse(yaml(files.get("Chart.yaml") ?? "null"));
    if (!metadata.success) throw fail("it holds no valid Chart.yaml");
    const { name, appVersion } = metadata.data;
    return {
      reference,
      name,
      version: metadata.data.version,
      ...(appVersion === undefined ? {} : { appVersion: String(appVersion) }),
      files,
    };
  }
}

function json(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function yaml(text: string): unknown {
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}
