import { describe, expect, it } from "vitest";
import { configuredRepositories } from "../../../../functions/core/webhook/configured-repositories.js";
import { testConfig } from "../promotion/promotion-test-kit.js";

const pushOf = (url: string, fullName: string) => ({ repository: { name: fullName, fullName, url } });

describe("configuredRepositories", () => {
  it("names an app's repository and the config repository, whatever the URL's spelling", () => {
    // Arrange
    const named = configuredRepositories(testConfig());

    // Act
    const answers = [
      named(pushOf("https://github.com/Acme/Shop", "acme/shop")),
      named(pushOf("https://github.com/acme/deploy.git", "acme/deploy")),
      named(pushOf("https://github.com/acme/unrelated.git", "acme/unrelated")),
    ];

    // Assert
    expect(answers).toEqual([true, true, false]);
  });
});
