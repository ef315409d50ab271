import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as events from "aws-cdk-lib/aws-events";
import type * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { beforeAll, describe, expect, it } from "vitest";
import { PromoteEnvName } from "../../functions/core/promotion/promote-env-names.js";
import { EventRouting } from "../../infra/constructs/event-routing.js";
import { PromoteFunction } from "../../infra/constructs/promote-function.js";
import { stepFunctionConfigOf } from "../../infra/constructs/step-function-config.js";
import { awsSolutionsFindings } from "./nag-findings.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const config = stepFunctionConfigOf(readFileSync(path.join(repoRoot, "shipline.config.yaml"), "utf8"));
const code = lambda.Code.fromInline("export const handler = async () => undefined;");

interface Built {
  readonly stack: Stack;
  readonly promote: PromoteFunction;
  readonly routing: EventRouting;
  readonly writerQueue: sqs.Queue;
  readonly otherQueue: sqs.Queue;
  readonly imagesTable: dynamodb.Table;
  readonly template: Template;
}

function build(): Built {
  const stack = new Stack(new App(), "Test");
  const eventBus = new events.EventBus(stack, "Bus");
  const routing = new EventRouting(stack, "Routing", {
    eventBus,
    eventLog: new logs.LogGroup(stack, "EventLog"),
  });
  const writerQueue = new sqs.Queue(stack, "Writer", { fifo: true, enforceSSL: true });
  const otherQueue = new sqs.Queue(stack, "Other", { enforceSSL: true });
  const imagesTable = gateTable(stack);
  const promote = new PromoteFunction(stack, "Promote", {
    eventBus,
    routing,
    writerQueue,
    imagesTable,
    config,
    code,
  });
  return {
    stack,
    promote,
    routing,
    writerQueue,
    otherQueue,
    imagesTable,
    template: Template.fromStack(stack),
  };
}

/** The scan gate's table, as CommitToImage makes it. */
function gateTable(stack: Stack): dynamodb.Table {
  return new dynamodb.Table(stack, "Images", {
    partitionKey: { name: "pk", type: dynamodb.AttributeType.STRING },
    sortKey: { name: "sk", type: dynamodb.AttributeType.STRING },
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  });
}

function statementsOf(built: Built, role: iam.IRole): { Action: string | string[]; Resource: unknown }[] {
  const roleRef = built.stack.resolve(role.roleName);
  return Object.values(built.template.findResources("AWS::IAM::Policy"))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(JSON.stringify(roleRef)))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

function actionsOn(built: Built, role: iam.IRole, resource: unknown): string[] {
  const wanted = JSON.stringify(built.stack.resolve(resource));
  return statementsOf(built, role)
    .filter((statement) => JSON.stringify(statement.Resource).includes(wanted))
    .flatMap((statement) => [statement.Action].flat())
    .sort();
}

let built: Built;

beforeAll(() => {
  built = build();
});

describe("PromoteFunction", () => {
  it("sends the promotion and hold rules of the topology to the step's function", () => {
    // Arrange
    const fnArn = built.stack.resolve(built.promote.step.fn.functionArn);

    // Act
    const rules = ["promote-on-promotion-trigger", "promote-on-hold-change"].map((name) => {
      const rule = built.routing.rules.get(name)?.rule.node.defaultChild;
      if (!(rule instanceof events.CfnRule)) throw new Error(`no rule ${name}`);
      return built.template.toJSON().Resources[built.stack.getLogicalId(rule)].Properties;
    });

    // Assert
    expect(rules.map((rule) => rule.EventPattern["detail-type"])).toEqual([
      ["Image Approved", "Deployment Verified", "Deployment Failed", "Promotion Approved"],
      ["Hold Placed", "Hold Released"],
    ]);
    for (const rule of rules) expect(rule.Targets).toEqual([expect.objectContaining({ Arn: fnArn })]);
    expect(built.routing.deadLetterQueueOf("promote")).toBe(built.promote.deadLetterQueue);
  });

  it("tells the function where its table, the writer queue and its schedules are", () => {
    // Act
    const [fn] = Object.values(
      built.template.findResources("AWS::Lambda::Function", {
        Properties: { Environment: { Variables: { [PromoteEnvName.PromotionTable]: {} } } },
      }),
    );
    const variables = fn?.Properties.Environment.Variables;

    // Assert
    const resolve = (value: unknown) => built.stack.resolve(value);
    expect(variables[PromoteEnvName.PromotionTable]).toEqual(resolve(built.promote.stateTable.tableName));
    expect(variables[PromoteEnvName.WriteQueueUrl]).toEqual(resolve(built.writerQueue.queueUrl));
    expect(variables[PromoteEnvName.ScheduleGroup]).toEqual(
      resolve(built.promote.scheduleGroup.scheduleGroupName),
    );
    expect(variables[PromoteEnvName.SchedulerRoleArn]).toEqual(resolve(built.promote.schedulerRole.roleArn));
    expect(variables[PromoteEnvName.SchedulerDeadLetterArn]).toEqual(
      resolve(built.promote.deadLetterQueue.queueArn),
    );
    expect(variables[PromoteEnvName.ImagesTable]).toEqual(resolve(built.imagesTable.tableName));
    expect(fn?.Properties.Timeout).toBe(120);
  });

  it("creates its own promotion table with pk, sk and a TTL on expiresAt", () => {
    // Act
    const tables = built.template.findResources("AWS::DynamoDB::Table");

    // Assert: its own, beside the gate's table the test made.
    expect(Object.values(tables)).toHaveLength(2);
    built.template.hasResourceProperties("AWS::DynamoDB::Table", {
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
      TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
    });
  });

  it("lets the function use its table, send to the writer queue only, and schedule checks in its group", () => {
    // Arrange
    const role = built.promote.step.role;

    // Act
    const onWriter = actionsOn(built, role, built.writerQueue.queueArn);
    const onOther = actionsOn(built, role, built.otherQueue.queueArn);
    const onTable = actionsOn(built, role, built.promote.stateTable.tableArn);
    const onGate = actionsOn(built, role, built.imagesTable.tableArn);
    const passRole = actionsOn(built, role, built.promote.schedulerRole.roleArn);
    const all = statementsOf(built, role).flatMap((statement) => [statement.Action].flat());

    // Assert
    expect(onWriter).toEqual(["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"]);
    expect(onOther).toEqual([]);
    expect(onTable).toContain("dynamodb:PutItem");
    expect(onTable).toContain("dynamodb:Query");
    expect(onGate).toEqual(["dynamodb:GetItem"]);
    expect(passRole).toEqual(["iam:PassRole"]);
    expect(all).toContain("scheduler:CreateSchedule");
    expect(all).not.toContain("scheduler:DeleteSchedule");
  });

  it("gives Scheduler a role, trusted for this account and group only, that may invoke the function and dead-letter", () => {
    // Arrange
    const groupArn = built.stack.resolve(built.promote.scheduleGroup.scheduleGroupArn);

    // Act
    const actions = statementsOf(built, built.promote.schedulerRole)
      .flatMap((statement) => [statement.Action].flat())
      .sort();

    // Assert
    built.template.resourceCountIs("AWS::Scheduler::ScheduleGroup", 1);
    built.template.hasResourceProperties("AWS::IAM::Role", {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: "sts:AssumeRole",
            Effect: "Allow",
            Principal: { Service: "scheduler.amazonaws.com" },
            Condition: {
              StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } },
              ArnEquals: { "aws:SourceArn": groupArn },
            },
          },
        ],
      },
    });
    expect(actions).toEqual([
      "lambda:InvokeFunction",
      "sqs:GetQueueAttributes",
      "sqs:GetQueueUrl",
      "sqs:SendMessage",
    ]);
  });

  it("passes cdk-nag's AwsSolutions pack with no unacknowledged finding", () => {
    // Act
    const findings = awsSolutionsFindings(built.stack).filter((finding) =>
      finding.paths.some((at) => at.startsWith("Test/Promote")),
    );

    // Assert
    expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
  });

  it("refuses a standard queue as the writer queue", () => {
    // Arrange
    const stack = new Stack(new App(), "Standard");
    const eventBus = new events.EventBus(stack, "Bus");
    const routing = new EventRouting(stack, "Routing", {
      eventBus,
      eventLog: new logs.LogGroup(stack, "Log"),
    });
    const writerQueue = new sqs.Queue(stack, "Writer");

    // Act
    const create = () =>
      new PromoteFunction(stack, "Promote", {
        eventBus,
        routing,
        writerQueue,
        imagesTable: gateTable(stack),
        config,
        code,
      });

    // Assert
    expect(create).toThrow(/writerQueue is a standard queue; pass the config repository's FIFO queue/);
  });
});
