import { describe, expect, it } from "vitest";
import { readChartApps } from "../../../functions/handlers/build-status-environment.js";

describe("readChartApps", () => {
  it("reads the apps with a chart from CHART_APPS", () => {
    // Act
    const apps = readChartApps({ CHART_APPS: '["shop","billing"]' });

    // Assert
    expect([...apps]).toEqual(["shop", "billing"]);
  });

  it("names the variable and the fix when it is not a JSON array of app names", () => {
    // Act
    const read = () => readChartApps({ CHART_APPS: "shop" });

    // Assert
    expect(read).toThrow(
      expect.objectContaining({
        code: "CONFIG_INVALID",
        message: expect.stringContaining('CHART_APPS: "shop" is not a JSON array of app names; set it to'),
      }),
    );
  });

  it("says so when it is not set", () => {
    // Act
    const read = () => readChartApps({});

    // Assert
    expect(read).toThrow(
      expect.objectContaining({ message: expect.stringContaining("CHART_APPS: is not set") }),
    );
  });
});
