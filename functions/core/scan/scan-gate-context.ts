import type { ScanPolicy } from "../config/scan-policy.js";
import type { Clock } from "../ports/clock.js";
import type { DocumentStore } from "../ports/document-store.js";
import type { EventPublisher } from "../ports/event-publisher.js";
import type { ScanFindingsSource } from "../ports/scan-findings-source.js";
import type { VerdictOutcome } from "./publish-verdict-once.js";

/** What the scan gate's use cases work with. */
export interface ScanGateContext {
  /** Holds known images, verdicts and early scan results ({@link KNOWN_IMAGES_TABLE}). */
  readonly store: DocumentStore;
  readonly publisher: EventPublisher;
  readonly clock: Clock;
  readonly policy: ScanPolicy;
  /**
   * Where findings are read, per kind of scan event: `ecr` for `ECR Image Scan` (ECR basic scanning
   * on AWS, the local scan service locally), `inspector2` for `Inspector2 Scan`, `harbor` for `Harbor
   * Scan Completed` (absent where no Harbor is configured), `registry` for `Registry Scan Completed`
   * (the scan job's reports; absent where no registry of kind oci is scanned). The `ecr` source's scanner is also the one
   * a timeout verdict names.
   */
  readonly sources: {
    readonly ecr: ScanFindingsSource;
    readonly inspector2: ScanFindingsSource;
    readonly harbor?: ScanFindingsSource;
    readonly registry?: ScanFindingsSource;
  };
}

/** What the scan gate did with one invocation. */
export type ScanGateOutcome =
  /** The scan is still running: nothing to decide yet. */
  | { readonly outcome: "pending" }
  /** The image is not (yet) known to Shipline: a scan result was kept for the timeout check. */
  | { readonly outcome: "unknown-image" }
  /** A verdict was published now, or had been before. */
  | VerdictOutcome;
