import { describe, expect, it } from "vitest";
import { describeEvent } from "../../../../functions/local/demo/describe-event.js";

const SHA = "681fa6f0123456789abcdef0123456789abcdef0";

function anEvent(detailType: string, detail: Record<string, unknown>) {
  return {
    version: "0",
    id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
    "detail-type": detailType,
    source: "shipline",
    account: "000000000000",
    time: "2026-03-01T12:00:00Z",
    region: "local",
    resources: [],
    detail,
  };
}

describe("describeEvent", () => {
  it("tells where a pull request waits and how to merge it locally", () => {
    // Arrange
    const event = anEvent("Pull Request Opened", {
      app: "demo",
      commit: SHA,
      environment: "production",
      url: "http://127.0.0.1:4000/demo-config/pull/1",
    });

    // Act
    const line = describeEvent(event);

    // Assert
    expect(line).toEqual({
      journey: "demo@681fa6f",
      what: "Pull Request Opened",
      summary:
        "production http://127.0.0.1:4000/demo-config/pull/1 · review it, then: shipline merge demo production",
      outcome: "progress",
    });
  });

  it("names the environment, tag and config commit of a commit", () => {
    // Arrange
    const event = anEvent("Config Committed", {
      app: "demo",
      commit: SHA,
      environment: "staging",
      tag: "1.0.0-681fa6f",
      configCommit: "12c75aa0123456789abcdef0123456789abcdef0",
      kind: "update",
    });

    // Act
    const line = describeEvent(event);

    // Assert
    expect(line?.summary).toBe("staging 1.0.0-681fa6f → config 12c75aa");
  });

  it("skips an event whose detail is not an object", () => {
    // Arrange
    const event = { ...anEvent("Config Committed", {}), detail: "text" };

    // Act
    const line = describeEvent(event);

    // Assert
    expect(line).toBeUndefined();
  });
});
