import * as z from "zod";

/**
 * The metric gate of a deployment (the environment's `bake`), as `Sync Requested` asks for it and
 * `Deployment Verified` / `Deployment Failed` record it: the window in seconds, the one check
 * (`prometheus` or `cloudwatchAlarm`) and, on the outcome, how many times the check was read (a
 * failure's `reason` says what the check said, its `code` why it failed).
 */
export const bakeDetail = z.object({
  window: z.number(),
  prometheus: z.object({ url: z.string(), query: z.string() }).optional(),
  cloudwatchAlarm: z.string().optional(),
  /** Outcome only: the checks read during the window. */
  checks: z.number().optional(),
});

/** One {@link bakeDetail}. */
export type BakeDetail = z.infer<typeof bakeDetail>;
