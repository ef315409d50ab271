import * as z from "zod";
import { deployTargetInput } from "../config/deploy-target.js";
import { gitSha, imageDigest, imageTag, resourceName } from "../contracts/primitives.js";

/** What a write intent asks for: set an image, or undo the Shipline edit of an earlier config commit. */
export const WRITE_INTENT_KINDS = ["update", "revert"] as const;

/**
 * How an update reaches the branch: `commit` pushes it; `pull-request` pushes it to the side
 * branch `shipline/<environment>/<app>` and opens (or updates) a pull request into the branch,
 * for environments with `approval: pull-request`.
 */
export const WRITE_INTENT_MODES = ["commit", "pull-request"] as const;

/**
 * One request to the config writer, as it travels on the config repository's FIFO queue (message
 * group: repository + branch, see {@link writeIntentGroupId}). `intentId` is the id of the event
 * that asked for it and makes the write idempotent: it is recorded as the `Event-Id` trailer.
 *
 * `mode: pull-request` asks for review instead of a commit (see {@link WRITE_INTENT_MODES}); a
 * revert is always committed, since it undoes a failed deployment.
 *
 * For a `revert`, `revertOf` names the config commit whose edit of `target.file` is undone, and
 * `image` names the image it takes out; the writer reads the image the revert brings back from the
 * file and reports that one in `Config Committed` (with the taken-out image as `replaced`).
 *
 * @example
 * ```ts
 * const intent = writeIntent.parse(JSON.parse(message.body));
 * ```
 */
export const writeIntent = z
  .strictObject({
    intentId: z.string().regex(/^\S{1,256}$/, "expected the event id: 1..256 characters, no spaces"),
    kind: z.enum(WRITE_INTENT_KINDS).default("update"),
    mode: z.enum(WRITE_INTENT_MODES).default("commit"),
    app: resourceName,
    environment: resourceName,
    /** The source commit the deployment is about. */
    commit: gitSha,
    correlationId: z.string().min(1).max(256),
    /** Where the image is written (the environment's deploy target of the app). */
    target: deployTargetInput,
    image: z.strictObject({
      repository: z.string().min(1),
      tag: imageTag,
      digest: imageDigest,
    }),
    /** The scan gate's verdict, recorded as the `Scan-Verdict` trailer. */
    scanVerdict: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9 ._:-]{0,63}$/, "expected a short one-line verdict such as approved")
      .optional(),
    /** `revert` only: the config commit to undo. */
    revertOf: gitSha.optional(),
  })
  .superRefine((intent, ctx) => {
    if (intent.kind === "revert" && intent.revertOf === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["revertOf"],
        message: "a revert intent needs revertOf: the sha of the config commit to undo",
      });
    }
    if (intent.kind === "revert" && intent.mode === "pull-request") {
      ctx.addIssue({
        code: "custom",
        path: ["mode"],
        message:
          "a revert is committed directly (it undoes a failed deployment); drop mode or set mode: commit",
      });
    }
    if (intent.kind === "update" && intent.revertOf !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["revertOf"],
        message: "revertOf is only for kind: revert; drop it or set kind: revert",
      });
    }
  });

/** A parsed {@link writeIntent}. */
export type WriteIntent = z.output<typeof writeIntent>;

/** What a producer sends ({@link writeIntent} before defaults). */
export type WriteIntentInput = z.input<typeof writeIntent>;

/**
 * The FIFO message group of a config repository's branch: every write to one branch goes through
 * one group, so one writer at a time commits to it.
 *
 * @example
 * ```ts
 * await queue.send({ body: JSON.stringify(intent), groupId: writeIntentGroupId("local:demo-config", "main"), deduplicationId: intent.intentId });
 * ```
 */
export function writeIntentGroupId(repository: string, branch: string): string {
  return `${repository}#${branch}`;
}
