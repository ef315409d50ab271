import { describe, expect, it } from "vitest";
import type { GitCredentialsConfig } from "../../../../functions/core/config/credentials.js";
import { sourceCredentialsFor } from "../../../../functions/core/credentials/source-credentials-for.js";
import type { GitCredentialsProvider } from "../../../../functions/core/ports/git-credentials.js";
import { appConfig } from "../build/build-test-kit.js";

const TOKEN = { provider: "token", secretName: "shipline/gitea-token", username: "shipline-bot" };

describe("sourceCredentialsFor", () => {
  it("gives the provider of the app whose repository it is, whatever the spelling of its URL, created once", async () => {
    // Arrange
    const made: GitCredentialsConfig[] = [];
    const apps = [
      appConfig("api", { source: { repo: "https://gitea.acme.example/shop/api.git", credentials: TOKEN } }),
      appConfig("web", { source: { repo: "https://gitea.acme.example/shop/web.git" } }),
    ];
    const credentialsOf = sourceCredentialsFor({
      apps,
      providerOf: (credentials): GitCredentialsProvider => {
        made.push(credentials);
        return {
          kind: credentials.provider,
          credentials: async () => ({ username: "shipline-bot", password: "t0ken" }),
        };
      },
    });

    // Act
    const first = credentialsOf("https://gitea.acme.example/shop/api.git");
    const again = credentialsOf("https://GITEA.acme.example/shop/api/");
    const other = credentialsOf("https://gitea.acme.example/shop/web.git");

    // Assert
    expect(first).toBeDefined();
    expect(again).toBe(first);
    expect(other).toBeUndefined();
    expect(made).toEqual([
      expect.objectContaining({ provider: "token", secretName: "shipline/gitea-token" }),
    ]);
    expect(await first?.credentials("https://gitea.acme.example/shop/api.git")).toEqual({
      username: "shipline-bot",
      password: "t0ken",
    });
  });
});
