import { describe, expect, it } from "vitest";
import { EnvName } from "../../../functions/core/topology/env-names.js";
import { readScanGateEnvironment } from "../../../functions/handlers/scan-gate-environment.js";

const BASE = {
  [EnvName.EventBusName]: "shipline",
  [EnvName.ConfigJson]: JSON.stringify({
    version: 1,
    configRepo: {
      url: "https://github.com/acme/deploy.git",
      credentials: { provider: "token", secretName: "shipline/t" },
    },
    clusters: [{ name: "prod" }],
    environments: [{ name: "production", cluster: "prod" }],
    registries: [{ kind: "oci", url: "https://ghcr.io" }],
    apps: [
      {
        name: "api",
        source: { repo: "https://github.com/acme/api.git" },
        image: { repository: "ghcr.io/acme/api" },
        build: "external",
        deploy: { production: { kind: "helm", file: "envs/production/values.yaml", path: "image.tag" } },
      },
    ],
  }),
  [EnvName.ImagesTable]: "images",
};

describe("readScanGateEnvironment", () => {
  it("reads the scan reports' bucket and the function's region where a registry is scanned", () => {
    // Arrange
    const env = {
      ...BASE,
      [EnvName.ScanReportsBucketHost]: "reports.s3.eu-west-1.amazonaws.com",
      AWS_REGION: "eu-west-1",
    };

    // Act
    const environment = readScanGateEnvironment({ bundleDir: "/nonexistent", env });

    // Assert
    expect(environment.scanReports).toEqual({
      bucketHost: "reports.s3.eu-west-1.amazonaws.com",
      region: "eu-west-1",
    });
  });

  it("reads no scan reports where no registry is scanned", () => {
    // Act
    const environment = readScanGateEnvironment({
      bundleDir: "/nonexistent",
      env: { ...BASE, AWS_REGION: "eu-west-1" },
    });

    // Assert
    expect(environment.scanReports).toBeUndefined();
  });

  it("names AWS_REGION when the bucket is given without it", () => {
    // Arrange
    const env = { ...BASE, [EnvName.ScanReportsBucketHost]: "reports.s3.eu-west-1.amazonaws.com" };

    // Act
    const read = () => readScanGateEnvironment({ bundleDir: "/nonexistent", env });

    // Assert
    expect(read).toThrow(
      expect.objectContaining({ code: "CONFIG_INVALID", message: expect.stringContaining("AWS_REGION") }),
    );
  });
});
