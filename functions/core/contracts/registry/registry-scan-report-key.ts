/**
 * Where the scan of an image of a registry of kind oci keeps its report, in the scan reports'
 * bucket: `scans/<registry host>/<repository>/<digest>.json`. The scan job writes it there and the
 * scan gate reads it from there, so neither trusts a key the other sends.
 *
 * @example
 * ```ts
 * registryScanReportKey({ registry: "ghcr.io", repository: "acme/api", digest: "sha256:0123..." });
 * // "scans/ghcr.io/acme/api/sha256:0123....json"
 * ```
 */
export function registryScanReportKey(image: {
  readonly registry: string;
  readonly repository: string;
  readonly digest: string;
}): string {
  return `scans/${image.registry}/${image.repository}/${image.digest}.json`;
}
