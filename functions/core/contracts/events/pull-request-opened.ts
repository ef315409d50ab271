import * as z from "zod";
import { detailBase, environmentField } from "../detail-base.js";
import { gitSha, imageDigest } from "../primitives.js";

/** `Pull Request Opened`: the environment asks for review, so the change waits in a pull request. */
export const pullRequestOpenedDetail = detailBase.extend({
  environment: environmentField,
  configRepo: z.string().min(1),
  url: z.string().min(1),
  number: z.number().int().positive(),
  branch: z.string().min(1),
  headCommit: gitSha,
  digest: imageDigest,
  intentId: z.string().min(1),
  updated: z.boolean().default(false),
});

/** Detail of `Pull Request Opened`. */
export type PullRequestOpened = z.infer<typeof pullRequestOpenedDetail>;
