import { describe, expect, it } from "vitest";
import { managedBuildSourceOf, sourceHostOf } from "../../../../functions/core/build/managed-build-source.js";
import { appSource } from "../../../../functions/core/config/app-source.js";

const CONNECTION =
  "arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

function sourceOf(input: Record<string, unknown>) {
  return appSource.parse(input);
}

describe("sourceHostOf", () => {
  it.each([
    ["https://github.com/acme/shop.git", "github"],
    ["https://gitlab.com/acme/shop.git", "gitlab"],
    ["https://bitbucket.org/acme/shop.git", "bitbucket"],
    ["https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/shop", "codecommit"],
    ["https://git.example.org/acme/shop.git", "git"],
    ["local:shop", "git"],
  ])("tells the host of %s by its address", (repo, expected) => {
    // Arrange
    const source = sourceOf({ repo });

    // Act
    const host = sourceHostOf(source);

    // Assert
    expect(host).toBe(expected);
  });

  it("takes source.host over the address", () => {
    // Arrange
    const source = sourceOf({ repo: "https://code.example.org/acme/shop.git", host: "gitea" });

    // Act
    const host = sourceHostOf(source);

    // Assert
    expect(host).toBe("gitea");
  });
});

describe("managedBuildSourceOf", () => {
  it.each([
    [
      "github.com with the account's credential",
      { repo: "https://github.com/acme/shop.git" },
      { kind: "account-credential", type: "GITHUB", owner: "acme", repo: "shop" },
    ],
    [
      "github.com through a connection",
      { repo: "https://github.com/acme/shop.git", connectionArn: CONNECTION },
      { kind: "connection", type: "GITHUB", connectionArn: CONNECTION },
    ],
    [
      "GitHub Enterprise Server through a connection",
      { repo: "https://github.acme.example/shop/api.git", host: "github", connectionArn: CONNECTION },
      { kind: "connection", type: "GITHUB_ENTERPRISE", url: "https://github.acme.example/shop/api.git" },
    ],
    [
      "gitlab.com through a connection",
      { repo: "https://gitlab.com/acme/shop.git", connectionArn: CONNECTION },
      { kind: "connection", type: "GITLAB" },
    ],
    [
      "a self-managed GitLab through a connection",
      { repo: "https://gitlab.acme.example/group/sub/shop.git", host: "gitlab", connectionArn: CONNECTION },
      { kind: "connection", type: "GITLAB_SELF_MANAGED" },
    ],
    [
      "bitbucket.org with the account's credential",
      { repo: "https://bitbucket.org/acme/shop.git" },
      { kind: "account-credential", type: "BITBUCKET", owner: "acme", repo: "shop" },
    ],
    [
      "CodeCommit",
      { repo: "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/shop" },
      { kind: "codecommit", region: "eu-west-1", repositoryName: "shop" },
    ],
    [
      "a Bitbucket Server repository with a token",
      {
        repo: "https://git.acme.example/scm/shop/api.git",
        host: "bitbucket-server",
        credentials: { provider: "token", secretName: "shipline/bitbucket-token", username: "shipline-bot" },
      },
      {
        kind: "fetch",
        host: "bitbucket-server",
        token: { secret: "shipline/bitbucket-token", username: "shipline-bot" },
      },
    ],
    [
      "a public Forgejo repository",
      { repo: "https://codeberg.org/acme/shop.git", host: "forgejo" },
      { kind: "fetch", host: "forgejo" },
    ],
    ["any other git host", { repo: "https://git.acme.example/shop.git" }, { kind: "fetch", host: "git" }],
    ["a local repository", { repo: "local:shop" }, { kind: "local", name: "shop" }],
  ])("builds %s", (_title, input, expected) => {
    // Arrange
    const source = sourceOf(input);

    // Act
    const found = managedBuildSourceOf(source);

    // Assert
    expect(found).toMatchObject(expected);
  });

  it.each([
    [
      "GitLab without a connection",
      { repo: "https://gitlab.com/acme/shop.git" },
      "connectionArn",
      "set source.connectionArn",
    ],
    [
      "GitHub Enterprise Server without a connection",
      { repo: "https://github.acme.example/shop/api.git", host: "github" },
      "connectionArn",
      "set source.connectionArn",
    ],
    [
      "a Gitea repository with a connection",
      { repo: "https://gitea.acme.example/shop/api.git", host: "gitea", connectionArn: CONNECTION },
      "connectionArn",
      "remove source.connectionArn",
    ],
    [
      "a fetched repository whose credentials are not a token",
      {
        repo: "https://gitea.acme.example/shop/api.git",
        host: "gitea",
        credentials: {
          provider: "oidc-exchange",
          exchangeUrl: "https://sts.acme.example/token",
          audience: "gitea",
        },
      },
      "credentials.provider",
      "provider: token",
    ],
  ])("refuses %s, naming the key and the fix", (_title, input, key, fix) => {
    // Arrange
    const source = sourceOf(input);

    // Act
    const found = managedBuildSourceOf(source);

    // Assert
    expect(found).toMatchObject({ kind: "unsupported", key });
    expect(found.kind === "unsupported" && found.fix).toContain(fix);
  });
});
