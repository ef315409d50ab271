import { App, Stack } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { describe, expect, it } from "vitest";
import type { RuleDefinition } from "../../../functions/core/topology/rule-definition.js";
import { ruleNamed } from "../../../functions/core/topology/rule-topology.js";
import { toCdkEventPattern } from "../../../infra/constructs/to-cdk-event-pattern.js";
import { TopologyRule } from "../../../infra/constructs/topology-rule.js";
import { thrown } from "../thrown.js";

function freshStack(): Stack {
  return new Stack(new App(), "Rules");
}

function someFunction(stack: Stack): lambda.Function {
  return new lambda.Function(stack, "Fn", {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: "index.handler",
    code: lambda.Code.fromInline("exports.handler = async () => undefined;"),
  });
}

describe("TopologyRule", () => {
  it("requires Shipline's bus for a rule that listens there", () => {
    // Arrange
    const stack = freshStack();

    // Act
    const error = thrown(
      () => new TopologyRule(stack, "start", { definition: ruleNamed("start-build-on-commit-pushed") }),
    );

    // Assert
    expect(error.code).toBe("CONSTRUCT_PROPS_INVALID");
    expect(error.message).toMatch(/start-build-on-commit-pushed.*pass that bus as eventBus/);
  });

  it("refuses a custom bus for a rule of the default bus", () => {
    // Arrange
    const stack = freshStack();
    const eventBus = new events.EventBus(stack, "Bus");

    // Act
    const create = () =>
      new TopologyRule(stack, "forward", { definition: ruleNamed("forward-ecr-image-action"), eventBus });

    // Assert
    expect(create).toThrow(/listens on the default bus; leave eventBus out/);
  });

  it("refuses a retry policy outside EventBridge's bounds, naming the value", () => {
    // Arrange
    const stack = freshStack();
    const base = ruleNamed("forward-ecr-image-action");
    const definition: RuleDefinition = {
      ...base,
      retry: { maximumRetryAttempts: 186, maximumEventAgeSeconds: 3600 },
    };

    // Act
    const create = () => new TopologyRule(stack, "forward", { definition });

    // Assert
    expect(create).toThrow(/maximumRetryAttempts is 186; use a whole number from 0 to 185/);
  });

  it("refuses a target of another kind than the definition's", () => {
    // Arrange
    const stack = freshStack();
    const rule = new TopologyRule(stack, "forward", { definition: ruleNamed("forward-ecr-image-action") });

    // Act
    const error = thrown(() => rule.addFunction(someFunction(stack)));

    // Assert
    expect(error.code).toBe("RULE_TARGET_MISMATCH");
    expect(error.message).toMatch(/'bus' target, not to a 'step' one/);
  });

  it("gives a rule exactly one target", () => {
    // Arrange
    const stack = freshStack();
    const eventBus = new events.EventBus(stack, "Bus");
    const rule = new TopologyRule(stack, "notify", {
      definition: ruleNamed("notify-on-terminal-event"),
      eventBus,
    });
    const fn = someFunction(stack);
    rule.addFunction(fn);

    // Act
    const again = () => rule.addFunction(fn);

    // Assert
    expect(thrown(again).code).toBe("RULE_TARGET_TAKEN");
    expect(rule.deadLetterQueue).toBeDefined();
  });
});

describe("toCdkEventPattern", () => {
  it("renames detail-type and keeps every other field as it is", () => {
    // Arrange
    const pattern = {
      source: ["aws.ecr"],
      "detail-type": ["ECR Image Action"],
      detail: { result: ["SUCCESS"] },
    };

    // Act
    const cdkPattern = toCdkEventPattern(pattern);

    // Assert
    expect(cdkPattern).toEqual({
      source: ["aws.ecr"],
      detailType: ["ECR Image Action"],
      detail: { result: ["SUCCESS"] },
    });
  });

  it("refuses content filters and unknown fields at the top level, naming them", () => {
    // Arrange
    const pattern = { source: [{ prefix: "aws." }], detail_type: ["ECR Image Action"] };

    // Act
    const error = thrown(() => toCdkEventPattern(pattern));

    // Assert
    expect(error.code).toBe("EVENT_PATTERN_UNSUPPORTED");
    expect(error.message).toMatch(/eventPattern\.source\[0\].*detail_type/);
  });
});
