import { describe, expect, it } from "vitest";
import { testEventPattern } from "../../../../functions/core/event-pattern/test-event-pattern.js";
import {
  REGISTRY_SCAN_COMPLETED_PATTERN,
  registryScanTriggerPattern,
} from "../../../../functions/core/topology/registry-event-patterns.js";
import { ruleNamed } from "../../../../functions/core/topology/rule-topology.js";

const DIGEST = `sha256:${"2c".repeat(32)}`;

function imagePushed(imageUri: string | undefined) {
  return {
    version: "0",
    id: "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
    "detail-type": "Image Pushed",
    source: "shipline",
    account: "123456789012",
    time: "2026-12-07T21:40:00Z",
    region: "eu-west-1",
    resources: [],
    detail: {
      app: "api",
      commit: "0123456789abcdef0123456789abcdef01234567",
      repository: "acme/api",
      tag: "1.4.0-0123456",
      digest: DIGEST,
      ...(imageUri === undefined ? {} : { imageUri }),
    },
  };
}

describe("registryScanTriggerPattern", () => {
  it("matches Image Pushed of an image of the registry", () => {
    // Act
    const matched = testEventPattern(
      registryScanTriggerPattern("ghcr.io"),
      imagePushed(`ghcr.io/acme/api:1.4.0-0123456@${DIGEST}`),
    );

    // Assert
    expect(matched).toBe(true);
  });

  it.each([
    ["a registry whose host only starts alike", `ghcr.io.example.com/acme/api:1.4.0@${DIGEST}`],
    ["ECR", `123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme/api:1.4.0@${DIGEST}`],
    ["no imageUri", undefined],
  ])("leaves out an image of %s", (_, imageUri) => {
    // Act
    const matched = testEventPattern(registryScanTriggerPattern("ghcr.io"), imagePushed(imageUri));

    // Assert
    expect(matched).toBe(false);
  });
});

describe("scan-gate-on-registry-scan-completed", () => {
  it("routes Registry Scan Completed to the scan gate, whatever its status", () => {
    // Arrange
    const rule = ruleNamed("scan-gate-on-registry-scan-completed");
    const event = (status: string) => ({
      ...imagePushed(undefined),
      source: "shipline.registry",
      "detail-type": "Registry Scan Completed",
      detail: { registry: "ghcr.io", repository: "acme/api", digest: DIGEST, status },
    });

    // Act
    const matched = ["COMPLETE", "FAILED"].map((status) =>
      testEventPattern(rule.eventPattern, event(status)),
    );

    // Assert
    expect(rule.eventPattern).toEqual(REGISTRY_SCAN_COMPLETED_PATTERN);
    expect(rule.target).toEqual({ kind: "step", step: "scan-gate" });
    expect(matched).toEqual([true, true]);
  });
});
