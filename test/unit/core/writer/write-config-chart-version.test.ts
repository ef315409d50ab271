import { describe, expect, it } from "vitest";
import { writeConfig } from "../../../../functions/core/writer/write-config.js";
import { AUTHOR, anIntent, recordingPublisher } from "./intent-fixtures.js";
import { MemoryConfigRepository } from "./memory-config-repository.js";

const clock = { now: () => new Date("2026-01-01T00:00:00Z") };
const VALUES = "demo:\n  image:\n    tag: 1.0.0-aaaaaaa\n";
const CHART =
  "apiVersion: v2\nname: demo-dev\nversion: 0.1.0\ndependencies:\n  - name: demo\n    version: 1.0.0-aaaaaaa\n";
const target = {
  kind: "helm" as const,
  file: "envs/dev/values.yaml",
  path: "demo.image.tag",
  chartVersion: { file: "envs/dev/Chart.yaml", path: "dependencies[name=demo].version" },
};

describe("writeConfig with a chart version", () => {
  it("commits the image and the chart version in one commit and says so in Config Committed", async () => {
    // Arrange
    const repo = new MemoryConfigRepository({ "envs/dev/values.yaml": VALUES, "envs/dev/Chart.yaml": CHART });
    const publisher = recordingPublisher();
    const before = repo.pushes;

    // Act
    const result = await writeConfig({
      repo,
      intents: [anIntent({ target, tag: "1.1.0-bbbbbbb" })],
      author: AUTHOR,
      clock,
      publisher,
    });

    // Assert
    expect(repo.pushes - before).toBe(1);
    expect(repo.fileAtHead("envs/dev/values.yaml")).toBe(VALUES.replace("1.0.0-aaaaaaa", "1.1.0-bbbbbbb"));
    expect(repo.fileAtHead("envs/dev/Chart.yaml")).toBe(CHART.replace("1.0.0-aaaaaaa", "1.1.0-bbbbbbb"));
    expect(publisher.requests).toEqual([
      expect.objectContaining({
        detailType: "Config Committed",
        detail: expect.objectContaining({
          configCommit: result.commit,
          files: ["envs/dev/values.yaml", "envs/dev/Chart.yaml"],
          tag: "1.1.0-bbbbbbb",
          chartVersion: "1.1.0-bbbbbbb",
        }),
      }),
    ]);
  });

  it("records a missing chart file as Step Failed and commits nothing", async () => {
    // Arrange
    const repo = new MemoryConfigRepository({ "envs/dev/values.yaml": VALUES });
    const publisher = recordingPublisher();

    // Act
    const result = await writeConfig({
      repo,
      intents: [anIntent({ target, tag: "1.1.0-bbbbbbb" })],
      author: AUTHOR,
      clock,
      publisher,
    });

    // Assert
    expect(result.commit).toBeUndefined();
    expect(repo.fileAtHead("envs/dev/values.yaml")).toBe(VALUES);
    expect(publisher.requests).toEqual([
      expect.objectContaining({
        detailType: "Step Failed",
        detail: expect.objectContaining({
          code: "WRITER_FILE_NOT_FOUND",
          reason: expect.stringContaining("envs/dev/Chart.yaml is not in the config repository; create it"),
        }),
      }),
    ]);
  });

  it("a revert puts back the chart version its commit replaced, read from that commit's parent", async () => {
    // Arrange: the image deployed before predates the chart; its tag is SemVer all the same.
    const older = VALUES.replace("1.0.0-aaaaaaa", "0.9.0-ccccccc");
    const repo = new MemoryConfigRepository({ "envs/dev/values.yaml": older, "envs/dev/Chart.yaml": CHART });
    const update = await writeConfig({
      repo,
      intents: [anIntent({ target, tag: "1.1.0-bbbbbbb" })],
      author: AUTHOR,
      clock,
      publisher: recordingPublisher(),
    });
    const revertOf = update.commit ?? "";

    // Act
    await writeConfig({
      repo,
      intents: [anIntent({ intentId: "rollback", kind: "revert", target, tag: "1.1.0-bbbbbbb", revertOf })],
      author: AUTHOR,
      clock,
      publisher: recordingPublisher(),
    });

    // Assert
    expect(repo.fileAtHead("envs/dev/values.yaml")).toBe(older);
    expect(repo.fileAtHead("envs/dev/Chart.yaml")).toBe(CHART);
  });
});
