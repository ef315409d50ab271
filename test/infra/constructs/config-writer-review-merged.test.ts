import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import * as events from "aws-cdk-lib/aws-events";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import * as z from "zod";
import { ConfigWriter } from "../../../infra/constructs/config-writer.js";
import { EventRouting } from "../../../infra/constructs/event-routing.js";
import { stepFunctionConfigOf } from "../../../infra/constructs/step-function-config.js";
import { awsSolutionsFindings } from "../nag-findings.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtureText = readFileSync(path.resolve(here, "../../fixtures/buildspec/shipline.config.yaml"), "utf8");
const INLINE = lambda.Code.fromInline("exports.handler = async () => {};");

/** The fixture configuration, production reviewed through pull requests when `reviewed`. */
function configOf(reviewed: boolean) {
  const document = z
    .object({ environments: z.array(z.object({ name: z.string() }).loose()) })
    .loose()
    .parse(parse(fixtureText));
  const environments = document.environments.map((environment) =>
    reviewed && environment.name === "production"
      ? { ...environment, approval: "pull-request" }
      : environment,
  );
  return stepFunctionConfigOf(
    stringify({
      ...document,
      environments,
      configRepo: {
        url: "https://github.com/acme/deploy.git",
        credentials: {
          provider: "github-app",
          appId: 1,
          installationId: 2,
          privateKeySecret: "shipline/key",
        },
        pullRequest: { provider: "github" },
      },
    }),
  );
}

function build(reviewed: boolean) {
  const app = new App();
  const stack = new Stack(app, "Test", { env: { account: "123456789012", region: "eu-west-1" } });
  const eventBus = new events.EventBus(stack, "Bus");
  const routing = new EventRouting(stack, "Routing", { eventBus, eventLog: new logs.LogGroup(stack, "Log") });
  const writer = new ConfigWriter(stack, "ConfigWriter", {
    eventBus,
    routing,
    config: configOf(reviewed),
    code: INLINE,
  });
  return { stack, writer, template: Template.fromStack(stack) };
}

/** The targets of the topology's rule for merged pull requests (Commit Pushed of branches). */
function targetsOfReviewRule(built: ReturnType<typeof build>): unknown[] {
  const rules = Object.values(
    built.template.findResources("AWS::Events::Rule", {
      Properties: {
        EventPattern: {
          source: ["shipline"],
          "detail-type": ["Commit Pushed"],
          detail: { refType: ["branch"] },
        },
      },
    }),
  );
  expect(rules).toHaveLength(1);
  return rules[0]?.Properties.Targets ?? [];
}

let reviewed: ReturnType<typeof build>;
let direct: ReturnType<typeof build>;

beforeAll(() => {
  reviewed = build(true);
  direct = build(false);
});

describe("ConfigWriter's review-merged function", () => {
  it("is created and fed Commit Pushed when an environment asks for pull requests", () => {
    // Act
    const fn = reviewed.writer.reviewMerged?.fn;

    // Assert
    expect(fn).toBeDefined();
    expect(targetsOfReviewRule(reviewed)).toEqual([
      expect.objectContaining({ Arn: reviewed.stack.resolve(fn?.functionArn) }),
    ]);
  });

  it("reads the config repository with the writer's credentials and no more: the App key, the bus, its dead-letter queue", () => {
    // Act
    const roleRef = reviewed.stack.resolve(reviewed.writer.reviewMerged?.role.roleName);
    const actions = Object.values(reviewed.template.findResources("AWS::IAM::Policy"))
      .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(JSON.stringify(roleRef)))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
      .flatMap((statement: { Action: string | string[] }) => [statement.Action].flat());

    // Assert
    expect(actions).toContain("events:PutEvents");
    expect(actions).toContain("secretsmanager:GetSecretValue");
    expect(actions).not.toContain("sqs:ReceiveMessage");
  });

  it("is created when every environment is written by commits too, since a person's change must be read", () => {
    // Act
    const fn = direct.writer.reviewMerged?.fn;

    // Assert
    expect(fn).toBeDefined();
    expect(targetsOfReviewRule(direct)).toEqual([
      expect.objectContaining({ Arn: direct.stack.resolve(fn?.functionArn) }),
    ]);
  });

  it("leaves no unacknowledged AwsSolutions finding", () => {
    // Act
    const findings = awsSolutionsFindings(reviewed.stack);

    // Assert
    expect(findings).toEqual([]);
  });
});
