import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { App, Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as events from "aws-cdk-lib/aws-events";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import * as sns from "aws-cdk-lib/aws-sns";
import { beforeAll, describe, expect, it } from "vitest";
import { EnvName } from "../../functions/core/topology/env-names.js";
import { rulesForStep } from "../../functions/core/topology/rule-topology.js";
import { PipelineDashboard } from "../../infra/constructs/dashboard.js";
import { EventRouting } from "../../infra/constructs/event-routing.js";
import { Ledger } from "../../infra/constructs/ledger.js";
import { stepFunctionConfigOf } from "../../infra/constructs/step-function-config.js";
import { awsSolutionsFindings } from "./nag-findings.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const config = stepFunctionConfigOf(readFileSync(path.join(repoRoot, "shipline.config.yaml"), "utf8"));
const code = lambda.Code.fromInline("export const handler = async () => undefined;");

interface Built {
  readonly stack: Stack;
  readonly ledger: Ledger;
  readonly routing: EventRouting;
  readonly dashboard: PipelineDashboard;
  readonly template: Template;
}

function build(): Built {
  const stack = new Stack(new App(), "Test");
  const eventBus = new events.EventBus(stack, "Bus");
  const routing = new EventRouting(stack, "Routing", {
    eventBus,
    eventLog: new logs.LogGroup(stack, "EventLog"),
  });
  const ledger = new Ledger(stack, "Ledger", { eventBus, routing, config, code });
  const dashboard = new PipelineDashboard(stack, "Dashboard", {
    routing,
    alarmTopic: new sns.Topic(stack, "Alarms", { enforceSSL: true }),
  });
  return { stack, ledger, routing, dashboard, template: Template.fromStack(stack) };
}

let built: Built;

beforeAll(() => {
  built = build();
});

describe("Ledger", () => {
  it("sends every ledger rule of the topology to the function, dead-lettering into one queue", () => {
    // Arrange
    const fnArn = built.stack.resolve(built.ledger.step.fn.functionArn);
    const names = rulesForStep("ledger").map((rule) => rule.name);

    // Act
    const targets = names.map((name) => {
      const rule = built.routing.rules.get(name)?.rule.node.defaultChild;
      if (!(rule instanceof events.CfnRule)) throw new Error(`no rule ${name}`);
      return built.template.toJSON().Resources[built.stack.getLogicalId(rule)].Properties.Targets;
    });

    // Assert
    expect(names).toContain("ledger-on-shipline-event");
    expect(names.length).toBeGreaterThan(1);
    for (const target of targets) expect(target).toEqual([expect.objectContaining({ Arn: fnArn })]);
    expect(built.routing.deadLetterQueueOf("ledger")).toBe(built.ledger.deadLetterQueue);
  });

  it("gives the function its table and lets it read and write nothing else", () => {
    // Act
    const [fn] = Object.values(
      built.template.findResources("AWS::Lambda::Function", {
        Properties: { Environment: { Variables: { [EnvName.LedgerTable]: {} } } },
      }),
    );

    // Assert
    expect(fn?.Properties.Environment.Variables[EnvName.LedgerTable]).toEqual(
      built.stack.resolve(built.ledger.table.tableName),
    );
    built.template.hasResourceProperties("AWS::DynamoDB::Table", {
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    const dynamoResources = Object.values(built.template.findResources("AWS::IAM::Policy"))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
      .filter((statement) =>
        [statement.Action].flat().some((action: string) => action.startsWith("dynamodb:")),
      )
      .map((statement) => JSON.stringify(statement.Resource));
    const table = built.ledger.table.node.defaultChild;
    if (!(table instanceof dynamodb.CfnTable))
      throw new Error("the ledger table has no CloudFormation resource");
    expect(dynamoResources.length).toBeGreaterThan(0);
    for (const resource of dynamoResources) expect(resource).toContain(built.stack.getLogicalId(table));
  });

  it("passes cdk-nag's AwsSolutions checks", () => {
    // Act
    const findings = awsSolutionsFindings(built.stack);

    // Assert
    expect(findings).toEqual([]);
  });
});

describe("PipelineDashboard", () => {
  it("alarms on every dead-letter queue, every step function's errors and rejected images", () => {
    // Act
    const names = [...built.dashboard.alarms.keys()];

    // Assert
    expect(names).toEqual([
      "dlq-forward",
      "dlq-event-log",
      "dlq-ledger",
      "errors-Ledger-Function",
      "image-rejected",
    ]);
    built.template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "EventRecorded",
      Namespace: "Shipline",
      Dimensions: Match.arrayWith([
        { Name: "detailType", Value: "Image Rejected" },
        { Name: "service", Value: "ledger" },
      ]),
      Threshold: 0,
      ComparisonOperator: "GreaterThanThreshold",
    });
    const alarms = Object.values(built.template.findResources("AWS::CloudWatch::Alarm"));
    expect(alarms).toHaveLength(5);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toHaveLength(1);
  });

  it("shows the pipeline and the DORA metrics the ledger emits", () => {
    // Act
    const [dashboard] = Object.values(built.template.findResources("AWS::CloudWatch::Dashboard"));
    const body = JSON.stringify(built.stack.resolve(dashboard?.Properties.DashboardBody));

    // Assert
    for (const text of [
      "Events per detail type",
      "Dead-letter queue depth",
      "DeploymentVerified",
      "LeadTimeSeconds",
      "TimeToRestoreSeconds",
      "100 * failed / (failed + verified)",
    ]) {
      expect(body).toContain(text);
    }
  });
});
