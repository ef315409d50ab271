import { describe, expect, it } from "vitest";
import { appSource } from "../../../../functions/core/config/app-source.js";

function messagesOf(input: Record<string, unknown>): string[] {
  const result = appSource.safeParse(input);
  return result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
}

describe("appSource", () => {
  it("accepts a host, a connection and credentials", () => {
    // Arrange
    const input = {
      repo: "https://gitlab.acme.example/shop/api.git",
      host: "gitlab",
      connectionArn:
        "arn:aws:codestar-connections:eu-west-1:123456789012:connection/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
      credentials: { provider: "token", secretName: "shipline/gitlab-token", username: "oauth2" },
    };

    // Act
    const source = appSource.parse(input);

    // Assert
    expect(source).toMatchObject({ host: "gitlab", credentials: { provider: "token", username: "oauth2" } });
  });

  it.each([
    [
      { repo: "https://git.acme.example/shop.git", host: "gittea" },
      "host: 'gittea' is not allowed; did you mean 'gitea'?",
    ],
    [
      { repo: "https://gitlab.com/acme/shop.git", connectionArn: "arn:aws:iam::123456789012:role/x" },
      "connectionArn: 'arn:aws:iam::123456789012:role/x' is not a CodeConnections connection ARN; copy the connection's ARN",
    ],
    [
      {
        repo: "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/shop",
        connectionArn: "arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d",
      },
      "connectionArn: is set for a CodeCommit repository; remove it",
    ],
    [
      { repo: "local:shop", host: "gitea" },
      "host: is set for a repository of the local runtime; remove source.host",
    ],
  ])("refuses %j with the key and the fix", (input, expected) => {
    // Arrange
    const source = input;

    // Act
    const messages = messagesOf(source);

    // Assert
    expect(messages).toEqual([expect.stringContaining(expected)]);
  });
});
