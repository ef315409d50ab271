import { createHash } from "node:crypto";
import { CreateScheduleCommand, type SchedulerClient } from "@aws-sdk/client-scheduler";
import * as z from "zod";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import { type Clock, systemClock } from "../../core/ports/clock.js";
import type {
  ScanTimeoutScheduler,
  ScheduleScanTimeoutInput,
} from "../../core/ports/scan-timeout-scheduler.js";
import type { ScanTimeoutCheck } from "../../core/scan/scan-timeout-check.js";

/** Options of {@link EventBridgeScanTimeoutScheduler}. */
export interface EventBridgeScanTimeoutSchedulerOptions {
  readonly client: SchedulerClient;
  /** The schedule group of the scan gate's timeouts. */
  readonly groupName: string;
  /** The ARN of the function that runs the check (the scan gate). */
  readonly targetArn: string;
  /** The role EventBridge Scheduler assumes to invoke it. */
  readonly roleArn: string;
  /** Where Scheduler puts a check it could not deliver. @default - none */
  readonly deadLetterArn?: string;
  /** @default - the system clock */
  readonly clock?: Clock;
}

/** The soonest a schedule is set, from now: Scheduler does not run a one-time schedule in the past. */
const MIN_LEAD_SECONDS = 60;

const awsError = z.object({ name: z.string(), message: z.string().optional() });

/**
 * The name of an image's timeout schedule: `scan-timeout-` and 48 hex characters of the SHA-256 of
 * `<repository>@<digest>` (Scheduler names hold at most 64 characters of `[0-9a-zA-Z-_.]`). One
 * image, one name: scheduling it again finds the schedule there.
 *
 * @example
 * ```ts
 * scanTimeoutScheduleName(check); // "scan-timeout-3f2a..."
 * ```
 */
export function scanTimeoutScheduleName(check: ScanTimeoutCheck): string {
  const image = `${check.detail.repository}@${check.detail.digest}`;
  return `scan-timeout-${createHash("sha256").update(image).digest("hex").slice(0, 48)}`;
}

/**
 * The {@link ScanTimeoutScheduler} on AWS: one EventBridge Scheduler schedule per image, a one-time
 * `at(...)` expression in UTC (at least a minute ahead), no flexible window, deleted after it has
 * run (`ActionAfterCompletion: DELETE`), whose target invokes the scan gate with the check as its
 * input. An existing schedule of the same image (`ConflictException`) counts as scheduled.
 *
 * @example
 * ```ts
 * const scheduler = new EventBridgeScanTimeoutScheduler({ client: new SchedulerClient({}), groupName, targetArn, roleArn });
 * await scheduler.schedule(scanTimeoutFor({ image, policy, now: new Date() }));
 * ```
 */
export class EventBridgeScanTimeoutScheduler implements ScanTimeoutScheduler {
  readonly #options: EventBridgeScanTimeoutSchedulerOptions;
  readonly #clock: Clock;

  constructor(options: EventBridgeScanTimeoutSchedulerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  /** Creates the image's one-time schedule. */
  async schedule(input: ScheduleScanTimeoutInput): Promise<void> {
    const { client, groupName, targetArn, roleArn, deadLetterArn } = this.#options;
    const soonest = this.#clock.now().getTime() + MIN_LEAD_SECONDS * 1000;
    const at = new Date(Math.max(input.at.getTime(), soonest));
    const name = scanTimeoutScheduleName(input.check);
    try {
      await client.send(
        new CreateScheduleCommand({
          Name: name,
          GroupName: groupName,
          Description: `Scan timeout of ${input.check.detail.repository}@${input.check.detail.digest}`,
          ScheduleExpression: atExpression(at),
          ScheduleExpressionTimezone: "UTC",
          FlexibleTimeWindow: { Mode: "OFF" },
          ActionAfterCompletion: "DELETE",
          Target: {
            Arn: targetArn,
            RoleArn: roleArn,
            Input: JSON.stringify(input.check),
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
      throw new ShiplineError({
        code: "SCAN_TIMEOUT_SCHEDULE_FAILED",
        message: `Creating schedule ${name} in group '${groupName}' failed with ${errorName}${facts.success && facts.data.message ? `: ${facts.data.message}` : ""}; ${
          permanent
            ? "check the group, the target and that the function may call scheduler:CreateSchedule and iam:PassRole"
            : "the invocation is retried"
        }`,
        data: { name, groupName, errorName },
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
