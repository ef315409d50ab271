import * as z from "zod";
import { imagePartition, KNOWN_IMAGES_TABLE } from "../images/known-image.js";
import type { DocumentStore } from "../ports/document-store.js";
import type { ScanResult } from "./scan-result.js";

/** How long a scan result of an image Shipline does not know yet is kept: two days. */
export const PARKED_SCAN_SECONDS = 2 * 86_400;

const SK_PREFIX = "scan#";

const parkedScan = z.object({
  origin: z.enum(["ecr", "inspector2", "harbor", "registry"]),
  scanner: z.enum(["trivy", "grype"]).optional(),
  repository: z.string().min(1),
  digest: z.string().min(1),
  tags: z.array(z.string()),
  status: z.string().min(1),
  registryId: z.string(),
  time: z.string(),
});

/**
 * Keeps a scan result that arrived before its image was known (the scan finished before
 * `image-pushed` recorded the image, or the image was found by the sweep), in the image's partition,
 * so that the timeout check judges it instead of timing the image out.
 *
 * @example
 * ```ts
 * await parkScan({ store, scan, now: clock.now() });
 * ```
 */
export async function parkScan(options: {
  readonly store: DocumentStore;
  readonly scan: ScanResult;
  readonly now: Date;
}): Promise<void> {
  const { store, scan, now } = options;
  await store.put(
    KNOWN_IMAGES_TABLE,
    { pk: imagePartition(scan.repository, scan.digest), sk: `${SK_PREFIX}${scan.origin}` },
    parkedScan.parse({ ...scan, tags: [...scan.tags] }),
    { expiresAt: new Date(now.getTime() + PARKED_SCAN_SECONDS * 1000) },
  );
}

/**
 * The scan results kept for an image by {@link parkScan}, in sort-key order (ECR before Inspector).
 *
 * @example
 * ```ts
 * const [scan] = await parkedScans({ store, repository: "demo", digest });
 * ```
 */
export async function parkedScans(options: {
  readonly store: DocumentStore;
  readonly repository: string;
  readonly digest: string;
}): Promise<ScanResult[]> {
  const { store, repository, digest } = options;
  const items = await store.query(KNOWN_IMAGES_TABLE, imagePartition(repository, digest), {
    skPrefix: SK_PREFIX,
  });
  return items.flatMap((item) => {
    const parsed = parkedScan.safeParse(item.value);
    return parsed.success ? [parsed.data] : [];
  });
}
