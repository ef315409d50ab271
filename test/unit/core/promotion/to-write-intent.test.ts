import { describe, expect, it } from "vitest";
import type { DeployTarget } from "../../../../functions/core/config/deploy-target.js";
import { toWriteIntent } from "../../../../functions/core/promotion/to-write-intent.js";

const IMAGE = {
  app: "demo",
  repository: "registry.local/demo",
  tag: "1.4.0-0123456",
  digest: `sha256:${"a".repeat(64)}`,
  commit: "0123456789abcdef0123456789abcdef01234567",
  correlationId: "journey-1",
  approvedAt: "2026-12-07T10:00:00.000Z",
};

describe("toWriteIntent", () => {
  it("carries the target's chartVersion to the writer, so the chart version is written with the image", () => {
    // Arrange
    const chartVersion = { file: "envs/staging/Chart.yaml", path: "dependencies[0].version" };
    const target: DeployTarget = {
      kind: "helm",
      file: "envs/staging/values.yaml",
      path: "demo.image.tag",
      field: "tag",
      application: "demo-staging",
      chartVersion,
    };

    // Act
    const intent = toWriteIntent({
      intentId: "event-1/staging",
      environment: "staging",
      target,
      image: IMAGE,
    });

    // Assert
    expect(intent.target).toEqual({
      kind: "helm",
      file: "envs/staging/values.yaml",
      path: "demo.image.tag",
      field: "tag",
      application: "demo-staging",
      chartVersion,
    });
  });

  it("leaves chartVersion out for a target without one", () => {
    // Arrange
    const target: DeployTarget = {
      kind: "kustomize",
      file: "envs/production/kustomization.yaml",
      field: "tag",
      application: "demo-production",
      image: "demo",
    };

    // Act
    const intent = toWriteIntent({
      intentId: "event-1/production",
      environment: "production",
      target,
      image: IMAGE,
    });

    // Assert
    expect(intent.target).not.toHaveProperty("chartVersion");
  });
});
