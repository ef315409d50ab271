import { App, Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import * as iam from "aws-cdk-lib/aws-iam";
import { describe, expect, it } from "vitest";
import { app as appSchema } from "../../../functions/core/config/app.js";
import { AppBuild } from "../../../infra/constructs/app-build.js";
import { ProjectVariable } from "../../../infra/constructs/buildspec.js";
import { awsSolutionsFindings } from "../nag-findings.js";
import { thrown } from "../thrown.js";

const CONNECTION =
  "arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

function appWith(source: Record<string, unknown>) {
  return appSchema.parse({
    name: "shop",
    source,
    image: { repository: "shop" },
    deploy: { staging: { kind: "marker", file: "envs/staging/shop.yaml" } },
  });
}

/** One app's build in a stack of its own. */
function buildOf(source: Record<string, unknown>) {
  const stack = new Stack(new App(), "Test");
  const build = new AppBuild(stack, "Build", { app: appWith(source) });
  return { stack, build };
}

/** Synthesizes one app's build in a stack of its own. */
function synth(source: Record<string, unknown>) {
  const { stack, build } = buildOf(source);
  return { stack, build, template: Template.fromStack(stack) };
}

function projectSource(template: Template): Record<string, unknown> {
  const [project] = Object.values(template.findResources("AWS::CodeBuild::Project"));
  return project?.Properties?.Source ?? {};
}

function policyActions(template: Template): string[] {
  return Object.values(template.findResources("AWS::IAM::Policy")).flatMap((policy) =>
    policy.Properties.PolicyDocument.Statement.flatMap((statement: { Action: string | string[] }) => [
      statement.Action,
    ]).flat(),
  );
}

describe("AppBuild sources, one synthesis per host", () => {
  it("builds github.com natively with the account's source credential", () => {
    // Act
    const { template } = synth({ repo: "https://github.com/acme/shop.git" });

    // Assert
    expect(projectSource(template)).toMatchObject({
      Type: "GITHUB",
      Location: "https://github.com/acme/shop.git",
    });
    expect(projectSource(template)).not.toHaveProperty("Auth");
  });

  it("builds github.com through a CodeConnections connection the project may use", () => {
    // Act
    const { template } = synth({ repo: "https://github.com/acme/shop.git", connectionArn: CONNECTION });

    // Assert
    expect(projectSource(template)).toMatchObject({
      Type: "GITHUB",
      Location: "https://github.com/acme/shop.git",
      Auth: { Type: "CODECONNECTIONS", Resource: CONNECTION },
    });
    template.hasResourceProperties("AWS::IAM::Policy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ["codeconnections:GetConnection", "codeconnections:GetConnectionToken"],
            Resource: CONNECTION,
          }),
        ]),
      },
    });
  });

  it("builds GitHub Enterprise Server through its connection", () => {
    // Act
    const { template } = synth({
      repo: "https://github.acme.example/shop/api.git",
      host: "github",
      connectionArn: CONNECTION,
    });

    // Assert
    expect(projectSource(template)).toMatchObject({
      Type: "GITHUB_ENTERPRISE",
      Location: "https://github.acme.example/shop/api.git",
      Auth: { Type: "CODECONNECTIONS", Resource: CONNECTION },
    });
  });

  it("builds gitlab.com through its connection", () => {
    // Act
    const { template } = synth({ repo: "https://gitlab.com/acme/shop.git", connectionArn: CONNECTION });

    // Assert
    expect(projectSource(template)).toMatchObject({
      Type: "GITLAB",
      Auth: { Type: "CODECONNECTIONS", Resource: CONNECTION },
    });
  });

  it("builds a self-managed GitLab through its connection, under the connection's own IAM prefix", () => {
    // Arrange
    const codestar =
      "arn:aws:codestar-connections:eu-west-1:123456789012:connection/5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9";

    // Act
    const { template } = synth({
      repo: "https://gitlab.acme.example/group/sub/shop.git",
      host: "gitlab",
      connectionArn: codestar,
    });

    // Assert
    expect(projectSource(template)).toMatchObject({
      Type: "GITLAB_SELF_MANAGED",
      Location: "https://gitlab.acme.example/group/sub/shop.git",
      Auth: { Type: "CODECONNECTIONS", Resource: codestar },
    });
    expect(policyActions(template)).toEqual(
      expect.arrayContaining([
        "codestar-connections:GetConnection",
        "codestar-connections:GetConnectionToken",
      ]),
    );
  });

  it("builds bitbucket.org natively", () => {
    // Act
    const { template } = synth({ repo: "https://bitbucket.org/acme/shop" });

    // Assert
    expect(projectSource(template)).toMatchObject({ Type: "BITBUCKET" });
  });

  it("builds CodeCommit natively and lets the webhook read its differences", () => {
    // Arrange
    const { stack, build } = buildOf({
      repo: "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/shop",
    });
    const webhook = new iam.Role(stack, "Webhook", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
    });

    // Act
    build.grantDifferencesRead(webhook);

    // Assert
    const template = Template.fromStack(stack);
    expect(projectSource(template)).toMatchObject({ Type: "CODECOMMIT" });
    template.hasResourceProperties("AWS::IAM::Policy", {
      Roles: [{ Ref: Match.stringLikeRegexp("^Webhook") }],
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: "codecommit:GetDifferences",
            Resource: {
              "Fn::Join": [
                "",
                [
                  "arn:",
                  { Ref: "AWS::Partition" },
                  ":codecommit:eu-west-1:",
                  { Ref: "AWS::AccountId" },
                  ":shop",
                ],
              ],
            },
          }),
        ],
      },
    });
  });

  it.each([
    ["Bitbucket Server", { repo: "https://git.acme.example/scm/shop/api.git", host: "bitbucket-server" }],
    ["Gitea", { repo: "https://gitea.acme.example/shop/api.git", host: "gitea" }],
    ["Forgejo", { repo: "https://codeberg.org/acme/shop.git", host: "forgejo" }],
  ])(
    "builds %s by a buildspec that fetches the commit, with the token from Secrets Manager",
    (_host, source) => {
      // Act
      const { template } = synth({
        ...source,
        credentials: { provider: "token", secretName: "shipline/source-token", username: "shipline-bot" },
      });

      // Assert
      const built = projectSource(template);
      expect(built).toMatchObject({ Type: "NO_SOURCE" });
      const spec = String(built.BuildSpec);
      expect(spec).toContain(`git remote add origin ${source.repo}`);
      expect(spec).toContain(`${ProjectVariable.GitToken}: shipline/source-token`);
      expect(spec).toContain(`${ProjectVariable.GitUsername}: shipline-bot`);
      expect(policyActions(template)).toEqual(
        expect.arrayContaining(["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]),
      );
    },
  );

  it("builds a public repository on another host by a buildspec fetch without any secret", () => {
    // Act
    const { template } = synth({ repo: "https://git.acme.example/shop.git" });

    // Assert
    const built = projectSource(template);
    expect(built).toMatchObject({ Type: "NO_SOURCE" });
    expect(String(built.BuildSpec)).not.toContain("secrets-manager");
    expect(policyActions(template)).not.toContain("secretsmanager:GetSecretValue");
  });

  it.each([
    [{ repo: "https://gitlab.com/acme/shop.git" }, "source.connectionArn is missing"],
    [{ repo: "https://github.acme.example/shop/api.git", host: "github" }, "source.connectionArn is missing"],
    [
      {
        repo: "https://gitea.acme.example/shop/api.git",
        host: "gitea",
        credentials: {
          provider: "oidc-exchange",
          exchangeUrl: "https://sts.acme.example/token",
          audience: "gitea",
        },
      },
      "source.credentials.provider is 'oidc-exchange'",
    ],
  ])("refuses at synthesis a source CodeBuild cannot get: %j", (source, expected) => {
    // Arrange
    const stack = new Stack(new App(), "Test");

    // Act
    const error = thrown(() => new AppBuild(stack, "Build", { app: appWith(source) }));

    // Assert
    expect(error.code).toBe("APP_SOURCE_UNSUPPORTED");
    expect(error.message).toContain(`app 'shop': ${expected}`);
  });

  it("keeps every host's build free of unacknowledged cdk-nag findings", () => {
    // Arrange
    const stack = new Stack(new App(), "Test");
    const sources = [
      { repo: "https://github.com/acme/shop.git", connectionArn: CONNECTION },
      { repo: "https://gitlab.acme.example/acme/shop.git", host: "gitlab", connectionArn: CONNECTION },
      {
        repo: "https://git.acme.example/scm/shop/api.git",
        host: "bitbucket-server",
        credentials: { provider: "token", secretName: "shipline/source-token" },
      },
    ];

    // Act
    const builds = sources.map(
      (source, index) => new AppBuild(stack, `Build${index}`, { app: appWith(source) }),
    );

    // Assert
    expect(builds.every((build) => build.project !== undefined)).toBe(true);
    expect(awsSolutionsFindings(stack)).toEqual([]);
  });
});
