import { ShiplineError } from "../../core/errors/shipline-error.js";
import type { ScanFindingsQuery, ScanFindingsSource } from "../../core/ports/scan-findings-source.js";
import type { Finding } from "../../core/scan/finding.js";
import { mapHarborVulnerabilities } from "../../core/scan/harbor-vulnerability-report.js";
import type { HarborApiClient } from "./harbor-api-client.js";

/**
 * The {@link ScanFindingsSource} of Harbor's scans: the artifact's vulnerability report
 * (`GET .../artifacts/{digest}/additions/vulnerabilities`) from the Harbor the scan event names
 * (`registryId` is its host), mapped to findings. A scan of a Harbor the configuration does not
 * declare is a permanent `SCAN_FINDINGS_UNAVAILABLE`, so the image fails closed.
 *
 * @example
 * ```ts
 * const source = new HarborScanFindings({ clientFor: (host) => clients.get(host) });
 * const findings = await source.findings({ repository: "shop/api", digest, registryId: "harbor.example.com" });
 * ```
 */
export class HarborScanFindings implements ScanFindingsSource {
  readonly scanner = "harbor";
  readonly #clientFor: (host: string | undefined) => Pick<HarborApiClient, "vulnerabilities"> | undefined;

  constructor(options: {
    /** The API client of the Harbor at a host (as its events name it). */
    readonly clientFor: (host: string | undefined) => Pick<HarborApiClient, "vulnerabilities"> | undefined;
  }) {
    this.#clientFor = options.clientFor;
  }

  /** Every vulnerability of the artifact's report. */
  async findings(query: ScanFindingsQuery): Promise<Finding[]> {
    const client = this.#clientFor(query.registryId);
    if (client === undefined) {
      throw new ShiplineError({
        code: "SCAN_FINDINGS_UNAVAILABLE",
        message: `${query.repository}@${query.digest} was scanned by a Harbor at '${query.registryId ?? "(unknown)"}' that no registries: entry names; add it (kind: harbor, url: https://${query.registryId ?? "<host>"}) with its robot account`,
        data: { repository: query.repository, digest: query.digest, registry: query.registryId },
        retryable: false,
      });
    }
    return mapHarborVulnerabilities(await client.vulnerabilities(query.repository, query.digest));
  }
}
