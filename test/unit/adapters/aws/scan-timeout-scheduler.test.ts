import { CreateScheduleCommand, SchedulerClient } from "@aws-sdk/client-scheduler";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import {
  EventBridgeScanTimeoutScheduler,
  scanTimeoutScheduleName,
} from "../../../../functions/adapters/aws/scan-timeout-scheduler.js";
import { scanTimeoutFor } from "../../../../functions/core/scan/scan-timeout-check.js";
import { IMAGE } from "../../core/scan/scan-gate-kit.js";

const scheduler = mockClient(SchedulerClient);
const NOW = new Date("2026-03-15T12:00:00.000Z");

afterEach(() => scheduler.reset());

function create(): EventBridgeScanTimeoutScheduler {
  return new EventBridgeScanTimeoutScheduler({
    client: new SchedulerClient({ region: "eu-west-1" }),
    groupName: "shipline-scan-timeouts",
    targetArn: "arn:aws:lambda:eu-west-1:123456789012:function:scan-gate",
    roleArn: "arn:aws:iam::123456789012:role/scan-timeout",
    clock: { now: () => NOW },
  });
}

describe("EventBridgeScanTimeoutScheduler", () => {
  it("creates a one-time schedule that invokes the scan gate with the check and deletes itself", async () => {
    // Arrange
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: "arn:aws:scheduler:::schedule/x" });
    const timeout = scanTimeoutFor({ image: IMAGE, policy: { timeoutSeconds: 1800 }, now: NOW });

    // Act
    await create().schedule(timeout);

    // Assert
    const [call] = scheduler.commandCalls(CreateScheduleCommand);
    expect(call?.args[0].input).toEqual({
      Name: scanTimeoutScheduleName(timeout.check),
      GroupName: "shipline-scan-timeouts",
      Description: `Scan timeout of demo@${IMAGE.digest}`,
      ScheduleExpression: "at(2026-03-15T12:30:00)",
      ScheduleExpressionTimezone: "UTC",
      FlexibleTimeWindow: { Mode: "OFF" },
      ActionAfterCompletion: "DELETE",
      Target: {
        Arn: "arn:aws:lambda:eu-west-1:123456789012:function:scan-gate",
        RoleArn: "arn:aws:iam::123456789012:role/scan-timeout",
        Input: JSON.stringify(timeout.check),
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
      },
    });
    expect(scanTimeoutScheduleName(timeout.check)).toMatch(/^scan-timeout-[0-9a-f]{48}$/);
  });

  it("sets a due time that has passed a minute ahead, since a schedule cannot run in the past", async () => {
    // Arrange
    scheduler.on(CreateScheduleCommand).resolves({});
    const timeout = scanTimeoutFor({ image: IMAGE, policy: { timeoutSeconds: 1800 }, now: NOW });

    // Act
    await create().schedule({ ...timeout, at: new Date("2026-03-15T11:00:00.000Z") });

    // Assert
    expect(scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input.ScheduleExpression).toBe(
      "at(2026-03-15T12:01:00)",
    );
  });

  it("counts an existing schedule of the image as scheduled", async () => {
    // Arrange
    scheduler
      .on(CreateScheduleCommand)
      .rejects(Object.assign(new Error("exists"), { name: "ConflictException" }));
    const timeout = scanTimeoutFor({ image: IMAGE, policy: { timeoutSeconds: 1800 }, now: NOW });

    // Act
    const scheduling = create().schedule(timeout);

    // Assert
    await expect(scheduling).resolves.toBeUndefined();
  });

  it("asks for a retry when Scheduler throttles, and fails permanently without permission", async () => {
    // Arrange
    const timeout = scanTimeoutFor({ image: IMAGE, policy: { timeoutSeconds: 1800 }, now: NOW });
    scheduler
      .on(CreateScheduleCommand)
      .rejectsOnce(Object.assign(new Error("slow down"), { name: "ThrottlingException" }))
      .rejectsOnce(Object.assign(new Error("no"), { name: "AccessDeniedException" }));

    // Act
    const throttled = create().schedule(timeout);
    await expect(throttled).rejects.toMatchObject({ code: "SCAN_TIMEOUT_SCHEDULE_FAILED", retryable: true });
    const denied = create().schedule(timeout);

    // Assert
    await expect(denied).rejects.toMatchObject({
      code: "SCAN_TIMEOUT_SCHEDULE_FAILED",
      retryable: false,
      message: expect.stringMatching(/iam:PassRole/),
    });
  });
});
