import * as z from "zod";
import { isoTime } from "../contracts/primitives.js";
import type { DocumentStore, StoreKey } from "../ports/document-store.js";
import { KNOWN_IMAGES_TABLE } from "./known-image.js";

const watermarkRecord = z.object({ watermark: isoTime });

/**
 * The key of a repository's sweep watermark in the images table: `{ pk: "sweep#<repository>", sk: "watermark" }`.
 *
 * @example
 * ```ts
 * sweepWatermarkKey("demo"); // { pk: "sweep#demo", sk: "watermark" }
 * ```
 */
export function sweepWatermarkKey(repository: string): StoreKey {
  return { pk: `sweep#${repository}`, sk: "watermark" };
}

/**
 * Reads the watermark of a repository's last sweep, or undefined before the first one (or when the
 * stored record is not a watermark, so that a damaged record only widens the next sweep).
 *
 * @example
 * ```ts
 * const watermark = await readSweepWatermark({ store, repository: "demo" });
 * ```
 */
export async function readSweepWatermark(options: {
  readonly store: DocumentStore;
  readonly repository: string;
}): Promise<Date | undefined> {
  const raw = await options.store.get(KNOWN_IMAGES_TABLE, sweepWatermarkKey(options.repository));
  const parsed = watermarkRecord.safeParse(raw);
  return parsed.success ? new Date(parsed.data.watermark) : undefined;
}

/**
 * Stores the watermark a sweep of a repository reached.
 *
 * @example
 * ```ts
 * await writeSweepWatermark({ store, repository: "demo", watermark: plan.watermark });
 * ```
 */
export async function writeSweepWatermark(options: {
  readonly store: DocumentStore;
  readonly repository: string;
  readonly watermark: Date;
}): Promise<void> {
  await options.store.put(KNOWN_IMAGES_TABLE, sweepWatermarkKey(options.repository), {
    watermark: options.watermark.toISOString(),
  });
}
