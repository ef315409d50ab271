import * as z from "zod";
import { SCHEMA_VERSION } from "./detail-type.js";
import { gitSha, resourceName } from "./primitives.js";

/**
 * Fields every Shipline detail carries: the app, the source commit the whole journey is about,
 * the correlation id that ties the hops together, and the schema version.
 */
export const detailBase = z.object({
  schemaVersion: z.number().int().min(1).default(SCHEMA_VERSION),
  app: resourceName,
  commit: gitSha,
  correlationId: z.string().min(1).max(256),
});

/** Base fields of a Shipline detail. */
export type DetailBase = z.infer<typeof detailBase>;

/** The environment an event is about. */
export const environmentField = resourceName;

/** A reference to an image by repository, tag and digest. */
export const imageRef = z.object({
  repository: z.string().min(1),
  tag: z.string().min(1),
  digest: z.string().regex(/^sha256:[0-9a-f]{64}$/, "expected sha256:<64 hex characters>"),
});
