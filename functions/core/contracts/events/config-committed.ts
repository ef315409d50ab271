import { z } from "zod";
import { detailBase, environmentField } from "../detail-base.js";
import { gitSha, imageDigest } from "../primitives.js";

/** `Config Committed`: the config repository now asks for the image in one environment. */
export const configCommittedDetail = detailBase.extend({
  environment: environmentField,
  configRepo: z.string().min(1),
  branch: z.string().min(1),
  configCommit: gitSha,
  files: z.array(z.string()).min(1),
  tag: z.string().min(1),
  digest: imageDigest,
  /** The write intent this commit carries out (one per intent, several intents may share a commit). */
  intentId: z.string().min(1),
  kind: z.enum(["update", "revert"]).default("update"),
});

/** Detail of `Config Committed`. */
export type ConfigCommitted = z.infer<typeof configCommittedDetail>;
