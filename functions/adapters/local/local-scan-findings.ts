import * as z from "zod";
import { severity } from "../../core/contracts/primitives.js";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import { imagePartition } from "../../core/images/known-image.js";
import type { DocumentStore } from "../../core/ports/document-store.js";
import type { ScanFindingsQuery, ScanFindingsSource } from "../../core/ports/scan-findings-source.js";
import type { Finding } from "../../core/scan/finding.js";

/** The table where the local scan service keeps each image's findings. */
export const LOCAL_SCAN_FINDINGS_TABLE = "scan-findings";

const finding = z.object({
  id: z.string().min(1),
  severity,
  package: z.string().optional(),
  installedVersion: z.string().optional(),
  fixedVersion: z.string().optional(),
  title: z.string().optional(),
  fixAvailable: z.boolean().optional(),
});

const record = z.object({ scannedAt: z.string(), findings: z.array(finding) });

/**
 * The {@link ScanFindingsSource} of the local runtime: the findings the local scan service recorded
 * for an image before it announced the scan, kept in a {@link DocumentStore} table (so that they
 * survive a restart, as ECR keeps its findings).
 *
 * @example
 * ```ts
 * const findings = new LocalScanFindings({ store });
 * await findings.record({ repository: "demo", digest, findings: scanned });
 * await findings.findings({ repository: "demo", digest });
 * ```
 */
export class LocalScanFindings implements ScanFindingsSource {
  readonly scanner = "local";
  readonly #store: DocumentStore;

  constructor(options: { readonly store: DocumentStore }) {
    this.#store = options.store;
  }

  /** Keeps an image's findings, replacing earlier ones. */
  async record(options: {
    readonly repository: string;
    readonly digest: string;
    readonly findings: readonly Finding[];
    readonly scannedAt: Date;
  }): Promise<void> {
    const value = record.parse({
      scannedAt: options.scannedAt.toISOString(),
      findings: options.findings,
    });
    await this.#store.put(LOCAL_SCAN_FINDINGS_TABLE, keyOf(options), value);
  }

  /** The image's recorded findings; `SCAN_FINDINGS_UNAVAILABLE` when it was never scanned here. */
  async findings(query: ScanFindingsQuery): Promise<Finding[]> {
    const raw = await this.#store.get(LOCAL_SCAN_FINDINGS_TABLE, keyOf(query));
    const parsed = record.safeParse(raw);
    if (!parsed.success) {
      throw new ShiplineError({
        code: "SCAN_FINDINGS_UNAVAILABLE",
        message: `no local scan findings are recorded for ${query.repository}@${query.digest}; scan the image with the local scan service first`,
        data: { repository: query.repository, digest: query.digest },
        retryable: false,
      });
    }
    return parsed.data.findings;
  }
}

function keyOf(image: { readonly repository: string; readonly digest: string }) {
  return { pk: imagePartition(image.repository, image.digest), sk: "findings" };
}
