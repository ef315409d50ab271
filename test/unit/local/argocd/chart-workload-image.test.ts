import { describe, expect, it } from "vitest";
import { chartWorkloadImage } from "../../../../functions/local/argocd/chart-workload-image.js";
import type { PulledChart } from "../../../../functions/local/argocd/oci-chart-source.js";

function chartWith(values: string, appVersion?: string): PulledChart {
  return {
    reference: "oci://127.0.0.1:5000/charts/demo-chart:1.4.0-abc1234",
    name: "demo-chart",
    version: "1.4.0-abc1234",
    ...(appVersion === undefined ? {} : { appVersion }),
    files: new Map([["values.yaml", values]]),
  };
}

describe("chartWorkloadImage", () => {
  it("takes the chart's repository and the parent's tag, later parent files winning", () => {
    // Arrange
    const chart = chartWith("image:\n  repository: demo\n  tag: ''\n  pullPolicy: IfNotPresent\n");
    const parentValues = [
      "demo-chart:\n  image:\n    tag: 1.0.0-old\n",
      "demo-chart:\n  image:\n    tag: 1.4.0-abc1234\n",
    ];

    // Act
    const image = chartWorkloadImage({ chart, key: "demo-chart", parentValues });

    // Assert
    expect(image).toEqual({ repository: "demo", tag: "1.4.0-abc1234" });
  });

  it("falls back to the chart's appVersion when nothing sets a tag", () => {
    // Arrange
    const chart = chartWith("image:\n  repository: demo\n", "1.4.0-abc1234");

    // Act
    const image = chartWorkloadImage({ chart, key: "demo-chart", parentValues: ["other:\n  image: x\n"] });

    // Assert
    expect(image).toEqual({ repository: "demo", tag: "1.4.0-abc1234" });
  });

  it("finds no image when neither the chart nor the parent sets one", () => {
    // Act
    const image = chartWorkloadImage({
      chart: chartWith("replicaCount: 1\n"),
      key: "demo-chart",
      parentValues: [],
    });

    // Assert
    expect(image).toBeUndefined();
  });
});
