import * as z from "zod";
import { envelopeOf } from "../event-envelope.js";

/** Detail of CodeCommit's `CodeCommit Repository State Change` event. */
export const codeCommitRepositoryStateChangeDetail = z.object({
  event: z.enum(["referenceCreated", "referenceUpdated", "referenceDeleted"]),
  repositoryName: z.string().min(1),
  repositoryId: z.string().min(1),
  referenceType: z.enum(["branch", "tag"]),
  referenceName: z.string().min(1),
  referenceFullName: z.string().min(1),
  commitId: z.string().optional(),
  oldCommitId: z.string().optional(),
  callerUserArn: z.string().optional(),
});

/** `aws.codecommit` / `CodeCommit Repository State Change`. */
export const codeCommitRepositoryStateChangeEvent = envelopeOf(codeCommitRepositoryStateChangeDetail).extend({
  source: z.literal("aws.codecommit"),
  "detail-type": z.literal("CodeCommit Repository State Change"),
});

/** A `CodeCommit Repository State Change` event. */
export type CodeCommitRepositoryStateChangeEvent = z.infer<typeof codeCommitRepositoryStateChangeEvent>;
