import * as z from "zod";
import { detailBase, environmentField } from "../detail-base.js";
import { gitSha, imageDigest } from "../primitives.js";

/** `Config Committed`: the config repository now asks for the image in one environment. */
export const configCommittedDetail = detailBase.extend({
  environment: environmentField,
  configRepo: z.string().min(1),
  branch: z.string().min(1),
  configCommit: gitSha,
  files: z.array(z.string()).min(1),
  /** The image the target holds after the commit (for a revert: the image it restores). */
  tag: z.string().min(1),
  /** Its digest; absent only when a person wrote a tag Shipline never deployed. */
  digest: imageDigest.optional(),
  /** The write intent this commit carries out (one per intent, several intents may share a commit). */
  intentId: z.string().min(1),
  kind: z.enum(["update", "revert"]).default("update"),
  /** Who wrote the commit: Shipline (absent, or `shipline`) or a person, read from the config repository's push. */
  by: z.enum(["shipline", "person"]).optional(),
  /** A person's commit: its author and subject. */
  author: z.string().min(1).optional(),
  subject: z.string().optional(),
  /** The chart version the commit wrote beside the image, for a target with `chartVersion` (the image's tag). */
  chartVersion: z.string().min(1).optional(),
  /** The image the commit replaced in the target (for a revert: the image it took out). */
  replaced: z.object({ tag: z.string().min(1).optional(), digest: imageDigest.optional() }).optional(),
});

/** Detail of `Config Committed`. */
export type ConfigCommitted = z.infer<typeof configCommittedDetail>;
