import { App, Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as events from "aws-cdk-lib/aws-events";
import type * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { beforeAll, describe, expect, it } from "vitest";
import { NotifyEnvName } from "../../functions/core/notify/notify-env-names.js";
import { EventRouting } from "../../infra/constructs/event-routing.js";
import { NotifyFunction, type NotifyFunctionProps } from "../../infra/constructs/notify-function.js";
import { awsSolutionsFindings } from "./nag-findings.js";

const code = lambda.Code.fromInline("export const handler = async () => undefined;");

interface Built {
  readonly stack: Stack;
  readonly notify: NotifyFunction;
  readonly routing: EventRouting;
  readonly secret: secretsmanager.ISecret;
  readonly otherSecret: secretsmanager.ISecret;
  readonly table: dynamodb.ITable;
  readonly template: Template;
}

function build(props: Partial<NotifyFunctionProps> = {}): Built {
  const stack = new Stack(new App(), "Test");
  const eventBus = new events.EventBus(stack, "Bus");
  const routing = new EventRouting(stack, "Routing", {
    eventBus,
    eventLog: new logs.LogGroup(stack, "EventLog"),
  });
  const secret = secretsmanager.Secret.fromSecretCompleteArn(
    stack,
    "Slack",
    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shipline/slack-AbCdEf",
  );
  const otherSecret = secretsmanager.Secret.fromSecretCompleteArn(
    stack,
    "Other",
    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shipline/other-GhIjKl",
  );
  const table = dynamodb.Table.fromTableName(stack, "Ledger", "shipline-ledger");
  const notify = new NotifyFunction(stack, "Notify", {
    eventBus,
    routing,
    slackWebhookSecret: secret,
    ledgerTable: table,
    argoCdUrl: "https://argocd.example.com",
    configRepoUrl: "https://github.com/acme/deploy.git",
    code,
    ...props,
  });
  return { stack, notify, routing, secret, otherSecret, table, template: Template.fromStack(stack) };
}

function statementsOf(built: Built, role: iam.IRole): { Action: string | string[]; Resource: unknown }[] {
  const roleRef = built.stack.resolve(role.roleName);
  return Object.values(built.template.findResources("AWS::IAM::Policy"))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(JSON.stringify(roleRef)))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

function actionsOn(built: Built, resource: unknown): string[] {
  const wanted = JSON.stringify(built.stack.resolve(resource));
  return statementsOf(built, built.notify.step.role)
    .filter((statement) => JSON.stringify(statement.Resource).includes(wanted))
    .flatMap((statement) => [statement.Action].flat())
    .sort();
}

let built: Built;

beforeAll(() => {
  built = build();
});

describe("NotifyFunction", () => {
  it("sends the topology's terminal events to the step's function, dead-lettering into the step's queue", () => {
    // Arrange
    const fnArn = built.stack.resolve(built.notify.step.fn.functionArn);

    // Act
    const rule = built.routing.rules.get("notify-on-terminal-event")?.rule.node.defaultChild;
    if (!(rule instanceof events.CfnRule)) throw new Error("no notify rule");
    const properties = built.template.toJSON().Resources[built.stack.getLogicalId(rule)].Properties;

    // Assert
    expect(properties.EventPattern["detail-type"]).toEqual([
      "Build Failed",
      "Image Refused",
      "Image Rejected",
      "Deployment Verified",
      "Deployment Failed",
      "Rollback Committed",
      "Pull Request Opened",
      "Hold Placed",
      "Promotion Waiting",
    ]);
    expect(properties.Targets).toEqual([expect.objectContaining({ Arn: fnArn })]);
    expect(built.routing.deadLetterQueueOf("notify")).toBe(built.notify.deadLetterQueue);
  });

  it("creates a topic encrypted with SNS's managed key that refuses requests without TLS", () => {
    // Act
    const [topic] = Object.values(built.template.findResources("AWS::SNS::Topic"));

    // Assert
    expect(JSON.stringify(topic?.Properties.KmsMasterKeyId)).toContain(":alias/aws/sns");
    built.template.hasResourceProperties("AWS::SNS::TopicPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
  });

  it("tells the function its topic, its Slack secret, the ledger and the link bases", () => {
    // Act
    const [fn] = Object.values(
      built.template.findResources("AWS::Lambda::Function", {
        Properties: { Environment: { Variables: { [NotifyEnvName.TopicArn]: Match.anyValue() } } },
      }),
    );
    const variables = fn?.Properties.Environment.Variables;

    // Assert
    const resolve = (value: unknown) => built.stack.resolve(value);
    expect(variables).toMatchObject({
      [NotifyEnvName.TopicArn]: resolve(built.notify.topic.topicArn),
      [NotifyEnvName.SlackWebhookSecretArn]: built.secret.secretArn,
      LEDGER_TABLE: "shipline-ledger",
      [NotifyEnvName.ArgoCdUrl]: "https://argocd.example.com",
      [NotifyEnvName.ConfigRepoUrl]: "https://github.com/acme/deploy.git",
      POWERTOOLS_SERVICE_NAME: "notify",
    });
  });

  it("lets the function publish to its topic, read its Slack secret and the ledger, and nothing else of them", () => {
    // Act
    const onTopic = actionsOn(built, built.notify.topic.topicArn);
    const onSecret = actionsOn(built, built.secret.secretArn);
    const onOtherSecret = actionsOn(built, built.otherSecret.secretArn);
    const onTable = actionsOn(built, built.table.tableArn);

    // Assert
    expect(onTopic).toEqual(["sns:Publish"]);
    expect(onSecret).toEqual(["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]);
    expect(onOtherSecret).toEqual([]);
    expect(onTable).toContain("dynamodb:Query");
    expect(onTable).not.toContain("dynamodb:PutItem");
  });

  it("grants the function the use of a customer managed key the topic is encrypted with", () => {
    // Arrange
    const stack = new Stack(new App(), "WithKey");
    const key = new kms.Key(stack, "Key", { enableKeyRotation: true });
    const eventBus = new events.EventBus(stack, "Bus");
    const routing = new EventRouting(stack, "Routing", {
      eventBus,
      eventLog: new logs.LogGroup(stack, "Log"),
    });

    // Act
    const notify = new NotifyFunction(stack, "Notify", { eventBus, routing, encryptionKey: key, code });
    const template = Template.fromStack(stack);

    // Assert
    template.hasResourceProperties("AWS::SNS::Topic", { KmsMasterKeyId: stack.resolve(key.keyArn) });
    const roleRef = stack.resolve(notify.step.role.roleName);
    const actions = Object.values(template.findResources("AWS::IAM::Policy"))
      .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(JSON.stringify(roleRef)))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
      .filter((statement) =>
        JSON.stringify(statement.Resource).includes(JSON.stringify(stack.resolve(key.keyArn))),
      )
      .flatMap((statement) => [statement.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(["kms:Decrypt", "kms:GenerateDataKey*"]));
    const [fn] = Object.values(template.findResources("AWS::Lambda::Function"));
    expect(fn?.Properties.Environment.Variables[NotifyEnvName.SlackWebhookSecretArn]).toBeUndefined();
  });

  it("passes cdk-nag's AwsSolutions pack with no unacknowledged finding", () => {
    // Act
    const findings = awsSolutionsFindings(built.stack).filter((finding) =>
      finding.paths.some((at) => at.startsWith("Test/Notify")),
    );

    // Assert
    expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
  });

  it("refuses link bases that are not https URLs", () => {
    // Act
    const create = () => build({ argoCdUrl: "argocd.example.com", configRepoUrl: "local:demo-config" });

    // Assert
    expect(create).toThrow(
      /argoCdUrl is 'argocd.example.com'; give an https:\/\/ URL.*configRepoUrl is 'local:demo-config'/,
    );
  });
});
