import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import * as ecr from "aws-cdk-lib/aws-ecr";
import * as events from "aws-cdk-lib/aws-events";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import { beforeAll, describe, expect, it } from "vitest";
import { EnvName } from "../../functions/core/topology/env-names.js";
import { EventRouting } from "../../infra/constructs/event-routing.js";
import { ScanGateFunction } from "../../infra/constructs/scan-gate-function.js";
import { stepFunctionConfigOf } from "../../infra/constructs/step-function-config.js";
import { StepFunctionTable } from "../../infra/constructs/step-function-table.js";
import { awsSolutionsFindings } from "./nag-findings.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const config = stepFunctionConfigOf(readFileSync(path.join(repoRoot, "shipline.config.yaml"), "utf8"));

interface Built {
  readonly stack: Stack;
  readonly scanGate: ScanGateFunction;
  readonly routing: EventRouting;
  readonly repository: ecr.Repository;
  readonly other: ecr.Repository;
  readonly scheduling: iam.Role;
  readonly template: Template;
}

function build(): Built {
  const app = new App();
  const stack = new Stack(app, "Test");
  const eventBus = new events.EventBus(stack, "Bus");
  const routing = new EventRouting(stack, "Routing", {
    eventBus,
    eventLog: new logs.LogGroup(stack, "EventLog"),
  });
  const imagesTable = new StepFunctionTable(stack, "Images").table;
  const repository = new ecr.Repository(stack, "Demo", { imageScanOnPush: true });
  const other = new ecr.Repository(stack, "NotShipline");
  const scanGate = new ScanGateFunction(stack, "ScanGate", {
    eventBus,
    routing,
    imagesTable,
    repositories: [repository],
    config,
    code: lambda.Code.fromInline("export const handler = async () => undefined;"),
  });
  const scheduling = new iam.Role(stack, "ImagePushedRole", {
    assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
  });
  scanGate.grantScheduleTimeouts(scheduling);
  return { stack, scanGate, routing, repository, other, scheduling, template: Template.fromStack(stack) };
}

/** Every statement of the policies attached to a role. */
function statementsOf(
  built: Built,
  role: iam.IRole,
): { Action: string | string[]; Resource: unknown; Effect: string }[] {
  const roleRef = built.stack.resolve(role.roleName);
  return Object.values(built.template.findResources("AWS::IAM::Policy"))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(JSON.stringify(roleRef)))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

let built: Built;

beforeAll(() => {
  built = build();
});

describe("ScanGateFunction", () => {
  it("sends both scan rules of the topology to the gate's function", () => {
    // Arrange
    const fnArn = built.stack.resolve(built.scanGate.step.fn.functionArn);

    // Act
    const targets = ["scan-gate-on-ecr-image-scan", "scan-gate-on-inspector2-scan"].map((name) => {
      const rule = built.routing.rules.get(name)?.rule.node.defaultChild;
      if (!(rule instanceof events.CfnRule)) throw new Error(`no rule ${name}`);
      return built.template.toJSON().Resources[built.stack.getLogicalId(rule)].Properties.Targets;
    });

    // Assert
    for (const ruleTargets of targets) {
      expect(ruleTargets).toEqual([expect.objectContaining({ Arn: fnArn })]);
    }
    expect(built.routing.deadLetterQueueOf("scan-gate")).toBe(built.scanGate.deadLetterQueue);
  });

  it("tells the function where the images table is", () => {
    // Act
    const functions = built.template.findResources("AWS::Lambda::Function", {
      Properties: {
        Description: "Shipline: applies the scan policy to scanned images (Image Approved / Image Rejected)",
      },
    });

    // Assert
    const [fn] = Object.values(functions);
    expect(fn?.Properties.Environment.Variables[EnvName.ImagesTable]).toEqual({
      Ref: expect.stringMatching(/^Images/),
    });
    expect(fn?.Properties.Timeout).toBe(60);
  });

  it("reads scan findings of Shipline's repositories only, and lists Inspector findings", () => {
    // Act
    const statements = statementsOf(built, built.scanGate.step.role);
    const describe = statements.filter((statement) =>
      [statement.Action].flat().includes("ecr:DescribeImageScanFindings"),
    );
    const inspector = statements.filter((statement) =>
      [statement.Action].flat().includes("inspector2:ListFindings"),
    );

    // Assert
    expect(describe).toEqual([
      expect.objectContaining({
        Effect: "Allow",
        Resource: built.stack.resolve(built.repository.repositoryArn),
      }),
    ]);
    expect(JSON.stringify(statements)).not.toContain(
      JSON.stringify(built.stack.resolve(built.other.repositoryArn)),
    );
    expect(inspector).toEqual([
      expect.objectContaining({ Action: "inspector2:ListFindings", Resource: "*" }),
    ]);
    expect(JSON.stringify(statements)).toContain("dynamodb:PutItem");
  });

  it("creates a schedule group whose role, trusted by Scheduler for this account and group only, may invoke the gate", () => {
    // Arrange
    const groupArn = built.stack.resolve(built.scanGate.timeoutGroup.scheduleGroupArn);

    // Act
    const statements = statementsOf(built, built.scanGate.timeoutRole);

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
    expect(statements.map((statement) => statement.Action)).toEqual(["lambda:InvokeFunction"]);
  });

  it("lets the scheduling function create schedules in the group and pass the timeout role, nothing more", () => {
    // Act
    const statements = statementsOf(built, built.scheduling);
    const actions = statements.flatMap((statement) => [statement.Action].flat()).sort();

    // Assert
    expect(actions).toEqual(["iam:PassRole", "scheduler:CreateSchedule", "scheduler:UpdateSchedule"]);
    const passRole = statements.find((statement) => statement.Action === "iam:PassRole");
    expect(passRole?.Resource).toEqual(built.stack.resolve(built.scanGate.timeoutRole.roleArn));
    expect(built.scanGate.timeoutEnvironment).toEqual({
      [EnvName.ScanTimeoutScheduleGroup]: built.scanGate.timeoutGroup.scheduleGroupName,
      [EnvName.ScanTimeoutTargetArn]: built.scanGate.step.fn.functionArn,
      [EnvName.ScanTimeoutRoleArn]: built.scanGate.timeoutRole.roleArn,
    });
  });

  it("passes cdk-nag's AwsSolutions pack with no unacknowledged finding", () => {
    // Act
    const findings = awsSolutionsFindings(built.stack).filter((finding) =>
      finding.paths.some((at) => at.startsWith("Test/ScanGate")),
    );

    // Assert
    expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
  });

  it("refuses to be built without repositories", () => {
    // Arrange
    const stack = new Stack(new App(), "Empty");
    const eventBus = new events.EventBus(stack, "Bus");
    const routing = new EventRouting(stack, "Routing", {
      eventBus,
      eventLog: new logs.LogGroup(stack, "Log"),
    });

    // Act
    const create = () =>
      new ScanGateFunction(stack, "ScanGate", {
        eventBus,
        routing,
        imagesTable: new StepFunctionTable(stack, "Images").table,
        repositories: [],
        config,
        code: lambda.Code.fromInline("export const handler = async () => undefined;"),
      });

    // Assert
    expect(create).toThrow(expect.objectContaining({ code: "CONSTRUCT_PROPS_INVALID" }));
  });
});
