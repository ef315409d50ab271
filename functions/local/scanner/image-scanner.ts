import type { Finding } from "../../core/scan/finding.js";

/** An image of the local registry to scan. */
export interface ScannedImage {
  /** The repository name in the registry: `demo`, `team/demo`. */
  readonly repository: string;
  /** The manifest digest. */
  readonly digest: string;
  /** The full reference a scanning tool pulls: `127.0.0.1:5000/demo@sha256:...`. */
  readonly reference: string;
}

/**
 * A scanner of the local runtime: finds the vulnerabilities of one image of the local registry.
 * `CommandScanner` runs a tool the user has (Trivy, Grype); `DeclaredFindingsScanner` reads the
 * findings an image declares, so tests and the demo can produce a real rejection.
 *
 * @example
 * ```ts
 * const findings = await scanner.scan({ repository: "demo", digest, reference: `${registry.host}/demo@${digest}` });
 * ```
 */
export interface ImageScanner {
  /** A short name for messages, e.g. `trivy` or `declared`. */
  readonly name: string;
  /** Every finding of the image; throws a `ShiplineError` when the scan fails. */
  scan(image: ScannedImage): Promise<Finding[]>;
}
