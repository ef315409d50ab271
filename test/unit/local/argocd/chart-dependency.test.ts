import { describe, expect, it } from "vitest";
import { ociDependencyOf } from "../../../../functions/local/argocd/chart-dependency.js";

describe("ociDependencyOf", () => {
  it("names the repository, version and values key of an umbrella chart's OCI dependency", () => {
    // Arrange
    const text = [
      "apiVersion: v2",
      "name: demo-staging",
      "version: 0.1.0",
      "dependencies:",
      "  - name: redis",
      "    version: 19.0.0",
      "    repository: https://charts.example.com",
      "  - name: demo-chart",
      "    alias: demo",
      "    version: 1.4.0-abc1234",
      "    repository: oci://127.0.0.1:5000/charts/",
      "",
    ].join("\n");

    // Act
    const dependency = ociDependencyOf(text);

    // Assert
    expect(dependency).toEqual({
      key: "demo",
      repository: "127.0.0.1:5000/charts/demo-chart",
      name: "demo-chart",
      version: "1.4.0-abc1234",
    });
  });

  it("finds none in a chart without OCI dependencies, or in text that is not YAML", () => {
    // Act
    const plain = ociDependencyOf("apiVersion: v2\nname: demo\nversion: 0.1.0\n");
    const broken = ociDependencyOf("dependencies: [\n");

    // Assert
    expect(plain).toBeUndefined();
    expect(broken).toBeUndefined();
  });
});
