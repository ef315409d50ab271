import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import * as events from "aws-cdk-lib/aws-events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RuleDefinition } from "../../../functions/core/topology/rule-definition.js";
import { RULES } from "../../../functions/core/topology/rule-topology.js";
import { createApp } from "../../../infra/create-app.js";
import type { ShiplineStack } from "../../../infra/stacks/shipline-stack.js";
import { acknowledgements, awsSolutionsFindings } from "../nag-findings.js";

/** Every topology rule CDK deploys as such (cluster-queue rules are deployed per cluster). */
const DEPLOYED_RULES = RULES.filter((rule) => rule.target.kind !== "cluster-queue");

let outdir: string;
let app: App;
let stack: ShiplineStack;
let template: Template;
let resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;

function logicalIdOf(definition: RuleDefinition): string {
  const cfnRule = stack.routing.rules.get(definition.name)?.rule.node.defaultChild;
  if (!(cfnRule instanceof events.CfnRule)) throw new Error(`no rule deployed for ${definition.name}`);
  return stack.getLogicalId(cfnRule);
}

function propertiesOf(logicalId: string): Record<string, unknown> {
  const properties = resources[logicalId]?.Properties;
  if (properties === undefined) throw new Error(`no resource ${logicalId} in the template`);
  return properties;
}

beforeAll(async () => {
  outdir = await mkdtemp(path.join(os.tmpdir(), "shipline-cdk-"));
  ({ app, stack } = createApp({ app: { outdir, builtinCloudFormationValidation: false } }));
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
});

afterAll(async () => {
  await rm(outdir, { recursive: true, force: true });
});

describe("ShiplineStack", () => {
  it("creates Shipline's custom bus with a generated, stack-specific name", () => {
    // Act
    const buses = Object.values(template.findResources("AWS::Events::EventBus"));

    // Assert
    expect(buses).toHaveLength(1);
    expect(buses[0]?.Properties.Name).toMatch(/^Shipline/);
    expect(buses[0]?.Properties.Name).not.toBe("shipline");
    template.hasOutput("EventBusName", {});
  });

  it("archives every Shipline event of the bus for a year", () => {
    // Arrange
    const busLogicalId = stack.resolve(stack.bus.eventBus.eventBusName).Ref;
    const busName = resources[busLogicalId]?.Properties?.Name;

    // Act
    const archives = Object.values(template.findResources("AWS::Events::Archive"));

    // Assert
    expect(archives).toHaveLength(1);
    expect(archives[0]?.Properties).toMatchObject({
      EventPattern: { source: ["shipline"] },
      RetentionDays: 365,
    });
    expect(JSON.stringify(archives[0]?.Properties.SourceArn)).toContain(`:event-bus/${busName}`);
    expect(archives[0]?.DependsOn).toContain(busLogicalId);
  });

  it("deploys one rule per topology rule, with the topology's exact pattern, on the right bus", () => {
    // Arrange
    const busLogicalId = stack.resolve(stack.bus.eventBus.eventBusName);

    // Act
    const deployed = DEPLOYED_RULES.map((definition) => ({
      definition,
      properties: propertiesOf(logicalIdOf(definition)),
    }));

    // Assert
    template.resourceCountIs("AWS::Events::Rule", DEPLOYED_RULES.length);
    for (const { definition, properties } of deployed) {
      expect(properties.EventPattern, definition.name).toEqual(definition.eventPattern);
      expect(properties.Description, definition.name).toBe(definition.description);
      expect(properties.EventBusName, definition.name).toEqual(
        definition.bus === "shipline" ? busLogicalId : undefined,
      );
    }
  });

  it("forwards AWS events from the default bus to Shipline's bus with the rule's retry policy and a dead-letter queue", () => {
    // Arrange
    const forwards = DEPLOYED_RULES.filter((rule) => rule.target.kind === "bus");

    // Act
    const targets = forwards.map((definition) => ({
      definition,
      targets: propertiesOf(logicalIdOf(definition)).Targets,
    }));

    // Assert
    expect(forwards).toHaveLength(6);
    for (const { definition, targets: ruleTargets } of targets) {
      expect(ruleTargets, definition.name).toEqual([
        {
          Id: "Target0",
          Arn: stack.resolve(stack.bus.eventBus.eventBusArn),
          RoleArn: expect.anything(),
          DeadLetterConfig: { Arn: stack.resolve(stack.routing.forwardDeadLetterQueue.queueArn) },
          RetryPolicy: {
            MaximumRetryAttempts: definition.retry.maximumRetryAttempts,
            MaximumEventAgeInSeconds: definition.retry.maximumEventAgeSeconds,
          },
        },
      ]);
    }
  });

  it("lets the forwarding role put events on Shipline's bus and nothing else", () => {
    // Act
    const policies = Object.values(template.findResources("AWS::IAM::Policy"));

    // Assert
    expect(policies).toHaveLength(1);
    expect(policies[0]?.Properties.PolicyDocument.Statement).toEqual([
      {
        Action: "events:PutEvents",
        Effect: "Allow",
        Resource: stack.resolve(stack.bus.eventBus.eventBusArn),
      },
    ]);
  });

  it("writes every Shipline event to the event log, which only that rule may write to", () => {
    // Arrange
    const definition = DEPLOYED_RULES.find((rule) => rule.target.kind === "event-log");
    if (definition === undefined) throw new Error("the topology has no event-log rule");
    const ruleLogicalId = logicalIdOf(definition);
    const logGroupArn = stack.resolve(stack.eventLog.logGroup.logGroupArn);

    // Act
    const ruleTargets = propertiesOf(ruleLogicalId).Targets;
    const policies = Object.values(template.findResources("AWS::Logs::ResourcePolicy"));
    const policyDocument = JSON.stringify(policies[0]?.Properties.PolicyDocument);

    // Assert
    template.hasResourceProperties("AWS::Logs::LogGroup", { RetentionInDays: 365 });
    expect(ruleTargets).toEqual([
      expect.objectContaining({
        DeadLetterConfig: { Arn: stack.resolve(stack.routing.eventLogDeadLetterQueue.queueArn) },
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
      }),
    ]);
    expect(JSON.stringify(ruleTargets)).toContain(stack.resolve(stack.eventLog.logGroup.logGroupName).Ref);
    expect(policies).toHaveLength(1);
    expect(policyDocument).toContain('\\"Service\\":\\"events.amazonaws.com\\"');
    expect(policyDocument).toContain('\\"logs:CreateLogStream\\",\\"logs:PutLogEvents\\"');
    expect(policyDocument).toContain(JSON.stringify({ "Fn::GetAtt": [ruleLogicalId, "Arn"] }));
    expect(policyDocument).toContain(JSON.stringify(logGroupArn));
    template.resourceCountIs("Custom::CloudwatchLogResourcePolicy", 0);
  });

  it("keeps every dead-letter queue encrypted, TLS only, for 14 days, writable only by its rules", () => {
    // Act
    const queues = template.findResources("AWS::SQS::Queue");
    const queuePolicies = Object.values(template.findResources("AWS::SQS::QueuePolicy"));

    // Assert
    expect(Object.keys(queues)).toHaveLength(2);
    for (const queue of Object.values(queues)) {
      expect(queue.Properties).toEqual({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1_209_600 });
    }
    expect(queuePolicies).toHaveLength(2);
    for (const policy of queuePolicies) {
      const [denyInsecure, ...grants] = policy.Properties.PolicyDocument.Statement;
      expect(denyInsecure).toMatchObject({
        Effect: "Deny",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      });
      expect(grants.length).toBeGreaterThan(0);
      for (const grant of grants) {
        expect(grant).toMatchObject({
          Effect: "Allow",
          Action: "sqs:SendMessage",
          Principal: { Service: "events.amazonaws.com" },
          Condition: { ArnEquals: { "aws:SourceArn": expect.anything() } },
        });
      }
    }
  });

  it("passes cdk-nag's AwsSolutions pack with no unacknowledged finding", () => {
    // Act
    const findings = awsSolutionsFindings(app);

    // Assert
    expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
  });

  it("gives every cdk-nag acknowledgement a written reason", () => {
    // Act
    const acknowledged = acknowledgements(app);

    // Assert
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const { path: at, rule, reason } of acknowledged) {
      expect(typeof reason === "string" ? reason.length : 0, `${at} ${rule}`).toBeGreaterThan(40);
    }
  });
});
