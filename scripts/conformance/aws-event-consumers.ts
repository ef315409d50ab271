import * as z from "zod";
import { buildOutcomeOf } from "../../functions/core/build/build-outcome.js";
import { BuildVariable } from "../../functions/core/build/build-variable.js";
import { codeBuildBuildStateChangeEvent } from "../../functions/core/contracts/aws/codebuild-build-state-change.js";
import { ecrImageActionEvent } from "../../functions/core/contracts/aws/ecr-image-action.js";
import { ecrImageScanEvent } from "../../functions/core/contracts/aws/ecr-image-scan.js";
import { inspector2ScanEvent } from "../../functions/core/contracts/aws/inspector2-scan.js";
import { unconcernedAwsEventReason } from "../../functions/core/contracts/aws/unconcerned-aws-event.js";
import { eventEnvelope } from "../../functions/core/contracts/event-envelope.js";
import { repositoryNameOf } from "../../functions/core/ledger/ledger-entry.js";
import { ledgerEntryOf } from "../../functions/core/ledger/ledger-entry-of.js";
import { mapInspectorFindings } from "../../functions/core/scan/inspector-findings.js";
import { scanResultOf } from "../../functions/core/scan/scan-result.js";
import { normaliseCodeCommitEvent } from "../../functions/core/webhook/normalise-code-commit-event.js";
import { imageActionEvent } from "../../functions/local/registry/image-action-event.js";
import { differences, mismatch, type Outcome, ok } from "./outcome.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";

/**
 * Runs the step that consumes a routed AWS event over it (the contract, then the use case) and
 * compares what it makes of the event with the fields AWS documents. An event no rule takes only
 * needs its envelope to parse.
 */
export function checkHandledEvent(
  name: string,
  detailType: string,
  event: unknown,
  steps: string[],
): Outcome {
  const route = steps.length === 0 ? "no rule takes it" : `routed to ${steps.join(" + ")}`;
  const problems = steps.length === 0 ? checkUnrouted(detailType, event) : checkConsumer(detailType, event);
  if (typeof problems === "string") return ok(name, `${route}; ${problems}`);
  return mismatch(name, `${route}; ${problems.join("; ")}`);
}

/** A description of what was checked, or the problems found. */
type Check = string | string[];

function checkConsumer(detailType: string, event: unknown): Check {
  const ledger = ledgerEntryOf(eventEnvelope.parse(event));
  switch (detailType) {
    case "ECR Image Action":
      return ecrPush(event, ledger.kind);
    case "ECR Image Scan":
    case "Inspector2 Scan":
      return scan(detailType, event);
    case "CodeBuild Build State Change":
      return build(event);
    case "CodeCommit Repository State Change":
      return codeCommitPush(event);
    default:
      return [`no consumer check for ${detailType}`];
  }
}

function checkUnrouted(detailType: string, event: unknown): Check {
  if (detailType === "Inspector2 Scan") return unconcerned(event);
  if (detailType !== "Inspector2 Finding") return "envelope parses";
  const detail = z
    .looseObject({
      severity: z.string(),
      packageVulnerabilityDetails: z.looseObject({
        vulnerabilityId: z.string(),
        vulnerablePackages: z.array(z.looseObject({ name: z.string() })),
      }),
    })
    .parse(z.looseObject({ detail: z.unknown() }).parse(event).detail);
  const findings = mapInspectorFindings([detail]);
  const problems = [
    ...differences(
      {
        ids: detail.packageVulnerabilityDetails.vulnerablePackages.map(
          () => detail.packageVulnerabilityDetails.vulnerabilityId,
        ),
        packages: detail.packageVulnerabilityDetails.vulnerablePackages.map((pkg) => pkg.name),
        severities: findings.map(() => detail.severity.toUpperCase()),
      },
      {
        ids: findings.map((finding) => finding.id),
        packages: findings.map((finding) => finding.package),
        severities: findings.map((finding) => finding.severity),
      },
    ),
  ];
  return problems.length > 0
    ? problems
    : `the scan gate reads it as ${findings.map((finding) => `${finding.id} ${finding.severity} in ${finding.package}`).join(", ")}`;
}

/**
 * An Inspector scan of something other than an image (an EC2 instance, a Lambda function): should it
 * reach the scan gate or the ledger anyway, both leave it alone with a reason rather than fail.
 */
function unconcerned(event: unknown): Check {
  const reason = unconcernedAwsEventReason(event);
  const ledger = ledgerEntryOf(eventEnvelope.parse(event));
  const problems = [
    ...(reason === undefined ? ["the scan gate would take it for an image scan"] : []),
    ...(ledger.kind === "ignored" ? [] : ["the ledger would record it"]),
  ];
  return problems.length > 0 ? problems : `the scan gate and the ledger leave it alone: ${reason}`;
}

function ecrPush(event: unknown, ledger: string): Check {
  const parsed = ecrImageActionEvent.parse(event);
  const detail = parsed.detail;
  const local = imageActionEvent({
    id: "local",
    time: new Date(parsed.time),
    account: parsed.account,
    region: parsed.region,
    repository: detail["repository-name"],
    digest: detail["image-digest"],
    ...(detail["image-tag"] === undefined ? {} : { tag: detail["image-tag"] }),
  });
  const sampleKeys = z.looseObject({ detail: z.record(z.string(), z.unknown()) }).parse(event);
  const problems = differences(
    {
      ledger: "entry",
      keys: Object.keys(sampleKeys).sort(),
      detailKeys: Object.keys(sampleKeys.detail).sort(),
    },
    { ledger, keys: Object.keys(local).sort(), detailKeys: Object.keys(local.detail).sort() },
  );
  return problems.length > 0
    ? problems
    : `ledger records image ${repositoryNameOf(detail["repository-name"])}; the local registry's event has the same fields`;
}

function scan(detailType: string, event: unknown): Check {
  const parsed =
    detailType === "ECR Image Scan" ? ecrImageScanEvent.parse(event) : inspector2ScanEvent.parse(event);
  const result = scanResultOf(parsed);
  const repository = parsed.detail["repository-name"];
  const arn = /^arn:[^:]+:ecr:[^:]*:(\d{12}):repository\/(.+)$/.exec(repository);
  const problems = differences(
    {
      repository: arn?.[2] ?? repository,
      registryId: arn?.[1] ?? parsed.account,
      digest: parsed.detail["image-digest"],
      status: parsed.detail["scan-status"],
    },
    {
      repository: result.repository,
      registryId: result.registryId,
      digest: result.digest,
      status: result.status,
    },
  );
  return problems.length > 0
    ? problems
    : `scan of ${result.repository}@${result.digest.slice(0, 19)}… (${result.status}) read for the scan gate`;
}

function build(event: unknown): Check {
  const parsed = codeBuildBuildStateChangeEvent.parse(event);
  const detail = parsed.detail;
  const foreign = buildOutcomeOf(parsed);
  const ours = structuredClone(parsed);
  const info = ours.detail["additional-information"];
  info.environment = {
    ...info.environment,
    "environment-variables": [
      ...(info.environment?.["environment-variables"] ?? []),
      { name: BuildVariable.App, type: "PLAINTEXT", value: "conformance" },
      { name: BuildVariable.Commit, type: "PLAINTEXT", value: SHA },
      { name: BuildVariable.CorrelationId, type: "PLAINTEXT", value: "conformance-1" },
    ],
  };
  const outcome = buildOutcomeOf(ours);
  if (outcome.kind !== "publish") return [`a build with Shipline's variables was ignored: ${outcome.reason}`];
  const phases = detail["additional-information"].phases;
  const failed = phases.find((phase) => phase["phase-status"] === "FAILED");
  const succeeded = detail["build-status"] === "SUCCEEDED";
  const durations = phases.flatMap((phase) => phase["duration-in-seconds"] ?? []);
  const problems = differences(
    {
      foreign: "ignored",
      detailType: succeeded ? "Build Succeeded" : "Build Failed",
      projectName: detail["project-name"],
      durationSeconds: durations.reduce((sum, value) => sum + value, 0),
      ...(succeeded ? {} : { failedPhase: failed?.["phase-type"] ?? detail["current-phase"] }),
    },
    {
      foreign: foreign.kind,
      detailType: outcome.request.detailType,
      ...z.looseObject({}).parse(outcome.request.detail),
    },
  );
  return problems.length > 0
    ? problems
    : `a build Shipline did not start is ignored; with its variables it becomes ${outcome.request.detailType}`;
}

function codeCommitPush(event: unknown): Check {
  const detail = z
    .looseObject({
      detail: z.looseObject({ repositoryName: z.string(), referenceName: z.string(), commitId: z.string() }),
    })
    .parse(event).detail;
  const result = normaliseCodeCommitEvent(event);
  if (result.kind !== "push") return [`expected a push, got ignored: ${result.reason}`];
  const [pushed] = result.details;
  const problems = differences(
    { refName: detail.referenceName, commit: detail.commitId, repository: detail.repositoryName },
    { refName: pushed.refName, commit: pushed.commit, repository: pushed.repository.name },
  );
  return problems.length > 0
    ? problems
    : `Commit Pushed of ${pushed.refName} @ ${pushed.commit.slice(0, 7)} in ${pushed.repository.name}`;
}
