import { describe, expect, it } from "vitest";
import { backoffDelay } from "../../../../functions/local/bus/backoff.js";

describe("backoffDelay", () => {
  it.each([
    [1, 100],
    [2, 200],
    [3, 400],
    [6, 1000],
    [200, 1000],
  ])("after %i failed attempts waits up to %i ms", (attempts, ceiling) => {
    // Arrange
    const options = { baseDelayMs: 100, maxDelayMs: 1000 };

    // Act
    const shortest = backoffDelay(attempts, { ...options, random: () => 0 });
    const longest = backoffDelay(attempts, { ...options, random: () => 0.999999 });

    // Assert
    expect(shortest).toBe(0);
    expect(longest).toBe(ceiling - 1);
  });

  it("spreads delays with full jitter", () => {
    // Arrange
    const options = { baseDelayMs: 1000, maxDelayMs: 60_000, random: () => 0.25 };

    // Act
    const delay = backoffDelay(3, options);

    // Assert
    expect(delay).toBe(1000);
  });
});
