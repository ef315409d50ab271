import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { App, Duration, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import * as events from "aws-cdk-lib/aws-events";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import * as z from "zod";
import { ConfigWriter, type ConfigWriterProps } from "../../../infra/constructs/config-writer.js";
import { stepFunctionConfigOf } from "../../../infra/constructs/step-function-config.js";
import { awsSolutionsFindings } from "../nag-findings.js";
import { thrown } from "../thrown.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtureText = readFileSync(path.resolve(here, "../../fixtures/buildspec/shipline.config.yaml"), "utf8");
const INLINE = lambda.Code.fromInline("exports.handler = async () => {};");

/** The fixture configuration with another config repository section. */
function configWith(configRepo: Record<string, unknown>) {
  const document = z.object({}).loose().parse(parse(fixtureText));
  return stepFunctionConfigOf(stringify({ ...document, configRepo }));
}

const GITHUB_APP = {
  url: "https://github.com/acme/deploy.git",
  credentials: {
    provider: "github-app",
    appId: 123456,
    installationId: 7654321,
    privateKeySecret: "shipline/github-app-key",
  },
};
const OIDC = {
  url: "https://github.com/acme/deploy.git",
  credentials: {
    provider: "oidc-exchange",
    exchangeUrl: "https://octo-sts.example.com/sts/exchange",
    audience: "octo-sts.example.com",
    tokenLifetime: "10m",
  },
};
const CODECOMMIT = {
  url: "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/deploy",
  credentials: { provider: "codecommit" },
};
const TOKEN = {
  url: "https://gitlab.com/acme/deploy.git",
  credentials: {
    provider: "token",
    secretName: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shipline/gitlab-token-AbCdEf",
    username: "oauth2",
  },
};

function build(configRepo: Record<string, unknown>, extra: Partial<ConfigWriterProps> = {}) {
  const app = new App();
  const stack = new Stack(app, "Test", { env: { account: "123456789012", region: "eu-west-1" } });
  const eventBus = new events.EventBus(stack, "Bus");
  const writer = new ConfigWriter(stack, "ConfigWriter", {
    eventBus,
    config: configWith(configRepo),
    code: INLINE,
    ...extra,
  });
  return { stack, writer, template: Template.fromStack(stack) };
}

/** Every statement of the writer role's policies. */
function statementsOf(
  subject: ReturnType<typeof build>,
): { Action: unknown; Resource: unknown; Condition?: unknown }[] {
  const roleRef = subject.stack.resolve(subject.writer.step.role.roleName);
  return Object.values(subject.template.findResources("AWS::IAM::Policy"))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(JSON.stringify(roleRef)))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

type Built = ReturnType<typeof build>;

/** One synthesis per credentials provider, shared by the tests (synthesis is the slow part). */
let stacks: Record<"githubApp" | "oidc" | "codecommit" | "token", Built>;

beforeAll(() => {
  stacks = {
    githubApp: build(GITHUB_APP, { timeout: Duration.minutes(3), maxReceiveCount: 4 }),
    oidc: build(OIDC),
    codecommit: build(CODECOMMIT),
    token: build(TOKEN),
  };
});

describe("ConfigWriter", () => {
  it("creates a FIFO queue without content-based deduplication, hidden six times the function's timeout, with a FIFO dead-letter queue", () => {
    // Act
    const built = stacks.githubApp;

    // Assert
    const dlqArn = built.stack.resolve(built.writer.deadLetterQueue.queueArn);
    built.template.resourceCountIs("AWS::SQS::Queue", 2);
    built.template.hasResourceProperties("AWS::SQS::Queue", {
      FifoQueue: true,
      ContentBasedDeduplication: false,
      VisibilityTimeout: 1080,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: dlqArn, maxReceiveCount: 4 },
    });
    built.template.hasResourceProperties("AWS::SQS::Queue", {
      FifoQueue: true,
      MessageRetentionPeriod: 1_209_600,
      SqsManagedSseEnabled: true,
    });
    const policies = Object.values(built.template.findResources("AWS::SQS::QueuePolicy"));
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
      );
    }
  });

  it("feeds the writer function from the queue in batches of 10 with partial batch failures", () => {
    // Act
    const built = stacks.githubApp;

    // Assert
    built.template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      EventSourceArn: built.stack.resolve(built.writer.queue.queueArn),
      FunctionName: built.stack.resolve(built.writer.step.fn.functionName),
      BatchSize: 10,
      FunctionResponseTypes: ["ReportBatchItemFailures"],
    });
    const [mapping] = Object.values(built.template.findResources("AWS::Lambda::EventSourceMapping"));
    expect(mapping?.Properties.MaximumBatchingWindowInSeconds).toBeUndefined();
    built.template.hasResourceProperties("AWS::Lambda::Function", { Timeout: 180, MemorySize: 1024 });
    const [fn] = Object.values(built.template.findResources("AWS::Lambda::Function"));
    expect(fn?.Properties.ReservedConcurrentExecutions).toBeUndefined();
  });

  it("lets the function read the GitHub App key secret named in the configuration, and no other", () => {
    // Act
    const statements = statementsOf(stacks.githubApp);

    // Assert
    const read = statements.filter((statement) =>
      JSON.stringify(statement.Action).includes("secretsmanager:GetSecretValue"),
    );
    expect(read).toHaveLength(1);
    expect(JSON.stringify(read[0]?.Resource)).toContain(":secret:shipline/github-app-key-??????");
    expect(JSON.stringify(statements)).not.toContain("sts:GetWebIdentityToken");
    expect(JSON.stringify(statements)).not.toContain("codecommit:");
  });

  it("lets the function read the token secret by its ARN", () => {
    // Act
    const statements = statementsOf(stacks.token);

    // Assert
    const read = statements.filter((statement) =>
      JSON.stringify(statement.Action).includes("secretsmanager:GetSecretValue"),
    );
    expect(read.map((statement) => statement.Resource)).toEqual([TOKEN.credentials.secretName]);
  });

  it("allows sts:GetWebIdentityToken only for the broker's audience, the configured lifetime and RS256", () => {
    // Act
    const statements = statementsOf(stacks.oidc);

    // Assert
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: "sts:GetWebIdentityToken",
        Effect: "Allow",
        Resource: "*",
        Condition: {
          "ForAllValues:StringEquals": { "sts:IdentityTokenAudience": ["octo-sts.example.com"] },
          NumericLessThanEquals: { "sts:DurationSeconds": 600 },
          StringEquals: { "sts:SigningAlgorithm": "RS256" },
        },
      }),
    );
    expect(JSON.stringify(statements)).not.toContain("secretsmanager:");
  });

  it("allows git pull and push on the one CodeCommit repository", () => {
    // Act
    const built = stacks.codecommit;

    // Assert
    expect(statementsOf(built)).toContainEqual(
      expect.objectContaining({
        Action: ["codecommit:GitPull", "codecommit:GitPush"],
        Effect: "Allow",
        Resource: {
          "Fn::Join": ["", ["arn:", { Ref: "AWS::Partition" }, ":codecommit:eu-west-1:123456789012:deploy"]],
        },
      }),
    );
  });

  it.each(["githubApp", "oidc", "codecommit", "token"] as const)(
    "passes cdk-nag's AwsSolutions checks with %s credentials",
    (provider) => {
      // Act
      const findings = awsSolutionsFindings(stacks[provider].stack);

      // Assert
      expect(findings).toEqual([]);
    },
  );

  it("refuses a configuration that only the local runtime can serve, naming every problem", () => {
    // Act
    const error = thrown(() =>
      build({
        url: "local:demo-config",
        credentials: { provider: "oidc-exchange", exchangeUrl: "local:oidc-exchange", audience: "shipline" },
      }),
    );

    // Assert
    expect(error.code).toBe("CONSTRUCT_PROPS_INVALID");
    expect(error.message).toContain("configRepo.url is 'local:demo-config'");
    expect(error.message).toContain("exchangeUrl is 'local:oidc-exchange'");
  });

  it("refuses codecommit credentials for a repository that is not in CodeCommit, and a bad maxReceiveCount", () => {
    // Act
    const error = thrown(() =>
      build({ ...CODECOMMIT, url: "https://github.com/acme/deploy.git" }, { maxReceiveCount: 0 }),
    );

    // Assert
    expect(error.code).toBe("CONSTRUCT_PROPS_INVALID");
    expect(error.message).toContain("is not a CodeCommit repository");
    expect(error.message).toContain("maxReceiveCount is 0");
  });
});
