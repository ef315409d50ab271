import { describe, expect, it } from "vitest";
import { deadLetteredIntent } from "../../../../functions/local/writer/dead-lettered-intent.js";

describe("deadLetteredIntent", () => {
  it("records a write intent moved to the dead-letter queue on its journey, with what to do", () => {
    // Arrange
    const body = JSON.stringify({
      intentId: "evt-1/staging",
      app: "demo",
      environment: "staging",
      commit: "1".repeat(40),
      correlationId: "push-1",
      target: { kind: "helm", file: "envs/staging/values.yaml", path: "image.tag" },
      image: { repository: "demo", tag: "1.0.0-1111111", digest: `sha256:${"a".repeat(64)}` },
    });

    // Act
    const request = deadLetteredIntent({ body, receiveCount: 5 });

    // Assert
    expect(request.detail).toMatchObject({
      app: "demo",
      commit: "1".repeat(40),
      correlationId: "push-1",
      step: "config-writer",
      code: "WRITE_INTENT_DEAD_LETTERED",
      failedEventId: "evt-1/staging",
      data: { queue: "config-writer-dlq.fifo", receiveCount: 5, environment: "staging" },
    });
    expect(request.detail.reason).toContain("failed 5 times and was moved to the dead-letter queue");
  });

  it("records a body that is not a write intent without a journey", () => {
    // Act
    const request = deadLetteredIntent({ body: "not json", receiveCount: 5 });

    // Assert
    expect(request.detail).toMatchObject({ app: null, commit: null, code: "WRITE_INTENT_DEAD_LETTERED" });
  });
});
