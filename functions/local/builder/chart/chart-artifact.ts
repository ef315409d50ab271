import { OciMediaType } from "../image/oci-config.js";
import type { PackedImage } from "../image/pack-image.js";
import { sha256Of } from "../image/tar-layer.js";
import type { PackagedChart } from "./package-chart.js";

/** The media types of a Helm chart stored in an OCI registry (as `helm push` writes them). */
export const HelmMediaType = {
  Config: "application/vnd.cncf.helm.config.v1+json",
  Content: "application/vnd.cncf.helm.chart.content.v1.tar+gzip",
} as const;

/**
 * A packaged chart as the OCI artifact `helm push` makes of it: an image manifest whose config is
 * the chart's metadata as JSON (`application/vnd.cncf.helm.config.v1+json`) and whose one layer is
 * the packaged chart (`application/vnd.cncf.helm.chart.content.v1.tar+gzip`), annotated with the
 * chart's name and version. Returned in the shape the registry client pushes.
 *
 * @example
 * ```ts
 * await new RegistryClient(host).push({ repository: "charts/demo", tag: chart.version, image: chartArtifact(chart) });
 * ```
 */
export function chartArtifact(chart: PackagedChart): PackedImage {
  const config = Buffer.from(JSON.stringify(chart.metadata));
  const configDescriptor = { mediaType: HelmMediaType.Config, digest: sha256Of(config), size: config.length };
  const layerDescriptor = {
    mediaType: HelmMediaType.Content,
    digest: sha256Of(chart.archive),
    size: chart.archive.length,
  };
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OciMediaType.Manifest,
      config: configDescriptor,
      layers: [layerDescriptor],
      annotations: {
        "org.opencontainers.image.title": chart.name,
        "org.opencontainers.image.version": chart.version,
      },
    }),
  );
  return {
    layers: [{ kind: "new", descriptor: layerDescriptor, blob: chart.archive }],
    config: { descriptor: configDescriptor, content: config },
    manifest: {
      descriptor: { mediaType: OciMediaType.Manifest, digest: sha256Of(manifest), size: manifest.length },
      content: manifest,
    },
    notes: [],
  };
}
