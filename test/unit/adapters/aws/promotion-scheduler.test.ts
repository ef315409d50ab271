import { CreateScheduleCommand, SchedulerClient } from "@aws-sdk/client-scheduler";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  EventBridgePromotionScheduler,
  promotionScheduleName,
} from "../../../../functions/adapters/aws/promotion-scheduler.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import type { ScheduledPromotion } from "../../../../functions/core/ports/promotion-scheduler.js";
import { promotionDuePayload } from "../../../../functions/core/promotion/promotion-due.js";

const NOW = new Date("2026-03-01T12:00:00Z");

const request: ScheduledPromotion = {
  id: `soak-elapsed.shop.production.${"a".repeat(64)}`,
  at: new Date("2026-03-01T12:10:00.250Z"),
  reason: "soak-elapsed",
  app: "shop",
  environment: "production",
  digest: `sha256:${"a".repeat(64)}`,
  commit: "1".repeat(40),
  correlationId: "push-1",
};

function awsError(name: string): Error {
  const error = new Error(`${name} happened`);
  error.name = name;
  return error;
}

async function rejectionOf(promise: Promise<unknown>): Promise<ShiplineError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ShiplineError) return error;
    throw error;
  }
  throw new Error("expected a ShiplineError, but the promise resolved");
}

describe("EventBridgePromotionScheduler", () => {
  const scheduler = mockClient(SchedulerClient);
  let adapter: EventBridgePromotionScheduler;

  beforeEach(() => {
    scheduler.reset();
    adapter = new EventBridgePromotionScheduler({
      client: new SchedulerClient({ region: "eu-west-1" }),
      targetArn: "arn:aws:lambda:eu-west-1:123456789012:function:promote",
      roleArn: "arn:aws:iam::123456789012:role/scheduler",
      clock: { now: () => NOW },
    });
  });

  afterEach(() => {
    scheduler.reset();
  });

  it("creates a one-time schedule in the shipline group that invokes the promote function and deletes itself", async () => {
    // Arrange
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: "arn:schedule" });

    // Act
    await adapter.schedulePromotion(request);

    // Assert
    const [call] = scheduler.commandCalls(CreateScheduleCommand);
    const input = call?.args[0].input;
    expect(input).toMatchObject({
      Name: promotionScheduleName(request.id),
      GroupName: "shipline",
      ScheduleExpression: "at(2026-03-01T12:10:01)",
      ScheduleExpressionTimezone: "UTC",
      FlexibleTimeWindow: { Mode: "OFF" },
      ActionAfterCompletion: "DELETE",
      Target: {
        Arn: "arn:aws:lambda:eu-west-1:123456789012:function:promote",
        RoleArn: "arn:aws:iam::123456789012:role/scheduler",
      },
    });
    expect(input?.Name).toMatch(/^promote-[0-9a-f]{56}$/);
    expect(promotionDuePayload.parse(JSON.parse(input?.Target?.Input ?? ""))).toEqual({
      id: request.id,
      source: "shipline.scheduler",
      "detail-type": "Promotion Due",
      time: "2026-03-01T12:10:00.250Z",
      detail: {
        reason: "soak-elapsed",
        app: "shop",
        environment: "production",
        digest: request.digest,
        commit: request.commit,
        correlationId: "push-1",
      },
    });
  });

  it("sets a check that is already due a minute ahead, since Scheduler skips times in the past", async () => {
    // Arrange
    scheduler.on(CreateScheduleCommand).resolves({});

    // Act
    await adapter.schedulePromotion({ ...request, at: new Date("2026-03-01T11:00:00Z") });

    // Assert
    expect(scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input.ScheduleExpression).toBe(
      "at(2026-03-01T12:01:00)",
    );
  });

  it("treats an existing schedule of the same check as scheduled", async () => {
    // Arrange
    scheduler.on(CreateScheduleCommand).rejects(awsError("ConflictException"));

    // Act
    const outcome = adapter.schedulePromotion(request);

    // Assert
    await expect(outcome).resolves.toBeUndefined();
  });

  it("fails permanently on a validation error and retryably on throttling", async () => {
    // Arrange
    scheduler
      .on(CreateScheduleCommand)
      .rejectsOnce(awsError("ValidationException"))
      .rejectsOnce(awsError("ThrottlingException"));

    // Act
    const invalid = await rejectionOf(adapter.schedulePromotion(request));
    const throttled = await rejectionOf(adapter.schedulePromotion(request));

    // Assert
    expect([invalid.code, invalid.retryable]).toEqual(["PROMOTION_SCHEDULE_FAILED", false]);
    expect(invalid.message).toContain("ValidationException");
    expect([throttled.code, throttled.retryable]).toEqual(["PROMOTION_SCHEDULE_FAILED", true]);
  });
});
