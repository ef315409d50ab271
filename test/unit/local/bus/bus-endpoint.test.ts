import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readBusEndpoint, recordBusEndpoint } from "../../../../functions/local/bus/bus-endpoint.js";

describe("bus endpoint in <data-dir>/endpoints.json", () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "shipline-endpoints-"));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("records the bus URL and keeps the other services' entries", async () => {
    // Arrange
    await writeFile(join(dir, "endpoints.json"), '{"registry":"http://127.0.0.1:5000"}');

    // Act
    await recordBusEndpoint(dir, "http://127.0.0.1:4010");

    // Assert
    expect(JSON.parse(await readFile(join(dir, "endpoints.json"), "utf8"))).toEqual({
      registry: "http://127.0.0.1:5000",
      bus: "http://127.0.0.1:4010",
    });
    expect(await readBusEndpoint(dir)).toBe("http://127.0.0.1:4010");
  });

  it("says how to start the bus when none is recorded", async () => {
    // Arrange
    const dataDir = join(dir, "missing");

    // Act
    const result = readBusEndpoint(dataDir);

    // Assert
    await expect(result).rejects.toMatchObject({
      code: "BUS_NOT_RUNNING",
      message: expect.stringContaining("--endpoint-url"),
    });
  });

  it("refuses an endpoints file that is not a map of URLs", async () => {
    // Arrange
    await writeFile(join(dir, "endpoints.json"), '{"bus": 4010}');

    // Act
    const result = readBusEndpoint(dir);

    // Assert
    await expect(result).rejects.toMatchObject({ code: "ENDPOINTS_CORRUPT" });
  });
});
