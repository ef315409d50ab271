import { createHash } from "node:crypto";
import { CreateScheduleCommand, type SchedulerClient } from "@aws-sdk/client-scheduler";
import * as z from "zod";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import { type Clock, systemClock } from "../../core/ports/clock.js";
import type { PromotionScheduler, ScheduledPromotion } from "../../core/ports/promotion-scheduler.js";
import { toPromotionDuePayload } from "../../core/promotion/promotion-due.js";

/** The schedule group of promotion checks unless told otherwise. */
export const DEFAULT_PROMOTION_SCHEDULE_GROUP = "shipline";

/** Options of {@link EventBridgePromotionScheduler}. */
export interface EventBridgePromotionSchedulerOptions {
  readonly client: SchedulerClient;
  /** The ARN of the function the check invokes (the promote step). */
  readonly targetArn: string;
  /** The role EventBridge Scheduler assumes to invoke it. */
  readonly roleArn: string;
  /** The schedule group. @default DEFAULT_PROMOTION_SCHEDULE_GROUP */
  readonly groupName?: string;
  /** Where Scheduler puts a check it could not deliver. @default - none */
  readonly deadLetterArn?: string;
  /** @default - the system clock */
  readonly clock?: Clock;
}

/** The soonest a schedule is set, from now: Scheduler does not run a one-time schedule in the past. */
const MIN_LEAD_SECONDS = 60;

const awsError = z.object({ name: z.string(), message: z.string().optional() });

/**
 * The name of a check's schedule: `promote-` and 56 hex characters of the SHA-256 of its id
 * (Scheduler names hold at most 64 characters of `[0-9a-zA-Z-_.]`). One id, one name: scheduling it
 * again finds the schedule there.
 *
 * @example
 * ```ts
 * promotionScheduleName("soak-elapsed.demo.production.9f2c..."); // "promote-3f2a..."
 * ```
 */
export function promotionScheduleName(id: string): string {
  return `promote-${createHash("sha256").update(id).digest("hex").slice(0, 56)}`;
}

/**
 * The {@link PromotionScheduler} on AWS: one EventBridge Scheduler schedule per check, a one-time
 * `at(...)` expression in UTC (at least a minute ahead), no flexible window, deleted after it has
 * run (`ActionAfterCompletion: DELETE`), whose target invokes the promote function with the
 * `Promotion Due` payload as its input. An existing schedule of the same check
 * (`ConflictException`) counts as scheduled.
 *
 * @example
 * ```ts
 * const scheduler = new EventBridgePromotionScheduler({ client: new SchedulerClient({}), targetArn, roleArn });
 * await scheduler.schedulePromotion(request);
 * ```
 */
export class EventBridgePromotionScheduler implements PromotionScheduler {
  readonly #options: EventBridgePromotionSchedulerOptions;
  readonly #clock: Clock;

  constructor(options: EventBridgePromotionSchedulerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  /** Creates the check's one-time schedule. */
  async schedulePromotion(request: ScheduledPromotion): Promise<void> {
    const { client, targetArn, roleArn, deadLetterArn } = this.#options;
    const groupName = this.#options.groupName ?? DEFAULT_PROMOTION_SCHEDULE_GROUP;
    const soonest = this.#clock.now().getTime() + MIN_LEAD_SECONDS * 1000;
    const at = new Date(Math.max(request.at.getTime(), soonest));
    const name = promotionScheduleName(request.id);
    try {
      await client.send(
        new CreateScheduleCommand({
          Name: name,
          GroupName: groupName,
          Description:
            `Promotion check (${request.reason}) of ${request.app} in ${request.environment}`.slice(0, 512),
          ScheduleExpression: atExpression(at),
          ScheduleExpressionTimezone: "UTC",
          FlexibleTimeWindow: { Mode: "OFF" },
          ActionAfterCompletion: "DELETE",
          Target: {
            Arn: targetArn,
            RoleArn: roleArn,
            Input: JSON.stringify(toPromotionDuePayload(request)),
            RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
            ...(deadLetterArn === undefined ? {} : { DeadLetterConfig: { Arn: deadLetterArn } }),
          },
        }),
      );
    } catch (error) {
      const facts = awsError.safeParse(error);
      const errorName = facts.success ? facts.data.name : "UnknownError";
      if (errorName === "ConflictException") return;
      const permanent = errorName === "ValidationException" || errorName === "AccessDeniedException";
      const detail = facts.success && facts.data.message ? `: ${facts.data.message}` : "";
      throw new ShiplineError({
        code: "PROMOTION_SCHEDULE_FAILED",
        message: `Creating schedule ${name} (${request.id}) in group '${groupName}' failed with ${errorName}${detail}; ${
          permanent
            ? "check the group, the target and that the function may call scheduler:CreateSchedule and iam:PassRole"
            : "the invocation is retried"
        }`,
        data: { name, id: request.id, groupName, errorName },
        retryable: !permanent,
        cause: error,
      });
    }
  }
}

/** `at(yyyy-mm-ddThh:mm:ss)` in UTC, rounded up to the next whole second. */
function atExpression(at: Date): string {
  const seconds = Math.ceil(at.getTime() / 1000) * 1000;
  return `at(${new Date(seconds).toISOString().slice(0, 19)})`;
}
