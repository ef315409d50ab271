import { describe, expect, it } from "vitest";
import {
  DETAIL_TYPES,
  type DetailTypeName,
  SHIPLINE_SOURCE,
} from "../../../../functions/core/contracts/detail-type.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { NOTIFIED_DETAIL_TYPES } from "../../../../functions/core/notify/terminal-event.js";
import { RETRY_LIMITS, retryPolicyProblems } from "../../../../functions/core/topology/retry-policies.js";
import {
  type RuleDefinition,
  type RuleTarget,
  STEPS,
  type StepName,
} from "../../../../functions/core/topology/rule-definition.js";
import {
  RULES,
  ruleNamed,
  rulesForStep,
  rulesOnBus,
  TERMINAL_DETAIL_TYPES,
} from "../../../../functions/core/topology/rule-topology.js";
import { matchesPlainPattern, readEvent, withDetail } from "./plain-pattern.js";

/** Steps fed by an SQS queue rather than by a rule. */
const QUEUE_FED_STEPS: readonly StepName[] = ["config-writer", "agent"];

const samples = {
  ecrPush: readEvent("aws/ecr-image-action.push.json"),
  ecrScan: readEvent("aws/ecr-image-scan.complete.json"),
  inspectorScan: readEvent("aws/inspector2-scan.ecr-initial-scan.json"),
  buildFailed: readEvent("aws/codebuild-build-state-change.failed.json"),
  buildSucceeded: readEvent("aws/codebuild-build-state-change.succeeded.json"),
  codeCommitPush: readEvent("aws/codecommit-repository-state-change.reference-updated.json"),
};

function describeTarget(target: RuleTarget): string {
  return target.kind === "step" ? target.step : target.kind === "bus" ? `bus:${target.bus}` : target.kind;
}

/** Where an event goes on a bus: the targets of every rule that matches it, sorted. */
function routesOf(bus: RuleDefinition["bus"], event: unknown): string[] {
  return rulesOnBus(bus)
    .filter((rule) => matchesPlainPattern(rule.eventPattern, event))
    .map((rule) => describeTarget(rule.target))
    .sort();
}

function shiplineEvent(detailType: string): Record<string, unknown> {
  return { source: SHIPLINE_SOURCE, "detail-type": detailType, detail: { app: "api" } };
}

/** DESIGN §1, event by event: who receives each Shipline detail type on the shipline bus. */
const EXPECTED_SHIPLINE_ROUTES: Record<DetailTypeName, readonly string[]> = {
  "Commit Pushed": ["start-build"],
  "Build Started": [],
  "Build Succeeded": [],
  "Build Failed": ["notify"],
  "Chart Pushed": [],
  "Image Pushed": [],
  "Image Refused": ["notify"],
  "Image Approved": ["promote"],
  "Image Rejected": ["notify"],
  "Promotion Approved": ["promote"],
  "Promotion Waiting": ["notify"],
  "Promotion Refused": [],
  "Config Committed": ["dispatch-sync"],
  "Pull Request Opened": ["notify"],
  "Sync Requested": ["cluster-queue"],
  "Deployment Verified": ["notify", "promote"],
  "Deployment Failed": ["notify", "promote", "rollback"],
  "Rollback Committed": ["notify"],
  "Hold Placed": ["notify", "promote"],
  "Hold Released": ["promote"],
  "Step Failed": [],
};

describe("RULES", () => {
  it("gives every rule a unique kebab-case name, since the name is also the CDK construct id", () => {
    // Arrange
    const names = RULES.map((rule) => rule.name);

    // Act
    const unique = new Set(names);

    // Assert
    expect(unique.size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    for (const rule of RULES) expect(rule.description.length).toBeGreaterThan(0);
  });

  it("triggers every step that consumes events, and none of the queue-fed ones", () => {
    // Arrange
    const eventDriven = STEPS.filter((step) => !QUEUE_FED_STEPS.includes(step));

    // Act
    const missing = eventDriven.filter((step) => rulesForStep(step).length === 0);
    const queueFedWithRules = QUEUE_FED_STEPS.filter((step) => rulesForStep(step).length > 0);

    // Assert
    expect(missing).toEqual([]);
    expect(queueFedWithRules).toEqual([]);
  });

  it("names only detail types of the event catalog in patterns on Shipline's source", () => {
    // Arrange
    const shiplinePatterns = RULES.map((rule) => rule.eventPattern).filter(
      (pattern) => JSON.stringify(pattern.source) === JSON.stringify([SHIPLINE_SOURCE]),
    );

    // Act
    const named = shiplinePatterns.flatMap((pattern) => {
      const detailTypes = pattern["detail-type"];
      return Array.isArray(detailTypes) ? detailTypes : [];
    });

    // Assert
    expect(named.length).toBeGreaterThan(0);
    for (const detailType of named) expect(DETAIL_TYPES).toContain(detailType);
  });

  it("keeps every retry policy within EventBridge's bounds", () => {
    // Arrange
    const policies = RULES.map((rule) => ({ name: rule.name, ...rule.retry }));

    // Act
    const problems = RULES.flatMap((rule) =>
      retryPolicyProblems(rule.retry).map((p) => `${rule.name}: ${p}`),
    );

    // Assert
    expect(problems).toEqual([]);
    for (const policy of policies) {
      expect(policy.maximumRetryAttempts).toBeGreaterThanOrEqual(0);
      expect(policy.maximumRetryAttempts).toBeLessThanOrEqual(185);
      expect(policy.maximumEventAgeSeconds).toBeGreaterThanOrEqual(60);
      expect(policy.maximumEventAgeSeconds).toBeLessThanOrEqual(86_400);
    }
  });

  it.each(Object.entries(EXPECTED_SHIPLINE_ROUTES))(
    "routes a '%s' event to its steps, the ledger and the event log",
    (detailType, steps) => {
      // Arrange
      const event = shiplineEvent(detailType);

      // Act
      const routes = routesOf("shipline", event);

      // Assert
      expect(routes).toEqual([...steps, "event-log", "ledger"].sort());
    },
  );

  it("keeps an event of an unknown Shipline detail type in the event log only", () => {
    // Arrange
    const event = shiplineEvent("Something Newer");

    // Act
    const routes = routesOf("shipline", event);

    // Assert
    expect(routes).toEqual(["event-log"]);
  });

  it.each([
    ["an ECR push", samples.ecrPush, "forward-ecr-image-action", ["image-pushed", "ledger"]],
    ["an ECR basic scan", samples.ecrScan, "forward-ecr-image-scan", ["ledger", "scan-gate"]],
    ["an Inspector scan", samples.inspectorScan, "forward-inspector2-scan", ["ledger", "scan-gate"]],
    [
      "a failed build",
      samples.buildFailed,
      "forward-codebuild-build-state-change",
      ["build-status", "ledger"],
    ],
    [
      "a succeeded build",
      samples.buildSucceeded,
      "forward-codebuild-build-state-change",
      ["build-status", "ledger"],
    ],
    [
      "a CodeCommit push",
      samples.codeCommitPush,
      "forward-codecommit-repository-state-change",
      ["ledger", "webhook"],
    ],
  ])(
    "forwards %s from the default bus and routes it on the shipline bus",
    (_what, sample, forwardRule, steps) => {
      // Arrange
      const forwards = rulesOnBus("default");

      // Act
      const matching = forwards.filter((rule) => matchesPlainPattern(rule.eventPattern, sample));
      const routes = routesOf("shipline", sample);

      // Assert
      expect(matching.map((rule) => rule.name)).toEqual([forwardRule]);
      expect(matching[0]?.target).toEqual({ kind: "bus", bus: "shipline" });
      expect(routes).toEqual(steps);
    },
  );

  it.each([
    ["an ECR image deletion", withDetail(samples.ecrPush, "action-type", "DELETE")],
    ["a failed ECR push", withDetail(samples.ecrPush, "result", "FAILURE")],
    ["an ECR scan still in progress", withDetail(samples.ecrScan, "scan-status", "IN_PROGRESS")],
    ["a build still in progress", withDetail(samples.buildFailed, "build-status", "IN_PROGRESS")],
    ["a deleted CodeCommit branch", withDetail(samples.codeCommitPush, "event", "referenceDeleted")],
  ])("neither forwards nor routes %s", (_what, event) => {
    // Act
    const forwarded = routesOf("default", event);
    const routed = routesOf("shipline", event);

    // Assert
    expect(forwarded).toEqual([]);
    expect(routed).toEqual([]);
  });

  it("forwards only from the default bus, and only to the shipline bus", () => {
    // Arrange
    const forwardRules = RULES.filter((rule) => rule.target.kind === "bus");

    // Act
    const defaultBusRules = rulesOnBus("default");

    // Assert
    expect(defaultBusRules).toEqual(forwardRules);
    expect(defaultBusRules).toHaveLength(6);
  });

  it("cannot be edited by a consumer", () => {
    // Arrange
    const rule = ruleNamed("start-build-on-commit-pushed");
    const detailTypes = rule.eventPattern["detail-type"];

    // Act
    const edit = () => {
      if (Array.isArray(detailTypes)) detailTypes.push("Build Started");
    };

    // Assert
    expect(edit).toThrow(TypeError);
    expect(rule.eventPattern["detail-type"]).toEqual(["Commit Pushed"]);
  });
});

describe("rulesForStep", () => {
  it("returns every scan rule for the scan gate: ECR, Inspector and Harbor", () => {
    // Act
    const rules = rulesForStep("scan-gate");

    // Assert
    expect(rules.map((rule) => rule.name)).toEqual([
      "scan-gate-on-ecr-image-scan",
      "scan-gate-on-inspector2-scan",
      "scan-gate-on-harbor-scan-completed",
      "scan-gate-on-registry-scan-completed",
    ]);
  });
});

describe("rulesOnBus", () => {
  it("splits the topology between the two buses without losing a rule", () => {
    // Act
    const shipline = rulesOnBus("shipline");
    const defaultBus = rulesOnBus("default");

    // Assert
    expect(shipline.length + defaultBus.length).toBe(RULES.length);
    expect(shipline.every((rule) => rule.bus === "shipline")).toBe(true);
  });
});

describe("notify-on-terminal-event", () => {
  it.each([
    ["opened", false],
    ["updated", true],
  ])("matches a pull request %s for review, as the config writer publishes it", (_, updated) => {
    // Arrange
    const pattern = ruleNamed("notify-on-terminal-event").eventPattern;
    const event = withDetail(
      { source: SHIPLINE_SOURCE, "detail-type": "Pull Request Opened", detail: { app: "api" } },
      "updated",
      updated,
    );

    // Act
    const matches = matchesPlainPattern(pattern, event);

    // Assert
    expect(matches).toBe(true);
    expect(pattern["detail-type"]).toEqual([
      ...TERMINAL_DETAIL_TYPES,
      "Pull Request Opened",
      "Hold Placed",
      "Promotion Waiting",
    ]);
  });

  it("sends notify exactly the detail types its handler accepts", () => {
    // Arrange
    const pattern = ruleNamed("notify-on-terminal-event").eventPattern;

    // Act
    const routed = pattern["detail-type"];

    // Assert
    expect(Array.isArray(routed) ? [...routed].sort() : routed).toEqual([...NOTIFIED_DETAIL_TYPES].sort());
  });
});

describe("ruleNamed", () => {
  it("finds a rule by its name", () => {
    // Act
    const rule = ruleNamed("notify-on-terminal-event");

    // Assert
    expect(rule.target).toEqual({ kind: "step", step: "notify" });
  });

  it("rejects an unknown name with RULE_UNKNOWN, listing the known names", () => {
    // Act
    const lookUp = () => ruleNamed("start-build-on-push");

    // Assert
    expect(lookUp).toThrow(ShiplineError);
    expect(lookUp).toThrow(/'start-build-on-push'.*start-build-on-commit-pushed/);
    try {
      lookUp();
    } catch (error) {
      expect(error).toMatchObject({
        code: "RULE_UNKNOWN",
        retryable: false,
        data: { name: "start-build-on-push" },
      });
    }
  });
});

describe("RETRY_LIMITS", () => {
  it("reports both bounds a policy breaks, naming the bad values", () => {
    // Act
    const problems = retryPolicyProblems({ maximumRetryAttempts: 186, maximumEventAgeSeconds: 59 });

    // Assert
    expect(problems).toEqual([
      `maximumRetryAttempts is 186; use a whole number from 0 to ${RETRY_LIMITS.maxRetryAttempts}`,
      `maximumEventAgeSeconds is 59; use a whole number of seconds from 60 to ${RETRY_LIMITS.maxEventAgeSeconds}`,
    ]);
  });

  it("accepts the bounds themselves", () => {
    // Act
    const low = retryPolicyProblems({ maximumRetryAttempts: 0, maximumEventAgeSeconds: 60 });
    const high = retryPolicyProblems({ maximumRetryAttempts: 185, maximumEventAgeSeconds: 86_400 });

    // Assert
    expect(low).toEqual([]);
    expect(high).toEqual([]);
  });
});
