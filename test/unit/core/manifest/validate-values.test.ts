import { describe, expect, it } from "vitest";
import { assertChartVersion, assertImageParts } from "../../../../functions/core/manifest/index.js";
import { catchShiplineError } from "./catch-shipline-error.js";

describe("assertChartVersion", () => {
  it.each(["1.2.3", "v1.2.3", "0.0.1-rc.1", "1.3.0-rc.2+build.7"])("accepts %s", (version) => {
    // Arrange / Act / Assert
    expect(() => assertChartVersion(version)).not.toThrow();
  });

  it.each(["1.2", "01.2.3", "1.2.3-", "latest", "1.2.*"])("refuses %s", (version) => {
    // Arrange / Act
    const error = catchShiplineError(() => assertChartVersion(version), "CHART_VERSION_INVALID");

    // Assert
    expect(error.data).toEqual({ version });
  });
});

describe("assertImageParts", () => {
  it("accepts ECR, registry-with-port and Docker Hub repositories", () => {
    // Arrange
    const repositories = [
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web",
      "localhost:5000/app",
      "library/nginx",
      "nginx",
    ];

    // Act / Assert
    for (const repository of repositories) {
      expect(() => assertImageParts({ repository }, ["repository"], "test")).not.toThrow();
    }
  });

  it("refuses a repository with a tag in it", () => {
    // Arrange / Act
    const error = catchShiplineError(
      () => assertImageParts({ repository: "ghcr.io/acme/web:v1" }, ["repository"], "test"),
      "IMAGE_REF_INVALID",
    );

    // Assert
    expect(error.data).toMatchObject({ part: "repository", value: "ghcr.io/acme/web:v1" });
  });
});
