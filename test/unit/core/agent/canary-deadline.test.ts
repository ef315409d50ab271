import { describe, expect, it } from "vitest";
import { canaryDeadline } from "../../../../functions/core/agent/canary-deadline.js";

const REQUESTED_AT = new Date("2026-03-01T12:00:00Z");
const DEADLINE = new Date("2026-03-01T12:05:00Z");

describe("canaryDeadline", () => {
  it("keeps the request's deadline while no canary step was seen", () => {
    // Arrange
    const options = { requestedAt: REQUESTED_AT, deadline: DEADLINE };

    // Act
    const deadline = canaryDeadline(options);

    // Assert
    expect(deadline.toISOString()).toBe("2026-03-01T12:05:00.000Z");
  });

  it("gives the whole window again from the last step change", () => {
    // Arrange
    const lastStepChangeAt = new Date("2026-03-01T12:04:00Z");

    // Act
    const deadline = canaryDeadline({ requestedAt: REQUESTED_AT, deadline: DEADLINE, lastStepChangeAt });

    // Assert
    expect(deadline.toISOString()).toBe("2026-03-01T12:09:00.000Z");
  });

  it("never moves past the cap the environment sets", () => {
    // Arrange
    const lastStepChangeAt = new Date("2026-03-01T12:28:00Z");
    const until = new Date("2026-03-01T12:30:00Z");

    // Act
    const deadline = canaryDeadline({
      requestedAt: REQUESTED_AT,
      deadline: DEADLINE,
      until,
      lastStepChangeAt,
    });

    // Assert
    expect(deadline.toISOString()).toBe("2026-03-01T12:30:00.000Z");
  });

  it("caps at one hour after the request when the request names no cap", () => {
    // Arrange
    const lastStepChangeAt = new Date("2026-03-01T12:58:00Z");

    // Act
    const deadline = canaryDeadline({ requestedAt: REQUESTED_AT, deadline: DEADLINE, lastStepChangeAt });

    // Assert
    expect(deadline.toISOString()).toBe("2026-03-01T13:00:00.000Z");
  });
});
