import path from "node:path";
import * as z from "zod";
import { eventEnvelope } from "../../functions/core/contracts/event-envelope.js";
import { testEventPattern } from "../../functions/core/event-pattern/test-event-pattern.js";
import type { RuleDefinition } from "../../functions/core/topology/rule-definition.js";
import { rulesOnBus } from "../../functions/core/topology/rule-topology.js";
import { checkHandledEvent } from "./aws-event-consumers.js";
import { knownGapOf } from "./known-gaps.js";
import { checked, knownGap, mismatch, type Outcome } from "./outcome.js";
import type { SampleStore } from "./sample-store.js";

/** The AWS events among the samples, by file name. */
const EVENT_PREFIXES = [
  "ecr-image-action.",
  "ecr-image-scan.",
  "inspector2-scan.",
  "inspector2-finding.",
  "inspector2-coverage.",
  "codebuild-build-state-change.",
  "codebuild-build-phase-change.",
  "codecommit-repository-state-change.",
  "codecommit-pull-request-state-change.",
];

const routingFacts = z.looseObject({
  source: z.string(),
  "detail-type": z.string(),
  detail: z.looseObject({
    "action-type": z.string().optional(),
    result: z.string().optional(),
    "scan-status": z.string().optional(),
    "repository-name": z.string().optional(),
    "build-status": z.string().optional(),
    event: z.string().optional(),
  }),
});

/**
 * Checks every real AWS event: its envelope parses, the topology routes it to the steps AWS's
 * documentation of the event says Shipline needs (and nowhere else), and the step that consumes it
 * reads it right (its contract parses it and its use case gives the documented meaning).
 */
export async function checkAwsEventSamples(samples: SampleStore): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const name of EVENT_PREFIXES.flatMap((prefix) => samples.named(prefix))) {
    outcomes.push(await checked(name, () => checkEvent(name, samples.json(name))));
  }
  return outcomes;
}

function checkEvent(name: string, event: unknown): Outcome {
  eventEnvelope.parse(event);
  const facts = routingFacts.parse(event);
  const expected = expectedSteps(facts);
  const actual = routesOf(event);
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    const what = `${facts["detail-type"]} should reach ${list(expected)}; the topology sends it to ${list(actual)}`;
    const gap = knownGapOf(path.basename(name));
    return gap === undefined ? mismatch(name, what) : knownGap(name, gap.area, what);
  }
  return checkHandledEvent(name, facts["detail-type"], event, actual);
}

/**
 * The steps an AWS event should reach, from what AWS documents it to mean: a successful ECR push,
 * a finished scan of an ECR image, a finished CodeBuild build and a created or updated CodeCommit
 * ref each feed their step and the ledger; everything else (findings, coverage, phase changes,
 * pull requests, scans of EC2 instances or Lambda functions) is no business of Shipline's rules.
 */
function expectedSteps(facts: z.infer<typeof routingFacts>): string[] {
  const { detail } = facts;
  switch (facts["detail-type"]) {
    case "ECR Image Action":
      return detail["action-type"] === "PUSH" && detail.result === "SUCCESS"
        ? ["image-pushed", "ledger"]
        : [];
    case "ECR Image Scan":
      return detail["scan-status"] !== "IN_PROGRESS" ? ["ledger", "scan-gate"] : [];
    case "Inspector2 Scan":
      return detail["repository-name"]?.startsWith("arn:aws:ecr:") ? ["ledger", "scan-gate"] : [];
    case "CodeBuild Build State Change":
      return detail["build-status"] !== "IN_PROGRESS" ? ["build-status", "ledger"] : [];
    case "CodeCommit Repository State Change":
      return ["referenceCreated", "referenceUpdated"].includes(detail.event ?? "")
        ? ["ledger", "webhook"]
        : [];
    default:
      return [];
  }
}

/** The steps the topology hands an event to: forwarded from the default bus, then routed. */
function routesOf(event: unknown): string[] {
  const forwarded = rulesOnBus("default").some((rule) => testEventPattern(rule.eventPattern, event));
  if (!forwarded) return [];
  return rulesOnBus("shipline")
    .filter((rule) => testEventPattern(rule.eventPattern, event))
    .map((rule) => targetName(rule))
    .sort();
}

function targetName(rule: RuleDefinition): string {
  return rule.target.kind === "step" ? rule.target.step : rule.target.kind;
}

function list(steps: readonly string[]): string {
  return steps.length === 0 ? "no step" : steps.join(" + ");
}
