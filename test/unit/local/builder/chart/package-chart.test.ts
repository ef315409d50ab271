import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { packageChart } from "../../../../../functions/local/builder/chart/package-chart.js";

const CHART = "apiVersion: v2\nname: demo\nversion: 0.1.0\n";

describe("packageChart with symbolic links", () => {
  let dir: string;
  let checkout: string;
  let chart: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "shipline-package-chart-"));
    checkout = path.join(dir, "checkout");
    chart = path.join(checkout, "charts/demo");
    await mkdir(path.join(chart, "templates"), { recursive: true });
    await writeFile(path.join(chart, "Chart.yaml"), CHART);
    await writeFile(path.join(dir, "host-secret"), "not the chart's\n");
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const pack = (chartPath = "charts/demo") =>
    packageChart({ sourceDir: checkout, chartPath, version: "1.0.0-abc1234", repository: "r.local/demo" });

  it("refuses a link to a file outside the checkout, naming the link and the fix", async () => {
    // Arrange
    await symlink(path.join(dir, "host-secret"), path.join(chart, "templates/secret.yaml"));

    // Act
    const packed = pack();

    // Assert
    await expect(packed).rejects.toMatchObject({
      code: "CHART_SYMLINK",
      retryable: false,
      message: expect.stringMatching(
        /^charts\/demo\/templates\/secret\.yaml is a symbolic link \(to '.*host-secret'\).*replace it with the file or directory it points to, or name it in charts\/demo\/\.helmignore$/,
      ),
    });
  });

  it("refuses a link cycle instead of walking it forever", async () => {
    // Arrange
    await symlink(".", path.join(chart, "templates/loop"));

    // Act
    const packed = pack();

    // Assert
    await expect(packed).rejects.toMatchObject({
      code: "CHART_SYMLINK",
      data: { chartPath: "charts/demo", file: "templates/loop", target: "." },
    });
  });

  it("packs a chart whose .helmignore names its link, leaving the link out", async () => {
    // Arrange
    await symlink(path.join(dir, "host-secret"), path.join(chart, "secret.yaml"));
    await writeFile(path.join(chart, ".helmignore"), "secret.yaml\n");

    // Act
    const packed = await pack();

    // Assert
    const tar = gunzipSync(packed.archive).toString("latin1");
    expect(tar).toContain("demo/Chart.yaml");
    expect(tar).not.toContain("not the chart's");
  });

  it("refuses a chart.path that leads out of the checkout through a link", async () => {
    // Arrange
    const outside = path.join(dir, "outside/demo");
    await mkdir(outside, { recursive: true });
    await writeFile(path.join(outside, "Chart.yaml"), CHART);
    await symlink(path.join(dir, "outside"), path.join(checkout, "deploy"));

    // Act
    const packed = pack("deploy/demo");

    // Assert
    await expect(packed).rejects.toMatchObject({
      code: "CHART_SYMLINK",
      message: expect.stringContaining("chart.path 'deploy/demo' leads out of the checkout"),
    });
  });
});
