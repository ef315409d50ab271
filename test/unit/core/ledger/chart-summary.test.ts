import { describe, expect, it } from "vitest";
import { chartSummary } from "../../../../functions/core/ledger/chart-summary.js";

describe("chartSummary", () => {
  it("tells the chart a build pushed: name, version and repository", () => {
    // Arrange
    const chart = {
      repository: "127.0.0.1:5000/charts/demo-chart",
      name: "demo-chart",
      version: "1.4.0-0123456",
      digest: `sha256:${"c".repeat(64)}`,
    };

    // Act
    const line = chartSummary({ chart });

    // Assert
    expect(line).toBe("chart demo-chart 1.4.0-0123456 → 127.0.0.1:5000/charts/demo-chart");
  });

  it("tells the chart version a config commit wrote, and nothing for a hop about no chart", () => {
    // Act
    const written = chartSummary({ chartVersion: "1.4.0-0123456" });
    const none = chartSummary({});

    // Assert
    expect(written).toBe("chart 1.4.0-0123456");
    expect(none).toBeUndefined();
  });
});
