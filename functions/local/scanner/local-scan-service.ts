import { randomUUID } from "node:crypto";
import type { LocalScanFindings } from "../../adapters/local/local-scan-findings.js";
import type { EcrImageActionEvent } from "../../core/contracts/aws/ecr-image-action.js";
import type { EcrImageScanEvent } from "../../core/contracts/aws/ecr-image-scan.js";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import { type Clock, systemClock } from "../../core/ports/clock.js";
import { countBySeverity } from "../../core/scan/evaluate-scan-policy.js";
import type { LocalRegistry } from "../registry/index.js";
import { imageScanEvent } from "./image-scan-event.js";
import type { ImageScanner } from "./image-scanner.js";

/** Options of {@link LocalScanService}. */
export interface LocalScanServiceOptions {
  /** The local registry holding the images. */
  readonly registry: Pick<LocalRegistry, "getManifest" | "host">;
  /** The scanner: a `CommandScanner` when the user has Trivy or Grype, else a `DeclaredFindingsScanner`. */
  readonly scanner: ImageScanner;
  /** Keeps each image's findings for the scan gate's findings source. */
  readonly findings: Pick<LocalScanFindings, "record">;
  /** Receives each `ECR Image Scan` event: the local runtime puts it on its bus. */
  readonly emit: (event: EcrImageScanEvent) => unknown;
  /** @default - the system clock */
  readonly clock?: Clock;
  /** Event ids. @default - random UUIDs */
  readonly newId?: () => string;
  /** Account of the emitted events. @default "000000000000" */
  readonly account?: string;
  /** Region of the emitted events. @default "local" */
  readonly region?: string;
  /** Told why a scan failed (it is then announced as FAILED). @default - one line on stderr */
  readonly onScanFailed?: (error: unknown, reference: string) => void;
}

/**
 * ECR's scan-on-push for the local runtime: scans an image of the local registry with the
 * configured scanner, keeps its findings (read back by `LocalScanFindings`, the scan gate's findings
 * source) and announces the scan as ECR does, with an `ECR Image Scan` event: `COMPLETE` with the
 * counts per severity, or `FAILED` when the scanner failed (the gate then fails closed).
 *
 * @example
 * ```ts
 * const service = new LocalScanService({ registry, scanner: new DeclaredFindingsScanner({ registry }), findings, emit: (event) => bus.put(event) });
 * const registry = await startLocalRegistry({ dataDir, onImagePushed: (event) => service.scanPushed(event) });
 * ```
 */
export class LocalScanService {
  readonly #options: LocalScanServiceOptions;
  readonly #clock: Clock;
  readonly #newId: () => string;

  constructor(options: LocalScanServiceOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#newId = options.newId ?? randomUUID;
  }

  /** Scans the image of a push event (the registry's `onImagePushed`). */
  scanPushed(event: EcrImageActionEvent): Promise<EcrImageScanEvent> {
    return this.scan({ repository: event.detail["repository-name"], digest: event.detail["image-digest"] });
  }

  /**
   * Scans one image, records its findings and emits its `ECR Image Scan` event, which it also
   * returns. Throws `IMAGE_NOT_FOUND` for an image the registry does not hold, and whatever `emit`
   * throws.
   */
  async scan(image: { readonly repository: string; readonly digest: string }): Promise<EcrImageScanEvent> {
    const { registry, scanner, findings, emit } = this.#options;
    const manifest = await registry.getManifest(image.repository, image.digest);
    if (manifest === undefined) {
      throw new ShiplineError({
        code: "IMAGE_NOT_FOUND",
        message: `${image.repository}@${image.digest} is not in the local registry; push it before scanning`,
        data: { ...image },
      });
    }
    const reference = `${registry.host}/${image.repository}@${image.digest}`;
    let status: "COMPLETE" | "FAILED";
    let counts: Record<string, number> = {};
    try {
      const found = await scanner.scan({ ...image, reference });
      await findings.record({ ...image, findings: found, scannedAt: this.#clock.now() });
      counts = countBySeverity(found);
      status = "COMPLETE";
    } catch (error) {
      if (error instanceof ShiplineError && error.retryable) throw error;
      const onScanFailed =
        this.#options.onScanFailed ??
        ((failure: unknown) => {
          const reason = failure instanceof Error ? failure.message : String(failure);
          process.stderr.write(`local scan of ${reference} with ${scanner.name} failed: ${reason}\n`);
        });
      onScanFailed(error, reference);
      status = "FAILED";
    }
    const event = imageScanEvent({
      id: this.#newId(),
      time: this.#clock.now(),
      account: this.#options.account ?? "000000000000",
      region: this.#options.region ?? "local",
      repository: image.repository,
      digest: image.digest,
      tags: manifest.tags,
      status,
      counts,
    });
    await emit(event);
    return event;
  }
}
