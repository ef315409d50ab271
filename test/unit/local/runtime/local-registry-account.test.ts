import { describe, expect, it } from "vitest";
import {
  localRegistryAccount,
  localSecretVariable,
} from "../../../../functions/local/runtime/local-registry-account.js";

describe("localRegistryAccount", () => {
  it("names the variable after the secret", () => {
    // Act
    const variable = localSecretVariable("shipline/ghcr-reader");

    // Assert
    expect(variable).toBe("SHIPLINE_SECRET_SHIPLINE_GHCR_READER");
  });

  it("reads a user and password, or Harbor's robot export", async () => {
    // Arrange
    const env = {
      SHIPLINE_SECRET_GHCR: JSON.stringify({ username: "ci", password: "p4ss" }),
      SHIPLINE_SECRET_ROBOT: JSON.stringify({ name: "robot$ci", secret: "s3cret" }),
    };

    // Act
    const accounts = [await localRegistryAccount("ghcr", env)(), await localRegistryAccount("robot", env)()];

    // Assert
    expect(accounts).toEqual([
      { username: "ci", password: "p4ss" },
      { username: "robot$ci", password: "s3cret" },
    ]);
  });

  it("says which variable to set when it is missing or malformed", async () => {
    // Act
    const missing = localRegistryAccount("ghcr", {})();
    const malformed = localRegistryAccount("ghcr", { SHIPLINE_SECRET_GHCR: "ci:p4ss" })();

    // Assert
    await expect(missing).rejects.toThrow("SHIPLINE_SECRET_GHCR, which is not set");
    await expect(malformed).rejects.toThrow("which is not JSON of the form");
  });
});
