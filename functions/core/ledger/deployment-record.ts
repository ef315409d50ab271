import * as z from "zod";

/**
 * One deployment outcome of an app in an environment (`deploys#<app>`): what DORA metrics are
 * computed from. `production` is decided when the outcome is recorded (see `productionEnvironments`).
 *
 * @example
 * ```ts
 * const outcomes = (await store.query(LEDGER_TABLE, deploymentsPartition("demo"))).map((item) => deploymentRecord.parse(item.value));
 * ```
 */
export const deploymentRecord = z.object({
  app: z.string(),
  environment: z.string(),
  production: z.boolean(),
  outcome: z.enum(["verified", "failed"]),
  /** `revert` for the deployment of a rollback. */
  kind: z.enum(["update", "revert"]),
  commit: z.string(),
  at: z.string(),
  eventId: z.string(),
  /** From the source commit (or its push) to this verified deployment. */
  leadTimeSeconds: z.number().nonnegative().optional(),
  /** From the environment's first failure to this verified deployment, when it restored service. */
  restoreSeconds: z.number().nonnegative().optional(),
});

/** One deployment outcome. */
export type DeploymentRecord = z.infer<typeof deploymentRecord>;
