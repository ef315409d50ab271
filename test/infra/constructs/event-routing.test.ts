import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import * as events from "aws-cdk-lib/aws-events";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RETRY_POLICIES } from "../../../functions/core/topology/retry-policies.js";
import { EventRouting } from "../../../infra/constructs/event-routing.js";
import { thrown } from "../thrown.js";

let outdir: string;

/** A stack with a bus, a log group and Shipline's routing; nothing connected yet. */
function routingStack(app: App): {
  stack: Stack;
  routing: EventRouting;
  fn: lambda.Function;
  queue: sqs.Queue;
} {
  const stack = new Stack(app, "Routing");
  const routing = new EventRouting(stack, "Routing", {
    eventBus: new events.EventBus(stack, "Bus"),
    eventLog: new logs.LogGroup(stack, "Log"),
  });
  const fn = new lambda.Function(stack, "ScanGate", {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: "index.handler",
    code: lambda.Code.fromInline("exports.handler = async () => undefined;"),
  });
  return { stack, routing, fn, queue: new sqs.Queue(stack, "ProdEuQueue") };
}

function ruleTargets(template: Template, stack: Stack, routing: EventRouting, name: string): unknown {
  const cfnRule = routing.rules.get(name)?.rule.node.defaultChild;
  if (!(cfnRule instanceof events.CfnRule)) throw new Error(`no rule ${name}`);
  return template.toJSON().Resources[stack.getLogicalId(cfnRule)].Properties.Targets;
}

beforeAll(async () => {
  outdir = await mkdtemp(path.join(os.tmpdir(), "shipline-cdk-"));
});

afterAll(async () => {
  await rm(outdir, { recursive: true, force: true });
});

describe("EventRouting", () => {
  describe("once a step and a cluster are connected", () => {
    let stack: Stack;
    let routing: EventRouting;
    let template: Template;
    let stepDeadLetters: sqs.IQueue;
    let fn: lambda.Function;

    beforeAll(() => {
      const app = new App({ outdir, builtinCloudFormationValidation: false });
      const built = routingStack(app);
      ({ stack, routing, fn } = built);
      stepDeadLetters = routing.connectStep("scan-gate", fn);
      routing.addClusterQueue("prod-eu", built.queue);
      template = Template.fromStack(stack);
    });

    it("invokes the step's function from each of its rules, with the retry policy and one dead-letter queue", () => {
      // Arrange
      const expected = [
        {
          Id: "Target0",
          Arn: stack.resolve(fn.functionArn),
          DeadLetterConfig: { Arn: stack.resolve(stepDeadLetters.queueArn) },
          RetryPolicy: {
            MaximumRetryAttempts: RETRY_POLICIES.chainStep.maximumRetryAttempts,
            MaximumEventAgeInSeconds: RETRY_POLICIES.chainStep.maximumEventAgeSeconds,
          },
        },
      ];

      // Act
      const ecrScan = ruleTargets(template, stack, routing, "scan-gate-on-ecr-image-scan");
      const inspectorScan = ruleTargets(template, stack, routing, "scan-gate-on-inspector2-scan");
      const harborScan = ruleTargets(template, stack, routing, "scan-gate-on-harbor-scan-completed");
      const registryScan = ruleTargets(template, stack, routing, "scan-gate-on-registry-scan-completed");

      // Assert
      expect(ecrScan).toEqual(expected);
      expect(inspectorScan).toEqual(expected);
      expect(harborScan).toEqual(expected);
      expect(registryScan).toEqual(expected);
      expect(routing.deadLetterQueueOf("scan-gate")).toBe(stepDeadLetters);
      template.resourcePropertiesCountIs(
        "AWS::Lambda::Permission",
        { Principal: "events.amazonaws.com", Action: "lambda:InvokeFunction" },
        4,
      );
    });

    it("leaves the rules of steps not yet connected without a target", () => {
      // Act
      const startBuild = ruleTargets(template, stack, routing, "start-build-on-commit-pushed");

      // Assert
      expect(startBuild).toBeUndefined();
      expect(routing.deadLetterQueueOf("start-build")).toBeUndefined();
    });

    it("routes Sync Requested of one cluster to that cluster's queue", () => {
      // Arrange
      const name = "cluster-queue-prod-eu-on-sync-requested";

      // Act
      const targets = ruleTargets(template, stack, routing, name);

      // Assert
      template.hasResourceProperties("AWS::Events::Rule", {
        EventPattern: {
          source: ["shipline"],
          "detail-type": ["Sync Requested"],
          detail: { cluster: ["prod-eu"] },
        },
      });
      expect(targets).toEqual([
        expect.objectContaining({
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
          DeadLetterConfig: expect.anything(),
        }),
      ]);
    });
  });

  it("refuses to connect a step twice", () => {
    // Arrange
    const { routing, fn } = routingStack(new App({ outdir }));
    routing.connectStep("ledger", fn);

    // Act
    const again = () => routing.connectStep("ledger", fn);

    // Assert
    expect(thrown(again).code).toBe("ROUTING_STEP_CONNECTED");
  });

  it("refuses to connect a step that is fed by a queue, not by rules", () => {
    // Arrange
    const { routing, fn } = routingStack(new App({ outdir }));

    // Act
    const connect = () => routing.connectStep("config-writer", fn);

    // Assert
    const error = thrown(connect);
    expect(error.code).toBe("ROUTING_STEP_UNROUTED");
    expect(error.message).toMatch(/'config-writer'.*queue/);
  });

  it("refuses a cluster name that is not a Shipline resource name", () => {
    // Arrange
    const { routing, queue } = routingStack(new App({ outdir }));

    // Act
    const add = () => routing.addClusterQueue("Prod EU", queue);

    // Assert
    expect(thrown(add).code).toBe("RULE_CLUSTER_INVALID");
  });
});
