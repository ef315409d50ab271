/**
 * Names of the environment variables the promote function reads besides the common ones
 * (`EnvName`): `infra/` sets them and `functions/handlers/promote-environment.ts` reads them.
 *
 * @example
 * ```ts
 * fn.addEnvironment(PromoteEnvName.WriteQueueUrl, writerQueue.queueUrl);
 * ```
 */
export const PromoteEnvName = {
  /** The DynamoDB table of promotion records (logical table `promotion`). */
  PromotionTable: "PROMOTION_TABLE",
  /** The URL of the config repository's FIFO writer queue. */
  WriteQueueUrl: "WRITE_QUEUE_URL",
  /** The EventBridge Scheduler group of promotion checks. */
  ScheduleGroup: "PROMOTION_SCHEDULE_GROUP",
  /** The role EventBridge Scheduler assumes to invoke the promote function. */
  SchedulerRoleArn: "PROMOTION_SCHEDULER_ROLE_ARN",
  /** Where Scheduler puts a check it could not deliver (an SQS queue ARN). Optional. */
  SchedulerDeadLetterArn: "PROMOTION_SCHEDULER_DEAD_LETTER_ARN",
  /** Where app repositories are cloned to read their history. @default "/tmp/shipline-git" */
  GitCacheDir: "GIT_CACHE_DIR",
  /**
   * The scan gate's table of images and verdicts (logical table `images`): promote reads the gate's
   * own verdict before it lets an approved image in.
   */
  ImagesTable: "GATE_IMAGES_TABLE",
} as const;
